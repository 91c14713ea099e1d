"""The strategy home (plans and arenas with goals) and an arena's strategy page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from samarbeid.accounts.permissions import can_edit_arena, coordinator_municipality_ids
from samarbeid.arenas.access import visible_arena
from samarbeid.arenas.models import Arena
from samarbeid.arenas.served import with_sub_arenas
from samarbeid.core.paging import CountCachedPaginator
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality
from samarbeid.strategy.models import (
    Goal,
)
from samarbeid.strategy.services.attainment import latest_assessments
from samarbeid.strategy.services.benefits import (
    benefits_for_arena,
)
from samarbeid.strategy.visibility import (
    visible_plans,
)

# Overview and arena dashboard -------------------------------------------------------------


ARENAS_WITH_GOALS = 50


def index(request: HttpRequest) -> HttpResponse:
    # both lists paged or bounded: a national service holds thousands of arenas
    plans = CountCachedPaginator(
        visible_plans(request.user)
        .select_related("arena")
        .order_by("arena__name", "-first_year", "pk"),
        50,
    ).get_page(request.GET.get("page"))
    with_goals = list(
        Arena.objects.visible_to(request.user)
        .filter(pk__in=Goal.objects.values("arena_id"))
        .order_by("name", "pk")
        .only("pk", "name")[: ARENAS_WITH_GOALS + 1]
    )
    municipality = None
    if request.user.is_authenticated:
        ids = coordinator_municipality_ids(request.user)
        municipality = Municipality.objects.filter(pk__in=ids).first()
    return render(
        request,
        "strategy/index.html",
        {
            "plans": plans,
            "page": plans,
            "arenas": with_goals[:ARENAS_WITH_GOALS],
            "more_arenas": len(with_goals) > ARENAS_WITH_GOALS,
            "municipality": municipality,
        },
    )


def arena_dashboard(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = visible_arena(request.user, arena_id)
    plans = visible_plans(request.user).filter(arena=arena).order_by("-first_year")
    goals = list(
        Goal.objects.filter(arena=arena)
        .filter(plan__in=plans)
        .select_related("plan")
        .order_by("-plan__first_year", "number")
    ) + list(Goal.objects.filter(arena=arena, plan__isnull=True).order_by("number"))
    latest = latest_assessments(goals)
    benefits = benefits_for_arena(arena)
    flagged = [b for b in benefits if b.is_unrealised]
    projects = (
        Project.objects.visible_to(request.user)
        .filter(arena_id__in=with_sub_arenas([arena.pk]))
        .order_by("code")
    )
    return render(
        request,
        "strategy/arena_dashboard.html",
        {
            "arena": arena,
            "plans": plans,
            "goal_rows": [(g, latest.get(g.pk)) for g in goals],
            "benefits": benefits,
            "flagged": flagged,
            "projects": projects,
            "can_edit": can_edit_arena(request.user, arena),
            "today": timezone.localdate(),
        },
    )
