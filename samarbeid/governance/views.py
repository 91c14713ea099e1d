from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samarbeid.accounts.permissions import (
    can_edit_arena,
    can_record_decision,
    coordinator_municipality_ids,
    is_any_secretariat,
    require,
)
from samarbeid.core.forms import apply_validation_error, save_changes, submit
from samarbeid.core.versioning import VersionConflict
from samarbeid.governance import as_of
from samarbeid.governance.case_list import with_treatment_counts
from samarbeid.governance.forms import (
    CaseForm,
    ConcludeForm,
    DecisionForm,
    PlanForm,
    StepDoneForm,
    StepForm,
    TransferForm,
    TreatmentForm,
    VoteForm,
)
from samarbeid.governance.ics import plan_to_ics
from samarbeid.governance.models import Decision, ProcessPlan, ProcessStep
from samarbeid.governance.services.cases import open_case
from samarbeid.governance.services.decisions import (
    can_change_decision,
    may_record,
    record_decision,
    update_decision,
)
from samarbeid.governance.services.process_plans import add_step, create_plan, mark_step_done
from samarbeid.governance.services.treatments import transfer_to_successor, treatment_board
from samarbeid.governance.services.votes import cast_vote, conclude_vote
from samarbeid.governance.visibility import board_decisions, visible_cases, visible_process_plans
from samarbeid.registry.models import Municipality


def case_list(request: HttpRequest) -> HttpResponse:
    as_of_form, day = as_of.as_of_form(request.GET)
    cases = (
        with_treatment_counts(visible_cases(request.user), day)
        .select_related("arena")
        .order_by("-opened", "title")
    )
    return render(
        request,
        "governance/case_list.html",
        {
            "cases": cases,
            "as_of_form": as_of_form,
            "day": day,
            "plans": visible_process_plans(request.user).select_related("arena"),
            "can_create": is_any_secretariat(request.user),
        },
    )


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user).select_related("arena", "project"), pk=pk)
    as_of_form, day = as_of.as_of_form(request.GET)
    board = treatment_board(case, day)
    editable = {
        row.decision.pk
        for row in board.rows
        if row.state != row.TRANSFERRED and may_record(request.user, row.decision)
    }
    can_transfer = can_record_decision(request.user, municipality=None, arena=case.arena)
    return render(
        request,
        "governance/case_detail.html",
        {
            "case": case,
            "board": board,
            "as_of_form": as_of_form,
            "day": day,
            "decisions": [row.decision for row in board.rows],
            "editable": editable,
            "transferable": {r.decision.pk for r in board.rows if r.can_transfer}
            if can_transfer
            else set(),
        },
    )


@login_required
@require_POST
def treatment_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Pass a lapsed treatment on to the successor ("overfør til etterfølger")."""
    decision = get_object_or_404(
        Decision.objects.select_related("case", "case__arena", "municipality"),
        pk=pk,
        case__in=visible_cases(request.user),
    )
    case = decision.case
    assert case is not None
    require(can_record_decision(request.user, municipality=None, arena=case.arena))
    form = TransferForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(case)
    try:
        created = transfer_to_successor(
            decision,
            planned_date=form.cleaned_data["planned_date"],
            expected_version=form.cleaned_data.get("version"),
            actor=request.user,
        )
    except VersionConflict:
        messages.error(request, _("Noen andre har lagret en nyere versjon. Last siden på nytt."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        names = ", ".join(str(d.municipality) for d in created) or "–"
        messages.success(
            request, _("Behandlingen er overført til etterfølgeren: %(m)s.") % {"m": names}
        )
    return redirect(case)


def _create_page(
    request: HttpRequest,
    form: forms.ModelForm[Any],
    create: Callable[[Any], Any],
    *,
    template: str,
    success: str,
    refused: tuple[str | None, str],
    done: Callable[[Any], HttpResponse] = redirect,
) -> HttpResponse:
    """The one shape of a governance create page: on a valid POST, `create(record)` calls
    the service; its ValidationError goes on the form, its refusal on the field `refused`
    names (the choice the user may not make), and else `done(record)` after `success`."""
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        try:
            create(record)
        except ValidationError as exc:
            record.pk = None
            apply_validation_error(form, exc)
        except PermissionDenied:
            record.pk = None
            form.add_error(refused[0], refused[1])
        else:
            messages.success(request, success)
            return done(record)
    return render(request, template, {"form": form})


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    if not is_any_secretariat(request.user):
        raise PermissionDenied
    form = CaseForm(
        request.POST or None,
        user=request.user,
        offer_recordable=True,
        initial={"opened": timezone.localdate()},
    )
    return _create_page(
        request,
        form,
        lambda case: open_case(
            case,
            actor=request.user,
            send_to_members=form.cleaned_data["send_to_members"],
            planned_date=form.cleaned_data["planned_date"],
        ),
        template="governance/case_form.html",
        success=_("Saken er opprettet."),
        refused=("arena", _("Du er ikke sekretariat for denne arenaen.")),
    )


@login_required
def treatment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one body's treatment of a case (outcome, date, case number, minutes)."""
    decision = get_object_or_404(
        Decision.objects.select_related("case", "municipality", "arena"),
        pk=pk,
        case__in=visible_cases(request.user),
    )
    case = decision.case
    assert case is not None
    require(can_change_decision(request.user, decision))
    form = TreatmentForm(request.POST or None, instance=decision)
    result = submit(
        request,
        form,
        save_changes(request, form, update_decision),
        _("Behandlingen er registrert."),
    )
    if result.saved is not None:
        return redirect(case)
    return render(
        request,
        "governance/treatment_form.html",
        {"form": form, "decision": decision, "case": case, "conflict": result.conflict},
    )


