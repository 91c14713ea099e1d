"""API for an arena's memberships and the decisions they rest on (decisions themselves:
the governance API), and carrying memberships through municipality mergers."""

from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from samarbeid.accounts.permissions import can_edit_arena, is_internal
from samarbeid.arenas.api.arenas import ArenaDecisionOut, municipality_for
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import (
    add_membership,
    anchor_decision,
    follow_successors,
    update_membership,
)
from samarbeid.audit.models import Channel
from samarbeid.core import dates
from samarbeid.core.api_endpoints import Finder, deleted, through, writes
from samarbeid.core.api_schemas import DeleteVersion, MunicipalityNumber, Problem, ref
from samarbeid.core.records import record_for
from samarbeid.core.services import delete_record
from samarbeid.governance.api.decisions import DecisionRecordIn
from samarbeid.governance.models import Decision
from samarbeid.registry.models import Municipality

router = Router()


def _visible_decision(request: HttpRequest, decision_id: int) -> Decision:
    decision = (
        Decision.objects.select_related("municipality", "arena", "case")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None or (
        not is_internal(request.user)
        and (
            (decision.case is not None and not decision.case.published)
            or (decision.arena is not None and not decision.arena.published)
        )
    ):
        raise Http404("No such decision.")
    return decision


class ArenaMembershipOut(Schema):
    id: int
    version: int
    arena: int = ref("arena")
    municipality: MunicipalityNumber
    joined: date
    left: date | None
    leave_reason: str
    next_review: date | None
    decision: ArenaDecisionOut
    leave_decision: ArenaDecisionOut | None


class AnchorDecisionIn(DecisionRecordIn):
    """The decision a membership rests on, recorded together with it."""

    body: Literal["council", "executive_committee", "arena_board"]


class ArenaMembershipIn(Schema):
    municipality: str = Field(pattern=r"^\d{4}$", description="Municipality number")
    joined: date
    next_review: date | None = None
    decision: AnchorDecisionIn | None = Field(None, description="A new decision to record")
    decision_id: int | None = Field(None, description="Or an existing adopted decision")


class ArenaMembershipPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    left: date | None = None
    leave_reason: str | None = Field(None, max_length=200)
    next_review: date | None = None
    leave_decision: AnchorDecisionIn | None = None
    leave_decision_id: int | None = None


def _given_decision(
    data: AnchorDecisionIn | None,
    decision_id: int | None,
    *,
    arena: Arena,
    municipality: Municipality,
    request: HttpRequest,
    field: str,
) -> Decision | None:
    """The decision a payload gives: a recorded one the caller may see (`decision_id`), or a
    new one (`data`), not yet recorded."""
    if data is not None and decision_id is not None:
        raise ValidationError({field: _("Oppgi enten et nytt vedtak eller ett som finnes.")})
    if decision_id is not None:
        return _visible_decision(request, decision_id)
    if data is None:
        return None
    return anchor_decision(data.dict(), arena=arena, municipality=municipality)


# A membership of an arena the caller may see (404); the arena's editors change it (403).
_membership = Finder(
    lambda user: Membership.objects.select_related(
        "arena", "municipality", "decision__municipality", "leave_decision__municipality"
    ).filter(arena__in=Arena.objects.visible_to(user)),
    through("arena", can_edit_arena),
)


def _members_arena(request: HttpRequest, arena_id: int) -> Arena:
    """An arena whose members the caller may change (404, 403)."""
    return record_for(
        request.user, Arena.objects.visible_to(request.user), arena_id, may_change=can_edit_arena
    )


@router.get(
    "/memberships/{membership_id}",
    response={200: ArenaMembershipOut, 404: Problem},
    summary="One membership with its decisions and version",
)
def get_membership(request: HttpRequest, membership_id: int) -> Membership:
    return _membership(request, membership_id)


@router.post(
    "/arenas/{arena_id}/memberships",
    **writes(201, ArenaMembershipOut),
    summary="Add a member, anchored in its decision",
    description=(
        "Give the decision inline (`decision`, recorded together with the membership) or "
        "refer to an adopted one (`decision_id`)."
    ),
)
def create_membership_api(
    request: HttpRequest, arena_id: int, payload: ArenaMembershipIn
) -> Status[Membership]:
    arena = _members_arena(request, arena_id)
    dates.check_fields(Membership, payload.dict())  # before the municipality is read on the day
    municipality = municipality_for(payload.municipality, payload.joined, "municipality")
    assert municipality is not None
    # a new decision is recorded by the service with the membership, once all of it holds
    decision = _given_decision(
        payload.decision,
        payload.decision_id,
        arena=arena,
        municipality=municipality,
        request=request,
        field="decision",
    )
    if decision is None:
        raise ValidationError({"decision": _("Et medlemskap må bygge på et vedtak.")})
    membership = Membership(
        arena=arena,
        municipality=municipality,
        joined=payload.joined,
        next_review=payload.next_review,
        decision=decision,
    )
    add_membership(membership, actor=request.user, channel=Channel.API)
    return Status(201, membership)


@router.patch(
    "/memberships/{membership_id}",
    **writes(200, ArenaMembershipOut),
    summary="Change, end or reopen a membership",
    description=(
        "To end it, give `left` and the decision to leave. `left: null` reopens a membership "
        "ended by mistake: its decision to leave and reason are cleared with it (refused for "
        "a municipality that has ceased). Carries `version`."
    ),
)
def update_membership_api(
    request: HttpRequest, membership_id: int, payload: ArenaMembershipPatch
) -> Membership:
    membership = _membership(request, membership_id, change=True)
    data = payload.dict(exclude_unset=True)
    with transaction.atomic():
        changes: dict[str, Any] = {
            name: data[name] for name in ("left", "next_review") if name in data
        }
        if "leave_reason" in data:
            changes["leave_reason"] = data["leave_reason"] or ""
        # a new decision to leave is recorded by the service with the change, once all of
        # it holds (every refusal is said at once)
        leave = _given_decision(
            payload.leave_decision,
            payload.leave_decision_id,
            arena=membership.arena,
            municipality=membership.municipality,
            request=request,
            field="leave_decision",
        )
        if leave is not None:
            changes["leave_decision"] = leave
        update_membership(
            membership,
            changes,
            expected_version=payload.version,
            actor=request.user,
            channel=Channel.API,
        )
    return membership


@router.delete(
    "/memberships/{membership_id}",
    **writes(204, None),
    summary="Delete a membership registered by mistake",
    description="Ending a membership is a PATCH with `left`; this removes the record. Send "
    "the `version` you read.",
)
def delete_membership_api(
    request: HttpRequest, membership_id: int, version: DeleteVersion
) -> Status[None]:
    membership = _membership(request, membership_id, change=True)
    return deleted(request, membership, delete_record, version)


class SuccessionsOut(Schema):
    created: int = Field(description="Memberships created for successors (0: nothing to do)")
    members: list[ArenaMembershipOut] = Field(description="The arena's memberships now")


@router.post(
    "/arenas/{arena_id}/successions",
    **writes(200, SuccessionsOut),
    summary="Carry memberships through municipality mergers and renumberings",
    description=(
        "Each open membership of a municipality that ceased ends the day it ceased, and "
        "its successor becomes a member from the day of the change, anchored in a decision "
        "that records it. Past memberships keep the municipality they were about. Running "
        "it again changes nothing."
    ),
)
def successions_api(request: HttpRequest, arena_id: int) -> dict[str, object]:
    arena = _members_arena(request, arena_id)
    created = follow_successors(arena, actor=request.user, channel=Channel.API)
    members = arena.memberships.select_related(
        "municipality", "decision__municipality", "leave_decision__municipality"
    ).order_by("municipality__number", "joined")
    return {"created": created, "members": members}
