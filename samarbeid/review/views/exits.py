"""Pages for the exit analysis: pick a membership, see what leaving would mean."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from samarbeid.arenas.choice_field import ArenaChoiceField
from samarbeid.arenas.models import Arena, Membership
from samarbeid.review.services import exits
from samarbeid.review.services.costs import costs_display


def exit_index(request: HttpRequest) -> HttpResponse:
    """Pick an arena, then a current membership, to see what leaving would mean."""
    arenas = Arena.objects.visible_to(request.user).active().order_by("name")
    chosen = request.GET.get("arena", "")
    arena = arenas.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    memberships = (
        Membership.objects.active_on(timezone.localdate())
        .filter(arena=arena)
        .select_related("municipality")
        .order_by("municipality__number")
        if arena
        else Membership.objects.none()
    )
    return render(
        request,
        "review/exit_index.html",
        {
            # same-named arenas told apart: «Navn (KORT, 2004)»
            "arena_choices": ArenaChoiceField(queryset=arenas, empty_label=None).choices,
            "arena": arena,
            "memberships": memberships,
        },
    )


def exit_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("arena", "municipality", "decision__municipality"),
        pk=pk,
        arena__in=Arena.objects.visible_to(request.user),
    )
    analysis = exits.exit_analysis(membership)
    return render(
        request,
        "review/exit.html",
        {
            "membership": membership,
            "analysis": analysis,
            "costs": costs_display(analysis.costs),
        },
    )
