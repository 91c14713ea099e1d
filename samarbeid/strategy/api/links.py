"""Linking projects to goals and focus areas in the API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import writes
from samarbeid.portfolio.access import find_project
from samarbeid.strategy.api.page_forms import page_values
from samarbeid.strategy.api.schemas import (
    StrategyFocusAreaLinkIn,
    StrategyGoalLinkIn,
    StrategyLinkOut,
)
from samarbeid.strategy.forms import LinkFocusAreaForm, LinkGoalForm
from samarbeid.strategy.models import ProjectFocusArea, ProjectGoal
from samarbeid.strategy.services.links import (
    link_focus_area,
    link_goal,
    linkable_focus_areas,
    linkable_goals,
    unlink,
)

router = Router()


def _unlink(request: HttpRequest, project_id: int, links: QuerySet[Any]) -> Status[None]:
    """Remove the project's link among `links` (404 when there is none), answer 204."""
    project = find_project(request, project_id)
    link = get_object_or_404(links, project=project)
    link.project = project
    unlink(link, actor=request.user, channel=Channel.API)
    return Status(204, None)


# Projects: goals and focus areas, results, indicators, economic results, benefits ----------


@router.post(
    "/projects/{project_id}/goals",
    **writes(201, StrategyLinkOut),
    summary="Link a project to a goal of its arena",
)
def post_goal_link(
    request: HttpRequest, project_id: int, payload: StrategyGoalLinkIn
) -> Status[dict[str, Any]]:
    project = find_project(request, project_id)
    require(can_edit_arena(request.user, project.arena))
    goal = page_values(LinkGoalForm, payload.dict(), goals=linkable_goals(project))["goal"]
    link = link_goal(project, goal, actor=request.user, channel=Channel.API)
    return Status(201, {"id": link.pk, "project": project.pk, "goal": goal.pk})


@router.delete(
    "/projects/{project_id}/goals/{goal_id}",
    **writes(204, None),
    summary="Remove a project's link to a goal",
)
def delete_goal_link(request: HttpRequest, project_id: int, goal_id: int) -> Status[None]:
    return _unlink(request, project_id, ProjectGoal.objects.filter(goal_id=goal_id))


@router.post(
    "/projects/{project_id}/focus-areas",
    **writes(201, StrategyLinkOut),
    summary="Place a project in a focus area of a plan of its arena",
)
def post_focus_area_link(
    request: HttpRequest, project_id: int, payload: StrategyFocusAreaLinkIn
) -> Status[dict[str, Any]]:
    project = find_project(request, project_id)
    require(can_edit_arena(request.user, project.arena))
    area = page_values(LinkFocusAreaForm, payload.dict(), areas=linkable_focus_areas(project))[
        "focus_area"
    ]
    link = link_focus_area(project, area, actor=request.user, channel=Channel.API)
    return Status(201, {"id": link.pk, "project": project.pk, "focus_area": area.pk})


@router.delete(
    "/projects/{project_id}/focus-areas/{focus_area_id}",
    **writes(204, None),
    summary="Take a project out of a focus area",
)
def delete_focus_area_link(
    request: HttpRequest, project_id: int, focus_area_id: int
) -> Status[None]:
    return _unlink(
        request, project_id, ProjectFocusArea.objects.filter(focus_area_id=focus_area_id)
    )
