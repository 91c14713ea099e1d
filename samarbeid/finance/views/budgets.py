"""The budget and budget line pages."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from samarbeid.arenas.access import visible_arena
from samarbeid.core.forms import confirm_delete, edit_page, form_page, submit
from samarbeid.finance.access import (
    budgets_visible_to,
    can_manage_finance,
    runs_visible_to,
)
from samarbeid.finance.budgets import (
    add_line,
    budget_delete_refusal,
    create_budget,
    delete_budget,
    delete_line,
    first_year_without_budget,
    line_delete_refusal,
    update_budget,
    update_line,
)
from samarbeid.finance.external import line_funding
from samarbeid.finance.figures import drift_from_invoiced, invoiced_totals
from samarbeid.finance.forms import (
    BudgetForm,
    LineForm,
)
from samarbeid.finance.grants import grant_create_refusal, grant_delete_refusal, is_invoiced
from samarbeid.finance.models import Budget, BudgetLine, InvoiceRun
from samarbeid.finance.planning import Charge, plan
from samarbeid.finance.views.common import require_manage
from samarbeid.registry.models import Municipality
from samarbeid.registry.population_links import population_links_for

# Budgets -------------------------------------------------------------------------------------


@login_required
def budget_create(request: HttpRequest, pk: int) -> HttpResponse:
    arena = visible_arena(request.user, pk)
    require_manage(request, arena)
    form = BudgetForm(request.POST or None, initial={"year": first_year_without_budget(arena)})
    form.instance.arena = arena
    return form_page(
        request,
        form,
        lambda: create_budget(form.save(commit=False), actor=request.user),
        success=_("Budsjettet er opprettet."),
        template="finance/budget_form.html",
        context={"arena": arena},
    )


def _managed_budget(request: HttpRequest, pk: int) -> Budget:
    """The budget for whoever manages its arena's finances: 404 to whom may not see it, 403
    (saying who may) else."""
    budget = get_object_or_404(budgets_visible_to(request.user).select_related("arena"), pk=pk)
    require_manage(request, budget.arena)
    return budget


@login_required
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _managed_budget(request, pk)
    # the form writes the posted values into its instance: the page shows `budget` as stored
    form = BudgetForm(request.POST or None, instance=copy.copy(budget))
    return edit_page(
        request,
        form,
        update_budget,
        success=_("Budsjettet er endret."),
        template="finance/budget_form.html",
        context={"arena": budget.arena, "budget": budget},
    )


@login_required
def budget_delete(request: HttpRequest, pk: int) -> HttpResponse:
    def context(budget: Budget) -> dict[str, Any]:
        return {
            "budget": budget,
            "arena": budget.arena,
            "lines": budget.lines.select_related("key", "project"),
            "refusal": budget_delete_refusal(budget),
        }

    def delete(budget: Budget, version: int | None) -> None:
        delete_budget(budget, expected_version=version, actor=request.user)

    return confirm_delete(
        request,
        "finance/budget_confirm_delete.html",
        lambda: _managed_budget(request, pk),
        context,
        delete,
        _("Budsjettet er slettet."),
        lambda budget: reverse("finance:arena", args=[budget.arena_id]),
    )


def _split_table(
    charges: list[Charge], municipalities: dict[int, Municipality]
) -> list[dict[str, Any]]:
    table: dict[int, dict[str, Any]] = {}
    for charge in charges:
        row = table.setdefault(
            charge.payer_id,
            {
                "municipality": municipalities[charge.payer_id],
                "base": Decimal("0.00"),
                "projects": Decimal("0.00"),
                "notes": [],
            },
        )
        row["base" if charge.kind == BudgetLine.Kind.BASE else "projects"] += charge.amount
        if charge.note and charge.note not in row["notes"]:
            row["notes"].append(charge.note)
    rows = sorted(table.values(), key=lambda r: r["municipality"].code)
    for row in rows:
        row["total"] = row["base"] + row["projects"]
    return rows


@require_safe
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    budget = get_object_or_404(budgets_visible_to(request.user).select_related("arena"), pk=pk)
    return _budget_page(request, budget)


def _budget_page(
    request: HttpRequest, budget: Budget, *, form: LineForm | None = None
) -> HttpResponse:
    """The budget's page; with a bound line form that did not validate, answered 422."""
    arena = budget.arena
    can_manage = can_manage_finance(request.user, arena)
    lines = budget.lines.select_related("key", "project").prefetch_related("grants")
    split: list[dict[str, Any]] = []
    problems: list[str] = []
    try:
        planner, charges = plan([budget])
        split = _split_table(charges, planner.municipalities)
    except ValidationError as exc:
        # a link to the population page only for those who may register there
        problems = [population_links_for(request.user, m) for m in exc.messages]
    run = runs_visible_to(request.user).filter(arena=arena, year=budget.year).first()
    invoiced = is_invoiced(budget)
    # Today's figures cannot split an invoiced year (a member added since, a population
    # missing): the page shows what was invoiced, and why today's split cannot be shown.
    invoiced_rows = []
    if problems and run is not None and run.status == InvoiceRun.Status.ISSUED:
        invoiced_rows = invoiced_totals(run)
    funding = line_funding(budget, lines)
    actuals = [line.actual for line in lines if line.actual is not None]
    totals = {
        "amount": sum((line.amount for line in lines), Decimal("0.00")),
        # no line with accounts: no sum either («–», as each line shows), not 0,00
        "actual": sum(actuals, Decimal("0.00")) if actuals else None,
        "split": sum((row["total"] for row in split), Decimal("0.00")),
    }
    return render(
        request,
        "finance/budget_detail.html",
        {
            "budget": budget,
            "arena": arena,
            "lines": lines,
            "split": split,
            "problems": problems,
            "totals": totals,
            "form": form or LineForm(arena=arena, prefix="line"),
            "can_manage": can_manage,
            "run": run,
            "drift": drift_from_invoiced(run, split),
            "invoiced_rows": invoiced_rows,
            "invoiced_total": sum((row.amount for row in invoiced_rows), Decimal("0.00")),
            "funding": funding,
            "invoiced": invoiced,
            # what the grants' links offer: what their services would do (one rule each)
            "may_add_grant": grant_create_refusal(budget, invoiced=invoiced) is None,
            "deletable_grants": {
                g.pk
                for f in funding
                for g in f.grants
                if grant_delete_refusal(g, invoiced=invoiced) is None
            },
        },
        status=422 if form is not None else 200,
    )


