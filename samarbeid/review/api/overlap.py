"""API for the overlap list: pairs of arenas that share purpose, members or meetings."""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.arenas.models import Arena
from samarbeid.core.api_schemas import Problem
from samarbeid.core.paging import Pagination
from samarbeid.review.services.overlap import check_overlap_scope, overlap_list

router = Router()


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
    scope = check_overlap_scope(filters.on, filters.start, filters.end)
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
        for row in overlap_list(arenas, min_score=filters.min_score, scope=scope)
    ]
