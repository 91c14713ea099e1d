"""Workshops and their questions: reads, and the facilitator's writes on the pages' forms
(`WorkshopForm`, `QuestionForm`) and services. A change carries the `version` it started
from; a newer stored version answers 409."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.permissions import is_internal
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import not_null, writes
from samarbeid.core.api_forms import api_create, api_update, bind
from samarbeid.core.api_schemas import Problem, ref
from samarbeid.core.paging import Pagination
from samarbeid.core.records import record_for
from samarbeid.workshops.api.access import (
    arena_id_for,
    counted_workshops,
    question_for,
    workshop_for,
)
from samarbeid.workshops.api.groups import WorkshopParticipantOut
from samarbeid.workshops.forms import QuestionForm, WorkshopForm
from samarbeid.workshops.models import MAX_THEMES_LIMIT, Question, Workshop
from samarbeid.workshops.services.workshops import (
    create_question,
    create_workshop,
    set_question_status,
    update_question,
    update_workshop,
)

router = Router(tags=["workshops"])


class WorkshopOut(Schema):
    id: int
    title: str
    date: date
    place: str
    arena: int = ref("arena")
    arena_short_name: str = Field(alias="arena.short_name")
    groups: int
    questions: int
    is_example_data: bool
    version: int

    # Counted by `counted_workshops`.
    @staticmethod
    def resolve_groups(obj: Workshop) -> int:
        return int(getattr(obj, "group_count", 0))

    @staticmethod
    def resolve_questions(obj: Workshop) -> int:
        return int(getattr(obj, "question_count", 0))


class QuestionOut(Schema):
    id: int
    label: str
    order: int
    kind: str
    text: str
    status: str
    min_themes: int
    max_themes: int
    alternatives: list[str]
    answers: int
    version: int

    @staticmethod
    def resolve_alternatives(obj: Question) -> list[str]:
        return obj.alternative_list()

    @staticmethod
    def resolve_answers(obj: Question) -> int:
        """Counted with the list (`answer_count`), else for this question."""
        counted = getattr(obj, "answer_count", None)
        return obj.answers.count() if counted is None else int(counted)


class QuestionDetailOut(QuestionOut):
    workshop: int = ref("workshop")
    guidance: str


class WorkshopGroupBriefOut(Schema):
    id: int
    name: str


class WorkshopDetailOut(WorkshopOut):
    description: str
    links_expire: date | None
    published: bool
    group_names: list[str]
    group_list: list[WorkshopGroupBriefOut] = Field(alias="group_rows")
    # Names of people are shown to signed-in users only (`_detail`).
    participants: list[WorkshopParticipantOut] = Field(alias="participants_seen")
    question_list: list[QuestionOut] = Field(alias="question_rows")

    @staticmethod
    def resolve_group_names(obj: Workshop) -> list[str]:
        return [g.name for g in obj.group_rows]  # type: ignore[attr-defined]


@router.get("/workshops", response=list[WorkshopOut], summary="List workshops")
@paginate(Pagination)
def list_workshops(request: HttpRequest) -> QuerySet[Workshop]:
    return counted_workshops(request).order_by("-date", "title")


@router.get(
    "/workshops/{workshop_id}",
    response={200: WorkshopDetailOut, 404: Problem},
    summary="One workshop with its groups, participants and questions",
)
def get_workshop(request: HttpRequest, workshop_id: int) -> Workshop:
    return _detail(request, workshop_id)


def _detail(request: HttpRequest, workshop_id: int) -> Workshop:
    """One workshop as WorkshopDetailOut reads it: with its groups, the participants the
    caller may see (names of people for signed-in users only) and its counted questions."""
    workshop = record_for(request.user, counted_workshops(request), workshop_id)
    workshop.group_rows = list(workshop.groups.all())
    workshop.participants_seen = (
        workshop.participants.select_related("municipality", "group")
        if is_internal(request.user)
        else []
    )
    workshop.question_rows = workshop.questions.annotate(answer_count=Count("answers")).order_by(
        "order", "id"
    )
    return workshop


@router.get(
    "/workshops/{workshop_id}/questions",
    response={200: list[QuestionDetailOut], 404: Problem},
    summary="The questions of one workshop, in order, with their versions",
)
def list_questions(request: HttpRequest, workshop_id: int) -> QuerySet[Question]:
    workshop = workshop_for(request, workshop_id)
    return workshop.questions.annotate(answer_count=Count("answers")).order_by("order", "id")


@router.get(
    "/workshop-questions/{question_id}",
    response={200: QuestionDetailOut, 404: Problem},
    summary="One question of a workshop, with its version",
)
def get_question(request: HttpRequest, question_id: int) -> Question:
    return question_for(request, question_id)


# --- Writes -------------------------------------------------------------------------------
# Everything the facilitator does on the workshop pages, for the secretariat of the
# workshop's arena, with a personal token or the signed-in session. A group's answers are
# not written here: the group's own page takes them, with its link.


class WorkshopIn(Schema):
    arena: int
    title: str = Field(min_length=1, max_length=200)
    date: dt.date
    place: str = Field("", max_length=200)
    description: str = ""
    links_expire: dt.date | None = Field(
        None, description="The groups' links stop working after this day (none: no expiry)"
    )
    published: bool = True


class WorkshopPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    arena: int | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    date: dt.date | None = None
    place: str | None = Field(None, max_length=200)
    description: str | None = None
    links_expire: dt.date | None = None
    published: bool | None = None


_THEMES_AT_LEAST = "Ranked: the fewest themes a group gives (at least 1)"
_THEMES_AT_MOST = f"Ranked: the most themes a group gives (at most {MAX_THEMES_LIMIT})"


class WorkshopQuestionIn(Schema):
    label: str = Field("", max_length=10)
    order: int = Field(1, ge=0, le=32767)
    kind: Question.Kind
    text: str = Field(min_length=1)
    guidance: str = ""
    # the bounds are the form's to check, in the page's words (a schema's limit said others)
    min_themes: int = Field(1, description=_THEMES_AT_LEAST)
    max_themes: int = Field(5, description=_THEMES_AT_MOST)
    alternatives: list[str] = Field(
        default_factory=list, max_length=10, description="Pros and cons: the alternatives"
    )


class WorkshopQuestionPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    label: str | None = Field(None, max_length=10)
    order: int | None = Field(None, ge=0, le=32767)
    kind: Question.Kind | None = None
    text: str | None = Field(None, min_length=1)
    guidance: str | None = None
    min_themes: int | None = Field(None, description=_THEMES_AT_LEAST)
    max_themes: int | None = Field(None, description=_THEMES_AT_MOST)
    alternatives: list[str] | None = Field(None, max_length=10)


class WorkshopQuestionStatusIn(Schema):
    status: Question.Status
    version: int = Field(ge=1, description="The version read")


def _workshop_values(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The payload as the workshop form's data: the arena one the caller may see."""
    not_null(data, data.keys() - {"links_expire"})  # no expiry may be sent as null
    if data.get("arena") is not None:
        arena_id_for(request, data["arena"])
    if "links_expire" in data and data["links_expire"] is None:
        data["links_expire"] = ""  # no expiry (an empty date field)
    return data