@login_required
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _managed_budget(request, pk)
    form = LineForm(request.POST, arena=budget.arena, prefix="line")
    form.instance.budget = budget
    done = submit(
        request,
        form,
        lambda: add_line(form.save(commit=False), actor=request.user),
        _("Linjen er lagt til."),
    )
    if done.saved is not None:
        return redirect(budget)
    return _budget_page(request, budget, form=form)


@login_required
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = _managed_line(request, pk)
    form = LineForm(request.POST or None, instance=line, arena=line.budget.arena)
    return edit_page(
        request,
        form,
        update_line,
        success=_("Linjen er endret."),
        template="finance/line_form.html",
        context={"line": line, "budget": line.budget},
        then=lambda saved: saved.budget,
    )


def _managed_line(request: HttpRequest, pk: int) -> BudgetLine:
    line = get_object_or_404(
        BudgetLine.objects.filter(budget__in=budgets_visible_to(request.user)).select_related(
            "budget__arena", "key", "project"
        ),
        pk=pk,
    )
    require_manage(request, line.budget.arena)
    return line


@login_required
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    def delete(line: BudgetLine, version: int | None) -> None:
        delete_line(line, expected_version=version, actor=request.user)

    return confirm_delete(
        request,
        "finance/line_confirm_delete.html",
        lambda: _managed_line(request, pk),
        lambda line: {
            "line": line,
            "budget": line.budget,
            "arena": line.budget.arena,
            "refusal": line_delete_refusal(line),
        },
        delete,
        _("Linjen er slettet."),
        lambda line: reverse("finance:budget_detail", args=[line.budget_id]),
    )
