"""Strategic plans in the API: reading plans, writing a draft (points, focus areas, goals: added,
corrected, removed), sending it to the councils and marking it adopted or expired."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.access import visible_arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import deleted, not_null, sent, through, writes
from samarbeid.core.api_forms import api_create, api_update, bind
from samarbeid.core.api_schemas import DeleteVersion, Problem, money
from samarbeid.core.paging import Pagination
from samarbeid.core.records import record_for
from samarbeid.strategy.api.access import (
    plan_for_write,
)
from samarbeid.strategy.api.output import (
    goal_out,
)
from samarbeid.strategy.api.page_forms import page_values
from samarbeid.strategy.api.schemas import (
    StrategyFocusAreaIn,
    StrategyFocusAreaOut,
    StrategyFocusAreaPatch,
    StrategyGoalIn,
    StrategyGoalOut,
    StrategyGoalPatch,
    StrategyPlanDetailOut,
    StrategyPlanIn,
    StrategyPlanItemIn,
    StrategyPlanItemOut,
    StrategyPlanItemPatch,
    StrategyPlanOut,
    StrategyPlanPatch,
    StrategyPlanStatusIn,
    StrategySendIn,
)
from samarbeid.strategy.forms import (
    FocusAreaForm,
    GoalForm,
    PlanForm,
    PlanItemForm,
    PlanStatusForm,
    SendPlanForm,
)
from samarbeid.strategy.models import (
    FocusArea,
    Goal,
    PlanItem,
    StrategicPlan,
)
from samarbeid.strategy.services.attainment import latest_assessments
from samarbeid.strategy.services.links import plan_coverage
from samarbeid.strategy.services.plans import (
    add_focus_area,
    add_goal,
    add_plan_item,
    create_plan,
    delete_plan_part,
    plan_adoption,
    send_for_treatment,
    set_plan_status,
    update_plan,
    update_plan_part,
)
from samarbeid.strategy.visibility import visible_plans

router = Router()


@router.get("/strategic-plans", response=list[StrategyPlanOut], summary="List strategic plans")
@paginate(Pagination)
def list_plans(request: HttpRequest, arena: int | None = None) -> QuerySet[StrategicPlan]:
    plans = (
        visible_plans(request.user).select_related("arena").order_by("arena__name", "first_year")
    )
    if arena is not None:
        plans = plans.filter(arena_id=arena)
    return plans


@router.get(
    "/strategic-plans/{plan_id}",
    response={200: StrategyPlanDetailOut, 404: Problem},
    summary="A plan with goals, prerequisites, methods, factors, focus areas, adoption, coverage",
)
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = get_object_or_404(visible_plans(request.user).select_related("arena"), pk=plan_id)
    goals = list(plan.goals.order_by("number"))
    latest = latest_assessments(goals)
    coverage = plan_coverage(plan)
    data: dict[str, Any] = StrategyPlanOut.from_orm(plan).dict()
    data.update(
        {
            "summary": plan.summary,
            "goals": [goal_out(g, latest) for g in goals],
            "items": [
                {
                    "id": i.pk,
                    "kind": i.kind,
                    "order": i.order,
                    "title": i.title,
                    "description": i.description,
                    "version": i.version,
                }
                for i in plan.items.order_by("kind", "order", "id")
            ],
            "focus_areas": [
                {
                    "id": f.pk,
                    "kind": "focus_area",
                    "order": f.order,
                    "title": f.title,
                    "description": f.description,
                    "version": f.version,
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
                for r in plan_adoption(plan)
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


# Strategic plans --------------------------------------------------------------------------


@router.post(
    "/strategic-plans",
    **writes(201, StrategyPlanOut),
    summary="Create a strategic plan (starts as a draft; the arena's secretariat)",
)
def post_plan(request: HttpRequest, payload: StrategyPlanIn) -> Status[StrategicPlan]:
    arena = visible_arena(request.user, payload.arena)
    form = bind(PlanForm, payload.dict(exclude={"arena"}), instance=StrategicPlan(arena=arena))
    return Status(201, api_create(request, form, create_plan))


@router.patch(
    "/strategic-plans/{plan_id}",
    **writes(200, StrategyPlanOut),
    summary="Change a plan's title, period, summary or publishing (with the version read)",
    description="The status changes by sending the plan and by POST …/status.",
)
def patch_plan(request: HttpRequest, plan_id: int, payload: StrategyPlanPatch) -> StrategicPlan:
    changes = sent(payload, keep_on_null=StrategyPlanPatch.model_fields)
    form = bind(PlanForm, changes, instance=plan_for_write(request, plan_id))
    return api_update(request, form, update_plan, version=payload.version, only=changes)


@router.post(
    "/strategic-plans/{plan_id}/send",
    **writes(200, StrategyPlanOut),
    summary="Send a draft plan to every member's council (opens a case)",
)
def post_send_plan(request: HttpRequest, plan_id: int, payload: StrategySendIn) -> StrategicPlan:
    plan = plan_for_write(request, plan_id)
    send_for_treatment(
        plan,
        planned_date=page_values(SendPlanForm, payload.dict())["planned_date"],
        actor=request.user,
        channel=Channel.API,
    )
    return plan


@router.post(
    "/strategic-plans/{plan_id}/status",
    **writes(200, StrategyPlanOut),
    summary="Mark a plan adopted (every council has treated it) or expired (period over)",
)
def post_plan_status(
    request: HttpRequest, plan_id: int, payload: StrategyPlanStatusIn
) -> StrategicPlan:
    plan = plan_for_write(request, plan_id)
    values = page_values(PlanStatusForm, payload.dict())
    set_plan_status(
        plan,
        values["status"],
        expected_version=values["version"],
        actor=request.user,
        channel=Channel.API,
    )
    return plan


@router.post(
    "/strategic-plans/{plan_id}/goals",
    **writes(201, StrategyGoalOut),
    summary="Add a goal to a plan (numbered; the next free number when none is given)",
)
def post_plan_goal(
    request: HttpRequest, plan_id: int, payload: StrategyGoalIn
) -> Status[dict[str, Any]]:
    plan = plan_for_write(request, plan_id)
    form = bind(GoalForm, payload.dict(), instance=Goal(arena=plan.arena, plan=plan))
    goal = api_create(request, form, add_goal)
    return Status(201, goal_out(goal, {}))


@router.post(
    "/strategic-plans/{plan_id}/items",
    **writes(201, StrategyPlanItemOut),
    summary="Add a prerequisite, working method, success factor or critical factor",
)
def post_plan_item(
    request: HttpRequest, plan_id: int, payload: StrategyPlanItemIn
) -> Status[PlanItem]:
    plan = plan_for_write(request, plan_id)
    form = bind(PlanItemForm, payload.dict(), instance=PlanItem(plan=plan))
    return Status(201, api_create(request, form, add_plan_item))


@router.post(
    "/strategic-plans/{plan_id}/focus-areas",
    **writes(201, StrategyFocusAreaOut),
    summary="Add a focus area to a plan",
)
def post_focus_area(
    request: HttpRequest, plan_id: int, payload: StrategyFocusAreaIn
) -> Status[FocusArea]:
    plan = plan_for_write(request, plan_id)
    form = bind(FocusAreaForm, payload.dict(), instance=FocusArea(plan=plan))
    return Status(201, api_create(request, form, add_focus_area))


# A plan's parts: found in the plan of the path, which the caller may see (404), and
# changed by whom may change the plan's arena (403) -----------------------------------------

_may_change_part = through("plan.arena", can_edit_arena)


def _part_for_write(request: HttpRequest, plan_id: int, parts: QuerySet[Any], part_id: int) -> Any:
    """The part `part_id` of the plan `plan_id`: 404 when it is not there or the caller may
    not see the plan, 403 when they may see it but not change it."""
    in_plan = parts.filter(plan_id=plan_id, plan__in=visible_plans(request.user))
    return record_for(request.user, in_plan, part_id, may_change=_may_change_part)


def _patch_part(
    request: HttpRequest,
    plan_id: int,
    parts: QuerySet[Any],
    part_id: int,
    form_class: Any,
    payload: Any,
) -> Any:
    """Correct a part on the page's form: the fields sent (null refused on its field, 422),
    from the version read (409 when saved since), through the page's service."""
    part = _part_for_write(request, plan_id, parts, part_id)
    data = payload.dict(exclude_unset=True)
    not_null(data, data.keys())
    form = bind(form_class, data, instance=part)
    return api_update(request, form, update_plan_part, version=payload.version, only=data)