def _after_decision(decision: Decision) -> HttpResponse:
    if decision.body == Decision.Body.ARENA_BOARD and decision.voting_rule:
        return redirect("governance:votes", pk=decision.pk)
    if decision.arena:
        return redirect(decision.arena)
    return redirect("core:home")


@login_required
def decision_create(request: HttpRequest) -> HttpResponse:
    # The secretariat, or a coordinator for the own municipality; a reader records nothing.
    if not (is_any_secretariat(request.user) or coordinator_municipality_ids(request.user)):
        raise PermissionDenied
    return _create_page(
        request,
        DecisionForm(request.POST or None, user=request.user, offer_recordable=True),
        lambda decision: record_decision(decision, actor=request.user),
        template="governance/decision_form.html",
        success=_("Vedtaket er registrert."),
        refused=(None, _("Du har ikke tilgang til å registrere dette vedtaket.")),
        done=_after_decision,
    )


def _board_decision(request: HttpRequest, pk: int) -> Decision:
    return get_object_or_404(board_decisions(request.user).select_related("arena", "case"), pk=pk)


def _vote_day(decision: Decision) -> date:
    return decision.meeting_date or decision.planned_date or timezone.localdate()


def _voters(request: HttpRequest, decision: Decision) -> QuerySet[Municipality]:
    """The members this user may cast a vote for: every member for the arena's
    secretariat, the coordinator's own municipality otherwise."""
    arena = decision.arena
    assert arena is not None
    member_ids = arena.memberships.active_on(_vote_day(decision)).values("municipality_id")
    allowed = Municipality.objects.filter(pk__in=member_ids).order_by("number")
    if not can_edit_arena(request.user, arena):
        allowed = allowed.filter(pk__in=coordinator_municipality_ids(request.user))
    return allowed


def _votes_page(
    request: HttpRequest,
    decision: Decision,
    vote_form: VoteForm | None = None,
    conclude_form: ConcludeForm | None = None,
) -> HttpResponse:
    arena = decision.arena
    assert arena is not None
    allowed = _voters(request, decision)
    if vote_form is None:
        vote_form = VoteForm(municipalities=allowed, prefix="v")
    if conclude_form is None:
        conclude_form = ConcludeForm(
            initial={"meeting_date": _vote_day(decision), "version": decision.version},
            prefix="c",
        )
    vote_list = list(decision.votes.select_related("municipality"))
    counts = {"for": 0, "against": 0, "abstain": 0}
    for vote in vote_list:
        if vote.choice in counts:
            counts[vote.choice] += 1
    return render(
        request,
        "governance/votes.html",
        {
            "decision": decision,
            "arena": arena,
            "votes": vote_list,
            "counts": counts,
            "vote_form": vote_form if allowed.exists() and not decision.is_decided else None,
            "conclude_form": conclude_form
            if can_edit_arena(request.user, arena) and not decision.is_decided
            else None,
        },
    )


@require_GET
def votes(request: HttpRequest, pk: int) -> HttpResponse:
    """The votes in an arena's own body, and the computed outcome. The forms post to
    `vote_cast` and `vote_conclude`."""
    return _votes_page(request, _board_decision(request, pk))


