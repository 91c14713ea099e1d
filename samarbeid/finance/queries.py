"""Reads for the first page: the invoices a municipality has to pay, and the runs a
secretariat has to make, approve or issue."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from samarbeid.finance.models import Budget, Invoice, InvoiceRun

# Payment is not recorded: an issued invoice is listed until this long after its due date.
PAYMENT_GRACE = timedelta(days=60)


def invoices_to_pay(municipality_ids: Collection[int], day: date) -> QuerySet[Invoice]:
    """Issued invoices (not credit notes) to the municipalities, not credited, due on or
    after `day` less `PAYMENT_GRACE`: what they are asked to pay, the earliest due first."""
    credited = Invoice.objects.filter(credited=OuterRef("pk"), kind=Invoice.Kind.CREDIT_NOTE)
    return (
        Invoice.objects.filter(
            buyer_id__in=municipality_ids,
            kind=Invoice.Kind.INVOICE,
            issued_at__isnull=False,
            due_date__gte=day - PAYMENT_GRACE,
        )
        .exclude(Exists(credited))
        .select_related("run", "run__arena")
        .order_by("due_date", "number")
    )


def runs_to_issue(arena_ids: Collection[int] | None) -> QuerySet[InvoiceRun]:
    """The arenas' runs drafted or approved but not issued, oldest year first."""
    runs = InvoiceRun.objects.exclude(status=InvoiceRun.Status.ISSUED)
    if arena_ids is not None:
        runs = runs.filter(arena_id__in=arena_ids)
    return runs.select_related("arena").order_by("year", "arena__name", "pk")


def budgets_without_run(arena_ids: Collection[int] | None, year: int) -> QuerySet[Budget]:
    """The arenas' budgets for `year` or earlier that no run invoices yet, newest first."""
    run = InvoiceRun.objects.filter(arena=OuterRef("arena"), year=OuterRef("year"))
    budgets = Budget.objects.filter(year__lte=year).exclude(Exists(run))
    if arena_ids is not None:
        budgets = budgets.filter(arena_id__in=arena_ids)
    return budgets.select_related("arena").order_by("-year", "arena__name", "pk")
