"""Writing an arena's bodies and their members (seats), and why one is refused or kept."""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, delete_record, update_record, writable
from samarbeid.governance.models import Vote
from samarbeid.meetings.models import Attendance, Body, BodyMember
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
    """Change a member's seat (person, role, period, municipality); VersionConflict when
    stale. The minutes stay true: a change is refused, on the field that moved, when the
    seat would no longer cover a meeting of the body it covers now at which the member is
    recorded present, or at which the seat's municipality voted with this as its only
    seat (`_records_lost`)."""
    require(can_edit_arena(actor, member.body.arena))
    before = copy.copy(member)  # as stored: update_record writes the changes into `member`

    def check(after: BodyMember) -> None:
        _check_member(after)
        _records_kept(before, after)

    update_record(
        member,
        writable(changes, _MEMBER_FIXED),
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=check,
    )
    return member


# how many meetings a refusal names by date (the rest are counted)
NAMED_MEETINGS = 5


def _meeting_days(days: list[date]) -> str:
    """The meetings' days, earliest first: at most NAMED_MEETINGS by date, then a count."""
    ordered = sorted(set(days))
    named = ", ".join(shown(day) for day in ordered[:NAMED_MEETINGS])
    rest = len(ordered) - NAMED_MEETINGS
    if rest > 0:
        named += " " + ngettext("og %(n)d møte til", "og %(n)d møter til", rest) % {"n": rest}
    return named


def _attended_days(member: BodyMember) -> list[date]:
    """The days of the meetings at which the minutes record `member` present."""
    return list(
        Attendance.objects.filter(member_id=member.pk).values_list("meeting__date", flat=True)
    )


def _voted_days(member: BodyMember) -> list[date]:
    """The days of the body's meetings at which `member`'s municipality voted (the minutes'
    votes, governance's `Vote`, are the municipality's, not the person's) while `member`
    was its only seat in the body: without it, the vote has no seat behind it."""
    if member.municipality_id is None:
        return []
    voted = set(
        Vote.objects.filter(
            municipality_id=member.municipality_id,
            decision__agenda_item__meeting__body_id=member.body_id,
        ).values_list("decision__agenda_item__meeting__date", flat=True)
    )
    days = {day for day in voted if member.sits_on(day)}
    if not days:
        return []
    others = list(
        BodyMember.objects.filter(body_id=member.body_id, municipality_id=member.municipality_id)
        .exclude(pk=member.pk)
        .select_related("municipality")
    )
    return sorted(day for day in days if not any(other.sits_on(day) for other in others))


def _place(member: BodyMember) -> str:
    municipality = member.municipality if member.municipality_id is not None else None
    return municipality.name if municipality is not None else ""


def _field_left_out(after: BodyMember, day: date) -> str:
    """The field of `after` that leaves its seat off `day`: the period's start or end, else
    its municipality (another one, or one that no longer existed on the day)."""
    if after.valid_from and after.valid_from > day:
        return "valid_from"
    if after.valid_to and after.valid_to < day:
        return "valid_to"
    return "municipality"


