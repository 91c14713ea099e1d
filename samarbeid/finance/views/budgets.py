"""The budget and budget line pages."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from samarbeid.core.forms import apply_validation_error, save_changes, submit
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
    line_delete_refusal,
    update_budget,
    update_line,
)
from samarbeid.finance.forms import (
    BudgetForm,
    LineForm,
)
from samarbeid.finance.models import (
    Budget,
    BudgetLine,
    HostShareLine,
    Invoice,
    InvoiceLine,
    InvoiceRun,
)
from samarbeid.finance.planning import Charge, plan
from samarbeid.finance.views.common import confirm_delete, require_manage, visible_arena
from samarbeid.lib.money import format_nok
from samarbeid.registry.models import Municipality

# Budgets -------------------------------------------------------------------------------------


@login_required
def budget_create(request: HttpRequest, pk: int) -> HttpResponse:
    arena = visible_arena(request, pk)
    require_manage(request, arena)
    form = BudgetForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        budget = form.save(commit=False)
        budget.arena = arena
        try:
            create_budget(budget, actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Budsjettet er opprettet."))
            return redirect(budget)
    return render(request, "finance/budget_form.html", {"form": form, "arena": arena})


def _managed_budget(request: HttpRequest, pk: int) -> Budget:
    budget = get_object_or_404(budgets_visible_to(request.user).select_related("arena"), pk=pk)
    require_manage(request, budget.arena)
    return budget


@login_required
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _managed_budget(request, pk)
    # the form writes the posted values into its instance: the page shows `budget` as stored
    form = BudgetForm(request.POST or None, instance=copy.copy(budget))
    result = submit(
        request,
        form,
        save_changes(request, form, update_budget),
        _("Budsjettet er endret."),
    )
    if result.saved is not None:
        return redirect(result.saved)
    return render(
        request,
        "finance/budget_form.html",
        {"form": form, "arena": budget.arena, "budget": budget, "conflict": result.conflict},
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


def _drift_from_invoiced(run: InvoiceRun | None, split: list[dict[str, Any]]) -> list[str]:
    """Where the split worked out with today's figures differs from what the issued run
    invoiced (its first invoices and the host's own share, before any credit note): a
    population corrected after invoicing changes the split shown, never the invoices."""
    if run is None or run.status != InvoiceRun.Status.ISSUED:
        return []
    # per municipality the share was for (a line of Færder's invoice may be Tjøme's share)
    invoiced: dict[int, Decimal] = {}
    shares = [
        *InvoiceLine.objects.filter(
            invoice__run=run, invoice__kind=Invoice.Kind.INVOICE, invoice__replaces__isnull=True
        ).values_list("share_of_id", "invoice__buyer_id", "amount"),
        *HostShareLine.objects.filter(run=run).values_list(
            "share_of_id", "municipality_id", "amount"
        ),
    ]
    for share_of, payer, amount in shares:
        whose = share_of or payer
        invoiced[whose] = invoiced.get(whose, Decimal("0.00")) + amount
    return [
        _("%(m)s: %(now)s kr med dagens tall, %(then)s kr fakturert")
        % {
            "m": f"{row['municipality'].name} ({row['municipality'].number})",
            "now": format_nok(row["total"], "nb"),
            "then": format_nok(invoiced.get(row["municipality"].pk, Decimal(0)), "nb"),
        }
        for row in split
        if row["total"] != invoiced.get(row["municipality"].pk, Decimal("0.00"))
    ]


def _budget_page(
    request: HttpRequest, budget: Budget, *, form: LineForm | None = None
) -> HttpResponse:
    """The budget's page; with a bound line form that did not validate, answered 422."""
    arena = budget.arena
    can_manage = can_manage_finance(request.user, arena)
    lines = budget.lines.select_related("key", "project")
    split: list[dict[str, Any]] = []
    problems: list[str] = []
    try:
        planner, charges = plan([budget])
        split = _split_table(charges, planner.municipalities)
    except ValidationError as exc:
        problems = exc.messages
    run = runs_visible_to(request.user).filter(arena=arena, year=budget.year).first()
    totals = {
        "amount": sum((line.amount for line in lines), Decimal("0.00")),
        "actual": sum((line.actual or Decimal(0) for line in lines), Decimal("0.00")),
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
            "drift": _drift_from_invoiced(run, split),
        },
        status=422 if form is not None else 200,
    )


@login_required
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    budget = get_object_or_404(budgets_visible_to(request.user).select_related("arena"), pk=pk)
    require_manage(request, budget.arena)
    form = LineForm(request.POST, arena=budget.arena, prefix="line")
    if form.is_valid():
        line = form.save(commit=False)
        line.budget = budget
        try:
            add_line(line, actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Linjen er lagt til."))
            return redirect(budget)
    return _budget_page(request, budget, form=form)


@login_required
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(
        BudgetLine.objects.filter(budget__in=budgets_visible_to(request.user)).select_related(
            "budget__arena", "key", "project"
        ),
        pk=pk,
    )
    arena = line.budget.arena
    require_manage(request, arena)
    form = LineForm(request.POST or None, instance=line, arena=arena)
    result = submit(
        request,
        form,
        save_changes(request, form, update_line),
        _("Linjen er endret."),
    )
    if result.saved is not None:
        return redirect(result.saved.budget)
    return render(
        request,
        "finance/line_form.html",
        {"form": form, "line": line, "budget": line.budget, "conflict": result.conflict},
    )


@login_required
def line_delete(request: HttpRequest, pk: int) -> HttpResponse:
    def load() -> BudgetLine:
        line = get_object_or_404(
            BudgetLine.objects.filter(budget__in=budgets_visible_to(request.user)).select_related(
                "budget__arena", "key", "project"
            ),
            pk=pk,
        )
        require_manage(request, line.budget.arena)
        return line

    def delete(line: BudgetLine, version: int | None) -> None:
        delete_line(line, expected_version=version, actor=request.user)

    return confirm_delete(
        request,
        "finance/line_confirm_delete.html",
        load,
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
