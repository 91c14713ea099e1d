"""Read API for strategic plans, goals, results, benefits and the account of a period, and
one write: adding a goal assessment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import Problem
from samarbeid.core.paging import Pagination
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality
from samarbeid.strategy import services
from samarbeid.strategy.models import Benefit, Goal, GoalAssessment, StrategicPlan, realised_total

router = Router(tags=["strategy"])


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


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
    plan = _visible_plans(request).select_related("arena").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such plan.")
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
                "total_budget": _money(coverage.total_budget),
                "areas": [
                    {
                        "focus_area": s.area.pk if s.area else None,
                        "title": s.area.title if s.area else "",
                        "projects": [p.pk for p in s.projects],
                        "budget": _money(s.budget),
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
    goal = _visible_goals(request).filter(pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal.")
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
) -> tuple[int, dict[str, Any] | None]:
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
    return 201, _assessment(assessment)


@router.get(
    "/projects/{project_id}/results",
    response={200: StrategyProjectResultsOut, 404: Problem},
    summary="Professional, unquantifiable and economic results of a project",
)
def project_results(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = Project.objects.visible_to(request.user).filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    results = project.results.prefetch_related("indicators__values").order_by("recorded_on", "id")
    economic = project.economic_results.select_related("municipality").order_by("year", "id")
    return {
        "project": project.pk,
        "results": [
            {
                "id": r.pk,
                "kind": r.kind,
                "title": r.title,
                "description": r.description,
                "recorded_on": r.recorded_on,
                "indicators": [
                    {
                        "name": i.name,
                        "unit": i.unit,
                        "baseline": None if i.baseline is None else f"{i.baseline:.2f}",
                        "target": None if i.target is None else f"{i.target:.2f}",
                        "values": [
                            {"date": v.measured_on.isoformat(), "value": f"{v.value:.2f}"}
                            for v in i.values.all()
                        ],
                    }
                    for i in r.indicators.all()
                ],
            }
            for r in results
        ],
        "economic_results": [
            {
                "id": e.pk,
                "municipality": e.municipality.number if e.municipality else None,
                "kind": e.kind,
                "basis": e.basis,
                "year": e.year,
                "to_year": e.to_year,
                "amount": _money(e.amount),
                "source": e.source,
                "is_example_data": e.is_example_data,
            }
            for e in economic
        ],
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
    rows = [
        {
            "id": b.pk,
            "project": b.project_id,
            "municipality": b.municipality.number,
            "description": b.description,
            "expected_amount": _money(b.expected_amount),
            "realised_amount": _money(realised_total(b)),
            "owner": b.owner,
            "target_date": b.target_date,
            "status": b.status,
            "overdue": b.is_overdue,
            "unrealised": b.is_unrealised,
            "is_example_data": b.is_example_data,
        }
        for b in benefits
    ]
    if filters.flagged:
        rows = [r for r in rows if r["unrealised"]]
    return rows


def _row(r: services.AccountRow) -> dict[str, Any]:
    return {
        "municipality": r.municipality.number if r.municipality else None,
        "savings_estimated": _money(r.savings_estimated),
        "savings_realised": _money(r.savings_realised),
        "administration": _money(r.administration),
        "project_costs": _money(r.project_costs),
        "other_costs": _money(r.other_costs),
        "costs": _money(r.costs),
        "net_realised": _money(r.net_realised),
    }


@router.get(
    "/arenas/{arena_id}/period-account",
    response={200: StrategyAccountOut, 404: Problem, 422: Problem},
    summary="Savings (estimated, realised) against costs per municipality over chosen years",
)
def get_period_account(
    request: HttpRequest, arena_id: int, period: Query[StrategyPeriodQuery]
) -> dict[str, Any]:
    arena = Arena.objects.visible_to(request.user).filter(pk=arena_id).first()
    if arena is None:
        raise Http404("No such arena.")
    account = services.period_account(arena, period.first_year, period.last_year)
    return {
        "arena": arena.pk,
        "first_year": account.first_year,
        "last_year": account.last_year,
        "empty": account.is_empty,
        "rows": [_row(r) for r in account.rows],
        "total": _row(account.total),
        "excluded": [str(e) for e in account.excluded],
    }
