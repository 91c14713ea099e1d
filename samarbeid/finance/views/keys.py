"""The allocation key pages."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from samarbeid.arenas.access import visible_arena
from samarbeid.core.forms import apply_validation_error, confirm_delete, edit_page, form_page
from samarbeid.finance.access import (
    can_manage_finance,
    keys_visible_to,
)
from samarbeid.finance.forms import (
    FixedForm,
    KeyForm,
    PreviewForm,
    UsageForm,
)
from samarbeid.finance.keys import (
    create_key,
    delete_key,
    key_delete_refusal,
    preview_key,
    set_fixed_percent,
    set_usage,
    update_key,
)
from samarbeid.finance.models import AllocationKey
from samarbeid.finance.views.common import members_of, require_manage

# Keys ----------------------------------------------------------------------------------------


@login_required
def key_create(request: HttpRequest, pk: int) -> HttpResponse:
    arena = visible_arena(request.user, pk)
    require_manage(request, arena)
    form = KeyForm(request.POST or None, instance=AllocationKey(arena=arena))
    return form_page(
        request,
        form,
        lambda: create_key(form.save(commit=False), actor=request.user),
        success=_("Fordelingsnøkkelen er lagret."),
        template="finance/key_form.html",
        context={"arena": arena, "key": None},
    )


@login_required
def key_edit(request: HttpRequest, pk: int) -> HttpResponse:
    key = _managed_key(request, pk)
    return edit_page(
        request,
        KeyForm(request.POST or None, instance=key),
        update_key,
        success=_("Fordelingsnøkkelen er endret."),
        template="finance/key_form.html",
        context={"arena": key.arena, "key": key},
    )


@login_required
def key_delete(request: HttpRequest, pk: int) -> HttpResponse:
    def context(key: AllocationKey) -> dict[str, Any]:
        return {
            "key": key,
            "arena": key.arena,
            "usage_count": key.usages.count(),
            "fixed_count": key.fixed_percents.count(),
            "refusal": key_delete_refusal(key),
        }

    def delete(key: AllocationKey, version: int | None) -> None:
        delete_key(key, expected_version=version, actor=request.user)

    return confirm_delete(
        request,
        "finance/key_confirm_delete.html",
        lambda: _managed_key(request, pk),
        context,
        delete,
        _("Fordelingsnøkkelen er slettet."),
        lambda key: reverse("finance:arena", args=[key.arena_id]),
    )


@require_safe
def key_detail(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(keys_visible_to(request.user).select_related("arena"), pk=pk)
    return _key_page(request, key)


def _key_page(
    request: HttpRequest,
    key: AllocationKey,
    *,
    usage_form: UsageForm | None = None,
    fixed_form: FixedForm | None = None,
) -> HttpResponse:
    """The key's page; with a bound form that did not validate, answered 422."""
    arena = key.arena
    can_manage = can_manage_finance(request.user, arena)
    members = members_of(arena)
    preview_form = PreviewForm(request.GET if "total" in request.GET else None)
    preview = None
    preview_error = None
    if preview_form.is_bound and preview_form.is_valid():
        try:
            preview = preview_key(
                key, preview_form.cleaned_data["total"], preview_form.cleaned_data["year"]
            )
        except ValidationError as exc:
            preview_error = exc.messages
    status = 422 if usage_form is not None or fixed_form is not None else 200
    return render(
        request,
        "finance/key_detail.html",
        {
            "key": key,
            "arena": arena,
            "can_manage": can_manage,
            "usages": key.usages.select_related("municipality"),
            "fixed_percents": key.fixed_percents.select_related("municipality"),
            "preview_form": preview_form,
            "preview": preview,
            "preview_total": sum((r.amount for r in preview), Decimal("0.00")) if preview else None,
            "preview_error": preview_error,
            "usage_form": usage_form or UsageForm(prefix="usage", municipalities=members),
            "fixed_form": fixed_form or FixedForm(prefix="fixed", municipalities=members),
        },
        status=status,
    )


def _managed_key(request: HttpRequest, pk: int) -> AllocationKey:
    """The key for whoever manages its arena's finances: 404 to whom may not see it, 403
    (saying who may) else."""
    key = get_object_or_404(keys_visible_to(request.user).select_related("arena"), pk=pk)
    require_manage(request, key.arena)
    return key


def _record_figure(
    request: HttpRequest,
    pk: int,
    form_class: type[UsageForm] | type[FixedForm],
    save: Callable[[AllocationKey, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A member's figure on the key (usage, a fixed percentage) recorded from the key's page;
    the page again with the form's errors (422) when it is refused."""
    key = _managed_key(request, pk)
    prefix = "usage" if form_class is UsageForm else "fixed"
    form = form_class(request.POST, prefix=prefix, municipalities=members_of(key.arena))
    if form.is_valid():
        try:
            save(key, form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(key)
    if isinstance(form, UsageForm):
        return _key_page(request, key, usage_form=form)
    return _key_page(request, key, fixed_form=form)


@login_required
@require_POST
def key_usage_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(key: AllocationKey, data: dict[str, Any]) -> object:
        return set_usage(key, data["municipality"], data["year"], data["units"], actor=request.user)

    return _record_figure(request, pk, UsageForm, save, _("Forbruket er lagret."))


@login_required
@require_POST
def key_fixed_add(request: HttpRequest, pk: int) -> HttpResponse:
    def save(key: AllocationKey, data: dict[str, Any]) -> object:
        return set_fixed_percent(key, data["municipality"], data["percent"], actor=request.user)

    return _record_figure(request, pk, FixedForm, save, _("Prosenten er lagret."))
