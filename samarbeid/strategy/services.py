"""Strategic plans, goals and coverage; results; benefits realisation; goal attainment; the
account of a period. Every change goes through a typed function here."""

from __future__ import annotations

import importlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_edit_arena,
    coordinator_municipality_ids,
    require,
)
from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import members_on
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.governance.models import Case, Decision
from samarbeid.governance.services import open_case, send_case
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality, MunicipalityChange
from samarbeid.strategy.models import (
    AdministrationCost,
    Basis,
    Benefit,
    BenefitRealisation,
    EconomicResult,
    FocusArea,
    Goal,
    GoalAssessment,
    Indicator,
    IndicatorValue,
    PlanItem,
    ProjectFocusArea,
    ProjectGoal,
    Result,
    StrategicPlan,
)

ZERO = Decimal("0.00")


# Arenas and lineage ----------------------------------------------------------------------


def arena_family_ids(arena: Arena) -> list[int]:
    """The arena and its sub-arenas (professional groups under 12K), a few levels deep."""
    ids = [arena.pk]
    frontier = [arena.pk]
    for _level in range(5):
        children = list(Arena.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        children = [c for c in children if c not in ids]
        if not children:
            break
        ids.extend(children)
        frontier = children
    return ids


def lineage_ids(municipality: Municipality) -> list[int]:
    """The municipality and every predecessor (Larvik 3909 ← 3805 ← 0709, 0728 Lardal)."""
    ids = [municipality.pk]
    frontier = [municipality.pk]
    for _step in range(10):
        previous = list(
            MunicipalityChange.objects.filter(successor_id__in=frontier).values_list(
                "predecessor_id", flat=True
            )
        )
        previous = [p for p in previous if p not in ids]
        if not previous:
            break
        ids.extend(previous)
        frontier = previous
    return ids


def _project_in_arena(project: Project, arena: Arena) -> bool:
    return project.arena_id in arena_family_ids(arena)


def check_period(first_year: int | None, last_year: int | None) -> None:
    errors: dict[str, str] = {}
    if first_year is None:
        errors["first_year"] = _("Oppgi første år.")
    if last_year is None:
        errors["last_year"] = _("Oppgi siste år.")
    if first_year is not None and last_year is not None and last_year < first_year:
        errors["last_year"] = _("Sluttåret (%(last)s) kan ikke være før startåret (%(first)s).") % {
            "last": last_year,
            "first": first_year,
        }
    if errors:
        raise ValidationError(errors)


# Strategic plans -------------------------------------------------------------------------


def _check_plan(plan: StrategicPlan) -> None:
    check_period(plan.first_year, plan.last_year)


def create_plan(plan: StrategicPlan, *, actor: Actor, channel: str = Channel.PAGE) -> StrategicPlan:
    """A new plan starts as a draft; the arena's secretariat writes it."""
    require(can_edit_arena(actor, plan.arena))
    _check_plan(plan)
    plan.status = StrategicPlan.Status.DRAFT
    return create_record(plan, actor=actor, channel=channel)


def update_plan(
    plan: StrategicPlan,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> StrategicPlan:
    """Edit title, period and summary. The status changes by sending and `set_plan_status`."""
    require(can_edit_arena(actor, plan.arena))
    changes = {k: v for k, v in changes.items() if k not in ("status", "case", "arena")}
    update_record(
        plan,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_plan,
    )
    return plan


def add_plan_item(item: PlanItem, *, actor: Actor, channel: str = Channel.PAGE) -> PlanItem:
    require(can_edit_arena(actor, item.plan.arena))
    if not item.title.strip():
        raise ValidationError({"title": _("Skriv punktet.")})
    return create_record(item, actor=actor, channel=channel)


def add_focus_area(area: FocusArea, *, actor: Actor, channel: str = Channel.PAGE) -> FocusArea:
    require(can_edit_arena(actor, area.plan.arena))
    if not area.title.strip():
        raise ValidationError({"title": _("Skriv navnet på innsatsområdet.")})
    return create_record(area, actor=actor, channel=channel)


def next_goal_number(arena: Arena, plan: StrategicPlan | None) -> int:
    numbers = Goal.objects.filter(arena=arena, plan=plan).values_list("number", flat=True)
    return max(numbers, default=0) + 1


def add_goal(goal: Goal, *, actor: Actor, channel: str = Channel.PAGE) -> Goal:
    """A numbered goal of the arena (within a plan or not). The number is the next free one
    when not given; a taken number is refused."""
    require(can_edit_arena(actor, goal.arena))
    if goal.plan is not None and goal.plan.arena_id != goal.arena_id:
        raise ValidationError({"plan": _("Planen tilhører en annen arena enn målet.")})
    if not goal.title.strip():
        raise ValidationError({"title": _("Skriv målet.")})
    if not goal.number:
        goal.number = next_goal_number(goal.arena, goal.plan)
    elif Goal.objects.filter(arena=goal.arena, plan=goal.plan, number=goal.number).exists():
        raise ValidationError(
            {"number": _("Mål nummer %(n)s finnes allerede.") % {"n": goal.number}}
        )
    return create_record(goal, actor=actor, channel=channel)


def delete_plan_part(
    obj: PlanItem | FocusArea | Goal, *, actor: Actor, channel: str = Channel.PAGE
) -> None:
    """Remove a point, focus area or goal while the plan is a draft."""
    plan = obj.plan
    arena = obj.arena if isinstance(obj, Goal) else obj.plan.arena
    require(can_edit_arena(actor, arena))
    if plan is not None and plan.status != StrategicPlan.Status.DRAFT:
        raise ValidationError(
            _("Planen er sendt til politisk behandling og kan ikke lenger endres.")
        )
    if isinstance(obj, Goal) and obj.assessments.exists():
        raise ValidationError(_("Målet er vurdert og kan ikke slettes; historikken beholdes."))
    delete_record(obj, actor=actor, channel=channel)


def send_for_treatment(
    plan: StrategicPlan,
    *,
    planned_date: date | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    sent_on: date | None = None,
    example: bool | None = None,
) -> Case:
    """Send a draft plan to every member's council (seed 001: "oversendes kommunene for
    politisk behandling"): one case, one pending council treatment per member on `sent_on`.
    `example` marks the case and treatments as invented (demo data)."""
    require(can_edit_arena(actor, plan.arena))
    sent_on = sent_on or timezone.localdate()
    if plan.status != StrategicPlan.Status.DRAFT:
        raise ValidationError({"status": _("Bare et utkast kan sendes til politisk behandling.")})
    if plan.case_id is not None:  # one case per plan
        raise ValidationError(
            {"status": _("Planen har allerede en sak: %(c)s.") % {"c": plan.case}}
        )
    if not plan.goals.exists():
        raise ValidationError({"status": _("Planen må ha minst ett mål før den sendes.")})
    if planned_date is not None and planned_date < sent_on:
        raise ValidationError(
            {"planned_date": _("Planlagt behandling kan ikke være før planen sendes.")}
        )
    members = [m.municipality for m in members_on(plan.arena, sent_on)]
    if not members:
        raise ValidationError(
            {
                "status": _("Arenaen har ingen medlemmer %(d)s å sende planen til.")
                % {"d": sent_on.strftime("%d.%m.%Y")}
            }
        )
    with transaction.atomic():
        case = open_case(
            Case(
                title=_("Strategisk plan %(p)s for %(a)s")
                % {"p": plan.period_label, "a": plan.arena.short_name},
                description=plan.summary,
                arena=plan.arena,
                opened=sent_on,
                subject=Case.Subject.DOCUMENT,
                document_title=str(plan),
                is_example_data=plan.is_example_data if example is None else example,
                published=plan.published,
            ),
            actor=actor,
            channel=channel,
        )
        send_case(case, members, planned_date=planned_date, actor=actor, channel=channel)
        update_record(
            plan,
            {"status": StrategicPlan.Status.SENT, "case": case},
            expected_version=None,
            actor=actor,
            channel=channel,
        )
    return case


@dataclass
class AdoptionRow:
    municipality: Municipality
    decision: Decision

    @property
    def state(self) -> str:
        if self.decision.is_positive:
            return "adopted"
        if self.decision.outcome == Decision.Outcome.REJECTED:
            return "rejected"
        if not self.decision.is_decided and not self.decision.can_still_be_done(
            timezone.localdate()
        ):
            return "lapsed"  # the municipality ceased before treating it
        return "pending"


def plan_adoption(plan: StrategicPlan) -> list[AdoptionRow]:
    """Each member council's treatment of the plan, read from the case's decisions."""
    if plan.case_id is None:
        return []
    decisions = (
        Decision.objects.filter(case_id=plan.case_id, body=Decision.Body.COUNCIL)
        .select_related("municipality")
        .order_by("municipality__number")
    )
    return [AdoptionRow(d.municipality, d) for d in decisions if d.municipality is not None]


def set_plan_status(
    plan: StrategicPlan,
    status: str,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    today: date | None = None,
) -> StrategicPlan:
    """Mark a sent plan adopted once every council has treated it and at least one adopted
    it; mark a plan expired once its period is over."""
    require(can_edit_arena(actor, plan.arena))
    today = today or timezone.localdate()
    if status == StrategicPlan.Status.ADOPTED:
        if plan.status != StrategicPlan.Status.SENT:
            raise ValidationError({"status": _("Bare en plan sendt til behandling kan vedtas.")})
        rows = plan_adoption(plan)
        pending = [r.municipality.name for r in rows if r.decision.can_still_be_done(today)]
        if pending:
            raise ValidationError(
                {"status": _("Venter fortsatt på behandling i: %(m)s.") % {"m": ", ".join(pending)}}
            )
        if not any(r.state == "adopted" for r in rows):
            raise ValidationError({"status": _("Ingen kommunestyrer har vedtatt planen.")})
    elif status == StrategicPlan.Status.EXPIRED:
        if plan.last_year >= today.year:
            raise ValidationError(
                {"status": _("Planperioden varer til og med %(y)s.") % {"y": plan.last_year}}
            )
    else:
        raise ValidationError({"status": _("Velg «vedtatt» eller «utløpt».")})
    update_record(
        plan, {"status": status}, expected_version=expected_version, actor=actor, channel=channel
    )
    return plan


# Projects, goals and focus areas ---------------------------------------------------------


def link_goal(
    project: Project, goal: Goal, *, actor: Actor, channel: str = Channel.PAGE
) -> ProjectGoal:
    require(can_edit_arena(actor, project.arena))
    if not _project_in_arena(project, goal.arena):
        raise ValidationError({"goal": _("Målet tilhører en annen arena enn prosjektet.")})
    if ProjectGoal.objects.filter(project=project, goal=goal).exists():
        raise ValidationError({"goal": _("Prosjektet er allerede knyttet til dette målet.")})
    return create_record(ProjectGoal(project=project, goal=goal), actor=actor, channel=channel)


def link_focus_area(
    project: Project, area: FocusArea, *, actor: Actor, channel: str = Channel.PAGE
) -> ProjectFocusArea:
    require(can_edit_arena(actor, project.arena))
    if not _project_in_arena(project, area.plan.arena):
        raise ValidationError(
            {"focus_area": _("Innsatsområdet tilhører en annen arena enn prosjektet.")}
        )
    if ProjectFocusArea.objects.filter(project=project, focus_area=area).exists():
        raise ValidationError(
            {"focus_area": _("Prosjektet er allerede knyttet til dette innsatsområdet.")}
        )
    return create_record(
        ProjectFocusArea(project=project, focus_area=area), actor=actor, channel=channel
    )


def unlink(
    link: ProjectGoal | ProjectFocusArea, *, actor: Actor, channel: str = Channel.PAGE
) -> None:
    require(can_edit_arena(actor, link.project.arena))
    delete_record(link, actor=actor, channel=channel)


def plan_projects(plan: StrategicPlan) -> list[Project]:
    """The arena's projects (and its sub-arenas') running at some time in the plan period,
    or undated."""
    first, last = date(plan.first_year, 1, 1), date(plan.last_year, 12, 31)
    projects = (
        Project.objects.filter(arena_id__in=arena_family_ids(plan.arena))
        .exclude(start__gt=last)
        .exclude(end__lt=first)
        .select_related("arena")
        .order_by("code")
    )
    return list(projects)


@dataclass
class AreaShare:
    area: FocusArea | None
    projects: list[Project]
    budget: Decimal
    share: Decimal  # percent of the plan's total budget, two decimals


@dataclass
class Coverage:
    goals_without_project: list[Goal]
    projects_outside: list[Project]
    areas: list[AreaShare]
    total_budget: Decimal
    project_count: int


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    if whole == 0:
        return ZERO
    return (part * 100 / whole).quantize(Decimal("0.01"))


def plan_coverage(plan: StrategicPlan) -> Coverage:
    """Goals no project serves, projects outside every focus area, and the budget share of
    each focus area. A project in two focus areas counts in both."""
    projects = plan_projects(plan)
    ids = [p.pk for p in projects]
    goals = list(plan.goals.order_by("number"))
    linked_goals = set(ProjectGoal.objects.filter(goal__in=goals).values_list("goal_id", flat=True))
    areas = list(plan.focus_areas.order_by("order", "id"))
    links = ProjectFocusArea.objects.filter(focus_area__in=areas, project_id__in=ids)
    by_area: dict[int, set[int]] = defaultdict(set)
    for area_id, project_id in links.values_list("focus_area_id", "project_id"):
        by_area[area_id].add(project_id)
    inside = set().union(*by_area.values()) if by_area else set()
    total = sum((p.budget or ZERO for p in projects), ZERO)
    shares = []
    for area in areas:
        members = [p for p in projects if p.pk in by_area[area.pk]]
        budget = sum((p.budget or ZERO for p in members), ZERO)
        shares.append(AreaShare(area, members, budget, _percent(budget, total)))
    outside = [p for p in projects if p.pk not in inside]
    outside_budget = sum((p.budget or ZERO for p in outside), ZERO)
    shares.append(AreaShare(None, outside, outside_budget, _percent(outside_budget, total)))
    return Coverage(
        goals_without_project=[g for g in goals if g.pk not in linked_goals],
        projects_outside=outside,
        areas=shares,
        total_budget=total,
        project_count=len(projects),
    )


# Results ---------------------------------------------------------------------------------


def add_result(result: Result, *, actor: Actor, channel: str = Channel.PAGE) -> Result:
    require(can_edit_arena(actor, result.project.arena))
    if not result.title.strip():
        raise ValidationError({"title": _("Beskriv resultatet.")})
    return create_record(result, actor=actor, channel=channel)


def add_indicator(indicator: Indicator, *, actor: Actor, channel: str = Channel.PAGE) -> Indicator:
    require(can_edit_arena(actor, indicator.result.project.arena))
    if indicator.result.kind != Result.Kind.PROFESSIONAL:
        raise ValidationError(
            {"result": _("Indikatorer hører til faglige resultater, ikke ikke-kvantifiserbare.")}
        )
    return create_record(indicator, actor=actor, channel=channel)


def add_indicator_value(
    value: IndicatorValue, *, actor: Actor, channel: str = Channel.PAGE
) -> IndicatorValue:
    require(can_edit_arena(actor, value.indicator.result.project.arena))
    if value.measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("En måling kan ikke være fram i tid.")})
    return create_record(value, actor=actor, channel=channel)


