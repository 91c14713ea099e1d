"""Projects linked to goals and focus areas of a plan, and the plan's coverage (goals no
project serves, each focus area's share of the budget)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_edit_arena,
    require,
)
from samarbeid.arenas.models import Arena
from samarbeid.arenas.served import with_sub_arenas
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record
from samarbeid.portfolio.models import Project
from samarbeid.strategy.models import (
    FocusArea,
    Goal,
    ProjectFocusArea,
    ProjectGoal,
    StrategicPlan,
)
from samarbeid.strategy.services.scope import ZERO


def _project_in_arena(project: Project, arena: Arena) -> bool:
    return project.arena_id in with_sub_arenas([arena.pk])


def _arena_and_above(project: Project) -> list[int]:
    """The project's arena and the arenas above it (a plan of the region covers the
    projects of its sub-arenas); ten steps at most, as deep as arenas nest."""
    ids = [project.arena_id]
    current = project.arena.parent
    while current is not None and len(ids) < 10:
        ids.append(current.pk)
        current = current.parent
    return ids


def linkable_goals(project: Project) -> QuerySet[Goal]:
    """The goals a project may serve, offered on the page and checked in the API: those of
    its arena and the arenas above it, in a plan or the arena's own (seed 004's main goals
    belong to the arena without a plan)."""
    return (
        Goal.objects.filter(arena_id__in=_arena_and_above(project))
        .select_related("plan")
        .order_by("arena_id", "plan__first_year", "number")
    )


def linkable_focus_areas(project: Project) -> QuerySet[FocusArea]:
    """The focus areas a project may be placed in: those of the plans of its arena and the
    arenas above it."""
    return (
        FocusArea.objects.filter(plan__arena_id__in=_arena_and_above(project))
        .select_related("plan")
        .order_by("plan__first_year", "plan_id", "order", "pk")
    )


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
        Project.objects.filter(arena_id__in=with_sub_arenas([plan.arena_id]))
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
