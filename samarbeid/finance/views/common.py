"""What the financing pages share: the arena a page is about, who may manage it, and
the edit page (the delete page's confirmation is core's `confirm_delete`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from samarbeid.arenas.models import Arena
from samarbeid.core.forms import VersionedForm, save_changes, submit
from samarbeid.finance.access import (
    require_manage_finance,
)
from samarbeid.registry.models import Municipality


def visible_arena(request: HttpRequest, pk: int) -> Arena:
    return get_object_or_404(
        Arena.objects.visible_to(request.user).select_related("host_municipality"), pk=pk
    )


def require_manage(request: HttpRequest, arena: Arena) -> None:
    """Refuse (403) whoever may not change `arena`'s finances, saying who may."""
    require_manage_finance(request.user, arena)


def members_of(arena: Arena) -> Any:
    return Municipality.objects.filter(memberships__arena=arena).distinct().order_by("number")


def edit_page(
    request: HttpRequest,
    form: VersionedForm,
    update: Callable[..., Any],
    success: str,
    template: str,
    context: dict[str, Any],
    done: Callable[[Any], Any] = lambda saved: saved,
) -> HttpResponse:
    """An edit page: the form, and on a valid POST the service `update(record, changes,
    expected_version=, actor=)`; then to `done(saved)`, else the form again with what
    someone else saved meanwhile (`conflict`)."""
    result = submit(request, form, save_changes(request, form, update), success)
    if result.saved is not None:
        return redirect(done(result.saved))
    return render(request, template, {**context, "form": form, "conflict": result.conflict})