@login_required
@require_POST
def vote_cast(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _board_decision(request, pk)
    allowed = _voters(request, decision)
    require(allowed.exists())
    vote_form = VoteForm(request.POST, municipalities=allowed, prefix="v")
    if vote_form.is_valid():
        try:
            cast_vote(
                decision,
                vote_form.cleaned_data["municipality"],
                vote_form.cleaned_data["choice"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_validation_error(vote_form, exc)
        else:
            messages.success(request, _("Stemmen er registrert."))
            return redirect("governance:votes", pk=pk)
    return _votes_page(request, decision, vote_form=vote_form)


@login_required
@require_POST
def vote_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _board_decision(request, pk)
    require(can_edit_arena(request.user, decision.arena))
    conclude_form = ConcludeForm(request.POST, prefix="c")
    result = submit(
        request,
        conclude_form,
        lambda: conclude_vote(
            decision,
            meeting_date=conclude_form.cleaned_data["meeting_date"],
            expected_version=conclude_form.cleaned_data.get("version"),
            actor=request.user,
        ),
        _("Utfallet er beregnet og registrert."),
    )
    if result.saved is not None:
        return redirect("governance:votes", pk=pk)
    return _votes_page(request, decision, conclude_form=conclude_form)


def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "governance/plan_list.html",
        {
            "plans": visible_process_plans(request.user).select_related("arena"),
            "can_create": is_any_secretariat(request.user),
        },
    )


def _step_form(request: HttpRequest, plan: ProcessPlan, data: Any = None) -> StepForm:
    next_order = (plan.steps.aggregate(top=Max("order"))["top"] or 0) + 1
    return StepForm(data, user=request.user, initial={"order": next_order})


def _plan_page(
    request: HttpRequest, plan: ProcessPlan, form: StepForm | None = None
) -> HttpResponse:
    """The plan with each step's state as of the day asked for (GET `per`, default today)."""
    as_of_form, day = as_of.as_of_form(request.GET)
    rows = [(step, as_of.step_state(step, day)) for step in plan.steps.select_related("case")]
    can_edit = can_record_decision(request.user, municipality=None, arena=plan.arena)
    if can_edit and form is None:
        form = _step_form(request, plan)
    return render(
        request,
        "governance/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "form": form if can_edit else None,
            "can_edit": can_edit,
            "overdue": sum(1 for _step, state in rows if state == as_of.STEP_OVERDUE),
            "as_of_form": as_of_form,
            "day": day,
        },
    )


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan and its steps. The form for a new step posts to `step_add`."""
    return _plan_page(
        request,
        get_object_or_404(visible_process_plans(request.user).select_related("arena"), pk=pk),
    )


@login_required
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_process_plans(request.user).select_related("arena"), pk=pk)
    require(can_record_decision(request.user, municipality=None, arena=plan.arena))
    form = _step_form(request, plan, request.POST)
    if form.is_valid():
        step = form.save(commit=False)
        step.plan = plan
        try:
            add_step(step, actor=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Steget er lagt til."))
            return redirect(plan)
    return _plan_page(request, plan, form)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if not is_any_secretariat(request.user):
        raise PermissionDenied
    return _create_page(
        request,
        PlanForm(request.POST or None, user=request.user, offer_recordable=True),
        lambda plan: create_plan(plan, actor=request.user),
        template="governance/plan_form.html",
        success=_("Prosessplanen er opprettet."),
        refused=("arena", _("Du er ikke sekretariat for denne arenaen.")),
    )


@login_required
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(
        ProcessStep.objects.select_related("plan", "plan__arena"),
        pk=pk,
        plan__in=visible_process_plans(request.user),
    )
    require(can_record_decision(request.user, municipality=None, arena=step.plan.arena))
    form = StepDoneForm(
        request.POST or None,
        initial={"done_date": timezone.localdate(), "version": step.version},
    )
    result = submit(
        request,
        form,
        lambda: mark_step_done(
            step,
            form.cleaned_data["done_date"],
            expected_version=form.cleaned_data.get("version"),
            actor=request.user,
        ),
        _("Steget er markert som utført."),
    )
    if result.saved is not None:
        return redirect(step.plan)
    return render(request, "governance/step_done.html", {"form": form, "step": step})


def plan_ics(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_process_plans(request.user), pk=pk)
    body = plan_to_ics(plan, list(plan.steps.select_related("case")), domain=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="prosessplan-{plan.pk}.ics"'
    return response
