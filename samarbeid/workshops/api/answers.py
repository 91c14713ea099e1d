"""The groups' own page as an API: a group reads its workshop's open questions with its own
answers and saves an answer, with its link's token in the path. The link is the permission,
as on the page (anyone holding it, signed in or not; a wrong, renewed or expired link is
404), with the page's answer forms, its rate limit (429) and its service."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from samarbeid.audit.models import Channel
from samarbeid.core.api_forms import valid
from samarbeid.core.api_schemas import Problem, ref
from samarbeid.workshops.forms import ProsConsAnswerForm, RankedAnswerForm, answer_form
from samarbeid.workshops.models import MAX_ANSWER_CHARS, MAX_THEME_CHARS, Answer, Group, Question
from samarbeid.workshops.services.answers import RATE_LIMIT, RateLimited, check_rate, submit_answer
from samarbeid.workshops.services.groups import group_for_token

router = Router(tags=["workshops"])

# The group page's words when the link sent too many answers in a minute.
TOO_MANY = "Gruppen har sendt inn svar mange ganger det siste minuttet. Vent litt og prøv igjen."


class ProsConsItem(Schema):
    pros: str = Field("", max_length=MAX_ANSWER_CHARS)
    cons: str = Field("", max_length=MAX_ANSWER_CHARS)


class GroupAnswerOut(Schema):
    question: int = ref("question")
    text: str
    themes: list[str]
    pros_cons: list[ProsConsItem]
    version: int


class GroupQuestionOut(Schema):
    id: int
    label: str
    kind: str
    text: str
    guidance: str
    status: str
    min_themes: int
    max_themes: int
    alternatives: list[str]
    answer: GroupAnswerOut | None

    @staticmethod
    def resolve_alternatives(question: Question) -> list[str]:
        return question.alternative_list()

    @staticmethod
    def resolve_answer(question: Question) -> Answer | None:
        # the group's own answer, prefetched by `_questions`
        answers: list[Answer] = getattr(question, "group_answers", [])
        return answers[0] if answers else None


class GroupPageOut(Schema):
    group: str = Field(alias="name")
    workshop: str = Field(alias="workshop.title")
    questions: list[GroupQuestionOut] = Field(description="Open and closed, not drafts")

    @staticmethod
    def resolve_questions(group: Group) -> QuerySet[Question]:
        own = Prefetch("answers", queryset=group.answers.all(), to_attr="group_answers")
        return group.workshop.questions.exclude(status=Question.Status.DRAFT).prefetch_related(own)


class GroupAnswerIn(Schema):
    question: int
    text: str = Field("", description="Open questions", max_length=MAX_ANSWER_CHARS)
    themes: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="Ranked questions: most important first",
    )
    pros_cons: list[ProsConsItem] = Field(
        default_factory=list,
        max_length=10,
        description="Pros and cons: one item per alternative, in the question's order",
    )


def _group(token: str) -> Group:
    group = group_for_token(token)
    if group is None:
        raise Http404
    return group


@router.get(
    "/workshop-group-links/{token}",
    response={200: GroupPageOut, 404: Problem},
    summary="A group's own page: its workshop's questions with the group's answers",
)
def group_page_api(request: HttpRequest, token: str) -> Group:
    return _group(token)


def _form_data(question: Question, payload: GroupAnswerIn) -> dict[str, str]:
    """The answer as the group page's form posts it (its fields under the question's
    prefix)."""
    prefix = f"q{question.pk}"
    # The page has a field per place and per alternative; the API must not drop the rest.
    if question.kind == Question.Kind.RANKED and len(payload.themes) > question.max_themes:
        raise ValidationError(
            {"themes": _("Oppgi høyst %(n)d temaer.") % {"n": question.max_themes}}
        )
    if question.kind == Question.Kind.PROS_CONS and len(payload.pros_cons) != len(
        question.alternative_list()
    ):
        raise ValidationError({"pros_cons": _("Svar på hvert alternativ.")})
    if question.kind == Question.Kind.OPEN:
        return {f"{prefix}-text": payload.text}
    if question.kind == Question.Kind.RANKED:
        return {f"{prefix}-theme_{i}": t for i, t in enumerate(payload.themes, start=1)}
    data: dict[str, str] = {}
    for i, item in enumerate(payload.pros_cons):
        data[f"{prefix}-pros_{i}"] = item.pros
        data[f"{prefix}-cons_{i}"] = item.cons
    return data


@router.post(
    "/workshop-group-links/{token}/answers",
    response={200: GroupAnswerOut, 404: Problem, 422: Problem, 429: Problem},
    summary="Save (or replace) the group's answer to an open question",
    description=(
        "The group's link is the permission: no token or session needed. At most "
        f"{RATE_LIMIT} submissions per link per minute (then 429). Themes: at most "
        f"{MAX_THEME_CHARS} characters each."
    ),
)
def submit_answer_api(request: HttpRequest, token: str, payload: GroupAnswerIn) -> Answer:
    group = _group(token)
    question = (
        group.workshop.questions.exclude(status=Question.Status.DRAFT)
        .filter(pk=payload.question)
        .first()
    )
    if question is None:
        raise Http404
    try:
        check_rate(group)
    except RateLimited:
        raise HttpError(429, _(TOO_MANY)) from None
    form = valid(answer_form(question, None, _form_data(question, payload)))
    if isinstance(form, RankedAnswerForm):
        answer = submit_answer(group, question, themes=form.themes(), channel=Channel.API)
    elif isinstance(form, ProsConsAnswerForm):
        answer = submit_answer(group, question, pros_cons=form.items(), channel=Channel.API)
    else:
        answer = submit_answer(group, question, text=form.cleaned_data["text"], channel=Channel.API)
    return answer
