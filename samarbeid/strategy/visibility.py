"""Finding strategy records for a user: 404 for what they may not see (pages, API, reports)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from samarbeid.accounts.permissions import can_edit_arena, published_to, require
from samarbeid.arenas.models import Arena
from samarbeid.portfolio.models import Project
from samarbeid.strategy.models import Benefit, Goal, StrategicPlan


def visible_plans(user: Any) -> QuerySet[StrategicPlan]:
    return published_to(StrategicPlan.objects.all(), user, "", "arena")


def visible_plan(request: HttpRequest, pk: int) -> StrategicPlan:
    return get_object_or_404(visible_plans(request.user).select_related("arena", "case"), pk=pk)


def editable_plan(request: HttpRequest, pk: int) -> StrategicPlan:
    """The plan for a user who may change its arena: 404 to whom may not see it, 403 else."""
    plan = visible_plan(request, pk)
    require(can_edit_arena(request.user, plan.arena))
    return plan


def visible_benefit(request: HttpRequest, pk: int) -> Benefit:
    """A benefit of a project the caller may see (404 otherwise)."""
    return get_object_or_404(
        Benefit.objects.filter(project__in=Project.objects.visible_to(request.user))
        .select_related("project__arena", "municipality")
        .filter(pk=pk)
    )


def visible_goal(request: HttpRequest, pk: int) -> Goal:
    goal = get_object_or_404(Goal.objects.select_related("arena", "plan"), pk=pk)
    if not Arena.objects.visible_to(request.user).filter(pk=goal.arena_id).exists():
        raise Http404
    if (
        goal.plan_id is not None
        and not visible_plans(request.user).filter(pk=goal.plan_id).exists()
    ):
        raise Http404
    return goal
