"""The data of each report, computed once and used by the page, the PDF and the workbook."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.served import with_sub_arenas
from samarbeid.finance import figures as finance_figures
from samarbeid.governance.models import Case, Decision
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import SuccessorMap
from samarbeid.reports import charts
from samarbeid.strategy.models import (
    Basis,
    Benefit,
    EconomicResult,
    Goal,
    GoalAssessment,
    PlanItem,
    ProjectFocusArea,
    Result,
    StrategicPlan,
)
from samarbeid.strategy.services.account import (
    AccountRow,
    PeriodAccount,
    YearRow,
    named_rows,
    period_account,
)
from samarbeid.strategy.services.attainment import latest_assessments
from samarbeid.strategy.services.benefits import benefits_for_municipality
from samarbeid.strategy.services.links import Coverage, plan_coverage
from samarbeid.strategy.services.plans import AdoptionRow, plan_adoption
from samarbeid.strategy.services.scope import check_period, lineage_ids

ZERO = Decimal("0.00")


@dataclass
class Chart:
    title: str
    description: str  # the text alternative
    uri: str


class YearNames:
    """How a report on a year names a municipality: as it was that year, with today's in
    brackets when it has changed since ("Nøtterøy (0722) (i dag Færder 3911)"). A number
    that did not exist that year is named by its predecessors that did ("Nøtterøy (0722)
    og Tjøme (0723) (i dag Færder 3911)"). `among`: the municipalities the report is about
    (an arena's members that year): a predecessor outside them is not named (Sande was no
    member of 12K in 2008, though it too became Holmestrand). Uses the registry's successor
    map, loaded once."""

    def __init__(self, year: int, today: date | None = None, among: set[int] | None = None) -> None:
        self.first, self.last = date(year, 1, 1), date(year, 12, 31)
        self.today = today or timezone.localdate()
        self.among = among
        self.map = SuccessorMap()
        self._cache: dict[int, Municipality] = {}

    def _get(self, ids: list[int]) -> list[Municipality]:
        missing = [i for i in ids if i not in self._cache]
        if missing:
            self._cache.update(Municipality.objects.in_bulk(missing))
        return sorted((self._cache[i] for i in ids if i in self._cache), key=lambda m: m.number)

    def _in_year(self, m: Municipality) -> bool:
        return (m.valid_from is None or m.valid_from <= self.last) and (
            m.valid_to is None or m.valid_to >= self.first
        )

    @staticmethod
    def _plain(m: Municipality) -> str:
        return f"{m.name} ({m.number})"

    def name(self, municipality: Municipality) -> str:
        self._cache.setdefault(municipality.pk, municipality)
        if self._in_year(municipality):
            then = [municipality]
        else:
            then = [
                m for m in self._get(self.map.predecessor_ids(municipality.pk)) if self._in_year(m)
            ]
            if self.among is not None:
                then = [m for m in then if m.pk in self.among] or then
            then = then or [municipality]
        now = (
            [municipality]
            if municipality.is_valid_on(self.today)
            else self._get(self.map.successor_ids_on(municipality.pk, self.today))
        )
        parts = [self._plain(m) for m in then]
        text = parts[-1] if len(parts) == 1 else f"{', '.join(parts[:-1])} {_('og')} {parts[-1]}"
        if {m.pk for m in now} != {m.pk for m in then} and now:
            today = ", ".join(f"{m.name} {m.number}" for m in now)
            text += " " + _("(i dag %(m)s)") % {"m": today}
        return text


def _active_in(first: date, last: date) -> Q:
    return (Q(start__isnull=True) | Q(start__lte=last)) & (Q(end__isnull=True) | Q(end__gte=first))


# Annual report of an arena ---------------------------------------------------------------


@dataclass
class AnnualReport:
    arena: Arena
    year: int
    member_count: int
    cases: list[Case]
    decision_count: int
    plans: list[StrategicPlan]
    projects: list[Project]
    status_counts: list[tuple[str, int]]
    by_focus_area: list[tuple[str, int]]
    account: PeriodAccount
    history: PeriodAccount
    results: list[Result]
    economic: list[EconomicResult]
    goal_rows: list[tuple[Goal, GoalAssessment | None]]
    charts: list[Chart] = field(default_factory=list)
    # each account row with the name of its municipality as it was in the year
    named_rows: list[tuple[str, AccountRow]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.cases
            or self.projects
            or self.results
            or self.economic
            or not self.account.is_empty
            or any(a for _g, a in self.goal_rows)
        )


def _focus_counts(projects: list[Project], plans: list[StrategicPlan]) -> list[tuple[str, int]]:
    """Projects per focus area of the plans in force; without a link, the project's own
    focus-area text; otherwise «uten innsatsområde»."""
    links = ProjectFocusArea.objects.filter(
        project__in=projects, focus_area__plan__in=plans
    ).select_related("focus_area")
    by_project: dict[int, list[str]] = {}
    for link in links:
        by_project.setdefault(link.project_id, []).append(link.focus_area.title)
    counter: Counter[str] = Counter()
    for p in projects:
        names = by_project.get(p.pk) or [p.focus_area_text or _("Uten innsatsområde")]
        for name in names:
            counter[name] += 1
    return counter.most_common()


def _goal_rows(goals: list[Goal], until: date) -> list[tuple[Goal, GoalAssessment | None]]:
    latest: dict[int, GoalAssessment] = {}
    for a in GoalAssessment.objects.filter(goal__in=goals, assessed_on__lte=until).order_by(
        "assessed_on", "id"
    ):
        latest[a.goal_id] = a
    return [(g, latest.get(g.pk)) for g in goals]


def annual_report(arena: Arena, year: int, user: Any) -> AnnualReport:
    if not 1900 <= year <= 2200:
        raise ValidationError({"year": _("Ugyldig år.")})
    first, last = date(year, 1, 1), date(year, 12, 31)
    family = with_sub_arenas([arena.pk])
    members = Membership.objects.filter(arena=arena).active_on(last).count()
    cases = list(
        Case.objects.filter(arena_id__in=family, opened__year=year).order_by("opened", "id")
    )
    decisions = Decision.objects.filter(
        Q(case__arena_id__in=family) | Q(arena_id__in=family), meeting_date__year=year
    ).count()
    plans = list(
        StrategicPlan.objects.filter(arena=arena, first_year__lte=year, last_year__gte=year)
    )
    projects = list(
        Project.objects.visible_to(user)
        .filter(arena_id__in=family)
        .filter(_active_in(first, last))
        .order_by("code")
    )
    status_counts = Counter(p.get_status_display() for p in projects)
    account = period_account(arena, year, year)
    history = period_account(arena, year - 4, year)
    results = list(
        Result.objects.filter(project__in=projects, recorded_on__year=year)
        .select_related("project")
        .order_by("recorded_on")
    )
    economic = account.economic_results
    goals = list(
        Goal.objects.filter(Q(plan__in=plans) | Q(plan__isnull=True), arena=arena)
        .select_related("plan")
        .order_by("plan", "number")
    )
    report = AnnualReport(
        arena=arena,
        year=year,
        member_count=members,
        cases=cases,
        decision_count=decisions,
        plans=plans,
        projects=projects,
        status_counts=sorted(status_counts.items()),
        by_focus_area=_focus_counts(projects, plans),
        account=account,
        history=history,
        results=results,
        economic=economic,
        goal_rows=_goal_rows(goals, last),
    )
    members_in_year = set(
        Membership.objects.filter(arena=arena)
        .filter(joined__lte=last)
        .filter(Q(left__isnull=True) | Q(left__gte=first))
        .values_list("municipality_id", flat=True)
    )
    names = YearNames(year, among=members_in_year)
    report.named_rows = named_rows(account, names.name)
    if history.by_year:
        report.charts.append(money_over_time_chart(history))
    if not account.is_empty:
        report.charts.append(savings_vs_costs_chart(account, [n for n, _r in report.named_rows]))
    if report.by_focus_area:
        report.charts.append(focus_area_chart(report.by_focus_area))
    return report


def every_year(account: PeriodAccount) -> list[YearRow]:
    """The account's rows by year with every year of its period, those without figures as
    zero, so that a chart covers the years its title names."""
    present = {(r.first, r.last): r for r in account.by_year}
    for y in range(account.first_year, account.last_year + 1):
        present.setdefault((y, y), YearRow(y, y))
    return [present[k] for k in sorted(present)]


def _grouped_bars(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[Decimal]]],
) -> Chart:
    """A report's chart of amounts in groups of bars (charts.grouped_bars): its title, its
    text alternative `description` and the picture."""
    svg = charts.grouped_bars(labels, series, title=title)
    return Chart(title, description, charts.data_uri(svg))


def money_over_time_chart(account: PeriodAccount) -> Chart:
    rows = every_year(account)
    return _grouped_bars(
        _("Penger over tid, %(p)s") % {"p": account.period_label},
        _("Søylediagram: innsparinger og kostnader per år. Tallene står i tabellen."),
        [r.label for r in rows],
        [
            (_("Innsparing, estimert"), "estimated", [r.savings_estimated for r in rows]),
            (_("Innsparing, realisert"), "realised", [r.savings_realised for r in rows]),
            (_("Kostnader"), "costs", [r.costs for r in rows]),
        ],
    )


def savings_vs_costs_chart(account: PeriodAccount, labels: list[str]) -> Chart:
    rows = account.rows
    return _grouped_bars(
        _("Innsparing mot kostnader per kommune, %(p)s") % {"p": account.period_label},
        _("Søylediagram: realisert og estimert innsparing mot kostnader per kommune."),
        labels,
        [
            (_("Innsparing, realisert"), "realised", [r.savings_realised for r in rows]),
            (_("Innsparing, estimert"), "estimated", [r.savings_estimated for r in rows]),
            (_("Kostnader"), "costs", [r.costs for r in rows]),
        ],
    )


def focus_area_chart(counts: list[tuple[str, int]]) -> Chart:
    title = _("Prosjekter per innsatsområde")
    svg = charts.horizontal_bars([c[0] for c in counts], [c[1] for c in counts], title=title)
    return Chart(
        title,
        _("Liggende søyler: antall prosjekter i hvert innsatsområde."),
        charts.data_uri(svg),
    )


# The municipality statement --------------------------------------------------------------


@dataclass
class PaymentLine:
    arena_name: str
    year: int
    amount: Decimal
    invoiced: bool = True  # False: the planned share from a budget, not yet invoiced


def municipality_payments(municipality: Municipality) -> list[PaymentLine]:
    """What the municipality paid (or, where no run is issued, is planned to pay) to each
    arena per year, from finance; predecessors included there."""
    return [
        PaymentLine(row.arena_name, row.year, row.amount, row.invoiced)
        for row in finance_figures.municipality_payments(municipality)
    ]


@dataclass
class YearInOut:
    year: int
    paid: Decimal = ZERO
    saved_realised: Decimal = ZERO
    saved_estimated: Decimal = ZERO


@dataclass
class MunicipalityStatement:
    municipality: Municipality
    first_year: int
    last_year: int
    memberships: list[Membership]
    participations: list[Participation]
    payments: list[PaymentLine]
    savings: list[EconomicResult]
    open_benefits: list[Benefit]
    years: list[YearInOut]
    paid_total: Decimal
    saved_realised_total: Decimal
    saved_estimated_total: Decimal
    charts: list[Chart] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.memberships
            or self.participations
            or self.payments
            or self.savings
            or self.open_benefits
        )

    @property
    def period_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


def municipality_statement(
    municipality: Municipality, first_year: int | None, last_year: int | None, user: Any
) -> MunicipalityStatement:
    """«Hva vi la inn og hva vi fikk»: arenas, projects, payments, savings, open benefits of
    the municipality and its predecessors over the years."""
    check_period(first_year, last_year)
    assert first_year is not None
    assert last_year is not None
    first, last = date(first_year, 1, 1), date(last_year, 12, 31)
    ids = lineage_ids(municipality)
    visible_arenas = Arena.objects.visible_to(user)
    memberships = list(
        Membership.objects.filter(municipality_id__in=ids, arena__in=visible_arenas)
        .filter(Q(left__isnull=True) | Q(left__gte=first), joined__lte=last)
        .select_related("arena", "municipality")
        .order_by("arena__name", "joined")
    )
    participations = list(
        Participation.objects.filter(
            municipality_id__in=ids,
            status=Participation.Status.JOINED,
            project__in=Project.objects.visible_to(user),
        )
        .filter(Q(until__isnull=True) | Q(until__gte=first), since__lte=last)
        .select_related("project__arena", "municipality")
        .order_by("project__code", "since")
    )
    payments = [p for p in municipality_payments(municipality) if first_year <= p.year <= last_year]
    savings = list(
        EconomicResult.objects.filter(
            municipality_id__in=ids,
            kind=EconomicResult.Kind.SAVING,
            year__gte=first_year,
            year__lte=last_year,
            project__in=Project.objects.visible_to(user),
        )
        .select_related("project", "municipality")
        .order_by("year", "project__code")
    )
    benefits = [
        b
        for b in benefits_for_municipality(municipality)
        if b.is_open or b.status == Benefit.Status.NOT_REALISED
    ]
    years = {y: YearInOut(y) for y in range(first_year, last_year + 1)}
    for p in payments:
        years[p.year].paid += p.amount
    for s in savings:
        if s.is_kept_outside:  # the source keeps it out of the account (issue 17, point 5)
            continue
        if s.basis == Basis.REALISED:
            years[s.year].saved_realised += s.amount
        else:
            years[s.year].saved_estimated += s.amount
    rows = list(years.values())
    statement = MunicipalityStatement(
        municipality=municipality,
        first_year=first_year,
        last_year=last_year,
        memberships=memberships,
        participations=participations,
        payments=payments,
        savings=savings,
        open_benefits=benefits,
        years=rows,
        paid_total=sum((r.paid for r in rows), ZERO),
        saved_realised_total=sum((r.saved_realised for r in rows), ZERO),
        saved_estimated_total=sum((r.saved_estimated for r in rows), ZERO),
    )
    if payments or savings:
        statement.charts.append(
            _grouped_bars(
                _("Hva %(m)s la inn og fikk igjen, %(p)s")
                % {"m": municipality.name, "p": statement.period_label},
                _("Søylediagram: betalt og spart per år. Tallene står i tabellen."),
                [str(r.year) for r in rows],
                [
                    (_("Betalt"), "costs", [r.paid for r in rows]),
                    (_("Innsparing, realisert"), "realised", [r.saved_realised for r in rows]),
                    (_("Innsparing, estimert"), "estimated", [r.saved_estimated for r in rows]),
                ],
            )
        )
    return statement


# The strategic-plan report ---------------------------------------------------------------


@dataclass
class PlanReport:
    plan: StrategicPlan
    goal_rows: list[tuple[Goal, GoalAssessment | None]]
    items: list[tuple[str, list[Any]]]
    focus_areas: list[Any]
    coverage: Coverage
    adoption: list[AdoptionRow]
    charts: list[Chart] = field(default_factory=list)


def plan_report(plan: StrategicPlan) -> PlanReport:
    goals = list(plan.goals.order_by("number"))
    latest = latest_assessments(goals)
    items = list(plan.items.order_by("kind", "order", "id"))
    coverage = plan_coverage(plan)
    report = PlanReport(
        plan=plan,
        goal_rows=[(g, latest.get(g.pk)) for g in goals],
        items=[
            (str(label), [i for i in items if i.kind == kind])
            for kind, label in PlanItem.Kind.choices
        ],
        focus_areas=list(plan.focus_areas.order_by("order", "id")),
        coverage=coverage,
        adoption=plan_adoption(plan),
    )
    counts = [
        (s.area.title if s.area else _("Utenfor innsatsområdene"), len(s.projects))
        for s in coverage.areas
    ]
    if coverage.project_count:
        report.charts.append(focus_area_chart(counts))
    return report
