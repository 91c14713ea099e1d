"""API for reviews, cooperation proposals, model comparisons and the overlap list: open
reads, and writes (WRITE_AUTH) for everything the review pages can create or change."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.arenas.models import Arena, Membership
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import WRITE_ERRORS, Problem, VersionIn
from samarbeid.core.paging import Pagination
from samarbeid.lib import legal_forms
from samarbeid.portfolio import lifecycle
from samarbeid.portfolio.models import Project
from samarbeid.registry.services import resolve_number
from samarbeid.review import services
from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    CooperationProposal,
    ModelComparison,
    ProposalCriterion,
    ProposedForm,
    ReviewItem,
    ReviewRound,
    Score,
)

router = Router(tags=["review"])


class ReviewRoundOut(Schema):
    id: int
    title: str
    arena: int
    primary_task: str
    opened: date
    decision: int | None
    decision_date: date | None
    applied_on: date | None
    is_example_data: bool
    version: int = Field(description="Send it back with a change (optimistic locking)")


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
    serves_primary_task: str
    recommendation: str
    target_arena: int | None
    reason: str
    outcome: str


class ReviewRoundDetailOut(ReviewRoundOut):
    case: int | None
    items: list[ReviewItemOut]


def round_out(review: ReviewRound) -> dict[str, object]:
    return {
        "id": review.pk,
        "title": review.title,
        "arena": review.arena_id,
        "primary_task": review.primary_task,
        "opened": review.opened,
        "decision": review.decision_id,
        "decision_date": review.decision.meeting_date if review.decision else None,
        "applied_on": review.applied_on,
        "is_example_data": review.is_example_data,
        "version": review.version,
    }


@router.get("/reviews", response=list[ReviewRoundOut], summary="List review rounds")
@paginate(Pagination)
def list_reviews(request: HttpRequest) -> list[dict[str, object]]:
    rounds = ReviewRound.objects.visible_to(request.user).select_related("decision")
    return [round_out(r) for r in rounds.order_by("-opened", "id")]


def item_out(f: services.ItemFacts) -> dict[str, object]:
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
    }


def _visible_round(request: HttpRequest, review_id: int) -> ReviewRound:
    review = get_object_or_404(
        ReviewRound.objects.visible_to(request.user)
        .select_related("decision", "arena", "case")
        .filter(pk=review_id)
    )
    return review


def round_detail_out(request: HttpRequest, review: ReviewRound) -> dict[str, object]:
    data = round_out(review)
    data["case"] = review.case_id
    data["items"] = [item_out(f) for f in services.round_facts(review, request.user)]
    return data


@router.get(
    "/reviews/{review_id}",
    response={200: ReviewRoundDetailOut, 404: Problem},
    summary="One review round with its items and recommendations",
)
def get_review(request: HttpRequest, review_id: int) -> dict[str, object]:
    return round_detail_out(request, _visible_round(request, review_id))


class CriterionOut(Schema):
    id: int
    version: int
    key: str
    label: str
    state: str
    evidence: str


class ProposalOut(Schema):
    id: int
    title: str
    need: str
    expected_effect: str
    arena: int | None
    partners_asked: str
    partners_asked_on: date | None
    proposed_form: str
    mandate: str
    needs: list[str]
    status: str
    ready_on: date | None
    override_reason: str
    is_example_data: bool
    version: int
    criteria: list[CriterionOut]


def proposal_out(proposal: CooperationProposal) -> dict[str, object]:
    return {
        "id": proposal.pk,
        "title": proposal.title,
        "need": proposal.need,
        "expected_effect": proposal.expected_effect,
        "arena": proposal.arena_id,
        "partners_asked": proposal.partners_asked,
        "partners_asked_on": proposal.partners_asked_on,
        "proposed_form": proposal.proposed_form,
        "mandate": proposal.mandate,
        "needs": list(proposal.needs or []),
        "status": proposal.status,
        "ready_on": proposal.ready_on,
        "override_reason": proposal.override_reason,
        "is_example_data": proposal.is_example_data,
        "version": proposal.version,
        "criteria": [
            {
                "id": c.pk,
                "version": c.version,
                "key": c.key,
                "label": str(c.get_key_display()),
                "state": c.state,
                "evidence": c.evidence,
            }
            for c in proposal.criteria.all()
        ],
    }


class ProposalFilter(Schema):
    status: CooperationProposal.Status | None = None


@router.get("/proposals", response=list[ProposalOut], summary="List cooperation proposals")
@paginate(Pagination)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilter]) -> list[dict[str, object]]:
    proposals = CooperationProposal.objects.visible_to(request.user).prefetch_related("criteria")
    if filters.status:
        proposals = proposals.filter(status=filters.status)
    return [proposal_out(p) for p in proposals.order_by("title", "id")]


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, 404: Problem},
    summary="One cooperation proposal with its criteria checklist",
)
def get_proposal(request: HttpRequest, proposal_id: int) -> dict[str, object]:
    proposal = get_object_or_404(
        CooperationProposal.objects.visible_to(request.user), pk=proposal_id
    )
    return proposal_out(proposal)


class ComparisonOut(Schema):
    id: int
    title: str
    arena: int | None
    proposal: int | None
    is_example_data: bool
    version: int


class AlternativeOut(Schema):
    id: int
    version: int
    name: str
    kind: str
    form: str
    pros: list[str]
    cons: list[str]


class WeightOut(Schema):
    id: int
    version: int
    name: str
    weight: int


class ScoreOut(Schema):
    participant: str
    alternative: int
    criterion: int
    value: int


class RankOut(Schema):
    alternative: int
    position: int
    total: str = Field(description="Weighted mean score 0–10, two decimals")


class SensitivityOut(Schema):
    criterion: int
    direction: str
    weight: int
    winners: list[int]
    changed: bool


class ComparisonParticipantOut(Schema):
    id: int
    version: int
    name: str
    municipality: str | None = Field(description="Municipality number, when one is set")


class ComparisonDetailOut(ComparisonOut):
    description: str
    participants: list[str]
    participant_records: list[ComparisonParticipantOut] = Field(
        description="The participants with their ids (to give scores)"
    )
    alternatives: list[AlternativeOut]
    criteria: list[WeightOut]
    scores: list[ScoreOut]
    ranking: list[RankOut]
    sensitivity: list[SensitivityOut]
    robust: bool | None
    missing: list[str]


def comparison_out(comparison: ModelComparison) -> dict[str, object]:
    return {
        "id": comparison.pk,
        "title": comparison.title,
        "arena": comparison.arena_id,
        "proposal": comparison.proposal_id,
        "is_example_data": comparison.is_example_data,
        "version": comparison.version,
    }


@router.get("/comparisons", response=list[ComparisonOut], summary="List model comparisons")
@paginate(Pagination)
def list_comparisons(request: HttpRequest) -> list[dict[str, object]]:
    return [
        comparison_out(c)
        for c in ModelComparison.objects.visible_to(request.user).order_by("title", "id")
    ]


@router.get(
    "/comparisons/{comparison_id}",
    response={200: ComparisonDetailOut, 404: Problem},
    summary="One model comparison: alternatives, weighted criteria, scores, ranking, sensitivity",
)
def get_comparison(request: HttpRequest, comparison_id: int) -> dict[str, object]:
    return comparison_detail_out(_visible_comparison(request, comparison_id))


def _visible_comparison(request: HttpRequest, comparison_id: int) -> ModelComparison:
    comparison = get_object_or_404(
        ModelComparison.objects.visible_to(request.user)
        .select_related("arena", "proposal")
        .filter(pk=comparison_id)
    )
    return comparison


def alternative_out(a: Alternative) -> dict[str, object]:
    return {
        "id": a.pk,
        "version": a.version,
        "name": a.name,
        "kind": a.kind,
        "form": a.form,
        "pros": a.pros_list,
        "cons": a.cons_list,
    }


def weight_out(c: ComparisonCriterion) -> dict[str, object]:
    return {"id": c.pk, "version": c.version, "name": c.name, "weight": c.weight}


def participant_out(p: ComparisonParticipant) -> dict[str, object]:
    return {
        "id": p.pk,
        "version": p.version,
        "name": p.name,
        "municipality": p.municipality.number if p.municipality else None,
    }


def comparison_detail_out(comparison: ModelComparison) -> dict[str, object]:
    result = services.comparison_result(comparison)
    participants = list(comparison.participants.select_related("municipality"))
    data = comparison_out(comparison)
    data.update(
        {
            "description": comparison.description,
            "participants": [p.name for p in participants],
            "participant_records": [participant_out(p) for p in participants],
            "alternatives": [alternative_out(a) for a in comparison.alternatives.all()],
            "criteria": [weight_out(c) for c in comparison.criteria.all()],
            "scores": [
                {
                    "participant": s.participant.name,
                    "alternative": s.alternative_id,
                    "criterion": s.criterion_id,
                    "value": s.value,
                }
                for s in Score.objects.filter(alternative__comparison=comparison).select_related(
                    "participant"
                )
            ],
            "ranking": [
                {
                    "alternative": r.alternative.pk,
                    "position": r.position,
                    "total": f"{float(r.total):.2f}",
                }
                for r in result.ranking
            ],
            "sensitivity": [
                {
                    "criterion": s.criterion.pk,
                    "direction": "up" if s.direction == "+10" else "down",
                    "weight": s.weight,
                    "winners": [w.pk for w in s.winners],
                    "changed": s.changed,
                }
                for s in result.sensitivity
            ],
            "robust": result.robust,
            "missing": result.missing,
        }
    )
    return data


class OverlapOut(Schema):
    a: int
    b: int
    a_name: str
    b_name: str
    score: float
    members_jaccard: float
    text_cosine: float
    shared_members: list[str] = Field(description="Municipality numbers shared by both")
    shared_terms: list[str]
    kind: str
    member_relation: str
    continued: str = Field(
        "",
        description="'a_in_b' when arena a was transferred to b (its work carried on there), "
        "'b_in_a' the other way, empty otherwise; such a pair's text likeness is 1",
    )
    reason: str = Field(description="The reason, in Norwegian")
    shared_member_count: int = Field(
        0, description="Shared members, a group joined by a merger or renumbering counted once"
    )
    shared_member_names: list[str] = Field(
        default_factory=list,
        description="Each shared member by name, in number order; a group joined by a "
        "municipality change reads e.g. 'Nøtterøy / Færder'",
    )


class OverlapFilter(Schema):
    min_score: float = Field(0.15, ge=0, le=1)
    on: date | None = Field(None, description="Compare the arenas and members active this day")
    start: date | None = Field(None, description="With end: those active some time in a period")
    end: date | None = Field(None, description="Last day of the period (included)")


@router.get(
    "/overlaps",
    response={200: list[OverlapOut], 422: Problem},
    summary="Overlapping arenas, ranked",
    description="Without on/start/end: every arena over its whole life, members counted "
    "through municipality changes (a member counts as what it became).",
)
@paginate(Pagination)
def list_overlaps(request: HttpRequest, filters: Query[OverlapFilter]) -> list[dict[str, object]]:
    scope = services.check_overlap_scope(filters.on, filters.start, filters.end)
    arenas = list(Arena.objects.visible_to(request.user))
    return [
        {
            "a": row.a.pk,
            "b": row.b.pk,
            "a_name": row.a.name,
            "b_name": row.b.name,
            "score": round(row.pair.score, 4),
            "members_jaccard": round(row.pair.members_jaccard, 4),
            "text_cosine": round(row.pair.text_cosine, 4),
            "shared_members": row.shared_numbers,
            "shared_terms": list(row.pair.shared_terms),
            "kind": str(row.pair.reason.kind),
            "member_relation": str(row.pair.reason.member_relation),
            "continued": row.pair.reason.continued,
            "reason": row.reason,
            "shared_member_count": row.shared_count,
            "shared_member_names": row.shared_names,
        }
        for row in services.overlap_list(arenas, min_score=filters.min_score, scope=scope)
    ]


class ExitChainOut(Schema):
    municipality: str = Field(description="Municipality number")
    municipality_name: str
    joined: date
    left: date | None


class ExitProjectOut(Schema):
    id: int
    code: str
    title: str
    taken_part_as: list[str] = Field(
        description="Numbers of the predecessors it takes part through; empty: itself"
    )


class ExitAnalysisOut(Schema):
    membership: int
    arena: int
    municipality: str = Field(description="Municipality number")
    municipality_name: str
    member_since: date = Field(description="Through predecessors' memberships carried on")
    joined_by: list[str] = Field(description="The decisions by which the chain's first joined")
    chain: list[ExitChainOut]
    projects: list[ExitProjectOut]
    costs: dict[int, str] | None = Field(description="Per year, from finance; None: no data")
    notice: str
    decision_needed: str
    legal_basis: str


@router.get(
    "/memberships/{membership_id}/exit-analysis",
    response={200: ExitAnalysisOut, 404: Problem, 422: Problem},
    summary="What leaving would mean for a member municipality",
)
def get_exit_analysis(request: HttpRequest, membership_id: int) -> dict[str, Any]:
    membership = get_object_or_404(
        Membership.objects.select_related("arena", "municipality", "decision__municipality"),
        pk=membership_id,
        arena__in=Arena.objects.visible_to(request.user),
    )
    analysis = services.exit_analysis(membership)
    return {
        "membership": membership.pk,
        "arena": membership.arena_id,
        "municipality": membership.municipality.number,
        "municipality_name": membership.municipality.name,
        "member_since": analysis.member_since,
        "joined_by": [str(d) for d in analysis.joined_by],
        "chain": [
            {
                "municipality": m.municipality.number,
                "municipality_name": m.municipality.name,
                "joined": m.joined,
                "left": m.left,
            }
            for m in analysis.chain
        ],
        "projects": [
            {
                "id": p.pk,
                "code": p.code,
                "title": p.title,
                "taken_part_as": [m.number for m in via],
            }
            for p, via in analysis.project_rows
        ],
        "costs": (
            {year: f"{amount:.2f}" for year, amount in analysis.costs.items()}
            if analysis.costs
            else None
        ),
        "notice": analysis.notice,
        "decision_needed": analysis.decision_needed,
        "legal_basis": analysis.legal_basis,
    }


# --- Writes -------------------------------------------------------------------------------
# Everything the review pages can create or change. Every write needs a personal token
# (`Authorization: Bearer smb_…`) or the signed-in session with its CSRF token; the same
# services as the pages decide who may (the secretariat of the arena concerned). A change
# of a record carries the `version` it started from; a newer stored version answers 409.


def _plain(value: Any) -> Any:
    """An enum member from the payload as the plain value the model stores."""
    return value.value if hasattr(value, "value") else value


def _not_null(data: dict[str, Any], names: set[str]) -> None:
    for name in names & set(data):
        if data[name] is None:
            raise ValidationError({name: "May not be null."})


def _reference_arena(
    arena_id: int | None, request: HttpRequest, field: str, *, active: bool = False
) -> Arena | None:
    if arena_id is None:
        return None
    arenas = Arena.objects.visible_to(request.user)
    if active:
        arenas = arenas.active()
    found = arenas.filter(pk=arena_id).first()
    if found is None:
        raise ValidationError({field: f"No arena {arena_id}."})
    return found


def _reference_proposal(
    proposal_id: int | None, request: HttpRequest
) -> CooperationProposal | None:
    if proposal_id is None:
        return None
    found = CooperationProposal.objects.visible_to(request.user).filter(pk=proposal_id).first()
    if found is None:
        raise ValidationError({"proposal": f"No proposal {proposal_id}."})
    return found


# --- review rounds ---


class ReviewRoundIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    arena: int = Field(description="The reviewing body (an arena)")
    primary_task: str = Field(description="The primary task the items are reviewed against")
    opened: date | None = Field(None, description="Today when left out")
    published: bool = True
    include_children: bool = Field(True, description="Add the arena's open sub-arenas as items")
    include_projects: bool = Field(True, description="Add the arena's open projects as items")


@router.post(
    "/reviews",
    response={201: ReviewRoundDetailOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Start a review round",
    description="The reviewing arena's secretariat may. Its open sub-arenas and projects "
    "become the items unless left out.",
)
def post_review(request: HttpRequest, payload: ReviewRoundIn) -> Status[dict[str, object]]:
    arena = _reference_arena(payload.arena, request, "arena", active=True)
    assert arena is not None
    review = services.create_round(
        ReviewRound(
            title=payload.title,
            arena=arena,
            primary_task=payload.primary_task,
            opened=payload.opened or timezone.localdate(),
            published=payload.published,
        ),
        actor=request.user,
        channel=Channel.API,
        include_children=payload.include_children,
        include_projects=payload.include_projects,
    )
    return Status(201, round_detail_out(request, _visible_round(request, review.pk)))


class ReviewItemIn(Schema):
    arena: int | None = Field(None, description="An active arena (or give a project)")
    project: int | None = Field(None, description="An open project (or give an arena)")


def _item_facts(request: HttpRequest, item: ReviewItem) -> dict[str, object]:
    review = _visible_round(request, item.round_id)
    for facts in services.round_facts(review, request.user):
        if facts.item.pk == item.pk:
            return item_out(facts)
    raise Http404("No such review item.")  # pragma: no cover - the item was just saved


@router.post(
    "/reviews/{review_id}/items",
    response={201: ReviewItemOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add an arena or a project to a review round",
)
def post_review_item(
    request: HttpRequest, review_id: int, payload: ReviewItemIn
) -> Status[dict[str, object]]:
    review = _visible_round(request, review_id)
    require(can_edit_arena(request.user, review.arena))
    if (payload.arena is None) == (payload.project is None):
        raise ValidationError(_("Velg enten en arena eller et prosjekt."))
    arena = _reference_arena(payload.arena, request, "arena", active=True)
    project = None
    if payload.project is not None:
        project = (
            Project.objects.visible_to(request.user)
            .filter(pk=payload.project, status__in=lifecycle.OPEN)
            .first()
        )
        if project is None:
            raise ValidationError({"project": f"No open project {payload.project}."})
    item = services.add_item(
        ReviewItem(round=review, arena=arena, project=project),
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


@router.patch(
    "/review-items/{item_id}",
    response={200: ReviewItemOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record the answer and the recommendation for a review item",
    description="A transfer or merge needs `target_arena`; closing or moving needs a `reason`.",
)
def patch_review_item(
    request: HttpRequest, item_id: int, payload: ReviewItemPatch
) -> dict[str, object]:
    item = get_object_or_404(
        ReviewItem.objects.select_related("round__arena", "project").filter(
            pk=item_id, round__in=ReviewRound.objects.visible_to(request.user)
        )
    )
    require(can_edit_arena(request.user, item.round.arena))
    data = payload.dict(exclude_unset=True)
    _not_null(data, {"serves_primary_task", "recommendation", "reason"})
    changes: dict[str, Any] = {}
    for name, value in data.items():
        if name == "version":
            continue
        if name == "target_arena":
            changes[name] = _reference_arena(value, request, name, active=True)
        else:
            changes[name] = _plain(value)
    services.update_item(
        item, changes, expected_version=payload.version, actor=request.user, channel=Channel.API
    )
    return _item_facts(request, item)


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
    response={200: ReviewRoundDetailOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record the reviewing body's decision confirming the recommendations",
    description="Opens a case with the adopted decision. Every item needs a recommendation.",
)
def post_review_confirm(
    request: HttpRequest, review_id: int, payload: ReviewConfirmIn
) -> dict[str, object]:
    review = _visible_round(request, review_id)
    require(can_edit_arena(request.user, review.arena))
    services.confirm_round(
        review,
        meeting_date=payload.meeting_date,
        case_number=payload.case_number,
        body_name=payload.body_name,
        text=payload.text,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return round_detail_out(request, _visible_round(request, review.pk))


@router.post(
    "/reviews/{review_id}/apply",
    response={200: ReviewRoundDetailOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Carry out a confirmed review: close or transfer its arenas and projects",
    description="On the decision's date. Applying twice is refused.",
)
def post_review_apply(
    request: HttpRequest, review_id: int, payload: VersionIn
) -> dict[str, object]:
    review = _visible_round(request, review_id)
    require(can_edit_arena(request.user, review.arena))
    services.apply_round(
        review, expected_version=payload.version, actor=request.user, channel=Channel.API
    )
    return round_detail_out(request, _visible_round(request, review.pk))


# --- cooperation proposals ---


class CooperationProposalIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    need: str = Field(min_length=1)
    expected_effect: str = ""
    arena: int | None = None
    partners_asked: str = ""
    partners_asked_on: date | None = None
    proposed_form: ProposedForm = ProposedForm.UNDECIDED
    mandate: str = ""
    needs: list[legal_forms.Need] = Field(
        default_factory=list, description="What the cooperation must be able to do"
    )
    published: bool = True


class CooperationProposalPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    title: str | None = Field(None, min_length=1, max_length=200)
    need: str | None = Field(None, min_length=1)
    expected_effect: str | None = None
    arena: int | None = None
    partners_asked: str | None = None
    partners_asked_on: date | None = None
    proposed_form: ProposedForm | None = None
    mandate: str | None = None
    needs: list[legal_forms.Need] | None = None
    published: bool | None = None


_PROPOSAL_NOT_NULL = {
    "title",
    "need",
    "expected_effect",
    "partners_asked",
    "proposed_form",
    "mandate",
    "needs",
    "published",
}


def _proposal_values(data: dict[str, Any], request: HttpRequest) -> dict[str, Any]:
    _not_null(data, _PROPOSAL_NOT_NULL)
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "version":
            continue
        if name == "arena":
            values[name] = _reference_arena(value, request, name)
        elif name == "needs":
            values[name] = list(dict.fromkeys(_plain(n) for n in value))
        else:
            values[name] = _plain(value)
    return values


def _visible_proposal(request: HttpRequest, proposal_id: int) -> CooperationProposal:
    proposal = get_object_or_404(
        CooperationProposal.objects.visible_to(request.user)
        .select_related("arena")
        .filter(pk=proposal_id)
    )
    return proposal


@router.post(
    "/proposals",
    response={201: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Register a cooperation proposal (a draft with the eight criteria open)",
)
def post_proposal(
    request: HttpRequest, payload: CooperationProposalIn
) -> Status[dict[str, object]]:
    proposal = CooperationProposal(**_proposal_values(payload.dict(), request))
    services.create_proposal(proposal, actor=request.user, channel=Channel.API)
    return Status(201, proposal_out(proposal))


@router.patch(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a cooperation proposal (with the version read)",
    description="The status changes through /ready and /reopen.",
)
def patch_proposal(
    request: HttpRequest, proposal_id: int, payload: CooperationProposalPatch
) -> dict[str, object]:
    proposal = _visible_proposal(request, proposal_id)
    require(can_edit_arena(request.user, proposal.arena))
    changes = _proposal_values(payload.dict(exclude_unset=True), request)
    services.update_proposal(
        proposal, changes, expected_version=payload.version, actor=request.user, channel=Channel.API
    )
    return proposal_out(proposal)


class ProposalReadyIn(Schema):
    override_reason: str = Field(
        "", description="Needed while a criterion is still open: why it goes ahead anyway"
    )
    version: int = Field(ge=1, description="The version read; a newer stored version answers 409")


@router.post(
    "/proposals/{proposal_id}/ready",
    response={200: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Mark a proposal ready for decision",
    description="Refused while a criterion is open, unless `override_reason` says why.",
)
def post_proposal_ready(
    request: HttpRequest, proposal_id: int, payload: ProposalReadyIn
) -> dict[str, object]:
    proposal = _visible_proposal(request, proposal_id)
    require(can_edit_arena(request.user, proposal.arena))
    services.mark_ready(
        proposal,
        override_reason=payload.override_reason,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return proposal_out(proposal)


@router.post(
    "/proposals/{proposal_id}/reopen",
    response={200: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Reopen a proposal that was ready for decision",
)
def post_proposal_reopen(
    request: HttpRequest, proposal_id: int, payload: VersionIn
) -> dict[str, object]:
    proposal = _visible_proposal(request, proposal_id)
    require(can_edit_arena(request.user, proposal.arena))
    services.reopen_proposal(
        proposal, expected_version=payload.version, actor=request.user, channel=Channel.API
    )
    return proposal_out(proposal)


class ProposalCriterionPatch(Schema):
    version: int = Field(ge=1, description="The criterion's version the edit started from")
    state: ProposalCriterion.State | None = None
    evidence: str | None = None


@router.patch(
    "/proposal-criteria/{criterion_id}",
    response={200: ProposalOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a proposal's criterion (open, in progress, met with evidence)",
    description="Only while the proposal is a draft. Answers the whole proposal.",
)
def patch_proposal_criterion(
    request: HttpRequest, criterion_id: int, payload: ProposalCriterionPatch
) -> dict[str, object]:
    criterion = get_object_or_404(
        ProposalCriterion.objects.select_related("proposal__arena").filter(
            pk=criterion_id,
            proposal__in=CooperationProposal.objects.visible_to(request.user),
        )
    )
    require(can_edit_arena(request.user, criterion.proposal.arena))
    data = payload.dict(exclude_unset=True)
    _not_null(data, {"state", "evidence"})
    changes = {name: _plain(value) for name, value in data.items() if name != "version"}
    services.update_criterion(
        criterion,
        changes,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return proposal_out(criterion.proposal)


# --- model comparison ---


class ModelComparisonIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    arena: int | None = None
    proposal: int | None = Field(None, description="The cooperation proposal it compares for")
    published: bool = True


@router.post(
    "/comparisons",
    response={201: ComparisonDetailOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Start a comparison of models",
)
def post_comparison(request: HttpRequest, payload: ModelComparisonIn) -> Status[dict[str, object]]:
    comparison = ModelComparison(
        title=payload.title,
        description=payload.description,
        arena=_reference_arena(payload.arena, request, "arena"),
        proposal=_reference_proposal(payload.proposal, request),
        published=payload.published,
    )
    services.create_comparison(comparison, actor=request.user, channel=Channel.API)
    return Status(201, comparison_detail_out(comparison))


def _editable_comparison(request: HttpRequest, comparison_id: int) -> ModelComparison:
    comparison = _visible_comparison(request, comparison_id)
    require(can_edit_arena(request.user, comparison.arena))
    return comparison


class ComparisonAlternativeIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: Alternative.Kind = Alternative.Kind.OTHER
    form: ProposedForm = Field(
        ProposedForm.UNDECIDED, description="The legal form (needed when kind is legal_form)"
    )
    pros: str = Field("", description="One per line")
    cons: str = Field("", description="One per line")


@router.post(
    "/comparisons/{comparison_id}/alternatives",
    response={201: AlternativeOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add an alternative to a comparison",
    description="A legal form that the proposal's needs rule out is refused, with the reason.",
)
def post_alternative(
    request: HttpRequest, comparison_id: int, payload: ComparisonAlternativeIn
) -> Status[dict[str, object]]:
    comparison = _editable_comparison(request, comparison_id)
    alternative = Alternative(
        comparison=comparison,
        name=payload.name,
        kind=_plain(payload.kind),
        form=_plain(payload.form),
        pros=payload.pros,
        cons=payload.cons,
    )
    services.add_alternative(alternative, actor=request.user, channel=Channel.API)
    return Status(201, alternative_out(alternative))


class ComparisonCriterionIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    weight: int = Field(description="0–100")


@router.post(
    "/comparisons/{comparison_id}/criteria",
    response={201: WeightOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a weighted criterion to a comparison",
)
def post_comparison_criterion(
    request: HttpRequest, comparison_id: int, payload: ComparisonCriterionIn
) -> Status[dict[str, object]]:
    comparison = _editable_comparison(request, comparison_id)
    criterion = ComparisonCriterion(comparison=comparison, name=payload.name, weight=payload.weight)
    services.add_criterion(criterion, actor=request.user, channel=Channel.API)
    return Status(201, weight_out(criterion))


class ComparisonParticipantIn(Schema):
    name: str = Field(min_length=1, max_length=200, description="A participant or a group")
    municipality: str | None = Field(None, pattern=r"^\d{4}$", description="Municipality number")


@router.post(
    "/comparisons/{comparison_id}/participants",
    response={201: ComparisonParticipantOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a participant (or a group) who gives scores",
)
def post_participant(
    request: HttpRequest, comparison_id: int, payload: ComparisonParticipantIn
) -> Status[dict[str, object]]:
    comparison = _editable_comparison(request, comparison_id)
    municipality = None
    if payload.municipality is not None:
        municipality = resolve_number(payload.municipality)
        if municipality is None:
            raise ValidationError({"municipality": f"No municipality {payload.municipality}."})
    participant = ComparisonParticipant(
        comparison=comparison, name=payload.name, municipality=municipality
    )
    services.add_participant(participant, actor=request.user, channel=Channel.API)
    return Status(201, participant_out(participant))


class ComparisonScoreIn(Schema):
    alternative: int
    criterion: int
    value: int = Field(description="0–10")


class ComparisonScoresIn(Schema):
    participant: int = Field(description="The participant's id (see participant_records)")
    scores: list[ComparisonScoreIn] = Field(min_length=1)


@router.put(
    "/comparisons/{comparison_id}/scores",
    response={200: ComparisonDetailOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Set one participant's scores (0–10) for alternatives on criteria",
    description="All or none: the scores given are set (cells not given keep theirs). "
    "Answers the comparison with its ranking.",
)
def put_scores(
    request: HttpRequest, comparison_id: int, payload: ComparisonScoresIn
) -> dict[str, object]:
    comparison = _editable_comparison(request, comparison_id)
    participant = comparison.participants.filter(pk=payload.participant).first()
    if participant is None:
        raise ValidationError({"participant": f"No participant {payload.participant} here."})
    alternatives = {a.pk: a for a in comparison.alternatives.all()}
    criteria = {c.pk: c for c in comparison.criteria.all()}
    cells: list[tuple[str, Alternative, ComparisonCriterion, int]] = []
    for n, score in enumerate(payload.scores):
        alternative = alternatives.get(score.alternative)
        if alternative is None:
            raise ValidationError({f"scores.{n}.alternative": "No such alternative here."})
        criterion = criteria.get(score.criterion)
        if criterion is None:
            raise ValidationError({f"scores.{n}.criterion": "No such criterion here."})
        cells.append((f"scores.{n}.value", alternative, criterion, score.value))
    services.set_scores(comparison, participant, cells, actor=request.user, channel=Channel.API)
    return comparison_detail_out(comparison)


class ComparisonWeightPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    weight: int = Field(description="0–100")


@router.patch(
    "/comparison-criteria/{criterion_id}",
    response={200: WeightOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change a comparison criterion's weight (with the version read)",
)
def patch_comparison_criterion(
    request: HttpRequest, criterion_id: int, payload: ComparisonWeightPatch
) -> dict[str, object]:
    criterion = get_object_or_404(
        ComparisonCriterion.objects.select_related("comparison__arena").filter(
            pk=criterion_id, comparison__in=ModelComparison.objects.visible_to(request.user)
        )
    )
    require(can_edit_arena(request.user, criterion.comparison.arena))
    services.set_weight(
        criterion,
        payload.weight,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return weight_out(criterion)
