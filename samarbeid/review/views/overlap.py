"""The overlap page: pairs of arenas by overlap and the load per municipality."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samarbeid.arenas.models import Arena
from samarbeid.core.forms import query_result
from samarbeid.review.forms import (
    OverlapScopeForm,
)
from samarbeid.review.services.overlap import (
    OverlapScope,
    check_overlap_scope,
    municipality_load,
    overlap_list,
)


def overlap(request: HttpRequest) -> HttpResponse:
    """Pairs of arenas by overlap: active on a date, in a period, or (the default) every
    arena over its whole life; the load per municipality is today's."""
    form = OverlapScopeForm(request.GET if request.GET else None)
    scope: OverlapScope | None = OverlapScope()
    if form.is_bound:
        scope = query_result(
            form, lambda data: check_overlap_scope(data["on"], data["start"], data["end"])
        )
    visible = Arena.objects.visible_to(request.user)
    rows = overlap_list(list(visible), min_score=0.15, scope=scope) if scope is not None else []
    load = municipality_load(list(visible.active()))
    return render(
        request,
        "review/overlap.html",
        {"rows": rows[:100], "load": load, "form": form, "scope": scope},
    )
