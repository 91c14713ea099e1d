"""A meeting's status: where it may go from each, and the move (notice and approval move it too)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import update_record
from samarbeid.meetings.models import Meeting
from samarbeid.meetings.services.common import touch

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


def check_meeting(meeting: Meeting) -> None:
    """A meeting's own rules (a place or a video link; it ends after it starts)."""
    touch(meeting)
    errors: dict[str, str] = {}
    if not meeting.place.strip() and not meeting.video_link.strip():
        errors["place"] = _("Skriv hvor møtet holdes, eller lenken til videomøtet.")
    if meeting.end_time and meeting.start_time and meeting.end_time <= meeting.start_time:
        errors["end_time"] = _("Møtet må slutte etter at det starter.")
    if errors:
        raise ValidationError(errors)


def allowed_statuses(meeting: Meeting, today: Any = None) -> list[str]:
    """The statuses `meeting` may go to next, in the order of `Meeting.Status` (held not
    before its day, as `change_status` refuses)."""
    allowed = set(TRANSITIONS[meeting.status])
    if meeting.date > (today or timezone.localdate()):
        allowed.discard(Status.HELD)
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


# The statuses set by their own services: the notice numbers the agenda, the approval of the
# minutes records who approved them.
OWN_SERVICE = {Status.NOTICE_SENT: "send_notice", Status.MINUTES_APPROVED: "approve_minutes"}


def change_status(
    meeting: Meeting,
    status: str,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    today: Any = None,
) -> Meeting:
    """Move `meeting` to `status` (held, cancelled, planned again) if the transition is
    allowed (`TRANSITIONS`); the notice and the minutes' approval go through their own
    services. A meeting is not held before its date."""
    require(can_edit_arena(actor, meeting.body.arena))
    if status in OWN_SERVICE:
        raise ValidationError(
            {
                "status": _(
                    "Denne statusen settes når innkallingen sendes eller protokollen godkjennes."
                )
            }
        )
    if status == Status.HELD and meeting.date > (today or timezone.localdate()):
        raise ValidationError(
            {
                "status": _("Møtet er %(d)s; det kan ikke være avholdt før den dagen.")
                % {"d": shown(meeting.date)}
            }
        )
    return move(meeting, status, expected_version=expected_version, actor=actor, channel=channel)


def move(
    meeting: Meeting,
    status: str,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str,
    extra: dict[str, Any] | None = None,
) -> Meeting:
    """Move `meeting` to `status` (with `extra` fields) if `TRANSITIONS` allows it."""
    check_transition(meeting, status)
    update_record(
        meeting,
        {"status": status, **(extra or {})},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=check_meeting,
    )
    return meeting
