"""API for the exit analysis: what leaving an arena would mean for a member."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from pydantic import Field

from samarbeid.arenas.models import Arena, Membership
from samarbeid.core.api_schemas import Problem
from samarbeid.review.services.exits import exit_analysis

router = Router()


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
    analysis = exit_analysis(membership)
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
