"""API for strategic plans, goals, focus areas, results, benefits and the account of a
period. Reads are open; every change a strategy page can make is also a write here
(`auth=WRITE_AUTH`), through the same services with `channel=Channel.API`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import WRITE_ERRORS, Problem, money
from samarbeid.core.paging import Pagination
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import resolve_number
from samarbeid.strategy import services
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
    realised_total,
)

router = Router(tags=["strategy"])


def _visible_plans(request: HttpRequest) -> Any:
    from samarbeid.strategy.views import visible_plans

    return visible_plans(request.user)


class StrategyAssessmentOut(Schema):
    id: int
    attainment: str
    evidence: str
    assessed_on: date
    assessed_by: str
    is_example_data: bool


class StrategyGoalOut(Schema):
    id: int
    arena: int
    plan: int | None
    number: int
    title: str
    description: str
    latest_assessment: StrategyAssessmentOut | None
    is_example_data: bool


class StrategyGoalDetailOut(StrategyGoalOut):
    assessments: list[StrategyAssessmentOut] = Field(description="Every assessment, oldest first")
    projects: list[int]


class StrategyPlanOut(Schema):
    id: int
    arena: int
    arena_short_name: str
    title: str
    first_year: int
    last_year: int
    status: str
    case: int | None
    is_example_data: bool
    version: int = Field(description="Send it back with a change (optimistic locking)")


class StrategyItemOut(Schema):
    kind: str
    order: int
    title: str
    description: str


class StrategyAdoptionOut(Schema):
    municipality: str
    name: str
    state: str = Field(description="adopted, rejected or pending")
    outcome: str
    meeting_date: date | None


class StrategyAreaShareOut(Schema):
    focus_area: int | None = Field(description="None: projects outside every focus area")
    title: str
    projects: list[int]
    budget: str
    share_percent: str


class StrategyCoverageOut(Schema):
    goals_without_project: list[int]
    projects_outside: list[int]
    total_budget: str
    areas: list[StrategyAreaShareOut]


class StrategyPlanDetailOut(StrategyPlanOut):
    summary: str
    goals: list[StrategyGoalOut]
    items: list[StrategyItemOut]
    focus_areas: list[StrategyItemOut]
    adoption: list[StrategyAdoptionOut]
    coverage: StrategyCoverageOut


class StrategyIndicatorOut(Schema):
    name: str
    unit: str
    baseline: str | None
    target: str | None
    values: list[dict[str, str]]


class StrategyResultOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    recorded_on: date
    indicators: list[StrategyIndicatorOut]


class StrategyEconomicOut(Schema):
    id: int
    municipality: str | None
    kind: str
    basis: str
    year: int
    to_year: int | None
    amount: str
    source: str
    kept_outside_reason: str = Field(
        "", description="Not empty: kept outside the account of a period, for this reason"
    )
    is_example_data: bool


class StrategyProjectResultsOut(Schema):
    project: int
    results: list[StrategyResultOut]
    economic_results: list[StrategyEconomicOut]


class StrategyBenefitOut(Schema):
    id: int
    project: int
    municipality: str
    description: str
    expected_amount: str | None
    realised_amount: str
    owner: str
    target_date: date
    status: str
    overdue: bool
    unrealised: bool
    is_example_data: bool
    version: int = Field(description="Send it back with a change (optimistic locking)")


class StrategyBenefitFilter(Schema):
    municipality: str | None = Field(
        None, description="Municipality code; includes its predecessors"
    )
    arena: int | None = None
    project: int | None = None
    flagged: bool | None = Field(None, description="Only overdue or unrealised")


class StrategyAccountRowOut(Schema):
    municipality: str | None = Field(description="None: the cooperation as a whole")
    savings_estimated: str
    savings_realised: str
    administration: str
    project_costs: str
    other_costs: str
    costs: str
    net_realised: str


class StrategyAccountOut(Schema):
    arena: int
    first_year: int
    last_year: int
    empty: bool
    rows: list[StrategyAccountRowOut]
    total: StrategyAccountRowOut
    excluded: list[str]
    kept_outside: list[StrategyEconomicOut] = Field(
        default_factory=list,
        description="Results in the period kept outside the account with their reason; "
        "in no row, total or net",
    )
    kept_outside_savings: str = Field("0.00", description="Sum of the savings kept outside")
    kept_outside_costs: str = Field("0.00", description="Sum of the costs kept outside")


class StrategyPeriodQuery(Schema):
    first_year: int = Field(ge=1900, le=2200)
    last_year: int = Field(ge=1900, le=2200)


class StrategyAssessmentIn(Schema):
    arena: int = Field(description="The arena the assessment is made in; must own the goal")
    attainment: GoalAssessment.Attainment
    evidence: str
    assessed_on: date
    assessed_by: str = ""


def _assessment(a: GoalAssessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "id": a.pk,
        "attainment": a.attainment,
        "evidence": a.evidence,
        "assessed_on": a.assessed_on,
        "assessed_by": a.assessed_by,
        "is_example_data": a.is_example_data,
    }


def _goal(g: Goal, latest: dict[int, GoalAssessment]) -> dict[str, Any]:
    return {
        "id": g.pk,
        "arena": g.arena_id,
        "plan": g.plan_id,
        "number": g.number,
        "title": g.title,
        "description": g.description,
        "latest_assessment": _assessment(latest.get(g.pk)),
        "is_example_data": g.is_example_data,
    }


def _plan(p: StrategicPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "arena": p.arena_id,
        "arena_short_name": p.arena.short_name,
        "title": p.title,
        "first_year": p.first_year,
        "last_year": p.last_year,
        "status": p.status,
        "case": p.case_id,
        "is_example_data": p.is_example_data,
        "version": p.version,
    }


def _visible_goals(request: HttpRequest) -> Any:
    from django.db.models import Q

    return Goal.objects.filter(
        Q(plan__isnull=True) | Q(plan__in=_visible_plans(request)),
        arena__in=Arena.objects.visible_to(request.user),
    )


@router.get("/strategic-plans", response=list[StrategyPlanOut], summary="List strategic plans")
@paginate(Pagination)
def list_plans(request: HttpRequest, arena: int | None = None) -> list[dict[str, Any]]:
    plans = _visible_plans(request).select_related("arena").order_by("arena__name", "first_year")
    if arena is not None:
        plans = plans.filter(arena_id=arena)
    return [_plan(p) for p in plans]


@router.get(
    "/strategic-plans/{plan_id}",
    response={200: StrategyPlanDetailOut, 404: Problem},
    summary="A plan with goals, prerequisites, methods, factors, focus areas, adoption, coverage",
)
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = get_object_or_404(_visible_plans(request).select_related("arena"), pk=plan_id)
    goals = list(plan.goals.order_by("number"))
    latest = services.latest_assessments(goals)
    coverage = services.plan_coverage(plan)
    data = _plan(plan)
    data.update(
        {
            "summary": plan.summary,
            "goals": [_goal(g, latest) for g in goals],
            "items": [
                {"kind": i.kind, "order": i.order, "title": i.title, "description": i.description}
                for i in plan.items.order_by("kind", "order", "id")
            ],
            "focus_areas": [
                {
                    "kind": "focus_area",
                    "order": f.order,
                    "title": f.title,
                    "description": f.description,
                }
                for f in plan.focus_areas.order_by("order", "id")
            ],
            "adoption": [
                {
                    "municipality": r.municipality.number,
                    "name": r.municipality.name,
                    "state": r.state,
                    "outcome": r.decision.outcome,
                    "meeting_date": r.decision.meeting_date,
                }
                for r in services.plan_adoption(plan)
            ],
            "coverage": {
                "goals_without_project": [g.pk for g in coverage.goals_without_project],
                "projects_outside": [p.pk for p in coverage.projects_outside],
                "total_budget": money(coverage.total_budget),
                "areas": [
                    {
                        "focus_area": s.area.pk if s.area else None,
                        "title": s.area.title if s.area else "",
                        "projects": [p.pk for p in s.projects],
                        "budget": money(s.budget),
                        "share_percent": f"{s.share:.2f}",
                    }
                    for s in coverage.areas
                ],
            },
        }
    )
    return data


@router.get("/goals", response=list[StrategyGoalOut], summary="Goals with their latest assessment")
@paginate(Pagination)
def list_goals(
    request: HttpRequest, arena: int | None = None, plan: int | None = None
) -> list[dict[str, Any]]:
    goals = _visible_goals(request).order_by("arena_id", "plan_id", "number")
    if arena is not None:
        goals = goals.filter(arena_id=arena)
    if plan is not None:
        goals = goals.filter(plan_id=plan)
    goals = list(goals)
    latest = services.latest_assessments(goals)
    return [_goal(g, latest) for g in goals]


@router.get(
    "/goals/{goal_id}",
    response={200: StrategyGoalDetailOut, 404: Problem},
    summary="A goal with the history of its assessments",
)
def get_goal(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    goal = get_object_or_404(_visible_goals(request), pk=goal_id)
    history = list(goal.assessments.order_by("assessed_on", "id"))
    data = _goal(goal, {goal.pk: history[-1]} if history else {})
    data["assessments"] = [_assessment(a) for a in history]
    data["projects"] = list(
        Project.objects.visible_to(request.user)
        .filter(goal_links__goal=goal)
        .values_list("pk", flat=True)
    )
    return data


@router.post(
    "/goals/{goal_id}/assessments",
    response={201: StrategyAssessmentOut, 403: Problem, 404: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Add an assessment of a goal (the arena's secretariat)",
)
def add_assessment(
    request: HttpRequest, goal_id: int, payload: StrategyAssessmentIn
) -> Status[dict[str, Any] | None]:
    goal = _visible_goals(request).select_related("arena").filter(pk=goal_id).first()
    arena = Arena.objects.visible_to(request.user).filter(pk=payload.arena).first()
    if goal is None or arena is None:
        raise Http404("No such goal or arena.")
    assessment = services.assess_goal(
        GoalAssessment(
            goal=goal,
            attainment=payload.attainment,
            evidence=payload.evidence,
            assessed_on=payload.assessed_on,
            assessed_by=payload.assessed_by,
        ),
        arena=arena,
        actor=request.user,
        channel=Channel.API,
    )
    return Status(201, _assessment(assessment))


def _indicator(i: Indicator) -> dict[str, Any]:
    return {
        "name": i.name,
        "unit": i.unit,
        "baseline": money(i.baseline),
        "target": money(i.target),
        "values": [
            {"date": v.measured_on.isoformat(), "value": f"{v.value:.2f}"} for v in i.values.all()
        ],
    }


def _result(r: Result) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "title": r.title,
        "description": r.description,
        "recorded_on": r.recorded_on,
        "indicators": [_indicator(i) for i in r.indicators.all()],
    }


def _economic(e: EconomicResult) -> dict[str, Any]:
    return {
        "id": e.pk,
        "municipality": e.municipality.number if e.municipality else None,
        "kind": e.kind,
        "basis": e.basis,
        "year": e.year,
        "to_year": e.to_year,
        "amount": money(e.amount),
        "source": e.source,
        "kept_outside_reason": e.kept_outside_reason,
        "is_example_data": e.is_example_data,
    }


@router.get(
    "/projects/{project_id}/results",
    response={200: StrategyProjectResultsOut, 404: Problem},
    summary="Professional, unquantifiable and economic results of a project",
)
def project_results(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=project_id)
    results = project.results.prefetch_related("indicators__values").order_by("recorded_on", "id")
    economic = project.economic_results.select_related("municipality").order_by("year", "id")
    return {
        "project": project.pk,
        "results": [_result(r) for r in results],
        "economic_results": [_economic(e) for e in economic],
    }


def _benefit(b: Benefit) -> dict[str, Any]:
    return {
        "id": b.pk,
        "project": b.project_id,
        "municipality": b.municipality.number,
        "description": b.description,
        "expected_amount": money(b.expected_amount),
        "realised_amount": money(realised_total(b)),
        "owner": b.owner,
        "target_date": b.target_date,
        "status": b.status,
        "overdue": b.is_overdue,
        "unrealised": b.is_unrealised,
        "is_example_data": b.is_example_data,
        "version": b.version,
    }


@router.get("/benefits", response=list[StrategyBenefitOut], summary="Benefits realisation plans")
@paginate(Pagination)
def list_benefits(
    request: HttpRequest,
    municipality: str | None = None,
    arena: int | None = None,
    project: int | None = None,
    flagged: bool = False,
) -> list[dict[str, Any]]:
    """`municipality` is a municipality code and includes its predecessors; `flagged` keeps
    only overdue or unrealised benefits."""
    filters = StrategyBenefitFilter(
        municipality=municipality, arena=arena, project=project, flagged=flagged
    )
    benefits = (
        Benefit.objects.filter(project__in=Project.objects.visible_to(request.user))
        .select_related("municipality")
        .prefetch_related("realisations")
        .order_by("target_date", "id")
    )
    if filters.municipality:
        place = Municipality.objects.filter(code=filters.municipality).first()
        if place is None:
            return []
        benefits = benefits.filter(municipality_id__in=services.lineage_ids(place))
    if filters.arena is not None:
        found = Arena.objects.filter(pk=filters.arena).first()
        if found is None:
            return []
        benefits = benefits.filter(project__arena_id__in=services.arena_family_ids(found))
    if filters.project is not None:
        benefits = benefits.filter(project_id=filters.project)
    rows = [_benefit(b) for b in benefits]
    if filters.flagged:
        rows = [r for r in rows if r["unrealised"]]
    return rows


def _row(r: services.AccountRow) -> dict[str, Any]:
    return {
        "municipality": r.municipality.number if r.municipality else None,
        "savings_estimated": money(r.savings_estimated),
        "savings_realised": money(r.savings_realised),
        "administration": money(r.administration),
        "project_costs": money(r.project_costs),
        "other_costs": money(r.other_costs),
        "costs": money(r.costs),
        "net_realised": money(r.net_realised),
    }


@router.get(
    "/arenas/{arena_id}/period-account",
    response={200: StrategyAccountOut, 404: Problem, 422: Problem},
    summary="Savings (estimated, realised) against costs per municipality over chosen years",
)
def get_period_account(
    request: HttpRequest, arena_id: int, period: Query[StrategyPeriodQuery]
) -> dict[str, Any]:
    arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=arena_id)
    account = services.period_account(arena, period.first_year, period.last_year)
    return {
        "arena": arena.pk,
        "first_year": account.first_year,
        "last_year": account.last_year,
        "empty": account.is_empty,
        "rows": [_row(r) for r in account.rows],
        "total": _row(account.total),
        "excluded": [str(e) for e in account.excluded],
        "kept_outside": [_economic(e) for e in account.kept_outside],
        "kept_outside_savings": money(account.kept_outside_savings),
        "kept_outside_costs": money(account.kept_outside_costs),
    }


# Writes: every change a strategy page can make ---------------------------------------------


Year = Annotated[int, Field(ge=1900, le=2200)]
Order = Annotated[int, Field(ge=0, le=32767)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Number = Annotated[str, Field(pattern=r"^\d{4}$", description="Municipality number")]


class StrategyPlanIn(Schema):
    arena: int
    title: str = Field(min_length=1, max_length=200)
    first_year: Year
    last_year: Year
    summary: str = ""
    published: bool = True


class StrategyPlanPatch(Schema):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)
    first_year: Year | None = None
    last_year: Year | None = None
    summary: str | None = None
    published: bool | None = None


class StrategySendIn(Schema):
    planned_date: date | None = Field(
        None, description="Planned treatment in the councils (not before today)"
    )


class StrategyPlanStatusIn(Schema):
    status: Literal["adopted", "expired"]
    version: int


class StrategyGoalIn(Schema):
    number: int | None = Field(None, ge=1, le=32767, description="Empty: the next free number")
    title: str = Field(min_length=1, max_length=300)
    description: str = ""


class StrategyArenaGoalIn(StrategyGoalIn):
    arena: int = Field(description="The arena; the goal belongs to no strategic plan")


class StrategyPlanItemIn(Schema):
    kind: PlanItem.Kind
    order: Order = 1
    title: str = Field(min_length=1, max_length=200)
    description: str = ""


class StrategyPlanItemOut(Schema):
    id: int
    plan: int
    kind: str
    order: int
    title: str
    description: str
    version: int


class StrategyFocusAreaIn(Schema):
    order: Order = 1
    title: str = Field(min_length=1, max_length=200)
    description: str = ""


class StrategyFocusAreaOut(Schema):
    id: int
    plan: int
    order: int
    title: str
    description: str
    version: int


class StrategyAdminCostIn(Schema):
    first_year: Year
    last_year: Year
    amount: Amount = Field(description="NOK with two decimals")
    source: str = Field(min_length=1, max_length=300)


class StrategyAdminCostOut(Schema):
    id: int
    arena: int
    first_year: int
    last_year: int
    amount: str
    source: str
    version: int


class StrategyGoalLinkIn(Schema):
    goal: int


class StrategyFocusAreaLinkIn(Schema):
    focus_area: int


class StrategyLinkOut(Schema):
    id: int
    project: int
    goal: int | None = None
    focus_area: int | None = None


class StrategyResultIn(Schema):
    kind: Result.Kind
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    recorded_on: date


class StrategyIndicatorIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    unit: str = Field(min_length=1, max_length=40)
    baseline: Annotated[Decimal, Field(max_digits=16, decimal_places=2)] | None = None
    target: Annotated[Decimal, Field(max_digits=16, decimal_places=2)] | None = None


class StrategyIndicatorWriteOut(StrategyIndicatorOut):
    id: int
    result: int


class StrategyIndicatorValueIn(Schema):
    measured_on: date = Field(description="Not in the future")
    value: Annotated[Decimal, Field(max_digits=16, decimal_places=2)]


class StrategyIndicatorValueOut(Schema):
    id: int
    indicator: int
    measured_on: date
    value: str


class StrategyEconomicIn(Schema):
    kind: EconomicResult.Kind
    basis: Basis
    municipality: Number | None = Field(
        None, description="Empty: the cooperation as a whole, not split"
    )
    year: Year
    to_year: Year | None = Field(None, description="Only when the source gives one sum")
    amount: Amount = Field(description="NOK with two decimals, above zero")
    source: str = Field(min_length=1, max_length=300)
    note: str = ""
    kept_outside_reason: str = Field(
        "",
        max_length=300,
        description="Keep the amount outside the account, with the source's words; "
        "empty: it counts",
    )


class StrategyBenefitIn(Schema):
    municipality: Number
    description: str = Field(min_length=1)
    expected_amount: Amount | None = None
    owner: str = Field(min_length=1, max_length=200)
    target_date: date


class StrategyBenefitPatch(Schema):
    version: int
    description: str | None = Field(None, min_length=1)
    expected_amount: Amount | None = None
    owner: str | None = Field(None, min_length=1, max_length=200)
    target_date: date | None = None


class StrategyRealisationIn(Schema):
    recorded_on: date = Field(description="Not in the future")
    amount: Amount | None = None
    status: Benefit.Status = Field(description="The benefit takes this status")
    note: str = ""


class StrategyRealisationOut(Schema):
    id: int
    benefit: int
    recorded_on: date
    amount: str | None
    status: str
    note: str
    benefit_version: int


def _plan_for_write(request: HttpRequest, plan_id: int) -> StrategicPlan:
    return get_object_or_404(_visible_plans(request).select_related("arena"), pk=plan_id)


def _arena_for_write(request: HttpRequest, arena_id: int) -> Arena:
    return get_object_or_404(Arena.objects.visible_to(request.user), pk=arena_id)


def _project_for_write(request: HttpRequest, project_id: int) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(request.user).select_related("arena"), pk=project_id
    )


def _benefit_for_write(request: HttpRequest, benefit_id: int) -> Benefit:
    benefit = get_object_or_404(
        Benefit.objects.filter(project__in=Project.objects.visible_to(request.user))
        .select_related("project__arena", "municipality")
        .filter(pk=benefit_id)
    )
    return benefit


def _municipality(number: str | None, years: tuple[int, int] | None = None) -> Any:
    """The municipality with this number (in the years given, else the current one)."""
    if number is None:
        return None
    found = None
    if years is not None:
        found = resolve_number(number, date(years[1], 12, 31)) or resolve_number(
            number, date(years[0], 1, 1)
        )
    found = found or resolve_number(number)
    if found is None:
        raise ValidationError({"municipality": _("Ukjent kommunenummer: %(n)s.") % {"n": number}})
    return found


def _item(i: PlanItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "plan": i.plan_id,
        "kind": i.kind,
        "order": i.order,
        "title": i.title,
        "description": i.description,
        "version": i.version,
    }


def _area(a: FocusArea) -> dict[str, Any]:
    return {
        "id": a.pk,
        "plan": a.plan_id,
        "order": a.order,
        "title": a.title,
        "description": a.description,
        "version": a.version,
    }


def _present(data: dict[str, Any], nullable: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields sent, without nulls for fields that cannot be empty."""
    return {k: v for k, v in data.items() if v is not None or k in nullable}


