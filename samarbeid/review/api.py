"""Read API for reviews, cooperation proposals, model comparisons and the overlap list."""

from datetime import date

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.arenas.models import Arena
from samarbeid.core.api_schemas import Problem
from samarbeid.core.paging import Pagination
from samarbeid.review import services
from samarbeid.review.models import CooperationProposal, ModelComparison, ReviewRound

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


class ReviewItemOut(Schema):
    id: int
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
    }


@router.get("/reviews", response=list[ReviewRoundOut], summary="List review rounds")
@paginate(Pagination)
def list_reviews(request: HttpRequest) -> list[dict[str, object]]:
    rounds = ReviewRound.objects.visible_to(request.user).select_related("decision")
    return [round_out(r) for r in rounds.order_by("-opened", "id")]


@router.get(
    "/reviews/{review_id}",
    response={200: ReviewRoundDetailOut, 404: Problem},
    summary="One review round with its items and recommendations",
)
def get_review(request: HttpRequest, review_id: int) -> dict[str, object]:
    review = (
        ReviewRound.objects.visible_to(request.user)
        .select_related("decision", "arena")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404("No such review.")
    data = round_out(review)
    data["case"] = review.case_id
    data["items"] = [
        {
            "id": f.item.pk,
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
        for f in services.round_facts(review, request.user)
    ]
    return data


class CriterionOut(Schema):
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
        "criteria": [
            {
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
    proposal = CooperationProposal.objects.visible_to(request.user).filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal_out(proposal)


class ComparisonOut(Schema):
    id: int
    title: str
    arena: int | None
    proposal: int | None
    is_example_data: bool


class AlternativeOut(Schema):
    id: int
    name: str
    kind: str
    form: str
    pros: list[str]
    cons: list[str]


class WeightOut(Schema):
    id: int
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


class ComparisonDetailOut(ComparisonOut):
    description: str
    participants: list[str]
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
    comparison = ModelComparison.objects.visible_to(request.user).filter(pk=comparison_id).first()
    if comparison is None:
        raise Http404("No such comparison.")
    from samarbeid.review.models import Score

    result = services.comparison_result(comparison)
    data = comparison_out(comparison)
    data.update(
        {
            "description": comparison.description,
            "participants": [p.name for p in comparison.participants.all()],
            "alternatives": [
                {
                    "id": a.pk,
                    "name": a.name,
                    "kind": a.kind,
                    "form": a.form,
                    "pros": a.pros_list,
                    "cons": a.cons_list,
                }
                for a in comparison.alternatives.all()
            ],
            "criteria": [
                {"id": c.pk, "name": c.name, "weight": c.weight} for c in comparison.criteria.all()
            ],
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
    reason: str = Field(description="The reason, in Norwegian")


class OverlapFilter(Schema):
    min_score: float = Field(0.15, ge=0, le=1)


@router.get("/overlaps", response=list[OverlapOut], summary="Overlapping active arenas, ranked")
@paginate(Pagination)
def list_overlaps(request: HttpRequest, filters: Query[OverlapFilter]) -> list[dict[str, object]]:
    arenas = list(Arena.objects.visible_to(request.user).active())
    return [
        {
            "a": row.a.pk,
            "b": row.b.pk,
            "a_name": row.a.name,
            "b_name": row.b.name,
            "score": round(row.pair.score, 4),
            "members_jaccard": round(row.pair.members_jaccard, 4),
            "text_cosine": round(row.pair.text_cosine, 4),
            "shared_members": list(row.pair.shared_members),
            "shared_terms": list(row.pair.shared_terms),
            "kind": str(row.pair.reason.kind),
            "member_relation": str(row.pair.reason.member_relation),
            "reason": row.reason,
        }
        for row in services.overlap_list(arenas, min_score=filters.min_score)
    ]