def _check_economic(result: EconomicResult) -> None:
    errors: dict[str, str] = {}
    if not result.year:
        errors["year"] = _("Oppgi året innsparingen eller kostnaden gjelder.")
    if not (result.source or "").strip():
        errors["source"] = _("Oppgi kilden til tallet (dokument, regnskap, beregning).")
    if result.amount is None or result.amount <= 0:
        errors["amount"] = _("Beløpet må være større enn null.")
    if result.year and result.to_year and result.to_year < result.year:
        errors["to_year"] = _("Sluttåret kan ikke være før startåret.")
    if result.year and result.basis == Basis.REALISED and result.year > timezone.localdate().year:
        errors["basis"] = _("Et framtidig år kan bare ha estimerte tall.")
    if (
        result.municipality is not None
        and result.year
        and not result.municipality.is_valid_on(date(result.last_year, 1, 1))
        and not result.municipality.is_valid_on(date(result.year, 12, 31))
    ):
        errors["municipality"] = _("%(m)s fantes ikke som kommune i %(y)s.") % {
            "m": result.municipality,
            "y": result.years_label,
        }
    if errors:
        raise ValidationError(errors)


def add_economic_result(
    result: EconomicResult, *, actor: Actor, channel: str = Channel.PAGE
) -> EconomicResult:
    """A saving or cost, estimated or realised, with year and source (both required)."""
    require(can_edit_arena(actor, result.project.arena))
    result.kept_outside_reason = (result.kept_outside_reason or "").strip()
    _check_economic(result)
    return create_record(result, actor=actor, channel=channel)


