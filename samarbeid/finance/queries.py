"""Reads for the first page: the invoices a municipality has to pay, and the runs a
secretariat has to make, approve or issue."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from samarbeid.arenas.models import Membership
from samarbeid.finance.models import Budget, BudgetLine, Grant, Invoice, InvoiceRun

# A grant's report due within this many days (or overdue, and not yet sent) is flagged.
REPORT_WARNING_DAYS = 30


def invoices_to_pay(municipality_ids: Collection[int]) -> QuerySet[Invoice]:
    """Issued invoices (not credit notes) to the municipalities, not credited: what they
    are asked to pay, the newest due date first. Payment is not recorded in the product,
    so none drops off the list however long past due it is."""
    credited = Invoice.objects.filter(credited=OuterRef("pk"), kind=Invoice.Kind.CREDIT_NOTE)
    return (
        Invoice.objects.filter(
            buyer_id__in=municipality_ids,
            kind=Invoice.Kind.INVOICE,
            issued_at__isnull=False,
        )
        .exclude(Exists(credited))
        .select_related("run", "run__arena")
        .order_by("-due_date", "-number")
    )


def runs_to_issue(arena_ids: Collection[int] | None) -> QuerySet[InvoiceRun]:
    """The arenas' runs drafted or approved but not issued, oldest year first."""
    runs = InvoiceRun.objects.exclude(status=InvoiceRun.Status.ISSUED)
    if arena_ids is not None:
        runs = runs.filter(arena_id__in=arena_ids)
    return runs.select_related("arena").order_by("year", "arena__name", "pk")


def budgets_without_run(arena_ids: Collection[int] | None, year: int) -> QuerySet[Budget]:
    """The arenas' budgets for `year` or earlier that no run invoices yet and a run could
    invoice (the budget has lines and its arena members that year, as finance.planning
    counts them), newest first. In the query, not per budget."""
    run = InvoiceRun.objects.filter(arena=OuterRef("arena"), year=OuterRef("year"))
    lines = BudgetLine.objects.filter(budget=OuterRef("pk"))
    members = Membership.objects.filter(
        Q(left__isnull=True) | Q(left__year__gte=OuterRef("year")),
        Q(municipality__valid_from__isnull=True)
        | Q(municipality__valid_from__year__lte=OuterRef("year")),
        arena=OuterRef("arena"),
        joined__year__lte=OuterRef("year"),
    )
    budgets = (
        Budget.objects.filter(year__lte=year)
        .exclude(Exists(run))
        .filter(Exists(lines), Exists(members))
    )
    if arena_ids is not None:
        budgets = budgets.filter(arena_id__in=arena_ids)
    return budgets.select_related("arena").order_by("-year", "arena__name", "pk")


def grant_reports_due(arena_ids: Collection[int] | None, today: date) -> QuerySet[Grant]:
    """The arenas' granted grants whose report is overdue or due within REPORT_WARNING_DAYS
    and not yet sent, the earliest deadline first."""
    grants = Grant.objects.filter(
        status__in=[Grant.Status.GRANTED, Grant.Status.PARTLY_GRANTED],
        reported_on__isnull=True,
        report_due__isnull=False,
        report_due__lte=today + timedelta(days=REPORT_WARNING_DAYS),
    )
    if arena_ids is not None:
        grants = grants.filter(line__budget__arena_id__in=arena_ids)
    return grants.select_related("line__budget__arena").order_by("report_due", "id")
