"""The attendance in the minutes: who of the body's members was present at a meeting."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.meetings.models import Attendance, BodyMember, Meeting
from samarbeid.meetings.seats import seated_members
from samarbeid.meetings.services.common import touch
from samarbeid.meetings.services.minutes import check_minutes_open


def nobody_seated(meeting: Meeting) -> str:
    """Why nobody can be marked present: nobody was a member of the body on the meeting's
    day (it has members of other periods), or it has no members at all; "" when someone
    sits. The attendance page says it above its (empty) list, the service when refusing."""
    if seated_members(meeting).exists():
        return ""
    if meeting.body.members.exists():
        return _("Ingen var medlem av organet på møtedagen %(d)s.") % {"d": shown(meeting.date)}
    return _("Organet har ingen medlemmer registrert.")


def set_attendance(
    meeting: Meeting,
    present: list[BodyMember],
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> list[Attendance]:
    """Record who of the body's members was present (the list replaces the one before;
    each added or removed member is audited; none of those seated is refused, and so is
    any list when nobody sits in the body on the meeting's day). The
    meeting's version is raised with it, so a second writer from the same version gets
    VersionConflict (`expected_version` None: no check, for the demo and commands)."""
    require(can_edit_arena(actor, meeting.body.arena))
    check_minutes_open(meeting)
    strangers = [m for m in present if m.body_id != meeting.body_id]
    if strangers:
        raise ValidationError(
            {"members": _("%(p)s er ikke medlem av %(b)s.") % {
                "p": ", ".join(m.person for m in strangers), "b": meeting.body.name
            }}
        )  # fmt: skip
    seated = set(seated_members(meeting).values_list("pk", flat=True))
    if not seated:
        # nobody can be marked, so nothing is written: not even the emptying of a list
        # recorded before (a seat later found to start after the day stays until mended)
        said = _("Ingenting er lagret: ingen kan føres som til stede. %(why)s")
        raise ValidationError({"members": said % {"why": nobody_seated(meeting)}})
    if not present:  # «Frammøtet er ikke ført» would follow «lagret»
        raise ValidationError({"members": _("Kryss av for dem som var til stede.")})
    unseated = [m for m in present if m.pk not in seated]
    if unseated:
        raise ValidationError(
            {
                "members": _("%(p)s satt ikke i %(b)s på møtedagen %(d)s.")
                % {
                    "p": ", ".join(m.person for m in unseated),
                    "b": meeting.body.name,
                    "d": shown(meeting.date),
                }
            }
        )
    wanted = {m.pk: m for m in present}
    with transaction.atomic():
        # the meeting first: of two writers from one version, the second is refused here
        update_record(
            meeting, {}, expected_version=expected_version, actor=actor, channel=channel,
            check=touch,
        )  # fmt: skip
        now = list(meeting.attendance.select_related("member"))
        for row in now:
            if row.member_id not in wanted:
                delete_record(row, actor=actor, channel=channel)
        have = {row.member_id for row in now}
        for pk, member in wanted.items():
            if pk not in have:
                create_record(
                    Attendance(meeting=meeting, member=member), actor=actor, channel=channel
                )
    return list(meeting.attendance.select_related("member"))
