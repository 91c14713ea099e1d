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
from samarbeid.core.api_schemas import DeleteVersion, Problem, ref
from samarbeid.workshops.api.access import merge_for, question_for, workshop_for
from samarbeid.workshops.api.groups import WorkshopParticipantOut
from samarbeid.workshops.api.workshops import QuestionOut
from samarbeid.workshops.forms import MergeForm, OutcomeForm
from samarbeid.workshops.models import (
    MAX_THEME_CHARS,
    Answer,
    Question,
    ThemeMerge,
    ThemeOutcome,
    Workshop,
)
from samarbeid.workshops.services.plenary import (
    ProsConsRow,
    ThemeResult,
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


def _target(outcome: ThemeOutcome) -> Any:
    target = outcome.project if outcome.project is not None else outcome.proposal
    assert target is not None
    return target


# What an outcome is and names (its project or proposal), for the schemas that show one.
def _outcome_kind(outcome: ThemeOutcome) -> str:
    return "project" if outcome.project is not None else "proposal"


def _target_id(outcome: ThemeOutcome) -> int:
    return int(_target(outcome).pk)


def _target_title(outcome: ThemeOutcome) -> str:
    return str(_target(outcome))


class OutcomeOut(Schema):
    kind: str
    id: int
    title: str

    resolve_kind = staticmethod(_outcome_kind)
    resolve_id = staticmethod(_target_id)
    resolve_title = staticmethod(_target_title)


class ThemeOut(Schema):
    label: str
    groups: int
    borda: int
    variants: list[str]
    outcomes: list[OutcomeOut]

    @staticmethod
    def resolve_outcomes(result: ThemeResult) -> list[ThemeOutcome]:
        return [o for o in result.outcomes if o.target is not None]


class ProsConsItemOut(Schema):
    group: str
    text: str


def _items(pairs: list[tuple[str, str]]) -> list[ProsConsItemOut]:
    return [ProsConsItemOut(group=group, text=text) for group, text in pairs]


class ProsConsOut(Schema):
    alternative: str
    pros: list[ProsConsItemOut]
    cons: list[ProsConsItemOut]

    @staticmethod
    def resolve_pros(row: ProsConsRow) -> list[ProsConsItemOut]:
        return _items(row.pros)

    @staticmethod
    def resolve_cons(row: ProsConsRow) -> list[ProsConsItemOut]:
        return _items(row.cons)


class OpenAnswerOut(Schema):
    group: str = Field(alias="group.name")
    text: str


class MergeOut(Schema):
    id: int
    source: str
    target: str


class MergeVersionedOut(MergeOut):
    version: int = Field(description="Send it with a DELETE")


# One question's results, read from the question: what its kind has (the other kinds' fields
# null), the themes' outcomes as the caller (the request in the context) may see them.
class ResultsOut(Schema):
    question: QuestionOut
    groups_total: int
    themes: list[ThemeOut] | None = None
    merges: list[MergeOut] | None = None
    pros_cons: list[ProsConsOut] | None = None
    answers: list[OpenAnswerOut] | None = None

    @staticmethod
    def resolve_question(question: Question) -> Question:
        return question

    @staticmethod
    def resolve_groups_total(question: Question) -> int:
        return question.workshop.groups.count()

    @staticmethod
    def resolve_themes(question: Question, context: dict[str, Any]) -> list[ThemeResult] | None:
        if question.kind != Question.Kind.RANKED:
            return None
        return hide_unseen_outcomes(ranked_results(question), context["request"].user)

    @staticmethod
    def resolve_merges(question: Question) -> QuerySet[ThemeMerge] | None:
        return question.merges.all() if question.kind == Question.Kind.RANKED else None

    @staticmethod
    def resolve_pros_cons(question: Question) -> list[ProsConsRow] | None:
        return pros_cons_results(question) if question.kind == Question.Kind.PROS_CONS else None

    @staticmethod
    def resolve_answers(question: Question) -> QuerySet[Answer] | None:
        if question.kind in (Question.Kind.RANKED, Question.Kind.PROS_CONS):
            return None
        return question.answers.select_related("group").order_by("group__name")


class SummaryOut(Schema):
    workshop: int = Field(alias="pk")
    title: str
    date: str = Field(description="ISO date")
    place: str
    groups: list[str]
    participants: list[WorkshopParticipantOut] = Field(
        description="Signed-in users of the organisation only (else empty)"
    )
    sections: list[ResultsOut] = Field(description="Each question's results, in order")

    @staticmethod
    def resolve_date(workshop: Workshop) -> str:
        return workshop.date.isoformat()

    @staticmethod
    def resolve_groups(workshop: Workshop) -> list[str]:
        return [g.name for g in workshop.groups.all()]

    @staticmethod
    def resolve_participants(workshop: Workshop, context: dict[str, Any]) -> Any:
        if not is_internal(context["request"].user):
            return []
        return workshop.participants.select_related("municipality", "group")

    @staticmethod
    def resolve_sections(workshop: Workshop) -> QuerySet[Question]:
        return workshop.questions.select_related("workshop")


class SuggestionOut(Schema):
    source: str
    target: str
    similarity: float


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
def question_results(request: HttpRequest, question_id: int) -> Question:
    return question_for(request, question_id)


@router.get(
    "/workshops/{workshop_id}/summary",
    response={200: SummaryOut, 404: Problem},
    summary="The workshop's summary for the minutes: every question's results",
)
def workshop_summary(request: HttpRequest, workshop_id: int) -> Workshop:
    return workshop_for(request, workshop_id)


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
def list_merge_suggestions(request: HttpRequest, question_id: int) -> list[SuggestionOut]:
    question = question_for(request, question_id, change=True)
    return [
        SuggestionOut(source=a, target=b, similarity=round(score, 4))
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
    question: int = ref("question")
    theme: str
    kind: str
    target: int
    title: str

    resolve_kind = staticmethod(_outcome_kind)
    resolve_target = staticmethod(_target_id)
    resolve_title = staticmethod(_target_title)


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
) -> Status[ThemeOutcome]:
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
    return Status(201, outcome)