def _records_lost(before: BodyMember, after: BodyMember) -> dict[str, list[str]]:
    """What the minutes would no longer show true if the seat `before` became `after`,
    by the field that moved: the meetings `before` sat in, with the member recorded
    present, that `after` does not sit in; and those at which `before`'s municipality voted
    with `before` as its only seat, that `after` (another municipality, another period)
    no longer holds. Meetings the stored seat does not cover are not its to lose."""
    if before.pk is None or after.valid_from is None:
        return {}  # a new seat holds no records; a missing «fra» is the model's to refuse
    if (before.valid_from, before.valid_to, before.municipality_id) == (
        after.valid_from,
        after.valid_to,
        after.municipality_id,
    ):
        return {}  # a name or role changed: no query
    present: dict[str, list[date]] = defaultdict(list)
    for day in _attended_days(before):
        if before.sits_on(day) and not after.sits_on(day):
            present[_field_left_out(after, day)].append(day)
    voted: dict[str, list[date]] = defaultdict(list)
    same_place = after.municipality_id == before.municipality_id
    for day in _voted_days(before):
        if not (same_place and after.sits_on(day)):
            voted[_field_left_out(after, day)].append(day)
    body = after.body.name
    said: dict[str, list[str]] = defaultdict(list)
    for field, days in present.items():
        values = {"p": after.person, "d": _meeting_days(days), "b": body}
        if field == "municipality":
            said[field].append(
                ngettext(
                    "%(p)s er ført som til stede på møtet %(d)s i %(b)s, og plassens kommune "
                    "fantes ikke da; velg en kommune som fantes på møtedagen.",
                    "%(p)s er ført som til stede på møtene %(d)s i %(b)s, og plassens kommune "
                    "fantes ikke da; velg en kommune som fantes på møtedagene.",
                    len(set(days)),
                )
                % values
            )
        else:
            said[field].append(
                ngettext(
                    "%(p)s er ført som til stede på møtet %(d)s i %(b)s; flytt ikke perioden "
                    "forbi det.",
                    "%(p)s er ført som til stede på møtene %(d)s i %(b)s; flytt ikke perioden "
                    "forbi dem.",
                    len(set(days)),
                )
                % values
            )
    place = _place(before)
    for field, days in voted.items():
        values = {"m": place, "d": _meeting_days(days), "b": body, "p": before.person}
        if field == "municipality":
            said[field].append(
                ngettext(
                    "%(m)s stemte på møtet %(d)s i %(b)s med %(p)s som kommunens eneste "
                    "plass; behold kommunen, og registrer en plass for en annen kommune som "
                    "et nytt medlem.",
                    "%(m)s stemte på møtene %(d)s i %(b)s med %(p)s som kommunens eneste "
                    "plass; behold kommunen, og registrer en plass for en annen kommune som "
                    "et nytt medlem.",
                    len(set(days)),
                )
                % values
            )
        else:
            said[field].append(
                ngettext(
                    "%(m)s stemte på møtet %(d)s i %(b)s med %(p)s som kommunens eneste "
                    "plass; flytt ikke perioden forbi det.",
                    "%(m)s stemte på møtene %(d)s i %(b)s med %(p)s som kommunens eneste "
                    "plass; flytt ikke perioden forbi dem.",
                    len(set(days)),
                )
                % values
            )
    return dict(said)


def _records_kept(before: BodyMember, after: BodyMember) -> None:
    lost = _records_lost(before, after)
    if lost:
        raise ValidationError(lost)


def member_delete_refusal(member: BodyMember) -> str | None:
    """Why `member` cannot be deleted, or None: the minutes name who was present, and a
    vote of its municipality needs its seat (the rule of `update_member`)."""
    reasons = []
    present = _attended_days(member)
    if present:
        reasons.append(
            ngettext(
                "%(p)s er ført som til stede på møtet %(d)s i %(b)s og kan ikke slettes.",
                "%(p)s er ført som til stede på møtene %(d)s i %(b)s og kan ikke slettes.",
                len(set(present)),
            )
            % {"p": member.person, "d": _meeting_days(present), "b": member.body.name}
        )
    voted = _voted_days(member)
    if voted:
        reasons.append(
            ngettext(
                "%(m)s stemte på møtet %(d)s i %(b)s med %(p)s som kommunens eneste plass, "
                "så plassen kan ikke slettes.",
                "%(m)s stemte på møtene %(d)s i %(b)s med %(p)s som kommunens eneste plass, "
                "så plassen kan ikke slettes.",
                len(set(voted)),
            )
            % {
                "m": _place(member),
                "d": _meeting_days(voted),
                "b": member.body.name,
                "p": member.person,
            }
        )
    if not reasons:
        return None
    reasons.append(_("Sett en «til»-dato når vervet slutter."))
    return " ".join(reasons)


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
