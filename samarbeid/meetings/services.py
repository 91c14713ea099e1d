"""Writing an arena's bodies, their members and meetings: the arena's secretariat
(`can_edit_arena`), through the write path (versioned, audited). Each write sets the
record's `modified` time."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, update_record
from samarbeid.meetings.models import Body, BodyMember, Meeting

Status = Meeting.Status

# Which status a meeting may go to from each: the notice is sent before the meeting is held,
# minutes are approved after; a meeting is cancelled before it is held, and a cancelled one
# may be planned again.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PLANNED: frozenset({Status.NOTICE_SENT, Status.CANCELLED}),
    Status.NOTICE_SENT: frozenset({Status.HELD, Status.CANCELLED}),
    Status.HELD: frozenset({Status.MINUTES_APPROVED}),
    Status.MINUTES_APPROVED: frozenset(),
    Status.CANCELLED: frozenset({Status.PLANNED}),
}

# what a service never takes from a form or a payload
_BODY_FIXED = {"arena", "arena_id", "is_example_data", "version", "modified"}
_MEMBER_FIXED = {"body", "body_id", "is_example_data", "version", "modified"}
_MEETING_FIXED = {
    "body",
    "body_id",
    "status",
    "notice_sent_on",
    "is_example_data",
    "version",
    "modified",
}


def _kept(changes: dict[str, Any], fixed: set[str]) -> dict[str, Any]:
    return {k: v for k, v in changes.items() if k not in fixed}


def _touch(record: Any) -> None:
    record.modified = timezone.now()


# --- bodies ---


def _check_body(body: Body) -> None:
    _touch(body)
    if not body.name.strip():
        raise ValidationError({"name": _("Skriv organets navn.")})
    if Body.objects.filter(arena_id=body.arena_id, name=body.name).exclude(pk=body.pk).exists():
        raise ValidationError({"name": _("Arenaen har allerede et organ med dette navnet.")})


def create_body(body: Body, *, actor: Actor, channel: str = Channel.PAGE) -> Body:
    """Record a body of `body.arena` (its secretariat may)."""
    require(can_edit_arena(actor, body.arena))
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
        _kept(changes, _BODY_FIXED),
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_body,
    )
    return body


# --- members ---


def _check_member(member: BodyMember) -> None:
    _touch(member)
    errors: dict[str, str] = {}
    if not member.person.strip():
        errors["person"] = _("Skriv hvem som sitter i organet.")
    if member.valid_to and member.valid_from and member.valid_to < member.valid_from:
        errors["valid_to"] = _("«Til» kan ikke være før «fra».")
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
        _kept(changes, _MEMBER_FIXED),
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_member,
    )
    return member


# --- meetings ---


def _check_meeting(meeting: Meeting) -> None:
    _touch(meeting)
    errors: dict[str, str] = {}
    if not meeting.place.strip() and not meeting.video_link.strip():
        errors["place"] = _("Skriv hvor møtet holdes, eller lenken til videomøtet.")
    if meeting.end_time and meeting.start_time and meeting.end_time <= meeting.start_time:
        errors["end_time"] = _("Møtet må slutte etter at det starter.")
    if errors:
        raise ValidationError(errors)


def create_meeting(meeting: Meeting, *, actor: Actor, channel: str = Channel.PAGE) -> Meeting:
    """Plan a meeting of `meeting.body` (the arena's secretariat may); it starts planned."""
    require(can_edit_arena(actor, meeting.body.arena))
    meeting.status = Status.PLANNED
    _check_meeting(meeting)
    return create_record(meeting, actor=actor, channel=channel)


def update_meeting(
    meeting: Meeting,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Meeting:
    """Change a meeting's date, time, place and publication (its status changes through
    `change_status`); refused once its minutes are approved."""
    require(can_edit_arena(actor, meeting.body.arena))
    if meeting.status == Status.MINUTES_APPROVED:
        raise ValidationError(_("Protokollen er godkjent; møtet kan ikke endres."))
    update_record(
        meeting,
        _kept(changes, _MEETING_FIXED),
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_meeting,
    )
    return meeting


def allowed_statuses(meeting: Meeting) -> list[str]:
    """The statuses `meeting` may go to next, in the order of `Meeting.Status`."""
    allowed = TRANSITIONS[meeting.status]
    return [value for value in Status.values if value in allowed]


def check_transition(meeting: Meeting, status: str) -> None:
    """Refuse (ValidationError on `status`) a status `meeting` may not go to from its own."""
    if status not in TRANSITIONS.get(meeting.status, frozenset()):
        raise ValidationError(
            {
                "status": _("Et møte med status «%(from)s» kan ikke få status «%(to)s».")
                % {
                    "from": Status(meeting.status).label,
                    "to": Status(status).label if status in Status.values else status,
                }
            }
        )


def change_status(
    meeting: Meeting,
    status: str,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    extra: dict[str, Any] | None = None,
) -> Meeting:
    """Move `meeting` to `status` if the transition is allowed (`TRANSITIONS`)."""
    require(can_edit_arena(actor, meeting.body.arena))
    check_transition(meeting, status)
    update_record(
        meeting,
        {"status": status, **(extra or {})},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_meeting,
    )
    return meeting
