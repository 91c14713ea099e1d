from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.accounts.permissions import (
    can_edit_arena,
    is_internal,
    require,
)
from samarbeid.arenas.forms import ArenaForm
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import (
    add_membership,
    anchor_decision,
    create_arena,
    follow_successors,
    update_arena,
    update_membership,
)
from samarbeid.audit.models import Channel
from samarbeid.core.api_forms import api_create, api_update, bind, record_for
from samarbeid.core.api_schemas import WRITE_ERRORS, DeleteVersion, Problem
from samarbeid.core.paging import MappedQuerySet, Pagination
from samarbeid.core.services import delete_record
from samarbeid.governance.models import Decision
from samarbeid.governance.services.decisions import record_decision
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import resolve_number, unknown_number

router = Router(tags=["arenas"])


class ArenaDecisionOut(Schema):
    id: int
    body: str
    body_label: str
    municipality: str | None
    case_number: str
    meeting_date: date | None
    outcome: str
    minutes_url: str


class MemberOut(Schema):
    id: int
    version: int
    municipality: str = Field(description="Municipality number at the time of the membership")
    name: str
    joined: date
    left: date | None
    decision: ArenaDecisionOut
    leave_decision: ArenaDecisionOut | None


class ArenaOut(Schema):
    id: int
    version: int = Field(description="Send it back with a change (optimistic locking)")
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
        "version": arena.version,
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
@paginate(Pagination)
def list_arenas(
    request: HttpRequest, filters: Query[ArenaFilter]
) -> MappedQuerySet[dict[str, object]]:
    queryset = Arena.objects.visible_to(request.user).select_related("host_municipality")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    # membership filters as `IN (arena ids)`, not joins: a join would need DISTINCT, and
    # DISTINCT over every column makes the database sort every arena before paging
    if filters.member:
        queryset = queryset.filter(
            pk__in=Membership.objects.filter(municipality__number=filters.member).values("arena_id")
        )
    if filters.county:
        queryset = queryset.filter(
            pk__in=Membership.objects.filter(municipality__county_number=filters.county).values(
                "arena_id"
            )
        )
    return MappedQuerySet(queryset.order_by("name", "id"), arena_out)


@router.get(
    "/arenas/{arena_id}",
    response={200: ArenaDetailOut, 404: Problem},
    summary="One arena with its members over time",
)
def get_arena(request: HttpRequest, arena_id: int) -> dict[str, object]:
    arena = get_object_or_404(
        Arena.objects.visible_to(request.user)
        .select_related("host_municipality", "initiator_municipality")
        .filter(pk=arena_id)
    )
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
                    "id": m.pk,
                    "version": m.version,
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


# --- Writes -------------------------------------------------------------------------------
# Every write needs a personal token (`Authorization: Bearer smb_…`) or the signed-in
# session with its CSRF token. An update carries the `version` it started from; a newer
# stored version answers 409.


def _municipality(number: str | None, on: date | None, field: str) -> Municipality | None:
    if number is None:
        return None
    found = resolve_number(number, on)
    if found is None:
        raise ValidationError({field: unknown_number(number, on)})
    return found


def _arena(arena_id: int | None, user: object, field: str) -> Arena | None:
    if arena_id is None:
        return None
    found = Arena.objects.visible_to(user).filter(pk=arena_id).first()
    if found is None:
        raise ValidationError({field: f"No arena {arena_id}."})
    return found


class ArenaIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    short_name: str = Field(min_length=1, max_length=40)
    kind: Arena.Kind
    legal_form: Arena.LegalForm = Arena.LegalForm.NONE
    legal_basis: str = Field("", max_length=200)
    purpose: str = ""
    mandate: str = ""
    primary_task: str = ""
    initiator: Arena.Initiator | Literal[""] = ""
    initiator_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    initiator_other: str = Field("", max_length=200)
    host_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    parent: int | None = None
    established: date | None = None
    ended: date | None = None
    status: Arena.Status = Arena.Status.ACTIVE
    transferred_to: int | None = None
    status_reason: str = ""
    organisation_number: str = Field("", pattern=r"^(\d{9})?$")
    website: str = Field("", max_length=200)
    next_review: date | None = None
    published: bool = True


class ArenaPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    name: str | None = Field(None, min_length=1, max_length=200)
    short_name: str | None = Field(None, min_length=1, max_length=40)
    kind: Arena.Kind | None = None
    legal_form: Arena.LegalForm | None = None
    legal_basis: str | None = Field(None, max_length=200)
    purpose: str | None = None
    mandate: str | None = None
    primary_task: str | None = None
    initiator: Arena.Initiator | Literal[""] | None = None
    initiator_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    initiator_other: str | None = Field(None, max_length=200)
    host_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    parent: int | None = None
    established: date | None = None
    ended: date | None = None
    status: Arena.Status | None = None
    transferred_to: int | None = None
    status_reason: str | None = None
    organisation_number: str | None = Field(None, pattern=r"^(\d{9})?$")
    website: str | None = Field(None, max_length=200)
    next_review: date | None = None
    published: bool | None = None


_ARENA_REFERENCES = {"initiator_municipality", "host_municipality", "parent", "transferred_to"}
_NOT_NULL_TEXT = {
    "name",
    "short_name",
    "kind",
    "legal_form",
    "legal_basis",
    "purpose",
    "mandate",
    "primary_task",
    "initiator",
    "initiator_other",
    "status",
    "status_reason",
    "organisation_number",
    "website",
    "published",
}


def _arena_values(data: dict[str, Any], user: object) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "version":
            continue
        if name in _NOT_NULL_TEXT and value is None:
            raise ValidationError({name: "May not be null."})
        if name in ("initiator_municipality", "host_municipality"):
            values[name] = _municipality(value, None, name)
        elif name in ("parent", "transferred_to"):
            values[name] = _arena(value, user, name)
        elif hasattr(value, "value"):
            values[name] = value.value
        else:
            values[name] = value
    return values


def _arena_form(data: dict[str, Any], user: object, arena: Arena | None = None) -> ArenaForm:
    """The arena page's form, filled from the payload (references as the form's ids), to be
    validated with the page's rules (e.g. the organisation number's check digit)."""
    values = {
        name: value.pk if isinstance(value, models.Model) else value
        for name, value in _arena_values(data, user).items()
    }
    if "version" in data:
        values["version"] = data["version"]
    return bind(ArenaForm, values, instance=arena)


