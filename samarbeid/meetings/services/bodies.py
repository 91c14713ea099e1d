"""Writing an arena's bodies and their members (seats), and why one is refused or kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, delete_record, update_record, writable
from samarbeid.meetings.models import Body, BodyMember
from samarbeid.meetings.services.common import touch
from samarbeid.portfolio.services import has_members_on_record, is_member_on

# what a service never takes from a form or a payload
_BODY_FIXED = {"arena", "arena_id", "is_example_data", "version", "modified"}


_MEMBER_FIXED = {"body", "body_id", "is_example_data", "version", "modified"}


def arena_dissolved_refusal(arena: Any, day: Any = None) -> str | None:
    """Why `arena` takes no new body (`day` None) or no meeting on `day`, or None: it is
    dissolved (status «avviklet», or an end date that has passed). A meeting dated before
    the arena ended records its history and is taken."""
    today = timezone.localdate()
    ended = arena.ended if arena.ended and arena.ended < today else None
    if arena.status != arena.Status.CLOSED and ended is None:
        return None
    if day is not None and ended is not None and day <= ended:
        return None
    return _("%(a)s er avviklet og får ikke nye organer eller møter.") % {"a": arena.name}


def _check_body(body: Body) -> None:
    touch(body)
    if not body.name.strip():
        raise ValidationError({"name": _("Skriv organets navn.")})
    if Body.objects.filter(arena_id=body.arena_id, name=body.name).exclude(pk=body.pk).exists():
        raise ValidationError({"name": _("Arenaen har allerede et organ med dette navnet.")})


def create_body(body: Body, *, actor: Actor, channel: str = Channel.PAGE) -> Body:
    """Record a body of `body.arena` (its secretariat may)."""
    require(can_edit_arena(actor, body.arena))
    # the demo's example data reconstructs the bodies of a dissolved arena's past
    refusal = None if body.is_example_data else arena_dissolved_refusal(body.arena)
    if refusal:
        raise ValidationError(refusal)
    _check_body(body)
    return create_record(body, actor=actor, channel=channel)


def update_body(
    body: Body,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Body:
    """Change a body (not its arena); VersionConflict when stale."""
    require(can_edit_arena(actor, body.arena))
    update_record(
        body,
        writable(changes, _BODY_FIXED),
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_body,
    )
    return body


def body_delete_refusal(body: Body) -> str | None:
    """Why `body` cannot be deleted, or None: a body with meetings keeps them (a held
    meeting is never deleted, so neither is its body; delete its planned and cancelled
    meetings first)."""
    count = body.meetings.count()
    if count:
        return _(
            "%(b)s har %(n)d møte(r). Slett de planlagte og avlyste møtene først; et avholdt "
            "møte slettes aldri, og da heller ikke organet."
        ) % {"b": body.name, "n": count}
    return None


def delete_body(
    body: Body, *, expected_version: int | None, actor: Actor, channel: str = Channel.PAGE
) -> None:
    """Delete a body without meetings, with its members (each audited)."""
    require(can_edit_arena(actor, body.arena))
    refusal = body_delete_refusal(body)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        for member in body.members.order_by("pk"):
            delete_record(member, actor=actor, channel=channel)
        delete_record(body, actor=actor, channel=channel, expected_version=expected_version)


def _check_member(member: BodyMember) -> None:
    touch(member)
    errors: dict[str, str] = {}
    if not member.person.strip():
        errors["person"] = _("Skriv hvem som sitter i organet.")
    if member.valid_to and member.valid_from and member.valid_to < member.valid_from:
        errors["valid_to"] = _("«Til» kan ikke være før «fra».")
    municipality = member.municipality if member.municipality_id else None
    if municipality is not None and member.valid_from:
        day = member.valid_from
        if (municipality.valid_from and municipality.valid_from > day) or (
            municipality.valid_to and municipality.valid_to < day
        ):
            errors["municipality"] = _(
                "%(m)s fantes ikke %(d)s. Velg en kommune som fantes på «fra»-datoen."
            ) % {"m": f"{municipality.number} {municipality.name}", "d": shown(day)}
        elif not has_members_on_record(member.body.arena):
            # an arena without recorded memberships has no members to seat: its bodies
            # take none until they are registered (not any municipality at all)
            errors["municipality"] = _(
                "Arenaen har ingen registrerte medlemmer; registrer medlemskap først."
            )
        elif not is_member_on(member.body.arena, municipality, day):
            arena = member.body.arena
            errors["municipality"] = _(
                "%(m)s er ikke medlem av %(a)s %(d)s. Et organs medlemmer er arenaens "
                "medlemskommuner."
            ) % {
                "m": f"{municipality.number} {municipality.name}",
                "a": arena.short_name or arena.name,
                "d": shown(day),
            }
    if errors:
        raise ValidationError(errors)


def add_member(member: BodyMember, *, actor: Actor, channel: str = Channel.PAGE) -> BodyMember:
    """Record a member of `member.body` (the arena's secretariat may)."""
    require(can_edit_arena(actor, member.body.arena))
    _check_member(member)
    return create_record(member, actor=actor, channel=channel)


def update_member(
    member: BodyMember,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> BodyMember:
    """Change a member's seat (person, role, period); VersionConflict when stale."""
    require(can_edit_arena(actor, member.body.arena))
    update_record(
        member,
        writable(changes, _MEMBER_FIXED),
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_member,
    )
    return member


def member_delete_refusal(member: BodyMember) -> str | None:
    """Why `member` cannot be deleted, or None: the minutes name who was present."""
    count = member.attendance.count()
    if count:
        return _(
            "%(p)s er ført som til stede i protokollen for %(n)d møte(r) og kan ikke slettes. "
            "Sett en «til»-dato når vervet slutter."
        ) % {"p": member.person, "n": count}
    return None


def delete_member(
    member: BodyMember,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a seat recorded by mistake (one no minutes name)."""
    require(can_edit_arena(actor, member.body.arena))
    refusal = member_delete_refusal(member)
    if refusal:
        raise ValidationError(refusal)
    delete_record(member, actor=actor, channel=channel, expected_version=expected_version)
