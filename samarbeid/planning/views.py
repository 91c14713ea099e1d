"""A municipality's planning strategies and the cooperation needs they name, under the
municipality's page (/kommuner/<code>/planstrategi/). Everyone reads the published ones;
the municipality's coordinator and a global secretariat write (403 for other signed-in
users, the log-in page for the anonymous; 404 for what a user may not see)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.accounts.permissions import can_edit_planning_strategy, require
from samarbeid.core.forms import confirm_delete, edit_page, form_page
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


def _editable_strategy(request: HttpRequest, code: str, pk: int) -> PlanningStrategy:
    """The strategy for a user who may write the municipality's: 404 to whom may not see
    it, 403 else."""
    strategy = _strategy(request, code, pk)
    _writer(request, strategy.municipality)
    return strategy


def _editable_need(request: HttpRequest, code: str, pk: int, need_pk: int) -> CooperationNeed:
    """The need, as `_editable_strategy` finds its strategy."""
    need = _need(request, code, pk, need_pk)
    _writer(request, need.strategy.municipality)
    return need


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
    strategy = _editable_strategy(request, code, pk)
    return edit_page(
        request,
        StrategyForm(request.POST or None, instance=strategy),
        update_strategy,
        success=_("Endringene er lagret."),
        template="planning/strategy_form.html",
        context={"municipality": strategy.municipality, "strategy": strategy},
    )


@login_required
def strategy_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    _editable_strategy(request, code, pk)  # refused (404, 403) before anything is shown
    return confirm_delete(
        request,
        "planning/confirm_delete.html",
        load=lambda: _strategy(request, code, pk),
        delete=lambda s, version: delete_strategy(s, expected_version=version, actor=request.user),
        context=lambda s: {
            "municipality": s.municipality,
            "question": _("Slett planstrategien «%(t)s»?") % {"t": s},
            "what": _("Planstrategien slettes med samarbeidsbehovene den nevner (%(n)s).")
            % {"n": s.needs.count()},
            "cancel": s.get_absolute_url(),
        },
        success=_("Planstrategien er slettet."),
        done=lambda _s: reverse("planning:strategy_list", args=[code]),
    )


@login_required
def need_create(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    strategy = _editable_strategy(request, code, pk)
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
    need = _editable_need(request, code, pk, need_pk)
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
    _editable_need(request, code, pk, need_pk)  # refused (404, 403) before anything is shown
    return confirm_delete(
        request,
        "planning/confirm_delete.html",
        load=lambda: _need(request, code, pk, need_pk),
        delete=lambda n, version: delete_need(n, expected_version=version, actor=request.user),
        context=lambda n: {
            "municipality": n.strategy.municipality,
            "question": _("Slett samarbeidsbehovet «%(t)s»?") % {"t": n.theme_label},
            "what": n.description,
            "cancel": n.strategy.get_absolute_url(),
        },
        success=_("Samarbeidsbehovet er slettet."),
        done=lambda n: n.strategy.get_absolute_url(),
    )
