"""A municipality's planning strategies and the cooperation needs they name, under the
municipality's page (/kommuner/<code>/planstrategi/). Everyone reads the published ones;
the municipality's coordinator and a global secretariat write (403 for other signed-in
users, the log-in page for the anonymous; 404 for what a user may not see)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.accounts.permissions import can_edit_planning_strategy, require
from samarbeid.core.forms import apply_validation_error, edit_page, form_page, version_field
from samarbeid.core.versioning import VersionConflict
from samarbeid.planning.forms import NeedForm, StrategyForm
from samarbeid.planning.models import CooperationNeed, PlanningStrategy
from samarbeid.planning.services import (
    add_need,
    create_strategy,
    delete_need,
    delete_strategy,
    update_need,
    update_strategy,
)
from samarbeid.registry.models import Municipality


class DeleteForm(forms.Form):
    """A delete confirmation: the version the user saw (a record changed since is shown
    again instead of deleted unseen)."""

    version = version_field()


def _municipality(code: str) -> Municipality:
    return get_object_or_404(Municipality, code=code)


def _strategy(request: HttpRequest, code: str, pk: int) -> PlanningStrategy:
    return get_object_or_404(
        PlanningStrategy.objects.visible_to(request.user).select_related("municipality"),
        municipality__code=code,
        pk=pk,
    )


def _need(request: HttpRequest, code: str, pk: int, need_pk: int) -> CooperationNeed:
    strategy = _strategy(request, code, pk)
    need = get_object_or_404(CooperationNeed, strategy=strategy, pk=need_pk)
    need.strategy = strategy
    return need


def _writer(request: HttpRequest, municipality: Municipality) -> None:
    require(can_edit_planning_strategy(request.user, municipality))


@require_safe
def strategy_list(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    strategies = (
        PlanningStrategy.objects.visible_to(request.user)
        .filter(municipality=municipality)
        .prefetch_related(Prefetch("needs", CooperationNeed.objects.order_by("theme", "pk")))
    )
    return render(
        request,
        "planning/strategy_list.html",
        {
            "municipality": municipality,
            "strategies": strategies,
            "can_edit": can_edit_planning_strategy(request.user, municipality),
        },
    )


@require_safe
def strategy_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    strategy = _strategy(request, code, pk)
    return render(
        request,
        "planning/strategy_detail.html",
        {
            "strategy": strategy,
            "municipality": strategy.municipality,
            # the proposals a need is the ground of: shown, and they keep it from deletion
            "needs": strategy.needs.order_by("theme", "pk").prefetch_related("proposals"),
            "can_edit": can_edit_planning_strategy(request.user, strategy.municipality),
        },
    )


@login_required
def strategy_create(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    _writer(request, municipality)
    form = StrategyForm(request.POST or None, instance=PlanningStrategy(municipality=municipality))
    return form_page(
        request,
        form,
        lambda: create_strategy(form.save(commit=False), actor=request.user),
        success=_("Planstrategien er registrert. Legg inn samarbeidsbehovene den nevner."),
        template="planning/strategy_form.html",
        context={"municipality": municipality, "strategy": None},
    )


@login_required
def strategy_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    strategy = _strategy(request, code, pk)
    _writer(request, strategy.municipality)
    return edit_page(
        request,
        StrategyForm(request.POST or None, instance=strategy),
        update_strategy,
        success=_("Endringene er lagret."),
        template="planning/strategy_form.html",
        context={"municipality": strategy.municipality, "strategy": strategy},
    )


def _confirm_delete(
    request: HttpRequest,
    load: Callable[[], Any],
    delete: Callable[[Any, int | None], None],
    context: Callable[[Any], dict[str, Any]],
    *,
    success: str,
    done: str,
) -> HttpResponse:
    """GET asks for confirmation; POST deletes with the version the user saw. A refusal is
    shown on the page; a record changed since it was shown is shown again to confirm."""
    record = load()
    form = DeleteForm(
        request.POST if request.method == "POST" else None, initial={"version": record.version}
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            delete(record, form.cleaned_data["version"])
        except VersionConflict:
            conflict = True
            record = load()
            form = DeleteForm(initial={"version": record.version})
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, success)
            return redirect(done)
    return render(
        request,
        "planning/confirm_delete.html",
        {**context(record), "form": form, "conflict": conflict},
    )


@login_required
def strategy_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    strategy = _strategy(request, code, pk)
    _writer(request, strategy.municipality)
    return _confirm_delete(
        request,
        lambda: _strategy(request, code, pk),
        lambda s, version: delete_strategy(s, expected_version=version, actor=request.user),
        lambda s: {
            "municipality": s.municipality,
            "question": _("Slett planstrategien «%(t)s»?") % {"t": s},
            "what": _("Planstrategien slettes med samarbeidsbehovene den nevner (%(n)s).")
            % {"n": s.needs.count()},
            "cancel": s.get_absolute_url(),
        },
        success=_("Planstrategien er slettet."),
        done=reverse("planning:strategy_list", args=[code]),
    )


@login_required
def need_create(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    strategy = _strategy(request, code, pk)
    _writer(request, strategy.municipality)
    form = NeedForm(request.POST or None, instance=CooperationNeed(strategy=strategy))
    return form_page(
        request,
        form,
        lambda: add_need(form.save(commit=False), actor=request.user),
        success=_("Samarbeidsbehovet er registrert."),
        template="planning/need_form.html",
        context={"strategy": strategy, "municipality": strategy.municipality, "need": None},
        then=strategy,
    )


@login_required
def need_edit(request: HttpRequest, code: str, pk: int, need_pk: int) -> HttpResponse:
    need = _need(request, code, pk, need_pk)
    _writer(request, need.strategy.municipality)
    return edit_page(
        request,
        NeedForm(request.POST or None, instance=need),
        update_need,
        success=_("Endringene er lagret."),
        template="planning/need_form.html",
        context={
            "strategy": need.strategy,
            "municipality": need.strategy.municipality,
            "need": need,
        },
        then=need.strategy,
    )


@login_required
def need_delete(request: HttpRequest, code: str, pk: int, need_pk: int) -> HttpResponse:
    need = _need(request, code, pk, need_pk)
    _writer(request, need.strategy.municipality)
    return _confirm_delete(
        request,
        lambda: _need(request, code, pk, need_pk),
        lambda n, version: delete_need(n, expected_version=version, actor=request.user),
        lambda n: {
            "municipality": n.strategy.municipality,
            "question": _("Slett samarbeidsbehovet «%(t)s»?") % {"t": n.theme_label},
            "what": n.description,
            "cancel": n.strategy.get_absolute_url(),
        },
        success=_("Samarbeidsbehovet er slettet."),
        done=need.strategy.get_absolute_url(),
    )
