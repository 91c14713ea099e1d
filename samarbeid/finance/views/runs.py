"""The invoice run pages: made, approved, issued, made again (as background tasks, refused
at once when they cannot succeed) or deleted (after confirmation), and the run's summaries
(chart, CSV, Excel)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samarbeid.arenas.access import visible_arena
from samarbeid.core.forms import MISSING_VERSION, apply_validation_error, confirm_delete, submit
from samarbeid.core.versioning import VersionConflict
from samarbeid.finance import outputs
from samarbeid.finance.access import (
    can_manage_finance,
    require_draft_all,
    runs_visible_to,
)
from samarbeid.finance.figures import invoiced_label, run_summary
from samarbeid.finance.forms import (
    IssueForm,
    RunAccountForm,
    RunForm,
)
from samarbeid.finance.jobs import ACTIONS, start_draft, start_draft_all, start_run_action
from samarbeid.finance.models import (
    InvoiceRun,
)
from samarbeid.finance.run_pending import pending_action, pending_refusal
from samarbeid.finance.run_steps import (
    approval_problems,
    delete_run,
    not_draft,
    set_run_account,
)
from samarbeid.finance.views.common import require_manage
from samarbeid.finance.views.overview import arena_page, index

# Runs ----------------------------------------------------------------------------------------


@login_required
@require_POST
def run_create(request: HttpRequest, pk: int) -> HttpResponse:
    arena = visible_arena(request.user, pk)
    require_manage(request, arena)
    form = RunForm(request.POST)
    # drafted in the background (a national run takes seconds): the task's page follows it
    # and says what happens (no success message here: it would stay above a failure); a
    # draft refused before queueing (the year has a run, …) is said on the form
    done = submit(
        request,
        form,
        lambda: start_draft(arena, form.cleaned_data["year"], form.options(), actor=request.user),
        None,
    )
    if done.saved is not None:
        return redirect(done.saved)
    return arena_page(request, arena, run_form=form)


@login_required
@require_POST
def runs_create_all(request: HttpRequest) -> HttpResponse:
    """Draft every arena's run for a year (each with a budget and no run yet), in the
    background: a secretariat for every arena."""
    require_draft_all(request.user)
    form = RunForm(request.POST, prefix="alle")  # as on the finance index page
    # a year no arena can be drafted for is refused on the form, nothing queued
    done = submit(
        request,
        form,
        lambda: start_draft_all(form.cleaned_data["year"], form.options(), actor=request.user),
        None,
    )
    if done.saved is not None:
        return redirect(done.saved)
    return index(request, all_runs_form=form)


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
            "invoiced_label": invoiced_label(run, summary.credited),
            "can_manage": can_manage,
            "approval_problems": approval_problems(run) if draft and can_manage else {},
            # a run drafted long ago would reach its buyers overdue: said before it is issued
            "overdue": can_manage
            and run.status != InvoiceRun.Status.ISSUED
            and run.due_date < timezone.localdate(),
            # an action queued on the run that still waits or runs: no other is offered
            "pending": pending_action(run) if can_manage and run.status != "issued" else None,
            # issuing a run whose due date has passed asks for a new one (or to keep it)
            "issue_form": IssueForm(),
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


@login_required
@require_POST
def run_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve, issue or make again a run, as a background task (finance.jobs.ACTIONS):
    refused at once, with the reason on the run's page and nothing queued, when the run has
    changed since it was shown or is in no state for it. Issuing reads what the page asks
    of a due date that has passed (IssueForm: a new due date, or to keep it)."""
    run = _run(request, pk)
    require_manage(request, run.arena)
    if action not in ACTIONS:
        raise Http404
    version_text = request.POST.get("version", "")
    if not version_text.isdigit():
        messages.error(request, MISSING_VERSION)
        return redirect(run)
    due = None
    if action == "issue":
        form = IssueForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    messages.error(request, f"{form.fields[field].label}: {error}")
            return redirect(run)
        due = form.due()
    try:
        job = start_run_action(run, action, int(version_text), actor=request.user, due=due)
    except VersionConflict:
        messages.error(request, _("Kjøringen er endret av noen andre; se den oppdaterte siden."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        return redirect(job)  # its page says what happens (no success message above a failure)
    return redirect(run)


@login_required
def run_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Discard a draft run with its invoices, after confirmation (the product's delete
    page); an approved or issued run is refused there with the reason."""

    def load() -> InvoiceRun:
        run = _run(request, pk)
        require_manage(request, run.arena)
        return run

    def context(run: InvoiceRun) -> dict[str, Any]:
        refusal = ""
        if run.status != InvoiceRun.Status.DRAFT:
            refusal = str(not_draft(run))  # as delete_run words it
        elif (pending := pending_action(run)) is not None:
            refusal = pending_refusal(pending)
        return {
            "run": run,
            "arena": run.arena,
            "invoice_count": run.invoices.count(),
            "refusal": refusal,
        }

    def delete(run: InvoiceRun, version: int | None) -> None:
        delete_run(run, expected_version=version, actor=request.user)

    return confirm_delete(
        request,
        "finance/run_confirm_delete.html",
        load,
        context,
        delete,
        _("Utkastet er slettet."),
        lambda run: reverse("finance:arena", args=[run.arena_id]),
    )


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
