"""The grant pages: a grant on a budget line recorded, changed and deleted by the arena's
secretariat (the grants are listed on the budget's page; their report is in reports)."""

from __future__ import annotations

import copy

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from samarbeid.core.forms import confirm_delete, edit_page, form_page
from samarbeid.finance.access import budgets_visible_to
from samarbeid.finance.forms import GrantForm
from samarbeid.finance.grants import (
    counted_fields,
    create_grant,
    delete_grant,
    grant_create_refusal,
    grant_delete_refusal,
    grants_visible_to,
    is_invoiced,
    update_grant,
)
from samarbeid.finance.models import BudgetLine, Grant
from samarbeid.finance.views.common import require_manage


@login_required
def grant_create(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(
        BudgetLine.objects.filter(budget__in=budgets_visible_to(request.user)).select_related(
            "budget__arena", "project"
        ),
        pk=pk,
    )
    require_manage(request, line.budget.arena)
    form = GrantForm(request.POST or None, line=line)
    return form_page(
        request,
        form,
        lambda: create_grant(form.save(commit=False), actor=request.user),
        success=_("Tilskuddet er registrert."),
        template="finance/grant_form.html",
        context={
            "line": line,
            "budget": line.budget,
            "refusal": grant_create_refusal(line.budget),
        },
        then=line.budget,
    )


def _managed_grant(request: HttpRequest, pk: int) -> Grant:
    grant = get_object_or_404(
        grants_visible_to(request.user).select_related("line__budget__arena", "line__project"),
        pk=pk,
    )
    require_manage(request, grant.line.budget.arena)
    return grant


@login_required
def grant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    grant = _managed_grant(request, pk)
    invoiced = is_invoiced(grant.line.budget)
    form = GrantForm(
        request.POST or None,
        instance=copy.copy(grant),
        line=grant.line,
        locked=counted_fields(grant.line.budget) if invoiced else (),
    )
    return edit_page(
        request,
        form,
        update_grant,
        success=_("Tilskuddet er endret."),
        template="finance/grant_form.html",
        context={
            "grant": grant,
            "line": grant.line,
            "budget": grant.line.budget,
            "invoiced": invoiced,
        },
        then=lambda saved: saved.line.budget,
    )


@login_required
def grant_delete(request: HttpRequest, pk: int) -> HttpResponse:
    def delete(grant: Grant, version: int | None) -> None:
        delete_grant(grant, expected_version=version, actor=request.user)

    return confirm_delete(
        request,
        "finance/grant_confirm_delete.html",
        lambda: _managed_grant(request, pk),
        lambda grant: {
            "grant": grant,
            "line": grant.line,
            "budget": grant.line.budget,
            "refusal": grant_delete_refusal(grant),
        },
        delete,
        _("Tilskuddet er slettet."),
        lambda grant: grant.line.budget.get_absolute_url(),
    )
