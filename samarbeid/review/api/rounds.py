"""API for review rounds and their items: open reads, and writes (WRITE_AUTH) for what the
round pages can do."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import Finder, deleted, not_null, sent, through, writes
from samarbeid.core.api_forms import api_update, bind, valid
from samarbeid.core.api_schemas import (
    DeleteVersion,
    Problem,
    VersionIn,
    money,
    ref,
)
from samarbeid.core.paging import Pagination
from samarbeid.portfolio import lifecycle
from samarbeid.portfolio.models import Project
from samarbeid.review.access import find_round
from samarbeid.review.forms import (
    AddItemForm,
    BulkRecommendationForm,
    ConfirmRoundForm,
    ReviewItemForm,
    ReviewRoundEditForm,
    ReviewRoundForm,
)
from samarbeid.review.models import (
    ReviewItem,
    ReviewRound,
)
from samarbeid.review.services.round_edit import delete_round, update_round
from samarbeid.review.services.round_items import recommend_items, remove_item
from samarbeid.review.services.rounds import (
    ItemFacts,
    add_item,
    apply_round,
    confirm_round,
    create_round,
    round_facts,
    update_item,
)

router = Router()


class ReviewRoundOut(Schema):
    id: int
    title: str
    arena: int = ref("arena")
    primary_task: str
    opened: date
    published: bool = Field(description="Whether the public sees it (internal users see all)")
    decision: int | None = ref("decision")
    decision_date: date | None
    applied_on: date | None
    is_example_data: bool
    version: int = Field(description="Send it back with a change (optimistic locking)")

    @staticmethod
    def resolve_decision_date(review: ReviewRound) -> date | None:
        return review.decision.meeting_date if review.decision else None


class ActivityOut(Schema):
    projects: int = Field(description="Projects of the arena active in the period")
    decisions: int = Field(description="Decisions with a meeting date in the period")
    steps: int = Field(description="Process steps done in the period")
    status_changes: int = Field(description="A project's status changes in the period")
    invoices: int = Field(description="Invoices issued in the period")


class ReviewItemOut(Schema):
    id: int
    version: int
    arena: int | None
    project: int | None
    name: str
    initiator: str
    participants: list[str]
    participants_inherited_from: int | None
    last_activity: date | None
    yearly_cost: dict[str, str] | None = Field(
        None, description="Year → cost (NOK, two decimals), where finance has data"
    )
    overlaps: list[int] = Field(description="Ids of active arenas this one overlaps most with")
    serves_primary_task: ReviewItem.Serves
    recommendation: ReviewItem.Recommendation
    target_arena: int | None
    reason: str
    outcome: str
    period_start: date | None = Field(None, description="The period activity and cost cover")
    period_end: date | None = None
    activity: ActivityOut = Field(description="What the records show in the period")
    activity_note: str = Field(description="The activity as typed by the secretariat (wins)")
    cost_worked_out: str | None = Field(
        None, description="Cost in the period from budgets and issued invoices (NOK)"
    )
    cost_override: str | None = Field(
        None, description="The cost as typed by the secretariat (NOK); wins when set"
    )
    cost_in_period: str | None = Field(None, description="The typed cost, else the worked out")


class ReviewRoundDetailOut(ReviewRoundOut):
    case: int | None = ref("case")
    items: list[ReviewItemOut]

    @staticmethod
    def resolve_items(review: ReviewRound, context: dict[str, Any]) -> list[dict[str, object]]:
        return [item_out(f) for f in round_facts(review, context["request"].user)]


@router.get("/reviews", response=list[ReviewRoundOut], summary="List review rounds")
@paginate(Pagination)
def list_reviews(request: HttpRequest) -> QuerySet[ReviewRound]:
    rounds = ReviewRound.objects.visible_to(request.user).select_related("decision")
    return rounds.order_by("-opened", "id")


def item_out(f: ItemFacts) -> dict[str, object]:
    return {
        "id": f.item.pk,
        "version": f.item.version,
        "arena": f.item.arena_id,
        "project": f.item.project_id,
        "name": str(f.item),
        "initiator": f.initiator,
        "participants": f.participants,
        "participants_inherited_from": (
            f.participants_inherited_from.pk if f.participants_inherited_from else None
        ),
        "last_activity": f.last_activity,
        "yearly_cost": ({str(y): f"{v:.2f}" for y, v in f.costs.items()} if f.costs else None),
        "overlaps": [other.pk for other, _score, _reason in f.overlaps],
        "serves_primary_task": f.item.serves_primary_task,
        "recommendation": f.item.recommendation,
        "target_arena": f.item.target_arena_id,
        "reason": f.item.reason,
        "outcome": f.item.outcome,
        "period_start": f.period.start if f.period else None,
        "period_end": f.period.end if f.period else None,
        "activity": {
            "projects": f.activity.projects,
            "decisions": f.activity.decisions,
            "steps": f.activity.steps,
            "status_changes": f.activity.status_changes,
            "invoices": f.activity.invoices,
        },
        "activity_note": f.item.activity_note,
        "cost_worked_out": money(f.cost.total) if f.cost else None,
        "cost_override": money(f.item.cost_override),
        "cost_in_period": money(f.cost_in_period),
    }


# An item of a round the caller may see (404); its arena's editors change it (403).
_item = Finder(
    lambda user: ReviewItem.objects.select_related("round__arena", "project").filter(
        round__in=ReviewRound.objects.visible_to(user)
    ),
    through("round.arena", can_edit_arena),
)


@router.get(
    "/reviews/{review_id}",
    response={200: ReviewRoundDetailOut, 404: Problem},
    summary="One review round with its items and recommendations",
)
def get_review(request: HttpRequest, review_id: int) -> ReviewRound:
    return find_round(request, review_id)


# --- writes (see the package's docstring) ---


class ReviewRoundIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    arena: int = Field(description="The reviewing body (an arena)")
    primary_task: str = Field(description="The primary task the items are reviewed against")
    opened: date | None = Field(None, description="Today when left out")
    published: bool = Field(False, description="Internal until published on purpose")
    include_children: bool = Field(True, description="Add the arena's open sub-arenas as items")
    include_projects: bool = Field(True, description="Add the arena's open projects as items")


@router.post(
    "/reviews",
    **writes(201, ReviewRoundDetailOut),
    summary="Start a review round",
    description="The reviewing arena's secretariat may. Its open sub-arenas and projects "
    "become the items unless left out.",
)
def post_review(request: HttpRequest, payload: ReviewRoundIn) -> Status[ReviewRound]:
    values = payload.dict()
    values["opened"] = payload.opened or timezone.localdate()
    form = valid(
        bind(
            ReviewRoundForm,
            values,
            arenas=Arena.objects.visible_to(request.user).active(),
        )
    )
    review = create_round(
        form.save(commit=False),
        actor=request.user,
        channel=Channel.API,
        include_children=form.cleaned_data["include_children"],
        include_projects=form.cleaned_data["include_projects"],
    )
    return Status(201, find_round(request, review.pk))


class ReviewRoundPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    title: str | None = Field(None, min_length=1, max_length=200)
    primary_task: str | None = None
    opened: date | None = None
    published: bool | None = Field(None, description="Publish it, or make it internal again")


@router.patch(
    "/reviews/{review_id}",
    **writes(200, ReviewRoundDetailOut),
    summary="Correct a review round, or publish it (with the version read)",
    description="Once the reviewing body's decision is registered, `title`, `primary_task` "
    "and `opened` stay as decided (a change answers 422 by field); `published` can still "
    "change.",
)
def patch_review(request: HttpRequest, review_id: int, payload: ReviewRoundPatch) -> ReviewRound:
    review = find_round(request, review_id, change=True)
    data = sent(payload)
    not_null(data, {"title", "primary_task", "opened", "published"})
    form = bind(ReviewRoundEditForm, data, instance=review)
    api_update(request, form, update_round, version=payload.version)
    return find_round(request, review.pk)


@router.delete(
    "/reviews/{review_id}",
    **writes(204, None),
    summary="Delete a review round nothing builds on yet",
    description="Refused (422, saying why) once decided, while an item has a recommendation "
    "or while a meeting's agenda treats it. Its items go with it. Send the `version` you read.",
)
def delete_review(request: HttpRequest, review_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, find_round(request, review_id, change=True), delete_round, version)


class ReviewItemIn(Schema):
    arena: int | None = Field(None, description="An active arena (or give a project)")
    project: int | None = Field(None, description="An open project (or give an arena)")


def _item_facts(request: HttpRequest, item: ReviewItem) -> dict[str, object]:
    review = find_round(request, item.round_id)
    for facts in round_facts(review, request.user):
        if facts.item.pk == item.pk:
            return item_out(facts)
    raise Http404  # pragma: no cover ("Finnes ikke.") - the item was just saved


@router.post(
    "/reviews/{review_id}/items",
    **writes(201, ReviewItemOut),
    summary="Add an arena or a project to a review round",
)
def post_review_item(
    request: HttpRequest, review_id: int, payload: ReviewItemIn
) -> Status[dict[str, object]]:
    review = find_round(request, review_id, change=True)
    form = bind(AddItemForm, payload.dict())
    # the page's choices, limited to what the caller may see
    form.fields["arena"].queryset = Arena.objects.visible_to(request.user).active()  # type: ignore[attr-defined]
    form.fields["project"].queryset = Project.objects.visible_to(request.user).filter(  # type: ignore[attr-defined]
        status__in=lifecycle.OPEN
    )
    valid(form)
    item = add_item(
        ReviewItem(
            round=review,
            arena=form.cleaned_data.get("arena"),
            project=form.cleaned_data.get("project"),
        ),
        actor=request.user,
        channel=Channel.API,
    )
    return Status(201, _item_facts(request, item))


class ReviewItemPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    serves_primary_task: ReviewItem.Serves | None = None
    recommendation: ReviewItem.Recommendation | None = None
    target_arena: int | None = Field(None, description="For a transfer or merge; null clears")
    reason: str | None = None
    activity_note: str | None = Field(None, description="Empty: the worked-out activity shows")
    cost_override: str | None = Field(
        None, description='NOK, e.g. "150000.50"; null or empty: the worked-out cost shows'
    )


@router.patch(
    "/review-items/{item_id}",
    **writes(200, ReviewItemOut),
    summary="Record the answer and the recommendation for a review item",
    description="A transfer or merge needs `target_arena`; closing or moving needs a `reason`.",
)
def patch_review_item(
    request: HttpRequest, item_id: int, payload: ReviewItemPatch
) -> dict[str, object]:
    item = _item(request, item_id, change=True)
    data = sent(payload)
    not_null(data, {"serves_primary_task", "recommendation", "reason", "activity_note"})
    form = bind(ReviewItemForm, data, instance=item)
    form.fields["target_arena"].queryset = Arena.objects.visible_to(request.user).active()  # type: ignore[attr-defined]
    return _item_facts(request, api_update(request, form, update_item, version=payload.version))


class ReviewConfirmIn(Schema):
    meeting_date: date
    case_number: str = Field("", max_length=50)
    body_name: str = Field("", max_length=200, description="E.g. «Styret»")
    text: str = Field("", description="The decision's text; a standard text when left out")
    version: int = Field(
        ge=1, description="The round's version read; a newer stored version answers 409"
    )


@router.post(
    "/reviews/{review_id}/confirm",
    **writes(200, ReviewRoundDetailOut),
    summary="Record the reviewing body's decision confirming the recommendations",
    description="Opens a case with the adopted decision. Every item needs a recommendation.",
)
def post_review_confirm(
    request: HttpRequest, review_id: int, payload: ReviewConfirmIn
) -> ReviewRound:
    review = find_round(request, review_id, change=True)
    form = valid(bind(ConfirmRoundForm, payload.dict(exclude={"version"})))
    confirm_round(
        review,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
        **form.cleaned_data,
    )
    return find_round(request, review.pk)


@router.post(
    "/reviews/{review_id}/apply",
    **writes(200, ReviewRoundDetailOut),
    summary="Carry out a confirmed review: close or transfer its arenas and projects",
    description="On the decision's date. Applying twice is refused.",
)
def post_review_apply(request: HttpRequest, review_id: int, payload: VersionIn) -> ReviewRound:
    review = find_round(request, review_id, change=True)
    apply_round(review, expected_version=payload.version, actor=request.user, channel=Channel.API)
    return find_round(request, review.pk)


class ChosenItem(Schema):
    id: int = Field(description="A review item of this round")
    version: int = Field(ge=1, description="The item's version read; a newer one answers 409")


class RecommendationsIn(Schema):
    items: list[ChosenItem] = Field(min_length=1)
    recommendation: ReviewItem.Recommendation
    target_arena: int | None = Field(None, description="For a transfer or merge")
    reason: str = Field("", description="A common reason; empty keeps each item's own")


@router.post(
    "/reviews/{review_id}/recommendations",
    **writes(200, list[ReviewItemOut]),
    summary="Give many items of a review round one recommendation",
    description="All or nothing: an item changed since it was read answers 409, an item the "
    "rules refuse 422 naming it; nothing is saved then. Answers the round's items.",
)
def post_review_recommendations(
    request: HttpRequest, review_id: int, payload: RecommendationsIn
) -> list[dict[str, object]]:
    review = find_round(request, review_id, change=True)
    values = payload.dict(exclude={"items"}) | {
        "items": [f"{chosen.id}:{chosen.version}" for chosen in payload.items]
    }
    form = valid(
        bind(
            BulkRecommendationForm,
            values,
            review=review,
            arenas=Arena.objects.visible_to(request.user).active(),
        )
    )
    data = form.cleaned_data
    recommend_items(
        review,
        data["items"],
        recommendation=data["recommendation"],
        reason=data["reason"],
        target_arena=data.get("target_arena"),
        actor=request.user,
        channel=Channel.API,
    )
    return [item_out(f) for f in round_facts(review, request.user)]


@router.delete(
    "/review-items/{item_id}",
    **writes(204, None),
    summary="Take an item out of a review round",
    description="Only while the round is not decided (else 422); the arena or project itself "
    "is untouched. Send the `version` you read.",
)
def delete_review_item(request: HttpRequest, item_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, _item(request, item_id, change=True), remove_item, version)


# --- reads of a round's items ---


@router.get(
    "/reviews/{review_id}/items",
    response={200: list[ReviewItemOut], 404: Problem},
    summary="The items of a review round, with their facts and recommendations",
)
def list_review_items(request: HttpRequest, review_id: int) -> list[dict[str, object]]:
    review = find_round(request, review_id)
    return [item_out(f) for f in round_facts(review, request.user)]


@router.get(
    "/review-items/{item_id}",
    response={200: ReviewItemOut, 404: Problem},
    summary="One review item, with its facts and recommendation",
)
def get_review_item(request: HttpRequest, item_id: int) -> dict[str, object]:
    return _item_facts(request, _item(request, item_id))
