"""The account of a period of an arena, and the administration costs it counts."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.access import editable_arena, visible_arena
from samarbeid.core.forms import query_result
from samarbeid.core.templatetags.samarbeid import nok
from samarbeid.strategy.forms import (
    AdministrationCostForm,
    PeriodForm,
)
from samarbeid.strategy.services.account import PeriodAccount, named_rows
from samarbeid.strategy.services.account import period_account as period_account_service
from samarbeid.strategy.services.results import (
    add_administration_cost,
)
from samarbeid.strategy.views.form_page import form_page


def cost_bars(account: PeriodAccount) -> list[tuple[str, Decimal, str, str]]:
    """The account's costs per municipality as bars for `{% bar_chart %}` (label, amount,
    no link, the amount as read), the largest first; rows without costs are left out."""
    bars = [(name, r) for name, r in named_rows(account, lambda m: m.name) if r.costs > 0]
    bars.sort(key=lambda bar: (-bar[1].costs, str(bar[1].municipality)))
    return [(name, r.costs, "", nok(r.costs)) for name, r in bars]


def period_account(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = visible_arena(request.user, arena_id)
    year = timezone.localdate().year
    data = request.GET if "first_year" in request.GET else None
    form = PeriodForm(data, initial={"first_year": year - 4, "last_year": year})
    account = query_result(
        form, lambda data: period_account_service(arena, data["first_year"], data["last_year"])
    )
    return render(
        request,
        "strategy/period_account.html",
        {
            "arena": arena,
            "form": form,
            "account": account,
            "cost_bars": cost_bars(account) if account else [],
            "can_edit": can_edit_arena(request.user, arena),
        },
    )


@login_required
def admin_cost_create(request: HttpRequest, arena_id: int) -> HttpResponse:
    arena = editable_arena(request.user, arena_id)
    form = AdministrationCostForm(request.POST or None)

    def save() -> str:
        cost = form.save(commit=False)
        cost.arena = arena
        add_administration_cost(cost, actor=request.user)
        return reverse("strategy:period_account", args=[arena.pk]) + (
            f"?first_year={cost.first_year}&last_year={cost.last_year}"
        )

    return form_page(
        request,
        form,
        title=_("Registrer administrasjonskostnad for %(a)s") % {"a": arena.name},
        cancel=reverse("strategy:period_account", args=[arena.pk]),
        save=save,
        success=_("Administrasjonskostnaden er registrert."),
    )