@router.patch(
    "/strategic-plans/{plan_id}/items/{item_id}",
    **writes(200, StrategyPlanItemOut),
    summary="Correct a point of a draft plan (with the version read)",
)
def patch_plan_item(
    request: HttpRequest, plan_id: int, item_id: int, payload: StrategyPlanItemPatch
) -> PlanItem:
    parts = PlanItem.objects.select_related("plan__arena")
    return _patch_part(request, plan_id, parts, item_id, PlanItemForm, payload)


@router.patch(
    "/strategic-plans/{plan_id}/focus-areas/{focus_area_id}",
    **writes(200, StrategyFocusAreaOut),
    summary="Correct a focus area of a draft plan (with the version read)",
)
def patch_focus_area(
    request: HttpRequest, plan_id: int, focus_area_id: int, payload: StrategyFocusAreaPatch
) -> FocusArea:
    parts = FocusArea.objects.select_related("plan__arena")
    return _patch_part(request, plan_id, parts, focus_area_id, FocusAreaForm, payload)


@router.patch(
    "/strategic-plans/{plan_id}/goals/{goal_id}",
    **writes(200, StrategyGoalOut),
    summary="Correct a goal of a draft plan: its number (not another goal's), words",
    description="With the version read; the goal keeps its assessments and project links.",
)
def patch_plan_goal(
    request: HttpRequest, plan_id: int, goal_id: int, payload: StrategyGoalPatch
) -> dict[str, Any]:
    parts = Goal.objects.select_related("plan__arena", "arena")
    goal = _patch_part(request, plan_id, parts, goal_id, GoalForm, payload)
    return goal_out(goal, latest_assessments([goal]))


