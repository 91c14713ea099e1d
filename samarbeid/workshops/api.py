"""Read API for workshops and their results. Group links (tokens) are never exposed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from samarbeid.accounts.api_auth import optional_token_user
from samarbeid.accounts.permissions import is_internal
from samarbeid.core.api_schemas import Problem
from samarbeid.core.paging import Pagination
from samarbeid.workshops import services
from samarbeid.workshops.models import Question, ThemeOutcome, Workshop

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


class WorkshopParticipantOut(Schema):
    name: str
    municipality: str | None
    group: str | None


class WorkshopDetailOut(WorkshopOut):
    description: str
    group_names: list[str]
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
    workshop = _workshops(request).filter(pk=workshop_id).first()
    if workshop is None:
        raise Http404("No such workshop.")
    data = _workshop_out(workshop)
    questions = workshop.questions.annotate(answer_count=Count("answers"))
    participants = (
        workshop.participants.select_related("municipality", "group")
        if is_internal(request.user)
        else []
    )
    data.update(
        {
            "description": workshop.description,
            "group_names": [g.name for g in workshop.groups.all()],
            # Names of people are shown to signed-in users only.
            "participants": [
                {
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
    question = (
        Question.objects.filter(
            pk=question_id, workshop__in=Workshop.objects.visible_to(request.user)
        )
        .select_related("workshop")
        .first()
    )
    if question is None:
        raise Http404("No such question.")
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
        data["merges"] = [{"source": m.source, "target": m.target} for m in question.merges.all()]
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
