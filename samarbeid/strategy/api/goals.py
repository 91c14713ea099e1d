"""Goals in the API: goals with their latest assessment, goals outside a plan, assessing
attainment."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from samarbeid.arenas.access import visible_arena
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import writes
from samarbeid.core.api_forms import api_create, bind, valid
from samarbeid.core.api_schemas import Problem
from samarbeid.core.paging import Pagination
from samarbeid.portfolio.models import Project
from samarbeid.strategy.api.access import (
    visible_goals,
)
from samarbeid.strategy.api.output import (
    assessment_out,
    goal_out,
)
from samarbeid.strategy.api.schemas import (
    StrategyArenaGoalIn,
    StrategyAssessmentIn,
    StrategyAssessmentOut,
    StrategyGoalDetailOut,
    StrategyGoalOut,
)
from samarbeid.strategy.forms import AssessmentForm, GoalForm
from samarbeid.strategy.models import (
    Goal,
    GoalAssessment,
)
from samarbeid.strategy.services.attainment import assess_goal, latest_assessments
from samarbeid.strategy.services.plans import (
    add_goal,
)

router = Router()


@router.get("/goals", response=list[StrategyGoalOut], summary="Goals with their latest assessment")
@paginate(Pagination)
def list_goals(
    request: HttpRequest, arena: int | None = None, plan: int | None = None
) -> list[dict[str, Any]]:
    goals = visible_goals(request).order_by("arena_id", "plan_id", "number")
    if arena is not None:
        goals = goals.filter(arena_id=arena)
    if plan is not None:
        goals = goals.filter(plan_id=plan)
    goals = list(goals)
    latest = latest_assessments(goals)
    return [goal_out(g, latest) for g in goals]


@router.get(
    "/goals/{goal_id}",
    response={200: StrategyGoalDetailOut, 404: Problem},
    summary="A goal with the history of its assessments",
)
def get_goal(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    goal = get_object_or_404(visible_goals(request), pk=goal_id)
    history = list(goal.assessments.order_by("assessed_on", "id"))
    data = goal_out(goal, {goal.pk: history[-1]} if history else {})
    data["assessments"] = [assessment_out(a) for a in history]
    data["projects"] = list(
        Project.objects.visible_to(request.user)
        .filter(goal_links__goal=goal)
        .values_list("pk", flat=True)
    )
    return data


@router.post(
    "/goals/{goal_id}/assessments",
    **writes(201, StrategyAssessmentOut),
    summary="Add an assessment of a goal (the arena's secretariat)",
)
def add_assessment(
    request: HttpRequest, goal_id: int, payload: StrategyAssessmentIn
) -> Status[dict[str, Any] | None]:
    goal = visible_goals(request).select_related("arena").filter(pk=goal_id).first()
    arena = Arena.objects.visible_to(request.user).filter(pk=payload.arena).first()
    if goal is None or arena is None:
        raise Http404("No such goal or arena.")
    # the page offers the arena's goals; the service says why another arena's is refused
    form = bind(
        AssessmentForm,
        {**payload.dict(exclude={"arena"}), "goal": goal.pk},
        instance=GoalAssessment(),
        goals=Goal.objects.filter(pk=goal.pk),
    )
    assessment = assess_goal(
        valid(form).save(commit=False),
        arena=arena,
        actor=request.user,
        channel=Channel.API,
    )
    return Status(201, assessment_out(assessment))


@router.post(
    "/goals",
    **writes(201, StrategyGoalOut),
    summary="Add a goal of an arena outside any strategic plan",
)
def post_arena_goal(request: HttpRequest, payload: StrategyArenaGoalIn) -> Status[dict[str, Any]]:
    arena = visible_arena(request.user, payload.arena)
    form = bind(GoalForm, payload.dict(exclude={"arena"}), instance=Goal(arena=arena, plan=None))
    goal = api_create(request, form, add_goal)
    return Status(201, goal_out(goal, {}))