def _alternatives(items: list[str]) -> str:
    """The alternatives as the question form takes them: one per line."""
    lines = [item.strip() for item in items]
    if any("\n" in line or "\r" in line for line in lines):
        raise ValidationError({"alternatives": _("Ett alternativ kan ikke gå over flere linjer.")})
    return "\n".join(line for line in lines if line)


def _question_values(data: dict[str, Any]) -> dict[str, Any]:
    not_null(data, data.keys())
    if "alternatives" in data:
        data["alternatives"] = _alternatives(data["alternatives"])
    return data


@router.post(
    "/workshops",
    **writes(201, WorkshopDetailOut),
    summary="Register a workshop",
    description="The secretariat of the arena may. The page's rules (the workshop form).",
)
def create_workshop_api(request: HttpRequest, payload: WorkshopIn) -> Status[Workshop]:
    form = bind(WorkshopForm, _workshop_values(request, payload.dict()))
    return Status(201, _detail(request, api_create(request, form, create_workshop).pk))


@router.patch(
    "/workshops/{workshop_id}",
    **writes(200, WorkshopDetailOut),
    summary="Change a workshop",
    description="Send the `version` you read; a newer stored version answers 409.",
)
def update_workshop_api(request: HttpRequest, workshop_id: int, payload: WorkshopPatch) -> Workshop:
    workshop = workshop_for(request, workshop_id, change=True)
    data = _workshop_values(request, payload.dict(exclude_unset=True))
    form = bind(WorkshopForm, data, instance=workshop)
    api_update(request, form, update_workshop, version=payload.version)
    return _detail(request, workshop.pk)


@router.post(
    "/workshops/{workshop_id}/questions",
    **writes(201, QuestionOut),
    summary="Add a question (not yet open for answers)",
)
def create_question_api(
    request: HttpRequest, workshop_id: int, payload: WorkshopQuestionIn
) -> Status[Question]:
    workshop = workshop_for(request, workshop_id, change=True)
    form = bind(QuestionForm, _question_values(payload.dict()))
    question = api_create(request, form, create_question, workshop=workshop)
    return Status(201, question)


@router.patch(
    "/workshop-questions/{question_id}",
    **writes(200, QuestionOut),
    summary="Change a question",
    description=(
        "Send the `version` you read; a newer stored version answers 409. The kind cannot "
        "change once groups have answered. Open or close it with the status operation."
    ),
)
def update_question_api(
    request: HttpRequest, question_id: int, payload: WorkshopQuestionPatch
) -> Question:
    question = question_for(request, question_id, change=True)
    form = bind(QuestionForm, _question_values(payload.dict(exclude_unset=True)), instance=question)
    stored = api_update(request, form, update_question, version=payload.version)
    return stored


@router.post(
    "/workshop-questions/{question_id}/status",
    **writes(200, QuestionOut),
    summary="Open a question for answers, close it, or reopen it",
)
def question_status_api(
    request: HttpRequest, question_id: int, payload: WorkshopQuestionStatusIn
) -> Question:
    question = question_for(request, question_id, change=True)
    set_question_status(
        question,
        payload.status.value,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return question
