from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from samarbeid.accounts.permissions import is_internal
from samarbeid.arenas.models import Arena
from samarbeid.core.forms import MISSING_VERSION, apply_validation_error, save_changes, submit
from samarbeid.core.paging import CountCachedPaginator
from samarbeid.core.stamps import cached_part
from samarbeid.core.versioning import VersionConflict
from samarbeid.finance import outputs, services
from samarbeid.finance.forms import (
    BudgetForm,
    CreditForm,
    DeleteForm,
    FixedForm,
    InvoiceReferenceForm,
    KeyForm,
    LineForm,
    PreviewForm,
    ReplacementForm,
    RunAccountForm,
    RunForm,
    UsageForm,
)
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    BudgetLine,
    Invoice,
    InvoiceRun,
)
from samarbeid.finance.planning import Charge, plan
from samarbeid.finance.templatetags.finance import nok
from samarbeid.registry.models import Municipality


def _arena(request: HttpRequest, pk: int) -> Arena:
    return get_object_or_404(
        Arena.objects.visible_to(request.user).select_related("host_municipality"), pk=pk
    )


def _require_manage(request: HttpRequest, arena: Arena) -> None:
    if not services.can_manage_finance(request.user, arena):
        raise PermissionDenied


def _members(arena: Arena) -> Any:
    return Municipality.objects.filter(memberships__arena=arena).distinct().order_by("number")


