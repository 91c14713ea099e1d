"""What the financing pages share: the arena a page is about, who may manage it, and
the delete page's confirmation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from samarbeid.arenas.models import Arena
from samarbeid.core.forms import VersionedForm, apply_validation_error, save_changes, submit
from samarbeid.core.versioning import VersionConflict
from samarbeid.finance.access import (
    can_manage_finance,
)
from samarbeid.finance.forms import (
    DeleteForm,
)
from samarbeid.registry.models import Municipality


def visible_arena(request: HttpRequest, pk: int) -> Arena:
    return get_object_or_404(
        Arena.objects.visible_to(request.user).select_related("host_municipality"), pk=pk
    )


def require_manage(request: HttpRequest, arena: Arena) -> None:
    if not can_manage_finance(request.user, arena):
        raise PermissionDenied


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


def confirm_delete(
    request: HttpRequest,
    template: str,
    load: Callable[[], Any],
    context: Callable[[Any], dict[str, Any]],
    delete: Callable[[Any, int | None], None],
    success: str,
    done: Callable[[Any], str],
) -> HttpResponse:
    """A delete page: GET asks for confirmation (showing what goes), POST deletes with the
    version the user saw. A refusal is shown on the page; a record changed since it was
    shown is shown again, as it is now, to be confirmed anew."""
    record = load()
    form = DeleteForm(
        request.POST if request.method == "POST" else None, initial={"version": record.version}
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        target = done(record)
        try:
            delete(record, form.cleaned_data.get("version"))
        except VersionConflict:
            conflict = True
            record = load()
            form = DeleteForm(initial={"version": record.version})
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, success)
            return redirect(target)
    return render(request, template, {**context(record), "form": form, "conflict": conflict})