# Strategic plans --------------------------------------------------------------------------


@router.post(
    "/strategic-plans",
    response={201: StrategyPlanOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Create a strategic plan (starts as a draft; the arena's secretariat)",
)
def post_plan(request: HttpRequest, payload: StrategyPlanIn) -> Status[dict[str, Any]]:
    arena = _arena_for_write(request, payload.arena)
    plan = StrategicPlan(
        arena=arena,
        title=payload.title,
        first_year=payload.first_year,
        last_year=payload.last_year,
        summary=payload.summary,
        published=payload.published,
    )
    services.create_plan(plan, actor=request.user, channel=Channel.API)
    return Status(201, _plan(plan))


@router.patch(
    "/strategic-plans/{plan_id}",
    response={200: StrategyPlanOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a plan's title, period, summary or publishing (with the version read)",
    description="The status changes by sending the plan and by POST …/status.",
)
def patch_plan(request: HttpRequest, plan_id: int, payload: StrategyPlanPatch) -> dict[str, Any]:
    plan = _plan_for_write(request, plan_id)
    changes = _present(payload.dict(exclude_unset=True))
    version = changes.pop("version")
    services.update_plan(
        plan, changes, expected_version=version, actor=request.user, channel=Channel.API
    )
    return _plan(plan)


@router.post(
    "/strategic-plans/{plan_id}/send",
    response={200: StrategyPlanOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Send a draft plan to every member's council (opens a case)",
)
def post_send_plan(request: HttpRequest, plan_id: int, payload: StrategySendIn) -> dict[str, Any]:
    plan = _plan_for_write(request, plan_id)
    services.send_for_treatment(
        plan, planned_date=payload.planned_date, actor=request.user, channel=Channel.API
    )
    return _plan(plan)


@router.post(
    "/strategic-plans/{plan_id}/status",
    response={200: StrategyPlanOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Mark a plan adopted (every council has treated it) or expired (period over)",
)
def post_plan_status(
    request: HttpRequest, plan_id: int, payload: StrategyPlanStatusIn
) -> dict[str, Any]:
    plan = _plan_for_write(request, plan_id)
    services.set_plan_status(
        plan,
        payload.status,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return _plan(plan)


@router.post(
    "/strategic-plans/{plan_id}/goals",
    response={201: StrategyGoalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a goal to a plan (numbered; the next free number when none is given)",
)
def post_plan_goal(
    request: HttpRequest, plan_id: int, payload: StrategyGoalIn
) -> Status[dict[str, Any]]:
    plan = _plan_for_write(request, plan_id)
    goal = Goal(
        arena=plan.arena,
        plan=plan,
        number=payload.number or 0,
        title=payload.title,
        description=payload.description,
    )
    services.add_goal(goal, actor=request.user, channel=Channel.API)
    return Status(201, _goal(goal, {}))


@router.post(
    "/goals",
    response={201: StrategyGoalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a goal of an arena outside any strategic plan",
)
def post_arena_goal(request: HttpRequest, payload: StrategyArenaGoalIn) -> Status[dict[str, Any]]:
    arena = _arena_for_write(request, payload.arena)
    goal = Goal(
        arena=arena,
        plan=None,
        number=payload.number or 0,
        title=payload.title,
        description=payload.description,
    )
    services.add_goal(goal, actor=request.user, channel=Channel.API)
    return Status(201, _goal(goal, {}))


@router.post(
    "/strategic-plans/{plan_id}/items",
    response={201: StrategyPlanItemOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a prerequisite, working method, success factor or critical factor",
)
def post_plan_item(
    request: HttpRequest, plan_id: int, payload: StrategyPlanItemIn
) -> Status[dict[str, Any]]:
    plan = _plan_for_write(request, plan_id)
    item = PlanItem(plan=plan, **payload.dict())
    services.add_plan_item(item, actor=request.user, channel=Channel.API)
    return Status(201, _item(item))


@router.post(
    "/strategic-plans/{plan_id}/focus-areas",
    response={201: StrategyFocusAreaOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a focus area to a plan",
)
def post_focus_area(
    request: HttpRequest, plan_id: int, payload: StrategyFocusAreaIn
) -> Status[dict[str, Any]]:
    plan = _plan_for_write(request, plan_id)
    area = FocusArea(plan=plan, **payload.dict())
    services.add_focus_area(area, actor=request.user, channel=Channel.API)
    return Status(201, _area(area))


def _delete_part(request: HttpRequest, plan_id: int, part: PlanItem | FocusArea | Goal) -> None:
    _plan_for_write(request, plan_id)
    services.delete_plan_part(part, actor=request.user, channel=Channel.API)


@router.delete(
    "/strategic-plans/{plan_id}/items/{item_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Remove a point from a draft plan",
)
def delete_plan_item(request: HttpRequest, plan_id: int, item_id: int) -> Status[None]:
    found = get_object_or_404(
        PlanItem.objects.select_related("plan__arena"), pk=item_id, plan_id=plan_id
    )
    _delete_part(request, plan_id, found)
    return Status(204, None)


@router.delete(
    "/strategic-plans/{plan_id}/focus-areas/{focus_area_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Remove a focus area from a draft plan",
)
def delete_focus_area(request: HttpRequest, plan_id: int, focus_area_id: int) -> Status[None]:
    found = get_object_or_404(
        FocusArea.objects.select_related("plan__arena"), pk=focus_area_id, plan_id=plan_id
    )
    _delete_part(request, plan_id, found)
    return Status(204, None)


@router.delete(
    "/strategic-plans/{plan_id}/goals/{goal_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Remove a goal from a draft plan (not once it has been assessed)",
)
def delete_plan_goal(request: HttpRequest, plan_id: int, goal_id: int) -> Status[None]:
    found = get_object_or_404(
        Goal.objects.select_related("plan", "arena"), pk=goal_id, plan_id=plan_id
    )
    _delete_part(request, plan_id, found)
    return Status(204, None)


# Administration costs ----------------------------------------------------------------------


@router.post(
    "/arenas/{arena_id}/administration-costs",
    response={201: StrategyAdminCostOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record what running an arena cost over a year or span of years",
)
def post_admin_cost(
    request: HttpRequest, arena_id: int, payload: StrategyAdminCostIn
) -> Status[dict[str, Any]]:
    arena = _arena_for_write(request, arena_id)
    cost = AdministrationCost(arena=arena, **payload.dict())
    services.add_administration_cost(cost, actor=request.user, channel=Channel.API)
    return Status(
        201,
        {
            "id": cost.pk,
            "arena": cost.arena_id,
            "first_year": cost.first_year,
            "last_year": cost.last_year,
            "amount": money(cost.amount),
            "source": cost.source,
            "version": cost.version,
        },
    )


# Projects: goals and focus areas, results, indicators, economic results, benefits ----------


@router.post(
    "/projects/{project_id}/goals",
    response={201: StrategyLinkOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Link a project to a goal of its arena",
)
def post_goal_link(
    request: HttpRequest, project_id: int, payload: StrategyGoalLinkIn
) -> Status[dict[str, Any]]:
    project = _project_for_write(request, project_id)
    goal = _visible_goals(request).select_related("arena").filter(pk=payload.goal).first()
    if goal is None:
        raise ValidationError({"goal": _("Målet finnes ikke.")})
    link = services.link_goal(project, goal, actor=request.user, channel=Channel.API)
    return Status(201, {"id": link.pk, "project": project.pk, "goal": goal.pk})


@router.delete(
    "/projects/{project_id}/goals/{goal_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Remove a project's link to a goal",
)
def delete_goal_link(request: HttpRequest, project_id: int, goal_id: int) -> Status[None]:
    project = _project_for_write(request, project_id)
    link = get_object_or_404(ProjectGoal.objects, project=project, goal_id=goal_id)
    link.project = project
    services.unlink(link, actor=request.user, channel=Channel.API)
    return Status(204, None)


@router.post(
    "/projects/{project_id}/focus-areas",
    response={201: StrategyLinkOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Place a project in a focus area of a plan of its arena",
)
def post_focus_area_link(
    request: HttpRequest, project_id: int, payload: StrategyFocusAreaLinkIn
) -> Status[dict[str, Any]]:
    project = _project_for_write(request, project_id)
    area = (
        FocusArea.objects.filter(plan__in=_visible_plans(request))
        .select_related("plan__arena")
        .filter(pk=payload.focus_area)
        .first()
    )
    if area is None:
        raise ValidationError({"focus_area": _("Innsatsområdet finnes ikke.")})
    link = services.link_focus_area(project, area, actor=request.user, channel=Channel.API)
    return Status(201, {"id": link.pk, "project": project.pk, "focus_area": area.pk})


@router.delete(
    "/projects/{project_id}/focus-areas/{focus_area_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Take a project out of a focus area",
)
def delete_focus_area_link(
    request: HttpRequest, project_id: int, focus_area_id: int
) -> Status[None]:
    project = _project_for_write(request, project_id)
    link = get_object_or_404(ProjectFocusArea.objects, project=project, focus_area_id=focus_area_id)
    link.project = project
    services.unlink(link, actor=request.user, channel=Channel.API)
    return Status(204, None)


@router.post(
    "/projects/{project_id}/results",
    response={201: StrategyResultOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record a professional or unquantifiable result of a project",
)
def post_result(
    request: HttpRequest, project_id: int, payload: StrategyResultIn
) -> Status[dict[str, Any]]:
    project = _project_for_write(request, project_id)
    result = Result(project=project, **payload.dict())
    services.add_result(result, actor=request.user, channel=Channel.API)
    return Status(201, _result(result))


def _result_for_write(request: HttpRequest, result_id: int) -> Result:
    result = get_object_or_404(
        Result.objects.filter(project__in=Project.objects.visible_to(request.user))
        .select_related("project__arena")
        .filter(pk=result_id)
    )
    return result


@router.post(
    "/results/{result_id}/indicators",
    response={201: StrategyIndicatorWriteOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add an indicator to a professional result",
)
def post_indicator(
    request: HttpRequest, result_id: int, payload: StrategyIndicatorIn
) -> Status[dict[str, Any]]:
    result = _result_for_write(request, result_id)
    indicator = Indicator(result=result, **payload.dict())
    services.add_indicator(indicator, actor=request.user, channel=Channel.API)
    return Status(201, {**_indicator(indicator), "id": indicator.pk, "result": result.pk})


@router.post(
    "/indicators/{indicator_id}/values",
    response={201: StrategyIndicatorValueOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record a measurement of an indicator",
)
def post_indicator_value(
    request: HttpRequest, indicator_id: int, payload: StrategyIndicatorValueIn
) -> Status[dict[str, Any]]:
    indicator = get_object_or_404(
        Indicator.objects.filter(result__project__in=Project.objects.visible_to(request.user))
        .select_related("result__project__arena")
        .filter(pk=indicator_id)
    )
    value = IndicatorValue(indicator=indicator, **payload.dict())
    services.add_indicator_value(value, actor=request.user, channel=Channel.API)
    return Status(
        201,
        {
            "id": value.pk,
            "indicator": indicator.pk,
            "measured_on": value.measured_on,
            "value": f"{value.value:.2f}",
        },
    )


@router.post(
    "/projects/{project_id}/economic-results",
    response={201: StrategyEconomicOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record a saving or cost (estimated or realised) with its year and source",
)
def post_economic_result(
    request: HttpRequest, project_id: int, payload: StrategyEconomicIn
) -> Status[dict[str, Any]]:
    project = _project_for_write(request, project_id)
    data = payload.dict()
    last = data["to_year"] or data["year"]
    data["municipality"] = _municipality(data["municipality"], (data["year"], last))
    result = EconomicResult(project=project, **data)
    services.add_economic_result(result, actor=request.user, channel=Channel.API)
    return Status(201, _economic(result))


@router.post(
    "/projects/{project_id}/benefits",
    response={201: StrategyBenefitOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a benefits realisation plan for a municipality",
    description="The arena's secretariat, or the coordinator of that municipality.",
)
def post_benefit(
    request: HttpRequest, project_id: int, payload: StrategyBenefitIn
) -> Status[dict[str, Any]]:
    project = _project_for_write(request, project_id)
    data = payload.dict()
    data["municipality"] = _municipality(data["municipality"])
    benefit = Benefit(project=project, is_example_data=project.is_example_data, **data)
    services.add_benefit(benefit, actor=request.user, channel=Channel.API)
    return Status(201, _benefit(benefit))


@router.patch(
    "/benefits/{benefit_id}",
    response={200: StrategyBenefitOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a benefits realisation plan (with the version read)",
    description="The status changes by recording a realisation.",
)
def patch_benefit(
    request: HttpRequest, benefit_id: int, payload: StrategyBenefitPatch
) -> dict[str, Any]:
    benefit = _benefit_for_write(request, benefit_id)
    changes = _present(payload.dict(exclude_unset=True), nullable=("expected_amount",))
    version = changes.pop("version")
    services.update_benefit(
        benefit, changes, expected_version=version, actor=request.user, channel=Channel.API
    )
    return _benefit(benefit)


@router.post(
    "/benefits/{benefit_id}/realisations",
    response={201: StrategyRealisationOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record a step of a benefit's realisation (an amount and/or a new status)",
)
def post_realisation(
    request: HttpRequest, benefit_id: int, payload: StrategyRealisationIn
) -> Status[dict[str, Any]]:
    benefit = _benefit_for_write(request, benefit_id)
    realisation = BenefitRealisation(
        benefit=benefit, is_example_data=benefit.is_example_data, **payload.dict()
    )
    services.record_realisation(realisation, actor=request.user, channel=Channel.API)
    return Status(
        201,
        {
            "id": realisation.pk,
            "benefit": benefit.pk,
            "recorded_on": realisation.recorded_on,
            "amount": money(realisation.amount),
            "status": realisation.status,
            "note": realisation.note,
            "benefit_version": benefit.version,
        },
    )
