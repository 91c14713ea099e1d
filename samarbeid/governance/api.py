"""Cases with their treatment per body, decisions and votes. Mounted through the portfolio
router (samarbeid/portfolio/api.py) at /api/v1/."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH, optional_token_user
from samarbeid.accounts.permissions import is_internal
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import Problem
from samarbeid.core.paging import Pagination
from samarbeid.governance.models import Case, Decision, ProcessPlan, ProcessStep, Vote
from samarbeid.governance.services.cases import open_case, update_case
from samarbeid.governance.services.decisions import record_decision, update_decision
from samarbeid.governance.services.process_plans import add_step, create_plan, mark_step_done
from samarbeid.governance.services.treatments import transfer_to_successor, treatment_board
from samarbeid.governance.services.votes import cast_vote, conclude_vote
from samarbeid.registry.services import resolve_number

if TYPE_CHECKING:
    from samarbeid.portfolio.models import Project

router = Router(tags=["governance"])


class TreatmentOut(Schema):
    id: int
    body: str
    body_label: str
    municipality: str | None
    arena: int | None
    case_number: str
    planned_date: date | None
    meeting_date: date | None
    outcome: str
    state: str = Field(description="decided, pending, overdue, lapsed or transferred")
    lapsed_on: date | None = Field(description="The day the municipal change took effect")
    successors: list[str] = Field(description="Successor municipality numbers (lapsed rows)")
    note: str
    text: str
    minutes_url: str
    version: int


class CaseOut(Schema):
    id: int
    title: str
    description: str
    subject: str
    arena: int | None
    project: int | None
    document_title: str
    opened: date
    decided: int
    pending: int
    overdue: int = Field(description="Treatments that can still be done and are past due")
    lapsed: int = Field(description="Treatments closed by a municipal change")
    summary: str
    is_example_data: bool
    published: bool
    version: int = Field(description="Send it back with a change (optimistic locking)")
    treatments: list[TreatmentOut]


class CaseIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    arena: int | None = None
    subject: Case.Subject = Case.Subject.OTHER
    project: int | None = None
    document_title: str = Field("", max_length=200)
    opened: date
    published: bool = True
    send_to_members: bool = Field(
        False, description="Send the case to the council of every member of the arena"
    )
    planned_date: date | None = Field(
        None, description="Planned meeting date in the councils (with send_to_members)"
    )


class CasePatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None
    subject: Case.Subject | None = None
    project: int | None = None
    document_title: str | None = Field(None, max_length=200)
    opened: date | None = None
    published: bool | None = None


class DecisionIn(Schema):
    body: Decision.Body
    municipality: str | None = None
    arena: int | None = None
    case: int | None = None
    body_name: str = ""
    case_number: str = ""
    planned_date: date | None = None
    meeting_date: date | None = None
    outcome: Decision.Outcome = Decision.Outcome.PENDING
    voting_rule: str = ""
    text: str = ""
    minutes_url: str = ""


class DecisionPatch(Schema):
    version: int
    case_number: str | None = None
    planned_date: date | None = None
    meeting_date: date | None = None
    outcome: Decision.Outcome | None = None
    text: str | None = None
    minutes_url: str | None = None


class DecisionOut(Schema):
    id: int
    body: str
    body_label: str
    municipality: str | None
    arena: int | None
    case: int | None
    case_number: str
    planned_date: date | None
    meeting_date: date | None
    outcome: str
    voting_rule: str
    version: int


class VoteIn(Schema):
    municipality: str
    choice: Vote.Choice


class VoteOut(Schema):
    id: int
    municipality: str
    choice: str


class TransferIn(Schema):
    version: int = Field(ge=1, description="The version the treatment was read at")
    planned_date: date | None = Field(None, description="Planned meeting at the successor")


class TransferOut(Schema):
    transferred: DecisionOut
    created: list[DecisionOut]


class ConcludeIn(Schema):
    meeting_date: date
    version: int


def decision_out(d: Decision) -> dict[str, object]:
    return {
        "id": d.pk,
        "body": d.body,
        "body_label": d.body_label,
        "municipality": d.municipality.number if d.municipality else None,
        "arena": d.arena_id,
        "case": d.case_id,
        "case_number": d.case_number,
        "planned_date": d.planned_date,
        "meeting_date": d.meeting_date,
        "outcome": d.outcome,
        "voting_rule": d.voting_rule,
        "version": d.version,
    }


def _municipality(number: str, day: date | None) -> object:
    found = resolve_number(number, day)
    if found is None:
        raise Http404(f"No municipality {number}.")
    return found


@router.get(
    "/cases/{case_id}",
    response={200: CaseOut, 404: Problem},
    summary="One case with its treatment per body",
)
def get_case(request: HttpRequest, case_id: int) -> dict[str, object]:
    optional_token_user(request)
    case = get_object_or_404(_visible_cases(request), pk=case_id)
    return case_out(case)


def _visible_cases(request: HttpRequest) -> QuerySet[Case]:
    return Case.objects.all() if is_internal(request.user) else Case.objects.filter(published=True)


def case_out(case: Case) -> dict[str, object]:
    board = treatment_board(case)
    return {
        "id": case.pk,
        "title": case.title,
        "description": case.description,
        "subject": case.subject,
        "arena": case.arena_id,
        "project": case.project_id,
        "document_title": case.document_title,
        "opened": case.opened,
        "decided": board.decided,
        "pending": board.pending,
        "overdue": board.overdue,
        "lapsed": board.lapsed,
        "summary": board.summary,
        "is_example_data": case.is_example_data,
        "published": case.published,
        "version": case.version,
        "treatments": [
            {
                **decision_out(row.decision),
                "state": row.state,
                "lapsed_on": row.lapsed_on,
                "successors": [m.number for m in row.successors],
                "note": row.lapse_note,
                "text": row.decision.text,
                "minutes_url": row.decision.minutes_url,
            }
            for row in board.rows
        ],
    }


def _project(request: HttpRequest, project_id: int) -> Project:
    from samarbeid.portfolio.models import Project

    return get_object_or_404(Project.objects.visible_to(request.user), pk=project_id)


@router.post(
    "/cases",
    response={201: CaseOut, 403: Problem, 404: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Open a case (optionally sent at once to the council of every arena member)",
)
def post_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, object]]:
    case = Case(
        title=payload.title,
        description=payload.description,
        subject=payload.subject,
        document_title=payload.document_title,
        opened=payload.opened,
        published=payload.published,
    )
    if payload.arena is not None:
        case.arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=payload.arena)
    if payload.project is not None:
        case.project = _project(request, payload.project)
    open_case(
        case,
        actor=request.user,
        channel=Channel.API,
        send_to_members=payload.send_to_members,
        planned_date=payload.planned_date,
    )
    return Status(201, case_out(case))


@router.patch(
    "/cases/{case_id}",
    response={200: CaseOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Change a case's details (with the version read); treatments are PATCH /decisions",
)
def patch_case(request: HttpRequest, case_id: int, payload: CasePatch) -> dict[str, object]:
    case = get_object_or_404(_visible_cases(request).select_related("arena"), pk=case_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    if "project" in changes:
        project_id = changes.pop("project")
        changes["project"] = _project(request, project_id) if project_id is not None else None
    update_case(case, changes, expected_version=version, actor=request.user, channel=Channel.API)
    return case_out(case)


@router.post(
    "/decisions",
    response={201: DecisionOut, 403: Problem, 404: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Record a decision or a pending treatment",
)
def create_decision(request: HttpRequest, payload: DecisionIn) -> Status[dict[str, object]]:
    day = payload.meeting_date or payload.planned_date
    decision = Decision(
        body=payload.body,
        body_name=payload.body_name,
        case_number=payload.case_number,
        planned_date=payload.planned_date,
        meeting_date=payload.meeting_date,
        outcome=payload.outcome,
        voting_rule=payload.voting_rule,
        text=payload.text,
        minutes_url=payload.minutes_url,
    )
    if payload.municipality:
        decision.municipality = _municipality(payload.municipality, day)  # type: ignore[assignment]
    if payload.arena is not None:
        decision.arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=payload.arena)
    if payload.case is not None:
        decision.case = get_object_or_404(Case, pk=payload.case)
    record_decision(decision, actor=request.user, channel=Channel.API)
    return Status(201, decision_out(decision))


@router.patch(
    "/decisions/{decision_id}",
    response={200: DecisionOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Record the outcome of a treatment (with the version read)",
)
def patch_decision(
    request: HttpRequest, decision_id: int, payload: DecisionPatch
) -> dict[str, object]:
    decision = get_object_or_404(
        Decision.objects.select_related("case", "municipality", "arena"), pk=decision_id
    )
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    update_decision(
        decision, changes, expected_version=version, actor=request.user, channel=Channel.API
    )
    return decision_out(decision)


@router.post(
    "/decisions/{decision_id}/transfer",
    response={200: TransferOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Pass a lapsed treatment on to the successor municipality (the secretariat)",
)
def post_transfer(request: HttpRequest, decision_id: int, payload: TransferIn) -> dict[str, object]:
    decision = get_object_or_404(
        Decision.objects.select_related("case", "case__arena", "municipality"),
        pk=decision_id,
        case__in=_visible_cases(request),
    )
    created = transfer_to_successor(
        decision,
        planned_date=payload.planned_date,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return {
        "transferred": decision_out(decision),
        "created": [decision_out(d) for d in created],
    }


@router.post(
    "/decisions/{decision_id}/votes",
    response={201: VoteOut, 403: Problem, 404: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Record one member's vote in an arena's own body",
)
def post_vote(request: HttpRequest, decision_id: int, payload: VoteIn) -> Status[dict[str, object]]:
    decision = get_object_or_404(Decision.objects.select_related("arena"), pk=decision_id)
    day = decision.meeting_date or decision.planned_date
    municipality = _municipality(payload.municipality, day)
    vote = cast_vote(
        decision, municipality, payload.choice, actor=request.user, channel=Channel.API
    )
    return Status(201, {"id": vote.pk, "municipality": payload.municipality, "choice": vote.choice})


@router.post(
    "/decisions/{decision_id}/conclude",
    response={200: DecisionOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Close a vote: the outcome is computed from the votes under the arena's rule",
)
def post_conclude(request: HttpRequest, decision_id: int, payload: ConcludeIn) -> dict[str, object]:
    decision = get_object_or_404(Decision.objects.select_related("arena", "case"), pk=decision_id)
    conclude_vote(
        decision,
        meeting_date=payload.meeting_date,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return decision_out(decision)


# Process plans ---------------------------------------------------------------------------


class StepOut(Schema):
    id: int
    plan: int
    order: int
    title: str
    body: str
    planned_date: date
    planned_end: date | None
    done_date: date | None
    case: int | None
    overdue: bool
    version: int

    @staticmethod
    def resolve_plan(obj: ProcessStep) -> int:
        return obj.plan_id

    @staticmethod
    def resolve_case(obj: ProcessStep) -> int | None:
        return obj.case_id

    @staticmethod
    def resolve_overdue(obj: ProcessStep) -> bool:
        return obj.is_overdue


class PlanOut(Schema):
    id: int
    title: str
    description: str
    arena: int | None
    published: bool
    is_example_data: bool
    version: int

    @staticmethod
    def resolve_arena(obj: ProcessPlan) -> int | None:
        return obj.arena_id


class PlanDetailOut(PlanOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj: ProcessPlan) -> list[ProcessStep]:
        return list(obj.steps.all())


class PlanIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    arena: int | None = None
    published: bool = True


class StepIn(Schema):
    order: int = Field(ge=1, le=10_000)
    title: str = Field(min_length=1, max_length=200)
    body: str = Field("", max_length=200, description="The body that takes the step")
    planned_date: date
    planned_end: date | None = None
    case: int | None = None


class StepDoneIn(Schema):
    done_date: date
    version: int = Field(ge=1, description="The version the step was read at")


def _visible_plans(request: HttpRequest) -> QuerySet[ProcessPlan]:
    plans = ProcessPlan.objects.all()
    return plans if is_internal(request.user) else plans.filter(published=True)


def _plan(request: HttpRequest, plan_id: int) -> ProcessPlan:
    return get_object_or_404(
        _visible_plans(request).select_related("arena").prefetch_related("steps"), pk=plan_id
    )


@router.get("/process-plans", response=list[PlanOut], summary="List process plans")
@paginate(Pagination)
def list_plans(request: HttpRequest) -> QuerySet[ProcessPlan]:
    optional_token_user(request)
    return _visible_plans(request).order_by("title", "id")


@router.get(
    "/process-plans/{plan_id}",
    response={200: PlanDetailOut, 404: Problem},
    summary="One process plan with its steps in order",
)
def get_plan(request: HttpRequest, plan_id: int) -> ProcessPlan:
    optional_token_user(request)
    return _plan(request, plan_id)


@router.post(
    "/process-plans",
    response={201: PlanDetailOut, 403: Problem, 404: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Create a process plan",
)
def post_plan(request: HttpRequest, payload: PlanIn) -> Status[ProcessPlan]:
    plan = ProcessPlan(
        title=payload.title, description=payload.description, published=payload.published
    )
    if payload.arena is not None:
        plan.arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=payload.arena)
    create_plan(plan, actor=request.user, channel=Channel.API)
    return Status(201, _plan(request, plan.pk))


@router.post(
    "/process-plans/{plan_id}/steps",
    response={201: StepOut, 403: Problem, 404: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Add a step to a process plan",
)
def post_step(request: HttpRequest, plan_id: int, payload: StepIn) -> Status[ProcessStep]:
    plan = _plan(request, plan_id)
    step = ProcessStep(
        plan=plan,
        order=payload.order,
        title=payload.title,
        body=payload.body,
        planned_date=payload.planned_date,
        planned_end=payload.planned_end,
        is_example_data=plan.is_example_data,
    )
    if payload.case is not None:
        step.case = get_object_or_404(_visible_cases(request), pk=payload.case)
    add_step(step, actor=request.user, channel=Channel.API)
    return Status(201, step)


@router.post(
    "/process-steps/{step_id}/done",
    response={200: StepOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Mark a plan's step as done (with the version read)",
)
def post_step_done(request: HttpRequest, step_id: int, payload: StepDoneIn) -> ProcessStep:
    step = get_object_or_404(
        ProcessStep.objects.select_related("plan", "plan__arena"),
        pk=step_id,
        plan__in=_visible_plans(request),
    )
    mark_step_done(
        step,
        payload.done_date,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return step