def keep_outside_account(
    result: EconomicResult,
    reason: str,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> EconomicResult:
    """Keep a recorded saving or cost outside the account, with the source's reason (or put
    it back in with an empty reason)."""
    require(can_edit_arena(actor, result.project.arena))
    return update_record(
        result,
        {"kept_outside_reason": reason.strip()},
        expected_version=result.version if expected_version is None else expected_version,
        actor=actor,
        channel=channel,
    )


def add_administration_cost(
    cost: AdministrationCost, *, actor: Actor, channel: str = Channel.PAGE
) -> AdministrationCost:
    require(can_edit_arena(actor, cost.arena))
    check_period(cost.first_year, cost.last_year)
    errors: dict[str, str] = {}
    if not cost.source.strip():
        errors["source"] = _("Oppgi kilden til tallet.")
    if cost.amount is None or cost.amount < 0:
        errors["amount"] = _("Beløpet kan ikke være negativt.")
    if errors:
        raise ValidationError(errors)
    return create_record(cost, actor=actor, channel=channel)


# Benefits realisation --------------------------------------------------------------------


def can_edit_benefit(user: Any, project: Project, municipality: Municipality) -> bool:
    """The arena's secretariat, or the coordinator of that municipality (or its successor)."""
    if can_edit_arena(user, project.arena):
        return True
    mine = coordinator_municipality_ids(user)
    if not mine:
        return False
    if municipality.pk in mine:
        return True
    for own in Municipality.objects.filter(pk__in=mine):
        if municipality.pk in lineage_ids(own):
            return True
    return False


def editable_benefit_municipalities(user: Any) -> set[int]:
    """The municipalities whose benefits a coordinator records: their own and every
    predecessor (the secretariat's right comes from the arena: `can_edit_benefit`)."""
    ids: set[int] = set()
    for own in Municipality.objects.filter(pk__in=coordinator_municipality_ids(user)):
        ids.update(lineage_ids(own))
    return ids


def _check_benefit(benefit: Benefit) -> None:
    errors: dict[str, str] = {}
    if not (benefit.owner or "").strip():
        errors["owner"] = _("Oppgi hvem i kommunen som eier gevinsten.")
    if not (benefit.description or "").strip():
        errors["description"] = _("Beskriv den forventede gevinsten.")
    if benefit.target_date is None:
        errors["target_date"] = _("Oppgi når gevinsten skal være tatt ut.")
    if errors:
        raise ValidationError(errors)


def add_benefit(benefit: Benefit, *, actor: Actor, channel: str = Channel.PAGE) -> Benefit:
    require(can_edit_benefit(actor, benefit.project, benefit.municipality))
    _check_benefit(benefit)
    return create_record(benefit, actor=actor, channel=channel)


def update_benefit(
    benefit: Benefit,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Benefit:
    require(can_edit_benefit(actor, benefit.project, benefit.municipality))
    changes = {k: v for k, v in changes.items() if k not in ("project", "municipality")}
    update_record(
        benefit,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_benefit,
    )
    return benefit


def record_realisation(
    realisation: BenefitRealisation, *, actor: Actor, channel: str = Channel.PAGE
) -> BenefitRealisation:
    """A step of realisation: an amount and/or a new status. The benefit takes the status."""
    benefit = realisation.benefit
    require(can_edit_benefit(actor, benefit.project, benefit.municipality))
    errors: dict[str, str] = {}
    if realisation.recorded_on > timezone.localdate():
        errors["recorded_on"] = _("Datoen kan ikke være fram i tid.")
    if realisation.amount is not None and realisation.amount < 0:
        errors["amount"] = _("Beløpet kan ikke være negativt.")
    if realisation.status == Benefit.Status.PLANNED and realisation.amount:
        errors["status"] = _("En gevinst med realisert beløp er ikke lenger bare planlagt.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        create_record(realisation, actor=actor, channel=channel)
        if benefit.status != realisation.status:
            update_record(
                benefit,
                {"status": realisation.status},
                expected_version=None,
                actor=actor,
                channel=channel,
            )
    return realisation


def benefits_for_municipality(municipality: Municipality) -> list[Benefit]:
    return list(
        Benefit.objects.filter(municipality_id__in=lineage_ids(municipality))
        .select_related("project__arena", "municipality")
        .prefetch_related("realisations")
        .order_by("target_date", "id")
    )


def benefits_for_arena(arena: Arena) -> list[Benefit]:
    return list(
        Benefit.objects.filter(project__arena_id__in=arena_family_ids(arena))
        .select_related("project__arena", "municipality")
        .prefetch_related("realisations")
        .order_by("target_date", "id")
    )


# Goal attainment -------------------------------------------------------------------------


def assess_goal(
    assessment: GoalAssessment,
    *,
    arena: Arena,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> GoalAssessment:
    """Add an assessment of a goal of `arena`. A goal of another arena is refused; earlier
    assessments stay as history."""
    require(can_edit_arena(actor, arena))
    goal = assessment.goal
    errors: dict[str, str] = {}
    if goal.arena_id != arena.pk:
        errors["goal"] = _("Målet «%(g)s» tilhører %(other)s, ikke %(a)s.") % {
            "g": goal.title,
            "other": goal.arena.name,
            "a": arena.name,
        }
    if not (assessment.evidence or "").strip():
        errors["evidence"] = _("Begrunn vurderingen (hva viser at målet er nådd eller ikke).")
    if assessment.assessed_on and assessment.assessed_on > timezone.localdate():
        errors["assessed_on"] = _("En vurdering kan ikke dateres fram i tid.")
    if errors:
        raise ValidationError(errors)
    return create_record(assessment, actor=actor, channel=channel)


def latest_assessments(goals: list[Goal]) -> dict[int, GoalAssessment]:
    latest: dict[int, GoalAssessment] = {}
    for a in GoalAssessment.objects.filter(goal__in=goals).order_by("assessed_on", "id"):
        latest[a.goal_id] = a
    return latest


# The account of a period -----------------------------------------------------------------


@dataclass
class CostLine:
    municipality_id: int | None
    year: int
    administration: Decimal
    projects: Decimal


def finance_costs(arena: Arena, first_year: int, last_year: int) -> list[CostLine]:
    """Administration and project costs from finance (issued invoices, else the budget's
    planned split), per municipality and year, for the arena and its sub-arenas."""
    try:
        module = importlib.import_module("samarbeid.finance.services")
    except ImportError:
        return []
    arena_costs = getattr(module, "arena_costs", None)
    if arena_costs is None:
        return []
    lines: list[CostLine] = []
    for member in Arena.objects.filter(pk__in=arena_family_ids(arena)).order_by("pk"):
        lines.extend(
            CostLine(row.municipality_id, row.year, row.administration, row.projects)
            for row in arena_costs(member, first_year, last_year)
        )
    return lines


@dataclass
class AccountRow:
    municipality: Municipality | None  # None: the cooperation as a whole, not split
    savings_estimated: Decimal = ZERO
    savings_realised: Decimal = ZERO
    administration: Decimal = ZERO
    project_costs: Decimal = ZERO
    other_costs: Decimal = ZERO

    @property
    def costs(self) -> Decimal:
        return self.administration + self.project_costs + self.other_costs

    @property
    def net_realised(self) -> Decimal:
        return self.savings_realised - self.costs

    def add(self, other: AccountRow) -> None:
        self.savings_estimated += other.savings_estimated
        self.savings_realised += other.savings_realised
        self.administration += other.administration
        self.project_costs += other.project_costs
        self.other_costs += other.other_costs


@dataclass
class YearRow:
    """A year, or a span of years when a source gives one sum for several."""

    first: int
    last: int
    savings_estimated: Decimal = ZERO
    savings_realised: Decimal = ZERO
    costs: Decimal = ZERO

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def is_zero(self) -> bool:
        return not (self.savings_estimated or self.savings_realised or self.costs)


@dataclass
class PeriodAccount:
    arena: Arena
    first_year: int
    last_year: int
    rows: list[AccountRow]
    total: AccountRow
    by_year: list[YearRow]
    economic_results: list[EconomicResult]
    administration_costs: list[AdministrationCost]
    excluded: list[str] = field(default_factory=list)
    # In the period but kept outside the sums with the source's reason ("Holdt utenfor")
    kept_outside: list[EconomicResult] = field(default_factory=list)

    @property
    def kept_outside_savings(self) -> Decimal:
        return sum(
            (r.amount for r in self.kept_outside if r.kind == EconomicResult.Kind.SAVING), ZERO
        )

    @property
    def kept_outside_costs(self) -> Decimal:
        return sum(
            (r.amount for r in self.kept_outside if r.kind == EconomicResult.Kind.COST), ZERO
        )

    @property
    def is_empty(self) -> bool:
        return (
            not self.economic_results
            and not self.kept_outside
            and not self.administration_costs
            and all(r.costs == 0 for r in self.rows)
        )

    @property
    def period_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


def period_account(arena: Arena, first_year: int | None, last_year: int | None) -> PeriodAccount:
    """Savings (estimated and realised apart) against administration and project costs, per
    municipality and in total, for the arena and its sub-arenas over the chosen years.
    A figure the source gives for a span of years counts when its whole span lies in the
    period; one that reaches outside is listed as left out, never prorated. A result kept
    outside the account (with its reason) is listed apart and in no sum."""
    check_period(first_year, last_year)
    assert first_year is not None
    assert last_year is not None
    rows: dict[int | None, AccountRow] = {}
    years: dict[tuple[int, int], YearRow] = {
        (y, y): YearRow(y, y) for y in range(first_year, last_year + 1)
    }

    def year_row(first: int, last: int) -> YearRow:
        if (first, last) not in years:
            years[(first, last)] = YearRow(first, last)
        return years[(first, last)]

    def row(municipality_id: int | None) -> AccountRow:
        if municipality_id not in rows:
            rows[municipality_id] = AccountRow(None)
        return rows[municipality_id]

    excluded: list[str] = []
    family = arena_family_ids(arena)
    results = list(
        EconomicResult.objects.filter(project__arena_id__in=family, year__lte=last_year)
        .select_related("project", "municipality")
        .order_by("year", "project__code", "id")
    )
    included: list[EconomicResult] = []
    kept_outside: list[EconomicResult] = []
    for r in results:
        if r.last_year < first_year:
            continue
        if r.year < first_year or r.last_year > last_year:
            excluded.append(
                _("%(p)s: %(k)s %(y)s går utenfor perioden og er ikke tatt med.")
                % {"p": r.project.title, "k": r.get_kind_display(), "y": r.years_label}
            )
            continue
        if r.is_kept_outside:
            kept_outside.append(r)
            continue
        included.append(r)
        target = row(r.municipality_id)
        span = year_row(r.year, r.last_year)
        if r.kind == EconomicResult.Kind.SAVING:
            if r.basis == "realised":
                target.savings_realised += r.amount
                span.savings_realised += r.amount
            else:
                target.savings_estimated += r.amount
                span.savings_estimated += r.amount
        else:
            target.other_costs += r.amount
            span.costs += r.amount
    admin_costs: list[AdministrationCost] = []
    for cost in AdministrationCost.objects.filter(arena_id__in=family).order_by("first_year"):
        if cost.last_year < first_year or cost.first_year > last_year:
            continue
        if cost.first_year < first_year or cost.last_year > last_year:
            excluded.append(
                _("Administrasjonskostnad %(a)s–%(b)s går utenfor perioden og er ikke tatt med.")
                % {"a": cost.first_year, "b": cost.last_year}
            )
            continue
        admin_costs.append(cost)
        row(None).administration += cost.amount
        year_row(cost.first_year, cost.last_year).costs += cost.amount
    for line in finance_costs(arena, first_year, last_year):
        if not first_year <= line.year <= last_year:
            continue
        target = row(line.municipality_id)
        target.administration += line.administration
        target.project_costs += line.projects
        year_row(line.year, line.year).costs += line.administration + line.projects
    municipalities = Municipality.objects.in_bulk([k for k in rows if k is not None])
    ordered: list[AccountRow] = []
    for key in sorted(
        rows, key=lambda k: ("1", "") if k is None else ("0", municipalities[k].number)
    ):
        entry = rows[key]
        entry.municipality = municipalities[key] if key is not None else None
        ordered.append(entry)
    total = AccountRow(None)
    for entry in ordered:
        total.add(entry)
    return PeriodAccount(
        arena=arena,
        first_year=first_year,
        last_year=last_year,
        rows=ordered,
        total=total,
        by_year=[years[k] for k in sorted(years) if not years[k].is_zero],
        economic_results=included,
        administration_costs=admin_costs,
        excluded=excluded,
        kept_outside=kept_outside,
    )
