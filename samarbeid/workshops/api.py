"""API for workshops: reads (open; group links are never exposed there) and the
facilitator's writes (the secretariat of the arena; a new or renewed group link is
returned to them only)."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH, optional_token_user
from samarbeid.accounts.permissions import can_edit_arena, is_internal, require
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import WRITE_ERRORS, Problem
from samarbeid.core.paging import Pagination
from samarbeid.registry.services import resolve_number
from samarbeid.workshops import services
from samarbeid.workshops.models import (
    MAX_THEME_CHARS,
    MAX_THEMES_LIMIT,
    Group,
    Participant,
    Question,
    ThemeMerge,
    ThemeOutcome,
    Workshop,
)

router = Router(tags=["workshops"])


class WorkshopOut(Schema):
    id: int
    title: str
    date: date
    place: str
    arena: int
    arena_short_name: str
    groups: int
    questions: int
    is_example_data: bool
    version: int


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


class WorkshopParticipantOut(Schema):
    id: int
    name: str
    municipality: str | None
    group: str | None


class WorkshopGroupBriefOut(Schema):
    id: int
    name: str


class WorkshopDetailOut(WorkshopOut):
    description: str
    links_expire: date | None
    published: bool
    group_names: list[str]
    group_list: list[WorkshopGroupBriefOut]
    participants: list[WorkshopParticipantOut]
    question_list: list[QuestionOut]


class OutcomeOut(Schema):
    kind: str
    id: int
    title: str


class ThemeOut(Schema):
    label: str
    groups: int
    borda: int
    variants: list[str]
    outcomes: list[OutcomeOut]


class ProsConsItemOut(Schema):
    group: str
    text: str


class ProsConsOut(Schema):
    alternative: str
    pros: list[ProsConsItemOut]
    cons: list[ProsConsItemOut]


class OpenAnswerOut(Schema):
    group: str
    text: str


class MergeOut(Schema):
    id: int
    source: str
    target: str


class ResultsOut(Schema):
    question: QuestionOut
    groups_total: int
    themes: list[ThemeOut] | None = None
    merges: list[MergeOut] | None = None
    pros_cons: list[ProsConsOut] | None = None
    answers: list[OpenAnswerOut] | None = None


def _workshop_out(workshop: Workshop) -> dict[str, Any]:
    return {
        "id": workshop.pk,
        "title": workshop.title,
        "date": workshop.date,
        "place": workshop.place,
        "arena": workshop.arena_id,
        "arena_short_name": workshop.arena.short_name,
        "groups": getattr(workshop, "group_count", 0),
        "questions": getattr(workshop, "question_count", 0),
        "is_example_data": workshop.is_example_data,
        "version": workshop.version,
    }


def _question_out(question: Question, answers: int) -> dict[str, Any]:
    return {
        "id": question.pk,
        "label": question.label,
        "order": question.order,
        "kind": question.kind,
        "text": question.text,
        "status": question.status,
        "min_themes": question.min_themes,
        "max_themes": question.max_themes,
        "alternatives": question.alternative_list(),
        "answers": answers,
        "version": question.version,
    }


def _outcome_out(outcome: ThemeOutcome) -> dict[str, Any]:
    if outcome.project is not None:
        return {"kind": "project", "id": outcome.project.pk, "title": str(outcome.project)}
    assert outcome.proposal is not None
    return {"kind": "proposal", "id": outcome.proposal.pk, "title": str(outcome.proposal)}


def _workshops(request: HttpRequest) -> Any:
    optional_token_user(request)
    return (
        Workshop.objects.visible_to(request.user)
        .select_related("arena")
        .annotate(
            group_count=Count("groups", distinct=True),
            question_count=Count("questions", distinct=True),
        )
    )


@router.get("/workshops", response=list[WorkshopOut], summary="List workshops")
@paginate(Pagination)
def list_workshops(request: HttpRequest) -> list[dict[str, Any]]:
    return [_workshop_out(w) for w in _workshops(request).order_by("-date", "title")]


@router.get(
    "/workshops/{workshop_id}",
    response={200: WorkshopDetailOut, 404: Problem},
    summary="One workshop with its groups, participants and questions",
)
def get_workshop(request: HttpRequest, workshop_id: int) -> dict[str, Any]:
    return _detail(request, workshop_id)


def _detail(request: HttpRequest, workshop_id: int) -> dict[str, Any]:
    workshop = get_object_or_404(_workshops(request), pk=workshop_id)
    data = _workshop_out(workshop)
    questions = workshop.questions.annotate(answer_count=Count("answers"))
    groups = list(workshop.groups.all())
    participants = (
        workshop.participants.select_related("municipality", "group")
        if is_internal(request.user)
        else []
    )
    data.update(
        {
            "description": workshop.description,
            "links_expire": workshop.links_expire,
            "published": workshop.published,
            "group_names": [g.name for g in groups],
            "group_list": [{"id": g.pk, "name": g.name} for g in groups],
            # Names of people are shown to signed-in users only.
            "participants": [
                {
                    "id": p.pk,
                    "name": p.name,
                    "municipality": p.municipality.number if p.municipality else None,
                    "group": p.group.name if p.group else None,
                }
                for p in participants
            ],
            "question_list": [_question_out(q, q.answer_count) for q in questions],
        }
    )
    return data


@router.get(
    "/workshop-questions/{question_id}/results",
    response={200: ResultsOut, 404: Problem},
    summary="The plenary results of one question",
    description=(
        "Ranked questions: each theme (after the facilitator's merges) with the number of "
        "groups that chose it and its Borda score, sorted. Pros and cons: per alternative. "
        "Open questions: each group's answer."
    ),
)
def question_results(request: HttpRequest, question_id: int) -> dict[str, Any]:
    optional_token_user(request)
    question = get_object_or_404(
        Question.objects.filter(
            pk=question_id, workshop__in=Workshop.objects.visible_to(request.user)
        ).select_related("workshop")
    )
    data: dict[str, Any] = {
        "question": _question_out(question, question.answers.count()),
        "groups_total": question.workshop.groups.count(),
    }
    if question.kind == Question.Kind.RANKED:
        data["themes"] = [
            {
                "label": r.label,
                "groups": r.groups,
                "borda": r.borda,
                "variants": r.variants,
                "outcomes": [_outcome_out(o) for o in r.outcomes if o.target is not None],
            }
            for r in services.hide_unseen_outcomes(services.ranked_results(question), request.user)
        ]
        data["merges"] = [
            {"id": m.pk, "source": m.source, "target": m.target} for m in question.merges.all()
        ]
    elif question.kind == Question.Kind.PROS_CONS:
        data["pros_cons"] = [
            {
                "alternative": row.alternative,
                "pros": [{"group": g, "text": t} for g, t in row.pros],
                "cons": [{"group": g, "text": t} for g, t in row.cons],
            }
            for row in services.pros_cons_results(question)
        ]
    else:
        data["answers"] = [
            {"group": a.group.name, "text": a.text}
            for a in question.answers.select_related("group").order_by("group__name")
        ]
    return data


# --- Writes -------------------------------------------------------------------------------
# Everything the facilitator does on the workshop pages, for the secretariat of the
# workshop's arena, with a personal token or the signed-in session. A change to a workshop
# or a question carries the `version` it started from; a newer stored version answers 409.
# A group's answers are not written here: the group's own page takes them, with its link.


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


class WorkshopGroupIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class WorkshopGroupOut(Schema):
    id: int
    workshop: int
    name: str
    link: str = Field(description="The group's secret link to its answer page")


class WorkshopParticipantIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    municipality: str | None = Field(None, pattern=r"^\d{4}$", description="Municipality number")
    role: str = Field("", max_length=100)
    group: int | None = Field(None, description="A group of the same workshop")


class WorkshopQuestionIn(Schema):
    label: str = Field("", max_length=10)
    order: int = Field(1, ge=0, le=32767)
    kind: Question.Kind
    text: str = Field(min_length=1)
    guidance: str = ""
    min_themes: int = Field(1, ge=1, le=MAX_THEMES_LIMIT)
    max_themes: int = Field(5, ge=1, le=MAX_THEMES_LIMIT)
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
    min_themes: int | None = Field(None, ge=1, le=MAX_THEMES_LIMIT)
    max_themes: int | None = Field(None, ge=1, le=MAX_THEMES_LIMIT)
    alternatives: list[str] | None = Field(None, max_length=10)


class WorkshopQuestionStatusIn(Schema):
    status: Question.Status
    version: int = Field(ge=1, description="The version read")


class WorkshopMergeIn(Schema):
    source: str = Field(min_length=1, max_length=MAX_THEME_CHARS)
    target: str = Field(min_length=1, max_length=MAX_THEME_CHARS)


class WorkshopOutcomeIn(Schema):
    theme: str = Field(min_length=1, max_length=MAX_THEME_CHARS)
    kind: Literal["project", "proposal"]
    code: str = Field("", max_length=30, description="Project code (needed for a project)")
    title: str = Field("", max_length=200, description="Empty: the theme")


class WorkshopOutcomeOut(Schema):
    id: int
    question: int
    theme: str
    kind: str
    target: int
    title: str


def _not_null(changes: dict[str, Any], nullable: set[str]) -> None:
    for name, value in changes.items():
        if value is None and name not in nullable:
            raise ValidationError({name: _("Feltet kan ikke være tomt.")})


def _visible_arena(request: HttpRequest, arena_id: int) -> Arena:
    arena = Arena.objects.visible_to(request.user).filter(pk=arena_id).first()
    if arena is None:
        raise ValidationError({"arena": _("Ukjent arena.")})
    return arena


def _workshop(request: HttpRequest, workshop_id: int) -> Workshop:
    workshop = get_object_or_404(
        Workshop.objects.visible_to(request.user).select_related("arena").filter(pk=workshop_id)
    )
    return workshop


def _question(request: HttpRequest, question_id: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("workshop__arena").filter(
            pk=question_id, workshop__in=Workshop.objects.visible_to(request.user)
        )
    )
    return question


def _group(request: HttpRequest, group_id: int) -> Group:
    group = get_object_or_404(
        Group.objects.select_related("workshop__arena").filter(
            pk=group_id, workshop__in=Workshop.objects.visible_to(request.user)
        )
    )
    return group


def _group_out(request: HttpRequest, group: Group) -> dict[str, Any]:
    return {
        "id": group.pk,
        "workshop": group.workshop_id,
        "name": group.name,
        "link": request.build_absolute_uri(group.get_group_url()),
    }


def _question_write_out(question: Question) -> dict[str, Any]:
    return _question_out(question, question.answers.count())


def _alternatives(items: list[str]) -> str:
    lines = [item.strip() for item in items]
    if any("\n" in line or "\r" in line for line in lines):
        raise ValidationError({"alternatives": _("Ett alternativ kan ikke gå over flere linjer.")})
    return "\n".join(line for line in lines if line)


@router.post(
    "/workshops",
    response={201: WorkshopDetailOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Register a workshop",
    description="The secretariat of the arena may.",
)
def create_workshop_api(request: HttpRequest, payload: WorkshopIn) -> Status[dict[str, Any]]:
    workshop = Workshop(
        arena=_visible_arena(request, payload.arena),
        title=payload.title,
        date=payload.date,
        place=payload.place,
        description=payload.description,
        links_expire=payload.links_expire,
        published=payload.published,
    )
    services.create_workshop(workshop, actor=request.user, channel=Channel.API)
    return Status(201, _detail(request, workshop.pk))


@router.patch(
    "/workshops/{workshop_id}",
    response={200: WorkshopDetailOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a workshop",
    description="Send the `version` you read; a newer stored version answers 409.",
)
def update_workshop_api(
    request: HttpRequest, workshop_id: int, payload: WorkshopPatch
) -> dict[str, Any]:
    workshop = _workshop(request, workshop_id)
    require(can_edit_arena(request.user, workshop.arena))
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    _not_null(changes, {"links_expire"})
    if "arena" in changes:
        changes["arena"] = _visible_arena(request, changes["arena"])
    services.update_workshop(
        workshop, changes, expected_version=version, actor=request.user, channel=Channel.API
    )
    return _detail(request, workshop.pk)


@router.post(
    "/workshops/{workshop_id}/groups",
    response={201: WorkshopGroupOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a group with a fresh link",
)
def create_group_api(
    request: HttpRequest, workshop_id: int, payload: WorkshopGroupIn
) -> Status[dict[str, Any]]:
    workshop = _workshop(request, workshop_id)
    group = services.add_group(workshop, payload.name, actor=request.user, channel=Channel.API)
    return Status(201, _group_out(request, group))


@router.post(
    "/workshop-groups/{group_id}/renew-link",
    response={200: WorkshopGroupOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Give a group a new link (the old one stops working)",
)
def renew_group_link_api(request: HttpRequest, group_id: int) -> dict[str, Any]:
    group = _group(request, group_id)
    services.renew_group_link(group, actor=request.user, channel=Channel.API)
    return _group_out(request, group)


@router.delete(
    "/workshop-groups/{group_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Delete a group that has not answered",
)
def delete_group_api(request: HttpRequest, group_id: int) -> Status[None]:
    group = _group(request, group_id)
    services.delete_group(group, actor=request.user, channel=Channel.API)
    return Status(204, None)


@router.post(
    "/workshops/{workshop_id}/participants",
    response={201: WorkshopParticipantOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a participant (optionally placed in a group)",
)
def create_participant_api(
    request: HttpRequest, workshop_id: int, payload: WorkshopParticipantIn
) -> Status[dict[str, Any]]:
    workshop = _workshop(request, workshop_id)
    require(can_edit_arena(request.user, workshop.arena))
    municipality = None
    if payload.municipality:
        municipality = resolve_number(payload.municipality, workshop.date) or resolve_number(
            payload.municipality
        )
        if municipality is None:
            raise ValidationError({"municipality": _("Ukjent kommunenummer.")})
    group = None
    if payload.group is not None:
        group = Group.objects.filter(pk=payload.group, workshop=workshop).first()
        if group is None:
            raise ValidationError({"group": _("Gruppen hører ikke til denne samlingen.")})
    participant = services.add_participant(
        Participant(
            workshop=workshop,
            name=payload.name,
            municipality=municipality,
            role=payload.role,
            group=group,
        ),
        actor=request.user,
        channel=Channel.API,
    )
    return Status(
        201,
        {
            "id": participant.pk,
            "name": participant.name,
            "municipality": municipality.number if municipality else None,
            "group": group.name if group else None,
        },
    )


@router.delete(
    "/workshop-participants/{participant_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Remove a participant",
)
def delete_participant_api(request: HttpRequest, participant_id: int) -> Status[None]:
    participant = get_object_or_404(
        Participant.objects.select_related("workshop__arena").filter(
            pk=participant_id, workshop__in=Workshop.objects.visible_to(request.user)
        )
    )
    services.remove_participant(participant, actor=request.user, channel=Channel.API)
    return Status(204, None)


@router.post(
    "/workshops/{workshop_id}/questions",
    response={201: QuestionOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a question (not yet open for answers)",
)
def create_question_api(
    request: HttpRequest, workshop_id: int, payload: WorkshopQuestionIn
) -> Status[dict[str, Any]]:
    workshop = _workshop(request, workshop_id)
    require(can_edit_arena(request.user, workshop.arena))
    question = Question(
        workshop=workshop,
        label=payload.label,
        order=payload.order,
        kind=payload.kind.value,
        text=payload.text,
        guidance=payload.guidance,
        min_themes=payload.min_themes,
        max_themes=payload.max_themes,
        alternatives=_alternatives(payload.alternatives),
    )
    services.create_question(question, actor=request.user, channel=Channel.API)
    return Status(201, _question_write_out(question))


@router.patch(
    "/workshop-questions/{question_id}",
    response={200: QuestionOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a question",
    description=(
        "Send the `version` you read; a newer stored version answers 409. The kind cannot "
        "change once groups have answered. Open or close it with the status operation."
    ),
)
def update_question_api(
    request: HttpRequest, question_id: int, payload: WorkshopQuestionPatch
) -> dict[str, Any]:
    question = _question(request, question_id)
    require(can_edit_arena(request.user, question.workshop.arena))
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    _not_null(changes, set())
    if "kind" in changes:
        changes["kind"] = Question.Kind(changes["kind"]).value
    if "alternatives" in changes:
        changes["alternatives"] = _alternatives(changes["alternatives"])
    services.update_question(
        question, changes, expected_version=version, actor=request.user, channel=Channel.API
    )
    return _question_write_out(question)


@router.post(
    "/workshop-questions/{question_id}/status",
    response={200: QuestionOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Open a question for answers, close it, or reopen it",
)
def question_status_api(
    request: HttpRequest, question_id: int, payload: WorkshopQuestionStatusIn
) -> dict[str, Any]:
    question = _question(request, question_id)
    services.set_question_status(
        question,
        payload.status.value,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return _question_write_out(question)


@router.post(
    "/workshop-questions/{question_id}/merges",
    response={201: MergeOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Count one theme of a ranked question as another",
    description="Refuses unknown themes and a merge that would make a cycle.",
)
def create_merge_api(
    request: HttpRequest, question_id: int, payload: WorkshopMergeIn
) -> Status[dict[str, Any]]:
    question = _question(request, question_id)
    merge = services.merge_themes(
        question, payload.source, payload.target, actor=request.user, channel=Channel.API
    )
    return Status(201, {"id": merge.pk, "source": merge.source, "target": merge.target})


@router.delete(
    "/workshop-merges/{merge_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Undo a merge of themes",
)
def delete_merge_api(request: HttpRequest, merge_id: int) -> Status[None]:
    merge = get_object_or_404(
        ThemeMerge.objects.select_related("question__workshop__arena").filter(
            pk=merge_id, question__workshop__in=Workshop.objects.visible_to(request.user)
        )
    )
    services.undo_merge(merge, actor=request.user, channel=Channel.API)
    return Status(204, None)


@router.post(
    "/workshop-questions/{question_id}/outcomes",
    response={201: WorkshopOutcomeOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Turn a prioritised theme into a project idea or a cooperation proposal",
)
def create_outcome_api(
    request: HttpRequest, question_id: int, payload: WorkshopOutcomeIn
) -> Status[dict[str, Any]]:
    question = _question(request, question_id)
    outcome = services.theme_to_outcome(
        question,
        payload.theme,
        kind=payload.kind,
        code=payload.code,
        title=payload.title,
        actor=request.user,
        channel=Channel.API,
    )
    target = outcome.target
    assert target is not None
    return Status(
        201,
        {
            "id": outcome.pk,
            "question": question.pk,
            "theme": outcome.theme,
            "kind": payload.kind,
            "target": target.pk,
            "title": str(target),
        },
    )
