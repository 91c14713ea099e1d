"""Decisions in the API: recording a decision or treatment, its outcome, passing a lapsed
treatment on, and votes in an arena's own body."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import optional_token_user
from samarbeid.audit.models import Channel
from samarbeid.core import dates
from samarbeid.core.api_endpoints import sent, writes
from samarbeid.core.api_forms import api_update, bind, valid
from samarbeid.core.api_schemas import MunicipalityNumber, Problem, ref
from samarbeid.core.paging import Pagination
from samarbeid.core.records import record_for
from samarbeid.governance.api.references import referenced
from samarbeid.governance.forms import (
    ConcludeForm,
    DecisionForm,
    TransferForm,
    TreatmentForm,
    VoteForm,
)
from samarbeid.governance.models import Case, Decision, Vote
from samarbeid.governance.services.decisions import (
    can_change_decision,
    record_decision,
    update_decision,
)
from samarbeid.governance.services.treatments import transfer_to_successor
from samarbeid.governance.services.votes import cast_vote, conclude_vote
from samarbeid.governance.visibility import board_decisions, visible_cases
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import resolve_number, unknown_number

router = Router()


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


class DecisionRecordIn(Schema):
    """An adopted decision recorded together with the change that rests on it (a
    membership, a project's participation); each use declares the bodies it takes (`body`)."""

    case_number: str = Field("", max_length=50)
    meeting_date: date
    outcome: Literal["adopted", "adopted_with_changes"] = "adopted"
    text: str = ""
    minutes_url: str = Field("", max_length=200)


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
    municipality: MunicipalityNumber | None
    arena: int | None = ref("arena")
    case: int | None = ref("case")
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


def _municipality(number: str, day: date | None) -> Municipality:
    """The municipality that had `number` on `day`: a number not in use then is the
    payload's error (422 on the field), not a missing page."""
    found = resolve_number(number, day)
    if found is None:
        raise ValidationError({"municipality": unknown_number(number, day)})
    return found


@router.post(
    "/decisions",
    **writes(201, DecisionOut),
    summary="Record a decision or a pending treatment",
)
def create_decision(request: HttpRequest, payload: DecisionIn) -> Status[Decision]:
    """The decision page's form (the municipality named by its number on the meeting day)."""
    values = payload.dict(exclude={"case"})
    dates.check_fields(Decision, values)  # before the municipality is read on the day
    if payload.municipality:
        values["municipality"] = _municipality(
            payload.municipality, payload.meeting_date or payload.planned_date
        ).pk
    else:
        values["municipality"] = None
    case = get_object_or_404(Case, pk=payload.case) if payload.case is not None else None
    form = bind(DecisionForm, values, instance=Decision(case=case), user=request.user)
    referenced(form, values, "arena")
    decision = record_decision(
        valid(form).save(commit=False), actor=request.user, channel=Channel.API
    )
    return Status(201, decision)


@router.patch(
    "/decisions/{decision_id}",
    **writes(200, DecisionOut),
    summary="Record the outcome of a treatment (with the version read)",
)
def patch_decision(request: HttpRequest, decision_id: int, payload: DecisionPatch) -> Decision:
    """The treatment page's form, on the fields sent."""
    decision = record_for(
        request.user,
        Decision.objects.select_related("case", "municipality", "arena"),
        decision_id,
        may_change=can_change_decision,
    )
    data = sent(payload)
    form = bind(TreatmentForm, data, instance=decision)
    return api_update(request, form, update_decision, version=payload.version, only=data)


@router.post(
    "/decisions/{decision_id}/transfer",
    **writes(200, TransferOut),
    summary="Pass a lapsed treatment on to the successor municipality (the secretariat)",
)
def post_transfer(request: HttpRequest, decision_id: int, payload: TransferIn) -> dict[str, object]:
    decision = get_object_or_404(
        Decision.objects.select_related("case", "case__arena", "municipality"),
        pk=decision_id,
        case__in=visible_cases(request.user),
    )
    form = valid(bind(TransferForm, payload.dict()))
    created = transfer_to_successor(
        decision,
        planned_date=form.cleaned_data["planned_date"],
        expected_version=form.cleaned_data["version"],
        actor=request.user,
        channel=Channel.API,
    )
    return {"transferred": decision, "created": created}


class VoteListOut(Schema):
    id: int
    municipality: str = Field(description="Municipality number")
    municipality_name: str
    choice: str

    @staticmethod
    def resolve_municipality(obj: Vote) -> str:
        return obj.municipality.number

    @staticmethod
    def resolve_municipality_name(obj: Vote) -> str:
        return obj.municipality.name


@router.get(
    "/decisions/{decision_id}/votes",
    response={200: list[VoteListOut], 404: Problem},
    summary="The votes cast on a decision of an arena's own body",
)
@paginate(Pagination)
def list_votes(request: HttpRequest, decision_id: int) -> QuerySet[Vote]:
    """As the votes page shows them: a decision of the body of an arena the caller may see;
    another decision is 404."""
    optional_token_user(request)
    decision = get_object_or_404(board_decisions(request.user), pk=decision_id)
    return decision.votes.select_related("municipality").order_by("municipality__number", "id")


@router.post(
    "/decisions/{decision_id}/votes",
    **writes(201, VoteOut),
    summary="Record one member's vote in an arena's own body",
)
def post_vote(request: HttpRequest, decision_id: int, payload: VoteIn) -> Status[dict[str, object]]:
    decision = get_object_or_404(Decision.objects.select_related("arena"), pk=decision_id)
    day = decision.meeting_date or decision.planned_date
    municipality = _municipality(payload.municipality, day)
    # The page's form, offering the one municipality the number names that day (the page
    # offers the caller's voters; the service refuses a vote the caller may not cast: 403)
    form = valid(
        bind(
            VoteForm,
            {**payload.dict(), "municipality": municipality.pk},
            municipalities=Municipality.objects.filter(pk=municipality.pk),
        )
    )
    vote = cast_vote(
        decision,
        form.cleaned_data["municipality"],
        form.cleaned_data["choice"],
        actor=request.user,
        channel=Channel.API,
    )
    return Status(201, {"id": vote.pk, "municipality": payload.municipality, "choice": vote.choice})


@router.post(
    "/decisions/{decision_id}/conclude",
    **writes(200, DecisionOut),
    summary="Close a vote: the outcome is computed from the votes under the arena's rule",
)
def post_conclude(request: HttpRequest, decision_id: int, payload: ConcludeIn) -> Decision:
    decision = get_object_or_404(Decision.objects.select_related("arena", "case"), pk=decision_id)
    form = valid(bind(ConcludeForm, payload.dict()))
    conclude_vote(
        decision,
        meeting_date=form.cleaned_data["meeting_date"],
        expected_version=form.cleaned_data["version"],
        actor=request.user,
        channel=Channel.API,
    )
    return decision
