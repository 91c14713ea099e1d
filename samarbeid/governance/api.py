"""Cases with their treatment per body, decisions and votes. Mounted through the portfolio
router (samarbeid/portfolio/api.py) at /api/v1/."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from samarbeid.accounts.api_auth import WRITE_AUTH, optional_token_user
from samarbeid.accounts.permissions import is_internal
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import Problem
from samarbeid.governance.models import Case, Decision, Vote
from samarbeid.governance.services import (
    cast_vote,
    conclude_vote,
    record_decision,
    treatment_board,
    update_decision,
)
from samarbeid.registry.services import resolve_number

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
    state: str
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
    overdue: int
    summary: str
    is_example_data: bool
    treatments: list[TreatmentOut]


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
    cases = Case.objects.all() if is_internal(request.user) else Case.objects.filter(published=True)
    case = cases.filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case.")
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
        "summary": board.summary,
        "is_example_data": case.is_example_data,
        "treatments": [
            {
                **decision_out(row.decision),
                "state": row.state,
                "text": row.decision.text,
                "minutes_url": row.decision.minutes_url,
            }
            for row in board.rows
        ],
    }


@router.post(
    "/decisions",
    response={201: DecisionOut, 403: Problem, 404: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Record a decision or a pending treatment",
)
def create_decision(request: HttpRequest, payload: DecisionIn) -> tuple[int, dict[str, object]]:
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
    return 201, decision_out(decision)


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
    "/decisions/{decision_id}/votes",
    response={201: VoteOut, 403: Problem, 404: Problem, 422: Problem},
    auth=WRITE_AUTH,
    summary="Record one member's vote in an arena's own body",
)
def post_vote(
    request: HttpRequest, decision_id: int, payload: VoteIn
) -> tuple[int, dict[str, object]]:
    decision = get_object_or_404(Decision.objects.select_related("arena"), pk=decision_id)
    day = decision.meeting_date or decision.planned_date
    municipality = _municipality(payload.municipality, day)
    vote = cast_vote(
        decision, municipality, payload.choice, actor=request.user, channel=Channel.API
    )
    return 201, {"id": vote.pk, "municipality": payload.municipality, "choice": vote.choice}


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
