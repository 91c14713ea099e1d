"""The invoice run pages: made, approved, issued, made again or deleted, and the run's
summaries (chart, CSV, Excel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import is_secretariat, require
from samarbeid.core.forms import MISSING_VERSION, apply_validation_error
from samarbeid.core.versioning import VersionConflict
from samarbeid.finance import outputs
from samarbeid.finance.access import (
    can_manage_finance,
    runs_visible_to,
)
from samarbeid.finance.figures import run_summary
from samarbeid.finance.forms import (
    RunAccountForm,
    RunForm,
)
from samarbeid.finance.jobs import ACTIONS, start_draft, start_draft_all, start_run_action
from samarbeid.finance.models import (
    InvoiceRun,
)
from samarbeid.finance.run_steps import approval_problems, delete_run, set_run_account
from samarbeid.finance.views.common import require_manage, visible_arena
from samarbeid.finance.views.overview import arena_page, index

# Runs ----------------------------------------------------------------------------------------


@login_required
@require_POST
def run_create(request: HttpRequest, pk: int) -> HttpResponse:
    arena = visible_arena(request, pk)
    require_manage(request, arena)
    form = RunForm(request.POST)
    # drafted in the background (a national run takes seconds): the task's page follows it
    # and says what happens (no success message here: it would stay above a failure)
    if form.is_valid():
        return redirect(
            start_draft(arena, form.cleaned_data["year"], form.options(), actor=request.user)
        )
    return arena_page(request, arena, run_form=form)


@login_required
@require_POST
def runs_create_all(request: HttpRequest) -> HttpResponse:
    """Draft every arena's run for a year (each with a budget and no run yet), in the
    background: a secretariat for every arena."""
    require(is_secretariat(request.user, None))
    form = RunForm(request.POST, prefix="alle")  # as on the finance index page
    if not form.is_valid():
        return index(request, all_runs_form=form)
    job = start_draft_all(form.cleaned_data["year"], form.options(), actor=request.user)
    return redirect(job)  # its page says what happens


def _run(request: HttpRequest, pk: int) -> InvoiceRun:
    return get_object_or_404(runs_visible_to(request.user).select_related("arena", "seller"), pk=pk)


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_page(request, _run(request, pk))


def _run_page(
    request: HttpRequest, run: InvoiceRun, account_form: RunAccountForm | None = None
) -> HttpResponse:
    invoices = run.invoices.select_related("buyer", "credited").order_by("buyer__code", "number")
    summary = run_summary(run)
    can_manage = can_manage_finance(request.user, run.arena)
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
            "approval_problems": approval_problems(run) if draft and can_manage else {},
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
    require_manage(request, run.arena)
    form = RunAccountForm(request.POST)
    if form.is_valid():
        try:
            set_run_account(
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


# What a run's buttons do, and what the page says when it is done: deleting a draft at
# once; approving, issuing and making it again as background tasks (finance.jobs.ACTIONS).
_ACTIONS: dict[str, tuple[Callable[..., object], Any]] = {
    "delete": (delete_run, gettext_lazy("Utkastet er slettet.")),
}


@login_required
@require_POST
def run_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    run = _run(request, pk)
    require_manage(request, run.arena)
    if action not in _ACTIONS and action not in ACTIONS:
        raise Http404
    version_text = request.POST.get("version", "")
    if not version_text.isdigit():
        messages.error(request, MISSING_VERSION)
        return redirect(run)
    if action in ACTIONS:
        job = start_run_action(run, action, int(version_text), actor=request.user)
        return redirect(job)  # its page says what happens
    act, done = _ACTIONS[action]
    try:
        act(run, expected_version=int(version_text), actor=request.user)
    except VersionConflict:
        messages.error(request, _("Kjøringen er endret av noen andre; se den oppdaterte siden."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(done))
        if action == "delete":
            return redirect("finance:arena", pk=run.arena_id)
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
