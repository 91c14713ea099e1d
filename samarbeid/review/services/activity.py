"""What the records show for each item of a review round over the round's period: activity
(projects active, decisions, process steps done, project status changes, invoices issued)
and cost (invoiced where the year's run was issued, else budgeted), worked out for the whole
round in a fixed number of queries, whatever the number of items.

The period is the three calendar years up to and including the year the round opened (the
years the round's cost column has always covered): a round opened 01.01.2004 reads
01.01.2002–31.12.2004."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samarbeid.finance.models import Budget, BudgetLine, HostShareLine, Invoice, InvoiceRun
from samarbeid.governance.models import Decision, ProcessStep
from samarbeid.portfolio.models import Project, ProjectStatusChange
from samarbeid.review.models import ReviewItem, ReviewRound

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)


def round_period(review: ReviewRound) -> Period:
    """The period a round's figures are read over (see the module's docstring)."""
    year = review.opened.year
    return Period(date(year - 2, 1, 1), date(year, 12, 31))


@dataclass
class Activity:
    """What happened in the period, counted from the records."""

    projects: int = 0
    decisions: int = 0
    steps: int = 0
    status_changes: int = 0
    invoices: int = 0

    @property
    def found(self) -> bool:
        return any((self.projects, self.decisions, self.steps, self.status_changes, self.invoices))

    def parts(self) -> list[str]:
        """The counts as a clerk reads them, leaving out what is zero."""
        pr, de, st, ch, inv = (
            self.projects,
            self.decisions,
            self.steps,
            self.status_changes,
            self.invoices,
        )
        words = [
            (pr, ngettext("%(n)s prosjekt aktivt", "%(n)s prosjekter aktive", pr)),
            (de, ngettext("%(n)s vedtak", "%(n)s vedtak", de)),
            (st, ngettext("%(n)s prosessteg utført", "%(n)s prosessteg utført", st)),
            (ch, ngettext("%(n)s statusendring", "%(n)s statusendringer", ch)),
            (inv, ngettext("%(n)s faktura sendt", "%(n)s fakturaer sendt", inv)),
        ]
        return [text % {"n": n} for n, text in words if n]

    def text(self) -> str:
        return ", ".join(self.parts())


@dataclass
class Cost:
    """What the item cost over the period: per year, invoiced (net of credit notes, with the
    host's own share) where the year's run was issued, else the budget (lines and
    administration cost)."""

    by_year: dict[int, Decimal] = field(default_factory=dict)
    invoiced_years: set[int] = field(default_factory=set)

    @property
    def total(self) -> Decimal:
        return sum(self.by_year.values(), ZERO)

    def add(self, year: int, amount: Decimal, *, invoiced: bool = False) -> None:
        self.by_year[year] = self.by_year.get(year, ZERO) + amount
        if invoiced:
            self.invoiced_years.add(year)

    def source(self) -> str:
        """Where the figure comes from, by year: «fakturert 2003; budsjett 2004»."""
        invoiced = sorted(self.invoiced_years)
        budgeted = sorted(set(self.by_year) - self.invoiced_years)
        parts = []
        if invoiced:
            parts.append(_("fakturert %(years)s") % {"years": ", ".join(map(str, invoiced))})
        if budgeted:
            parts.append(_("budsjett %(years)s") % {"years": ", ".join(map(str, budgeted))})
        return "; ".join(parts)


@dataclass
class ItemRecords:
    activity: Activity = field(default_factory=Activity)
    cost: Cost | None = None


def _in(period: Period, name: str) -> Q:
    return Q(**{f"{name}__gte": period.start, f"{name}__lte": period.end})


def period_records(items: Iterable[ReviewItem], period: Period) -> dict[int, ItemRecords]:
    """Activity and cost of each item (by the item's id) over `period`, from the records of
    its arena (an arena item: that arena's projects, decisions, process plans, budgets and
    invoice runs) or of its project (decisions on its cases, its process steps, its status
    changes and its budget lines). Ten queries, whatever the number of items."""
    items = list(items)
    by_arena = {i.arena_id: i.pk for i in items if i.arena_id}
    by_project = {i.project_id: i.pk for i in items if i.project_id}
    found: dict[int, ItemRecords] = {i.pk: ItemRecords() for i in items}

    def arena_item(arena_id: int | None) -> ItemRecords | None:
        return found[by_arena[arena_id]] if arena_id in by_arena else None

    def project_item(project_id: int | None) -> ItemRecords | None:
        return found[by_project[project_id]] if project_id in by_project else None

    arenas, projects, years = list(by_arena), list(by_project), list(period.years)

    # projects that ran at some time in the period (a start on record, no end before it)
    for arena_id, n in (
        Project.objects.filter(arena_id__in=arenas, start__lte=period.end)
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .order_by()
        .values_list("arena_id")
        .annotate(n=Count("id"))
    ):
        if (records := arena_item(arena_id)) is not None:
            records.activity.projects += n

    # decisions with a meeting in the period: the arena's own, on its cases, on the project's
    for arena_id, case_arena_id, case_project_id in (
        Decision.objects.filter(_in(period, "meeting_date"))
        .filter(
            Q(arena_id__in=arenas) | Q(case__arena_id__in=arenas) | Q(case__project_id__in=projects)
        )
        .order_by()
        .values_list("arena_id", "case__arena_id", "case__project_id")
    ):
        whose = project_item(case_project_id) or arena_item(arena_id) or arena_item(case_arena_id)
        if whose is not None:
            whose.activity.decisions += 1

    # process steps done in the period: of the arena's plans, or on the project's cases
    for plan_arena_id, case_project_id in (
        ProcessStep.objects.filter(_in(period, "done_date"))
        .filter(Q(plan__arena_id__in=arenas) | Q(case__project_id__in=projects))
        .order_by()
        .values_list("plan__arena_id", "case__project_id")
    ):
        whose = project_item(case_project_id) or arena_item(plan_arena_id)
        if whose is not None:
            whose.activity.steps += 1

    for project_id, n in (
        ProjectStatusChange.objects.filter(_in(period, "changed_on"), project_id__in=projects)
        .order_by()
        .values_list("project_id")
        .annotate(n=Count("id"))
    ):
        if (records := project_item(project_id)) is not None:
            records.activity.status_changes += n

    for arena_id, n in (
        Invoice.objects.filter(
            _in(period, "issue_date"), run__arena_id__in=arenas, kind=Invoice.Kind.INVOICE
        )
        .order_by()
        .values_list("run__arena_id")
        .annotate(n=Count("id"))
    ):
        if (records := arena_item(arena_id)) is not None:
            records.activity.invoices += n

    _arena_costs(arenas, years, arena_item)
    for project_id, year, amount in (
        BudgetLine.objects.filter(project_id__in=projects, budget__year__in=years)
        .order_by()
        .values_list("project_id", "budget__year")
        .annotate(amount=Sum("amount"))
    ):
        if (records := project_item(project_id)) is not None:
            records.cost = records.cost or Cost()
            records.cost.add(year, amount)
    return found


def _arena_costs(
    arenas: list[int], years: list[int], arena_item: Callable[[int], ItemRecords | None]
) -> None:
    """Invoiced (issued runs: invoices net of credit notes, and the host's own share) or
    else budgeted, per arena and year. Four queries."""
    runs = {
        pk: (arena_id, year)
        for pk, arena_id, year in InvoiceRun.objects.filter(
            arena_id__in=arenas, year__in=years, status=InvoiceRun.Status.ISSUED
        ).values_list("pk", "arena_id", "year")
    }
    invoiced: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for run_id, kind, amount in (
        Invoice.objects.filter(run_id__in=runs)
        .order_by()
        .values_list("run_id", "kind")
        .annotate(amount=Sum("total"))
    ):
        invoiced[runs[run_id]] += -amount if kind == Invoice.Kind.CREDIT_NOTE else amount
    for run_id, amount in (
        HostShareLine.objects.filter(run_id__in=runs)
        .order_by()
        .values_list("run_id")
        .annotate(amount=Sum("amount"))
    ):
        invoiced[runs[run_id]] += amount
    for arena_id, year in runs.values():
        if (records := arena_item(arena_id)) is not None:
            records.cost = records.cost or Cost()
            records.cost.add(year, invoiced[(arena_id, year)], invoiced=True)
    issued = set(runs.values())
    for arena_id, year, administration, lines in (
        Budget.objects.filter(arena_id__in=arenas, year__in=years)
        .annotate(line_total=Sum("lines__amount"))
        .values_list("arena_id", "year", "administration_cost", "line_total")
    ):
        if (arena_id, year) in issued:
            continue
        if (records := arena_item(arena_id)) is not None:
            records.cost = records.cost or Cost()
            records.cost.add(year, (administration or ZERO) + (lines or ZERO))
