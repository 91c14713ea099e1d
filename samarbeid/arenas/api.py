from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from samarbeid.arenas.models import Arena, Membership
from samarbeid.core.api_schemas import Problem

router = Router(tags=["arenas"])


class DecisionOut(Schema):
    id: int
    body: str
    body_label: str
    municipality: str | None
    case_number: str
    meeting_date: date | None
    outcome: str
    minutes_url: str


class MemberOut(Schema):
    municipality: str = Field(description="Municipality number at the time of the membership")
    name: str
    joined: date
    left: date | None
    decision: DecisionOut
    leave_decision: DecisionOut | None


class ArenaOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    legal_form: str
    status: str
    host_municipality: str | None
    parent: int | None
    established: date | None
    ended: date | None
    transferred_to: int | None
    is_example_data: bool


class ArenaDetailOut(ArenaOut):
    purpose: str
    mandate: str
    primary_task: str
    legal_basis: str
    initiator: str
    initiator_municipality: str | None
    initiator_other: str
    status_reason: str
    children: list[int]
    members: list[MemberOut]


class ArenaFilter(Schema):
    kind: Arena.Kind | None = None
    status: Arena.Status | None = None
    member: str | None = Field(
        None, pattern=r"^\d{4}$", description="Has (or had) this municipality number as member"
    )
    county: str | None = Field(None, pattern=r"^\d{2}$", description="Has a member in this county")


def arena_out(arena: Arena) -> dict[str, object]:
    return {
        "id": arena.pk,
        "name": arena.name,
        "short_name": arena.short_name,
        "kind": arena.kind,
        "legal_form": arena.legal_form,
        "status": arena.status,
        "host_municipality": arena.host_municipality.number if arena.host_municipality else None,
        "parent": arena.parent_id,
        "established": arena.established,
        "ended": arena.ended,
        "transferred_to": arena.transferred_to_id,
        "is_example_data": arena.is_example_data,
    }


def decision_out(decision: object) -> dict[str, object] | None:
    if decision is None:
        return None
    from samarbeid.governance.models import Decision

    assert isinstance(decision, Decision)
    return {
        "id": decision.pk,
        "body": decision.body,
        "body_label": decision.body_label,
        "municipality": decision.municipality.number if decision.municipality else None,
        "case_number": decision.case_number,
        "meeting_date": decision.meeting_date,
        "outcome": decision.outcome,
        "minutes_url": decision.minutes_url,
    }


@router.get("/arenas", response=list[ArenaOut], summary="List arenas")
@paginate(LimitOffsetPagination)
def list_arenas(request: HttpRequest, filters: Query[ArenaFilter]) -> list[dict[str, object]]:
    queryset = Arena.objects.visible_to(request.user).select_related("host_municipality")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.member:
        queryset = queryset.filter(memberships__municipality__number=filters.member)
    if filters.county:
        queryset = queryset.filter(memberships__municipality__county_number=filters.county)
    return [arena_out(a) for a in queryset.distinct().order_by("name")]


@router.get(
    "/arenas/{arena_id}",
    response={200: ArenaDetailOut, 404: Problem},
    summary="One arena with its members over time",
)
def get_arena(request: HttpRequest, arena_id: int) -> dict[str, object]:
    arena = (
        Arena.objects.visible_to(request.user)
        .select_related("host_municipality", "initiator_municipality")
        .filter(pk=arena_id)
        .first()
    )
    if arena is None:
        raise Http404("No such arena.")
    memberships = Membership.objects.filter(arena=arena).select_related(
        "municipality",
        "decision__municipality",
        "decision__arena",
        "leave_decision__municipality",
        "leave_decision__arena",
    )
    data = arena_out(arena)
    data.update(
        {
            "purpose": arena.purpose,
            "mandate": arena.mandate,
            "primary_task": arena.primary_task,
            "legal_basis": arena.legal_basis,
            "initiator": arena.initiator,
            "initiator_municipality": (
                arena.initiator_municipality.number if arena.initiator_municipality else None
            ),
            "initiator_other": arena.initiator_other,
            "status_reason": arena.status_reason,
            "children": list(
                Arena.objects.visible_to(request.user)
                .filter(parent=arena)
                .values_list("pk", flat=True)
            ),
            "members": [
                {
                    "municipality": m.municipality.number,
                    "name": m.municipality.name,
                    "joined": m.joined,
                    "left": m.left,
                    "decision": decision_out(m.decision),
                    "leave_decision": decision_out(m.leave_decision),
                }
                for m in memberships.order_by("joined", "municipality__number")
            ],
        }
    )
    return data
