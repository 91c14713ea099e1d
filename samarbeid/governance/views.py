from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
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
from samarbeid.core.forms import edit_page, form_page, submit
from samarbeid.core.versioning import VersionConflict
from samarbeid.governance import as_of
from samarbeid.governance.case_list import with_treatment_counts
from samarbeid.governance.forms import (
    NOT_SECRETARIAT,
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
from samarbeid.governance.models import Case, Decision, ProcessPlan, ProcessStep
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


def _visible_treatment(request: HttpRequest, pk: int) -> tuple[Decision, Case]:
    """A treatment (one body's decision on a case) of a case the user may see, with its
    case; 404 otherwise."""
    decision = get_object_or_404(
        Decision.objects.select_related("case__arena", "municipality", "arena"),
        pk=pk,
        case__in=visible_cases(request.user),
    )
    case = decision.case
    assert case is not None
    return decision, case


@login_required
@require_POST
def treatment_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Pass a lapsed treatment on to the successor ("overfør til etterfølger")."""
    decision, case = _visible_treatment(request, pk)
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
    return form_page(
        request,
        form,
        lambda: open_case(
            form.save(commit=False),
            actor=request.user,
            send_to_members=form.cleaned_data["send_to_members"],
            planned_date=form.cleaned_data["planned_date"],
        ),
        success=_("Saken er opprettet."),
        template="governance/case_form.html",
        refused=("arena", NOT_SECRETARIAT),
    )


@login_required
def treatment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one body's treatment of a case (outcome, date, case number, minutes)."""
    decision, case = _visible_treatment(request, pk)
    require(can_change_decision(request.user, decision))
    return edit_page(
        request,
        TreatmentForm(request.POST or None, instance=decision),
        update_decision,
        success=_("Behandlingen er registrert."),
        template="governance/treatment_form.html",
        context={"decision": decision, "case": case},
        then=case,
    )


def _after_decision(decision: Decision) -> Any:
    """Where a recorded decision is followed: its votes, when the arena's board votes on it."""
    if decision.body == Decision.Body.ARENA_BOARD and decision.voting_rule:
        return reverse("governance:votes", args=[decision.pk])
    return decision.arena or "core:home"


@login_required
def decision_create(request: HttpRequest) -> HttpResponse:
    # The secretariat, or a coordinator for the own municipality; a reader records nothing.
    if not (is_any_secretariat(request.user) or coordinator_municipality_ids(request.user)):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, user=request.user, offer_recordable=True)
    return form_page(
        request,
        form,
        lambda: record_decision(form.save(commit=False), actor=request.user),
        success=_("Vedtaket er registrert."),
        template="governance/decision_form.html",
        then=_after_decision,
        refused=(None, _("Du har ikke tilgang til å registrere dette vedtaket.")),
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
    result = submit(
        request,
        vote_form,
        lambda: cast_vote(
            decision,
            vote_form.cleaned_data["municipality"],
            vote_form.cleaned_data["choice"],
            actor=request.user,
        ),
        _("Stemmen er registrert."),
    )
    if result.done:
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
    form.instance.plan = plan
    result = submit(
        request,
        form,
        lambda: add_step(form.save(commit=False), actor=request.user),
        _("Steget er lagt til."),
    )
    if result.done:
        return redirect(plan)
    return _plan_page(request, plan, form)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if not is_any_secretariat(request.user):
        raise PermissionDenied
    form = PlanForm(request.POST or None, user=request.user, offer_recordable=True)
    return form_page(
        request,
        form,
        lambda: create_plan(form.save(commit=False), actor=request.user),
        success=_("Prosessplanen er opprettet."),
        template="governance/plan_form.html",
        refused=("arena", NOT_SECRETARIAT),
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
    return form_page(
        request,
        form,
        lambda: mark_step_done(
            step,
            form.cleaned_data["done_date"],
            expected_version=form.cleaned_data.get("version"),
            actor=request.user,
        ),
        success=_("Steget er markert som utført."),
        template="governance/step_done.html",
        context={"step": step},
        then=step.plan,
    )


def plan_ics(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(visible_process_plans(request.user), pk=pk)
    body = plan_to_ics(plan, list(plan.steps.select_related("case")), domain=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="prosessplan-{plan.pk}.ics"'
    return response
