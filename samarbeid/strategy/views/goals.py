"""Goal pages: a goal with its assessments, goals outside a plan, assessing attainment."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.access import editable_arena
from samarbeid.portfolio.models import Project
from samarbeid.strategy.forms import (
    AssessmentForm,
    GoalForm,
)
from samarbeid.strategy.models import (
    Goal,
    GoalAssessment,
)
from samarbeid.strategy.services.attainment import assess_goal
from samarbeid.strategy.services.plans import (
    add_goal,
)
from samarbeid.strategy.views.form_page import form_page
from samarbeid.strategy.visibility import (
    visible_goal,
)

# Goals and assessments -------------------------------------------------------------------


def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = visible_goal(request, pk)
    projects = Project.objects.visible_to(request.user).filter(goal_links__goal=goal)
    return render(
        request,
        "strategy/goal_detail.html",
        {
            "goal": goal,
            "assessments": goal.assessments.order_by("-assessed_on", "-id"),
            "projects": projects.order_by("code"),
            "can_edit": can_edit_arena(request.user, goal.arena),
        },
    )


@login_required
def arena_goal_create(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = editable_arena(request.user, arena_id)
    form = GoalForm(request.POST or None, instance=Goal(arena=arena, plan=None))

    def save() -> str:
        goal = form.save(commit=False)
        goal.arena, goal.plan = arena, None
        add_goal(goal, actor=request.user)
        return reverse("strategy:arena_dashboard", args=[arena.pk])

    return form_page(
        request,
        form,
        title=_("Nytt mål for %(a)s (uten plan)") % {"a": arena.name},
        cancel=reverse("strategy:arena_dashboard", args=[arena.pk]),
        save=save,
        success=_("Målet er lagt til."),
    )


@login_required
def assessment_create(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = editable_arena(request.user, arena_id)
    initial: dict[str, Any] = {"assessed_on": timezone.localdate()}
    if request.GET.get("goal", "").isdigit():
        initial["goal"] = int(request.GET["goal"])
    form = AssessmentForm(
        request.POST or None,
        initial=initial,
        goals=Goal.objects.filter(arena=arena).select_related("plan").order_by("plan", "number"),
    )

    def save() -> str:
        assessment: GoalAssessment = form.save(commit=False)
        assess_goal(assessment, arena=arena, actor=request.user)
        return assessment.goal.get_absolute_url()

    return form_page(
        request,
        form,
        title=_("Vurder måloppnåelse i %(a)s") % {"a": arena.name},
        cancel=reverse("strategy:arena_dashboard", args=[arena.pk]),
        save=save,
        success=_("Vurderingen er lagret. Tidligere vurderinger beholdes."),
    )
