"""The archive extract page (secretariat only): choose an arena and a period; the extract
is made by a background task whose page shows its progress and keeps the zip for download.
The anonymous get the log-in page, signed-in users who are not the arena's secretariat
403."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from samarbeid.accounts.permissions import is_any_secretariat, is_secretariat, require
from samarbeid.archive.forms import ExtractForm, arena_reference
from samarbeid.archive.jobs import start_extract


@require_safe
@login_required
def extract_page(request: HttpRequest) -> HttpResponse:
    require(is_any_secretariat(request.user))
    # ?arena=ISK (or its id) chooses the arena (a link from an arena's page)
    chosen = arena_reference(request.GET.get("arena", "")[:40])
    form = ExtractForm(initial={"arena": chosen.pk if chosen else None}, user=request.user)
    return render(request, "archive/extract.html", {"form": form})


@require_POST
@login_required
def extract_start(request: HttpRequest) -> HttpResponse:
    """Start the extract as a task and show its page."""
    require(is_any_secretariat(request.user))
    form = ExtractForm(request.POST, user=request.user)
    if form.is_valid():
        arena, start, end = (form.cleaned_data[k] for k in ("arena", "start", "end"))
        require(is_secretariat(request.user, arena))
        job = start_extract(arena, start, end, actor=request.user)
        return redirect(job)
    return render(request, "archive/extract.html", {"form": form}, status=422)