@router.post(
    "/arenas",
    response={201: ArenaOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Register an arena",
    description=(
        "The secretariat of the parent arena may register a sub-arena; a top-level arena, "
        "a secretariat for every arena."
    ),
)
def create_arena_api(request: HttpRequest, payload: ArenaIn) -> Status[dict[str, object]]:
    arena = api_create(request, _arena_form(payload.dict(), request.user), create_arena)
    return Status(201, arena_out(arena))


@router.patch(
    "/arenas/{arena_id}",
    response={200: ArenaOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change an arena",
    description="Send the `version` you read; a newer stored version answers 409.",
)
def update_arena_api(request: HttpRequest, arena_id: int, payload: ArenaPatch) -> dict[str, object]:
    arena = record_for(
        request.user,
        Arena.objects.visible_to(request.user).select_related("host_municipality"),
        arena_id,
        may_change=can_edit_arena,
    )
    form = _arena_form(payload.dict(exclude_unset=True), request.user, arena)
    return arena_out(api_update(request, form, update_arena, version=payload.version))


# --- Memberships and the decisions they rest on (decisions themselves: governance API) ----


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
    arena: int
    municipality: str
    joined: date
    left: date | None
    leave_reason: str
    next_review: date | None
    decision: ArenaDecisionOut
    leave_decision: ArenaDecisionOut | None


class AnchorDecisionIn(Schema):
    """The decision a membership rests on, recorded together with it."""

    body: Literal["council", "executive_committee", "arena_board"]
    case_number: str = Field("", max_length=50)
    meeting_date: date
    outcome: Literal["adopted", "adopted_with_changes"] = "adopted"
    text: str = ""
    minutes_url: str = Field("", max_length=200)


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


def _membership_out(m: Membership) -> dict[str, object]:
    return {
        "id": m.pk,
        "version": m.version,
        "arena": m.arena_id,
        "municipality": m.municipality.number,
        "joined": m.joined,
        "left": m.left,
        "leave_reason": m.leave_reason,
        "next_review": m.next_review,
        "decision": decision_out(m.decision),
        "leave_decision": decision_out(m.leave_decision),
    }


def _anchor(
    data: AnchorDecisionIn | None,
    decision_id: int | None,
    *,
    arena: Arena,
    municipality: Municipality,
    request: HttpRequest,
    field: str,
) -> Decision | None:
    if data is not None and decision_id is not None:
        raise ValidationError({field: "Give either a new decision or an existing one."})
    if decision_id is not None:
        return _visible_decision(request, decision_id)
    if data is None:
        return None
    return record_decision(
        anchor_decision(data.dict(), arena=arena, municipality=municipality),
        actor=request.user,
        concerning=arena,
        channel=Channel.API,
    )


def _membership(request: HttpRequest, membership_id: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.select_related(
            "arena", "municipality", "decision__municipality", "leave_decision__municipality"
        ).filter(pk=membership_id, arena__in=Arena.objects.visible_to(request.user))
    )
    return membership


@router.get(
    "/memberships/{membership_id}",
    response={200: ArenaMembershipOut, 404: Problem},
    summary="One membership with its decisions and version",
)
def get_membership(request: HttpRequest, membership_id: int) -> dict[str, object]:
    return _membership_out(_membership(request, membership_id))


@router.post(
    "/arenas/{arena_id}/memberships",
    response={201: ArenaMembershipOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Add a member, anchored in its decision",
    description=(
        "Give the decision inline (`decision`, recorded together with the membership) or "
        "refer to an adopted one (`decision_id`)."
    ),
)
def create_membership_api(
    request: HttpRequest, arena_id: int, payload: ArenaMembershipIn
) -> Status[dict[str, object]]:
    arena = record_for(
        request.user, Arena.objects.visible_to(request.user), arena_id, may_change=can_edit_arena
    )
    municipality = _municipality(payload.municipality, payload.joined, "municipality")
    assert municipality is not None
    with transaction.atomic():
        decision = _anchor(
            payload.decision,
            payload.decision_id,
            arena=arena,
            municipality=municipality,
            request=request,
            field="decision",
        )
        if decision is None:
            raise ValidationError({"decision": "A membership rests on a decision."})
        membership = Membership(
            arena=arena,
            municipality=municipality,
            joined=payload.joined,
            next_review=payload.next_review,
            decision=decision,
        )
        add_membership(membership, actor=request.user, channel=Channel.API)
    return Status(201, _membership_out(membership))


@router.patch(
    "/memberships/{membership_id}",
    response={200: ArenaMembershipOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change or end a membership",
    description="To end it, give `left` and the decision to leave. Carries `version`.",
)
def update_membership_api(
    request: HttpRequest, membership_id: int, payload: ArenaMembershipPatch
) -> dict[str, object]:
    membership = _membership(request, membership_id)
    require(can_edit_arena(request.user, membership.arena))
    data = payload.dict(exclude_unset=True)
    with transaction.atomic():
        changes: dict[str, Any] = {
            name: data[name] for name in ("left", "next_review") if name in data
        }
        if "leave_reason" in data:
            changes["leave_reason"] = data["leave_reason"] or ""
        leave = _anchor(
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
    return _membership_out(membership)


@router.delete(
    "/memberships/{membership_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Delete a membership registered by mistake",
    description="Ending a membership is a PATCH with `left`; this removes the record. Send "
    "the `version` you read.",
)
def delete_membership_api(
    request: HttpRequest, membership_id: int, version: DeleteVersion
) -> Status[None]:
    membership = _membership(request, membership_id)
    require(can_edit_arena(request.user, membership.arena))
    delete_record(membership, actor=request.user, channel=Channel.API, expected_version=version)
    return Status(204, None)


class SuccessionsOut(Schema):
    created: int = Field(description="Memberships created for successors (0: nothing to do)")
    members: list[ArenaMembershipOut] = Field(description="The arena's memberships now")


@router.post(
    "/arenas/{arena_id}/successions",
    response={200: SuccessionsOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Carry memberships through municipality mergers and renumberings",
    description=(
        "Each open membership of a municipality that ceased ends the day it ceased, and "
        "its successor becomes a member from the day of the change, anchored in a decision "
        "that records it. Past memberships keep the municipality they were about. Running "
        "it again changes nothing."
    ),
)
def successions_api(request: HttpRequest, arena_id: int) -> dict[str, object]:
    arena = record_for(
        request.user, Arena.objects.visible_to(request.user), arena_id, may_change=can_edit_arena
    )
    created = follow_successors(arena, actor=request.user, channel=Channel.API)
    members = arena.memberships.select_related(
        "municipality", "decision__municipality", "leave_decision__municipality"
    ).order_by("municipality__number", "joined")
    return {"created": created, "members": [_membership_out(m) for m in members]}
