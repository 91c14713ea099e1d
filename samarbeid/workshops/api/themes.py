"""The plenary and what follows it, for the minutes: each question's results (ranked
themes after the facilitator's merges, pros and cons, open answers), the workshop's summary,
the merges of themes (on the themes page's `MergeForm`) and turning a prioritised theme into
a project idea or a cooperation proposal (on its `OutcomeForm`)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from samarbeid.accounts.permissions import is_internal
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import deleted, writes
from samarbeid.core.api_forms import bind, valid
from samarbeid.core.api_schemas import DeleteVersion, Problem
from samarbeid.workshops.api.access import merge_for, question_for, workshop_for
from samarbeid.workshops.api.groups import WorkshopParticipantOut
from samarbeid.workshops.api.workshops import QuestionOut
from samarbeid.workshops.forms import MergeForm, OutcomeForm
from samarbeid.workshops.models import MAX_THEME_CHARS, Question, ThemeMerge, ThemeOutcome
from samarbeid.workshops.services.plenary import (
    all_theme_labels,
    hide_unseen_outcomes,
    pros_cons_results,
    ranked_results,
)
from samarbeid.workshops.services.themes import (
    merge_suggestions,
    merge_themes,
    theme_to_outcome,
    undo_merge,
)

router = Router(tags=["workshops"])


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


class MergeVersionedOut(MergeOut):
    version: int = Field(description="Send it with a DELETE")


class ResultsOut(Schema):
    question: QuestionOut
    groups_total: int
    themes: list[ThemeOut] | None = None
    merges: list[MergeOut] | None = None
    pros_cons: list[ProsConsOut] | None = None
    answers: list[OpenAnswerOut] | None = None


class SummaryOut(Schema):
    workshop: int
    title: str
    date: str = Field(description="ISO date")
    place: str
    groups: list[str]
    participants: list[WorkshopParticipantOut] = Field(
        description="Signed-in users of the organisation only (else empty)"
    )
    sections: list[ResultsOut] = Field(description="Each question's results, in order")


class SuggestionOut(Schema):
    source: str
    target: str
    similarity: float


def _outcome_out(outcome: ThemeOutcome) -> dict[str, Any]:
    if outcome.project is not None:
        return {"kind": "project", "id": outcome.project.pk, "title": str(outcome.project)}
    assert outcome.proposal is not None
    return {"kind": "proposal", "id": outcome.proposal.pk, "title": str(outcome.proposal)}


def _results(question: Question, user: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "question": question,
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
            for r in hide_unseen_outcomes(ranked_results(question), user)
        ]
        data["merges"] = question.merges.all()
    elif question.kind == Question.Kind.PROS_CONS:
        data["pros_cons"] = [
            {
                "alternative": row.alternative,
                "pros": [{"group": g, "text": t} for g, t in row.pros],
                "cons": [{"group": g, "text": t} for g, t in row.cons],
            }
            for row in pros_cons_results(question)
        ]
    else:
        data["answers"] = [
            {"group": a.group.name, "text": a.text}
            for a in question.answers.select_related("group").order_by("group__name")
        ]
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
    return _results(question_for(request, question_id), request.user)


@router.get(
    "/workshops/{workshop_id}/summary",
    response={200: SummaryOut, 404: Problem},
    summary="The workshop's summary for the minutes: every question's results",
)
def workshop_summary(request: HttpRequest, workshop_id: int) -> dict[str, Any]:
    workshop = workshop_for(request, workshop_id)
    participants = (
        workshop.participants.select_related("municipality", "group")
        if is_internal(request.user)
        else []
    )
    return {
        "workshop": workshop.pk,
        "title": workshop.title,
        "date": workshop.date.isoformat(),
        "place": workshop.place,
        "groups": [g.name for g in workshop.groups.all()],
        "participants": participants,
        "sections": [
            _results(q, request.user) for q in workshop.questions.select_related("workshop")
        ],
    }


@router.get(
    "/workshop-questions/{question_id}/merges",
    response={200: list[MergeVersionedOut], 404: Problem},
    summary="The merges of themes of one question, with their versions",
)
def list_merges(request: HttpRequest, question_id: int) -> QuerySet[ThemeMerge]:
    return question_for(request, question_id).merges.all()


@router.get(
    "/workshop-questions/{question_id}/merge-suggestions",
    **writes(200, list[SuggestionOut]),
    summary="Themes that look alike, most alike first (the themes page's suggestions)",
    description="For the facilitator (the secretariat of the workshop's arena).",
)
def list_merge_suggestions(request: HttpRequest, question_id: int) -> list[dict[str, Any]]:
    question = question_for(request, question_id, change=True)
    return [
        {"source": a, "target": b, "similarity": round(score, 4)}
        for a, b, score in merge_suggestions(question)
    ]


# --- Writes -------------------------------------------------------------------------------


class WorkshopMergeIn(Schema):
    source: str = Field(min_length=1, max_length=MAX_THEME_CHARS)
    target: str = Field(min_length=1, max_length=MAX_THEME_CHARS)


class WorkshopOutcomeIn(Schema):
    theme: str = Field(min_length=1, max_length=MAX_THEME_CHARS)
    kind: Literal["project", "proposal"]
    code: str = Field("", max_length=30, description="Project code (needed for a project)")
    title: str = Field("", max_length=200, description="Empty: the theme")
    start: date | None = Field(None, description="A project's start; empty: the workshop's date")
    end: date | None = Field(None, description="A project's end; empty: open")


class WorkshopOutcomeOut(Schema):
    id: int
    question: int
    theme: str
    kind: str
    target: int
    title: str


def _theme_labels(question: Question) -> list[str]:
    """The themes a merge may name, as the themes page offers them."""
    results = ranked_results(question)
    return sorted({r.label for r in results} | set(all_theme_labels(question)))


@router.post(
    "/workshop-questions/{question_id}/merges",
    **writes(201, MergeVersionedOut),
    summary="Count one theme of a ranked question as another",
    description="Themes as the groups wrote them (or as merged). Refuses unknown themes and "
    "a merge that would make a cycle.",
)
def create_merge_api(
    request: HttpRequest, question_id: int, payload: WorkshopMergeIn
) -> Status[ThemeMerge]:
    question = question_for(request, question_id, change=True)
    form = valid(bind(MergeForm, payload.dict(), labels=_theme_labels(question)))
    merge = merge_themes(
        question,
        form.cleaned_data["source"],
        form.cleaned_data["target"],
        actor=request.user,
        channel=Channel.API,
    )
    return Status(201, merge)


@router.delete(
    "/workshop-merges/{merge_id}",
    **writes(204, None),
    summary="Undo a merge of themes",
    description="Send the `version` you read.",
)
def delete_merge_api(request: HttpRequest, merge_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, merge_for(request, merge_id), undo_merge, version)


@router.post(
    "/workshop-questions/{question_id}/outcomes",
    **writes(201, WorkshopOutcomeOut),
    summary="Turn a prioritised theme into a project idea or a cooperation proposal",
)
def create_outcome_api(
    request: HttpRequest, question_id: int, payload: WorkshopOutcomeIn
) -> Status[dict[str, Any]]:
    question = question_for(request, question_id, change=True)
    data = valid(bind(OutcomeForm, payload.dict())).cleaned_data
    outcome = theme_to_outcome(
        question,
        data["theme"],
        kind=data["kind"],
        code=data["code"],
        title=data["title"],
        start=data["start"],
        end=data["end"],
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
            "kind": data["kind"],
            "target": target.pk,
            "title": str(target),
        },
    )
