"""Cases in the API: the case list, a case with its treatment per body, opening and changing
a case."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import optional_token_user
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import sent, writes
from samarbeid.core.api_forms import api_update, bind, valid
from samarbeid.core.api_schemas import MunicipalityNumber, Problem, ref
from samarbeid.core.paging import Pagination
from samarbeid.core.records import record_for
from samarbeid.governance.api.references import PER_HELP, referenced
from samarbeid.governance.as_of import as_of_day
from samarbeid.governance.case_list import with_treatment_counts
from samarbeid.governance.forms import CaseForm
from samarbeid.governance.models import Case
from samarbeid.governance.services.cases import can_change_case, open_case, update_case
from samarbeid.governance.services.treatments import treatment_board
from samarbeid.governance.visibility import visible_cases

router = Router()


# A row of the case's treatment board (`Treatment`): its council decision, and its state on
# the day asked for.
class TreatmentOut(Schema):
    id: int = Field(alias="decision.pk")
    body: str = Field(alias="decision.body")
    body_label: str = Field(alias="decision.body_label")
    municipality: MunicipalityNumber | None = Field(alias="decision.municipality")
    arena: int | None = Field(alias="decision.arena_id")
    case_number: str = Field(alias="decision.case_number")
    planned_date: date | None = Field(alias="decision.planned_date")
    meeting_date: date | None = Field(alias="decision.meeting_date")
    outcome: str = Field(alias="decision.outcome")
    state: str = Field(description="decided, pending, overdue, lapsed or transferred")
    lapsed_on: date | None = Field(description="The day the municipal change took effect")
    successors: list[MunicipalityNumber] = Field(
        description="Successor municipality numbers (lapsed rows)"
    )
    note: str = Field(alias="lapse_note")
    text: str = Field(alias="decision.text")
    minutes_url: str = Field(alias="decision.minutes_url")
    version: int = Field(alias="decision.version")


# A case read with its treatment board as of a day (`case_out`).
class CaseOut(Schema):
    id: int
    title: str
    description: str
    subject: str
    arena: int | None = ref("arena")
    project: int | None = ref("project")
    document_title: str
    opened: date
    decided: int = Field(alias="board.decided")
    pending: int = Field(alias="board.pending")
    overdue: int = Field(
        alias="board.overdue", description="Treatments that can still be done and are past due"
    )
    lapsed: int = Field(alias="board.lapsed", description="Treatments closed by a municipal change")
    summary: str = Field(alias="board.summary")
    is_example_data: bool
    published: bool
    version: int = Field(description="Send it back with a change (optimistic locking)")
    as_of: date = Field(
        alias="board.day", description="The day the treatments are judged against (`per`)"
    )
    treatments: list[TreatmentOut] = Field(alias="board.rows")


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


class CaseListOut(Schema):
    id: int
    title: str
    subject: str
    arena: int | None
    arena_short_name: str | None
    project: int | None
    opened: date
    treatments: int = Field(description="Treatments of the case, one per body")
    decided: int = Field(description="Treatments with an outcome")
    overdue: int = Field(description="Treatments that can still be done and are past due")
    is_example_data: bool
    published: bool
    version: int

    @staticmethod
    def resolve_arena(obj: Case) -> int | None:
        return obj.arena_id

    @staticmethod
    def resolve_arena_short_name(obj: Case) -> str | None:
        return obj.arena.short_name if obj.arena is not None else None

    @staticmethod
    def resolve_project(obj: Case) -> int | None:
        return obj.project_id

    @staticmethod
    def resolve_treatments(obj: Any) -> int:
        return int(obj.total)


@router.get(
    "/cases",
    response=list[CaseListOut],
    summary="List cases with how many treatments are decided and overdue, newest first",
)
@paginate(Pagination)
def list_cases(
    request: HttpRequest, arena: int | None = None, per: str = Query("", description=PER_HELP)
) -> QuerySet[Case]:
    """The cases the caller may see (the unpublished only for internal users), as the case
    list page counts them as of `per`; `arena` keeps one arena's cases."""
    optional_token_user(request)
    day = as_of_day({"per": per})
    cases = visible_cases(request.user)
    if arena is not None:
        cases = cases.filter(arena_id=arena)
    return (
        with_treatment_counts(cases, day).select_related("arena").order_by("-opened", "title", "id")
    )


@router.get(
    "/cases/{case_id}",
    response={200: CaseOut, 404: Problem, 422: Problem},
    summary="One case with its treatment per body",
)
def get_case(
    request: HttpRequest, case_id: int, per: str = Query("", description=PER_HELP)
) -> Case:
    """The case's treatment board as it stood on `per` (default today)."""
    optional_token_user(request)
    day = as_of_day({"per": per})
    case = get_object_or_404(visible_cases(request.user), pk=case_id)
    return case_out(case, day)


def case_out(case: Case, day: date | None = None) -> Case:
    """The case with its board as of `day` (a write's answer: today), as CaseOut reads it."""
    case.board = treatment_board(case, day or timezone.localdate())  # type: ignore[attr-defined]
    return case


@router.post(
    "/cases",
    **writes(201, CaseOut),
    summary="Open a case (optionally sent at once to the council of every arena member)",
)
def post_case(request: HttpRequest, payload: CaseIn) -> Status[Case]:
    """The case page's form: its rules and messages, with references the caller may not
    see answered 404."""
    values = payload.dict()
    form = bind(CaseForm, values, user=request.user)
    referenced(form, values, "arena", "project")
    case = valid(form).save(commit=False)
    open_case(
        case,
        actor=request.user,
        channel=Channel.API,
        send_to_members=form.cleaned_data["send_to_members"],
        planned_date=form.cleaned_data["planned_date"],
    )
    return Status(201, case_out(case))


@router.patch(
    "/cases/{case_id}",
    **writes(200, CaseOut),
    summary="Change a case's details (with the version read); treatments are PATCH /decisions",
)
def patch_case(request: HttpRequest, case_id: int, payload: CasePatch) -> Case:
    case = record_for(
        request.user,
        visible_cases(request.user).select_related("arena"),
        case_id,
        may_change=can_change_case,
    )
    data = sent(payload)
    form = bind(CaseForm, data, instance=case, user=request.user)
    referenced(form, data, "project")
    return case_out(api_update(request, form, update_case, version=payload.version, only=data))