def _confirm_delete(
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


def index(request: HttpRequest) -> HttpResponse:
    """Arenas to choose from (50 a page, searchable: a national service has thousands), the
    latest budgets and invoice runs."""
    q = request.GET.get("q", "").strip()[:100]
    arenas = Arena.objects.visible_to(request.user).search(q).order_by("name", "pk")
    page = CountCachedPaginator(arenas.only("pk", "name", "short_name"), 50).get_page(
        request.GET.get("page")
    )
    runs = services.runs_visible_to(request.user).select_related("arena").order_by("-year")[:20]
    budgets = (
        services.budgets_visible_to(request.user).select_related("arena").order_by("-year")[:20]
    )
    return render(
        request,
        "finance/index.html",
        {"page": page, "q": q, "runs": runs, "budgets": budgets},
    )


def arena_finance(request: HttpRequest, pk: int) -> HttpResponse:
    arena = _arena(request, pk)
    return render(
        request,
        "finance/arena.html",
        {
            "arena": arena,
            "keys": arena.allocation_keys.all(),
            "budgets": arena.budgets.all(),
            "runs": services.runs_visible_to(request.user).filter(arena=arena),
            "can_manage": services.can_manage_finance(request.user, arena),
            "run_form": RunForm(initial={"year": timezone.localdate().year, "due_days": 30}),
        },
    )


# Keys ----------------------------------------------------------------------------------------


@login_required
def key_create(request: HttpRequest, pk: int) -> HttpResponse:
    arena = _arena(request, pk)
    _require_manage(request, arena)
    form = KeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = form.save(commit=False)
        key.arena = arena
        try:
            services.create_key(key, actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Fordelingsnøkkelen er lagret."))
            return redirect(key)
    return render(request, "finance/key_form.html", {"form": form, "arena": arena, "key": None})


@login_required
def key_edit(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(services.keys_visible_to(request.user).select_related("arena"), pk=pk)
    _require_manage(request, key.arena)
    form = KeyForm(request.POST or None, instance=key)
    result = submit(
        request,
        form,
        save_changes(request, form, services.update_key),
        _("Fordelingsnøkkelen er endret."),
    )
    if result.saved is not None:
        return redirect(result.saved)
    return render(
        request,
        "finance/key_form.html",
        {"form": form, "arena": key.arena, "key": key, "conflict": result.conflict},
    )


@login_required
def key_delete(request: HttpRequest, pk: int) -> HttpResponse:
    def context(key: AllocationKey) -> dict[str, Any]:
        return {
            "key": key,
            "arena": key.arena,
            "usage_count": key.usages.count(),
            "fixed_count": key.fixed_percents.count(),
            "refusal": services.key_delete_refusal(key),
        }

    def delete(key: AllocationKey, version: int | None) -> None:
        services.delete_key(key, expected_version=version, actor=request.user)

    return _confirm_delete(
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
    key = get_object_or_404(services.keys_visible_to(request.user).select_related("arena"), pk=pk)
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
    can_manage = services.can_manage_finance(request.user, arena)
    members = _members(arena)
    preview_form = PreviewForm(request.GET if "total" in request.GET else None)
    preview = None
    preview_error = None
    if preview_form.is_bound and preview_form.is_valid():
        try:
            preview = services.preview_key(
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
    key = get_object_or_404(services.keys_visible_to(request.user).select_related("arena"), pk=pk)
    _require_manage(request, key.arena)
    return key


@login_required
@require_POST
def key_usage_add(request: HttpRequest, pk: int) -> HttpResponse:
    key = _managed_key(request, pk)
    form = UsageForm(request.POST, prefix="usage", municipalities=_members(key.arena))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_usage(
                key, data["municipality"], data["year"], data["units"], actor=request.user
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Forbruket er lagret."))
            return redirect(key)
    return _key_page(request, key, usage_form=form)


@login_required
@require_POST
def key_fixed_add(request: HttpRequest, pk: int) -> HttpResponse:
    key = _managed_key(request, pk)
    form = FixedForm(request.POST, prefix="fixed", municipalities=_members(key.arena))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_fixed_percent(
                key, data["municipality"], data["percent"], actor=request.user
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Prosenten er lagret."))
            return redirect(key)
    return _key_page(request, key, fixed_form=form)


# Budgets -------------------------------------------------------------------------------------


@login_required
def budget_create(request: HttpRequest, pk: int) -> HttpResponse:
    arena = _arena(request, pk)
    _require_manage(request, arena)
    form = BudgetForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        budget = form.save(commit=False)
        budget.arena = arena
        try:
            services.create_budget(budget, actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Budsjettet er opprettet."))
            return redirect(budget)
    return render(request, "finance/budget_form.html", {"form": form, "arena": arena})


def _managed_budget(request: HttpRequest, pk: int) -> Budget:
    budget = get_object_or_404(
        services.budgets_visible_to(request.user).select_related("arena"), pk=pk
    )
    _require_manage(request, budget.arena)
    return budget


@login_required
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _managed_budget(request, pk)
    # the form writes the posted values into its instance: the page shows `budget` as stored
    form = BudgetForm(request.POST or None, instance=copy.copy(budget))
    result = submit(
        request,
        form,
        save_changes(request, form, services.update_budget),
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
            "refusal": services.budget_delete_refusal(budget),
        }

    def delete(budget: Budget, version: int | None) -> None:
        services.delete_budget(budget, expected_version=version, actor=request.user)

    return _confirm_delete(
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
    budget = get_object_or_404(
        services.budgets_visible_to(request.user).select_related("arena"), pk=pk
    )
    return _budget_page(request, budget)


def _budget_page(
    request: HttpRequest, budget: Budget, *, form: LineForm | None = None
) -> HttpResponse:
    """The budget's page; with a bound line form that did not validate, answered 422."""
    arena = budget.arena
    can_manage = services.can_manage_finance(request.user, arena)
    lines = budget.lines.select_related("key", "project")
    split: list[dict[str, Any]] = []
    problems: list[str] = []
    try:
        planner, charges = plan([budget])
        split = _split_table(charges, planner.municipalities)
    except ValidationError as exc:
        problems = exc.messages
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
            "run": services.runs_visible_to(request.user)
            .filter(arena=arena, year=budget.year)
            .first(),
        },
        status=422 if form is not None else 200,
    )


@login_required
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    budget = get_object_or_404(
        services.budgets_visible_to(request.user).select_related("arena"), pk=pk
    )
    _require_manage(request, budget.arena)
    form = LineForm(request.POST, arena=budget.arena, prefix="line")
    if form.is_valid():
        line = form.save(commit=False)
        line.budget = budget
        try:
            services.add_line(line, actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Linjen er lagt til."))
            return redirect(budget)
    return _budget_page(request, budget, form=form)


@login_required
def line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(
        BudgetLine.objects.filter(
            budget__in=services.budgets_visible_to(request.user)
        ).select_related("budget__arena", "key", "project"),
        pk=pk,
    )
    arena = line.budget.arena
    _require_manage(request, arena)
    form = LineForm(request.POST or None, instance=line, arena=arena)
    result = submit(
        request,
        form,
        save_changes(request, form, services.update_line),
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
            BudgetLine.objects.filter(
                budget__in=services.budgets_visible_to(request.user)
            ).select_related("budget__arena", "key", "project"),
            pk=pk,
        )
        _require_manage(request, line.budget.arena)
        return line

    def delete(line: BudgetLine, version: int | None) -> None:
        services.delete_line(line, expected_version=version, actor=request.user)

    return _confirm_delete(
        request,
        "finance/line_confirm_delete.html",
        load,
        lambda line: {
            "line": line,
            "budget": line.budget,
            "arena": line.budget.arena,
            "refusal": services.line_delete_refusal(line),
        },
        delete,
        _("Linjen er slettet."),
        lambda line: reverse("finance:budget_detail", args=[line.budget_id]),
    )


# Runs ----------------------------------------------------------------------------------------


@login_required
@require_POST
def run_create(request: HttpRequest, pk: int) -> HttpResponse:
    arena = _arena(request, pk)
    _require_manage(request, arena)
    form = RunForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            run = services.create_run(
                arena,
                data["year"],
                actor=request.user,
                issue_date=data["issue_date"],
                due_days=data["due_days"],
                seller_account=data["seller_account"] or "",
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Utkast til fakturakjøring er laget."))
            return redirect(run)
    return render(
        request,
        "finance/arena.html",
        {
            "arena": arena,
            "keys": arena.allocation_keys.all(),
            "budgets": arena.budgets.all(),
            "runs": services.runs_visible_to(request.user).filter(arena=arena),
            "can_manage": True,
            "run_form": form,
        },
        status=422,
    )


def _run(request: HttpRequest, pk: int) -> InvoiceRun:
    return get_object_or_404(
        services.runs_visible_to(request.user).select_related("arena", "seller"), pk=pk
    )


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_page(request, _run(request, pk))


def _run_page(
    request: HttpRequest, run: InvoiceRun, account_form: RunAccountForm | None = None
) -> HttpResponse:
    invoices = run.invoices.select_related("buyer", "credited").order_by("buyer__code", "number")
    summary = services.run_summary(run)
    can_manage = services.can_manage_finance(request.user, run.arena)
    draft = run.status == InvoiceRun.Status.DRAFT
    return render(
        request,
        "finance/run_detail.html",
        {
            "run": run,
            "arena": run.arena,
            "invoices": invoices,
            "totals": summary.totals,
            "summary": summary,
            "grand_total": summary.invoiced,
            "can_manage": can_manage,
            "approval_problems": services.approval_problems(run) if draft and can_manage else {},
            "account_form": account_form
            or RunAccountForm(
                initial={"version": run.version, "seller_account": run.seller_account}
            ),
        },
        status=422 if account_form is not None else 200,
    )


@login_required
@require_POST
def run_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the seller's bank account on a draft run."""
    run = _run(request, pk)
    _require_manage(request, run.arena)
    form = RunAccountForm(request.POST)
    if form.is_valid():
        try:
            services.set_run_account(
                run,
                form.cleaned_data["seller_account"],
                expected_version=form.cleaned_data.get("version"),
                actor=request.user,
            )
        except VersionConflict:
            form.add_error(None, _("Kjøringen er endret av noen andre; se den oppdaterte siden."))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Kontonummeret er lagret."))
            return redirect(run)
    run.refresh_from_db()
    return _run_page(request, run, form)


# Invoice references --------------------------------------------------------------------------


@login_required
@require_safe
def references(request: HttpRequest) -> HttpResponse:
    """The municipalities' invoice references, and a form to set one."""
    if not is_internal(request.user):
        raise Http404
    found = services.references_visible_to(request.user)
    text = request.GET.get("q", "").strip()
    if text:
        found = found.filter(municipality__in=Municipality.objects.search(text))
    page = Paginator(found.order_by("municipality__number", "arena__short_name"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "finance/references.html",
        {"page": page, "references": page, "q": text, "form": _reference_form(request)},
    )


def _reference_form(request: HttpRequest, data: Any = None) -> InvoiceReferenceForm:
    return InvoiceReferenceForm(
        data, arenas=Arena.objects.visible_to(request.user).order_by("short_name")
    )


@login_required
@require_POST
def reference_set(request: HttpRequest) -> HttpResponse:
    if not is_internal(request.user):
        raise Http404
    form = _reference_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if not services.can_set_invoice_reference(
            request.user, data["municipality"], data["arena"]
        ):
            raise PermissionDenied
        try:
            services.set_invoice_reference(
                data["municipality"], data["arena"], data["reference"], actor=request.user
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Fakturareferansen for %(name)s er lagret.")
                % {"name": data["municipality"].name},
            )
            return redirect("finance:references")
    found = services.references_visible_to(request.user).order_by("municipality__number")
    page = Paginator(found, 50).get_page(1)
    return render(
        request,
        "finance/references.html",
        {"page": page, "references": page, "q": "", "form": form},
        status=422,
    )


@login_required
@require_POST
def reference_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reference = get_object_or_404(services.references_visible_to(request.user), pk=pk)
    if not services.can_set_invoice_reference(
        request.user, reference.municipality, reference.arena
    ):
        raise PermissionDenied
    services.delete_invoice_reference(reference, actor=request.user)
    messages.success(request, _("Fakturareferansen er slettet."))
    return redirect("finance:references")


@login_required
@require_POST
def run_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    run = _run(request, pk)
    _require_manage(request, run.arena)
    version_text = request.POST.get("version", "")
    if not version_text.isdigit():
        messages.error(request, MISSING_VERSION)
        return redirect(run)
    version = int(version_text)
    try:
        if action == "approve":
            services.approve_run(run, expected_version=version, actor=request.user)
            messages.success(request, _("Kjøringen er godkjent."))
        elif action == "issue":
            services.issue_run(run, expected_version=version, actor=request.user)
            messages.success(request, _("Fakturaene er utstedt."))
        elif action == "refresh":
            services.refresh_run(run, expected_version=version, actor=request.user)
            messages.success(request, _("Utkastet er laget på nytt fra budsjettet."))
        elif action == "delete":
            arena = run.arena
            services.delete_run(run, expected_version=version, actor=request.user)
            messages.success(request, _("Utkastet er slettet."))
            return redirect("finance:arena", pk=arena.pk)
        else:
            raise Http404
    except VersionConflict:
        messages.error(request, _("Kjøringen er endret av noen andre; se den oppdaterte siden."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(run)


def run_chart(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    return HttpResponse(outputs.run_chart(run), content_type="image/svg+xml; charset=utf-8")


def run_csv(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    response = HttpResponse(outputs.summary_csv(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{run.year}-{run.pk}-summary.csv"'
    return response


def run_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    response = HttpResponse(
        outputs.summary_xlsx(run),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{run.year}-{run.pk}-summary.xlsx"'
    return response


# Invoices ------------------------------------------------------------------------------------


def _invoice(request: HttpRequest, pk: int) -> Invoice:
    return get_object_or_404(
        services.invoices_visible_to(request.user).select_related(
            "run__arena", "buyer", "credited", "replaces"
        ),
        pk=pk,
    )


@require_safe
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    can_manage = services.can_manage_finance(request.user, invoice.run.arena)
    credit_notes = list(invoice.credit_notes.order_by("issued_at", "pk"))
    replacements = list(invoice.replacements.order_by("issued_at", "pk"))
    lines: list[Any]
    if invoice.is_credit_note:
        lines = list(invoice.lines.all())
        left = None
    else:
        lines = services.credit_lines(invoice)
        left = services.left_to_credit(lines) if invoice.issued_at is not None else None
    return render(
        request,
        "finance/invoice_detail.html",
        {
            "invoice": invoice,
            "run": invoice.run,
            "lines": lines,
            "credit_notes": credit_notes,
            "left": left,
            "can_credit": can_manage and left is not None and left > 0,
            "replacements": replacements,
            "can_replace": can_manage
            and services.replacement_refusal(invoice, credit_notes, replacements) is None,
        },
    )


@login_required
def credit_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The credit page: each line of the invoice with what is credited and what is left;
    a credit note for everything left (the default) or for the amounts typed per line."""
    invoice = _invoice(request, pk)
    _require_manage(request, invoice.run.arena)
    lines = services.credit_lines(invoice)
    form = CreditForm(request.POST if request.method == "POST" else None, lines=lines)
    done = submit(
        request,
        form,
        lambda: services.credit_invoice(
            invoice, form.cleaned_data["reason"], amounts=form.amounts(), actor=request.user
        ),
        lambda note: _("Kreditnotaen %(number)s er utstedt.") % {"number": note.number},
    )
    if done.saved is not None:
        return redirect(done.saved)
    if form.is_bound:
        lines = services.credit_lines(invoice)  # as it is now (another note may be new)
    rows = [
        (
            line,
            form[services.credit_field(line.position)]
            if services.credit_field(line.position) in form.fields
            else None,
        )
        for line in lines
    ]
    return render(
        request,
        "finance/credit_form.html",
        {
            "invoice": invoice,
            "run": invoice.run,
            "form": form,
            "rows": rows,
            "credit_notes": invoice.credit_notes.order_by("issued_at", "pk"),
            "invoiced": sum((line.line.amount for line in lines), Decimal("0.00")),
            "credited": sum((line.credited for line in lines), Decimal("0.00")),
            "left": services.left_to_credit(lines),
            "refusal": services.credit_refusal(invoice, lines),
        },
        status=422 if form.is_bound else 200,
    )


@login_required
def replacement_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The corrected-invoice page ("ny faktura etter kreditering"): each line of a credited
    invoice with what was credited on it, and an amount field prefilled with that (what
    the corrected invoice replaces), and a reason."""
    invoice = _invoice(request, pk)
    _require_manage(request, invoice.run.arena)
    lines = services.credit_lines(invoice)
    form = ReplacementForm(request.POST if request.method == "POST" else None, lines=lines)
    done = submit(
        request,
        form,
        lambda: services.issue_replacement(
            invoice, form.amounts(), form.cleaned_data["reason"], actor=request.user
        ),
        lambda new: _("Faktura %(number)s er utstedt.") % {"number": new.number},
    )
    if done.saved is not None:
        return redirect(done.saved)
    credit_notes = list(invoice.credit_notes.order_by("issued_at", "pk"))
    return render(
        request,
        "finance/replacement_form.html",
        {
            "invoice": invoice,
            "run": invoice.run,
            "form": form,
            "rows": [(line, form[services.credit_field(line.position)]) for line in lines],
            "credit_notes": credit_notes,
            "refusal": services.replacement_refusal(invoice, credit_notes),
        },
        status=422 if form.is_bound else 200,
    )


def invoice_xml(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    try:
        xml = outputs.render_ehf(invoice)
    except ValueError as exc:
        return HttpResponse(str(exc), status=422, content_type="text/plain; charset=utf-8")
    response = HttpResponse(xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
    return response


def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    response = HttpResponse(outputs.render_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


# The municipality's payments -------------------------------------------------------------------


def _payments_by_year(
    municipality: Municipality, internal: bool
) -> dict[int, list[services.PaymentRow]]:
    hidden = (
        set()
        if internal
        else set(Arena.objects.filter(published=False).values_list("pk", flat=True))
    )
    by_year: dict[int, list[services.PaymentRow]] = defaultdict(list)
    for row in services.municipality_payments(municipality):
        if row.arena_id not in hidden:
            by_year[row.year].append(row)
    return dict(by_year)


PAYMENTS_PER_PAGE = 25


def municipality_payments(request: HttpRequest, code: str) -> HttpResponse:
    """What a municipality pays: the sum per year, and per arena for the chosen year (the
    newest by default, 25 arenas a page). Splitting every budget it is part of is heavy, so
    the result is cached until the data changes (core.stamps): the sums and each year's rows
    apart, so a request unpacks one year, with its links made once. After a change, the
    service finds the splits of every arena the change did not touch in their own cache."""
    municipality = get_object_or_404(Municipality, code=code)
    internal = is_internal(request.user)

    def shown(rows: list[services.PaymentRow]) -> list[dict[str, Any]]:
        return [
            {
                "url": reverse("finance:arena", args=[row.arena_id]),
                "name": row.arena_name,
                "amount": nok(row.amount),
                "invoiced": row.invoiced,
                "own_share": nok(row.own_share) if row.own_share else "",
            }
            for row in rows
        ]

    def compute() -> dict[Any, Any]:
        by_year = _payments_by_year(municipality, internal)
        parts: dict[Any, Any] = {y: shown(rows) for y, rows in by_year.items()}
        parts["years"] = [
            (y, sum((r.amount for r in by_year[y]), Decimal("0.00")))
            for y in sorted(by_year, reverse=True)
        ]
        return parts

    key = (municipality.pk, internal)
    years: list[tuple[int, Decimal]] = cached_part(
        "finance-municipality", compute, "years", [], *key
    )
    raw_year = request.GET.get("year", "")
    known = {y for y, _sum in years}
    year = int(raw_year) if raw_year.isdigit() and int(raw_year) in known else None
    if year is None and years:
        year = years[0][0]
    rows: list[dict[str, Any]] = []
    if year is not None:
        rows = cached_part("finance-municipality", compute, year, [], *key)
    page = Paginator(rows, PAYMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/municipality.html",
        {"municipality": municipality, "rows": page, "page": page, "year": year, "years": years},
    )