def _delete_part(
    request: HttpRequest,
    plan_id: int,
    parts: QuerySet[Any],
    part_id: int,
    version: int,
) -> Status[None]:
    """Find the part in the plan (404, 403 as for a change), delete it with the version
    read (409, 422 from the service), answer 204."""
    part = _part_for_write(request, plan_id, parts, part_id)
    return deleted(request, part, delete_plan_part, version)


@router.delete(
    "/strategic-plans/{plan_id}/items/{item_id}",
    **writes(204, None),
    summary="Remove a point from a draft plan",
)
def delete_plan_item(
    request: HttpRequest, plan_id: int, item_id: int, version: DeleteVersion
) -> Status[None]:
    parts = PlanItem.objects.select_related("plan__arena")
    return _delete_part(request, plan_id, parts, item_id, version)


@router.delete(
    "/strategic-plans/{plan_id}/focus-areas/{focus_area_id}",
    **writes(204, None),
    summary="Remove a focus area from a draft plan",
)
def delete_focus_area(
    request: HttpRequest, plan_id: int, focus_area_id: int, version: DeleteVersion
) -> Status[None]:
    parts = FocusArea.objects.select_related("plan__arena")
    return _delete_part(request, plan_id, parts, focus_area_id, version)


@router.delete(
    "/strategic-plans/{plan_id}/goals/{goal_id}",
    **writes(204, None),
    summary="Remove a goal from a draft plan (not once it has been assessed)",
)
def delete_plan_goal(
    request: HttpRequest, plan_id: int, goal_id: int, version: DeleteVersion
) -> Status[None]:
    return _delete_part(
        request, plan_id, Goal.objects.select_related("plan", "arena"), goal_id, version
    )
