"""Writing an arena's bodies, their members and meetings: the arena's secretariat
(`can_edit_arena`), through the write path (versioned, audited). Each write sets the
record's `modified` time."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from samarbeid.accounts.models import Role
from samarbeid.accounts.permissions import can_edit_arena, can_link, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core import dates
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.governance.models import Decision, VotingRule
from samarbeid.governance.services.decisions import record_decision, update_decision
from samarbeid.governance.services.votes import cast_vote, conclude_vote
from samarbeid.lib.uploads import MAX_BYTES, MEGABYTE, FileKind, UploadRefused, check_upload
from samarbeid.meetings.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    LegalBasis,
    Meeting,
    MeetingDocument,
    MinutesOutcome,
    NoticeChange,
    clock,
)
from samarbeid.meetings.seats import seated_members, seated_municipalities
from samarbeid.meetings.signals import AMENDED, NOTICE, SUPPLEMENTARY, notice_sent
from samarbeid.portfolio.models import Participation
from samarbeid.portfolio.services import has_members_on_record, is_member_on, set_participation

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
    "notice_outside",
    "notice_sent_at",
    "notice_delivery",
    "is_example_data",
    "version",
    "modified",
}


def _kept(changes: dict[str, Any], fixed: set[str]) -> dict[str, Any]:
    return {k: v for k, v in changes.items() if k not in fixed}


def _touch(record: Any) -> None:
    record.modified = timezone.now()


# --- bodies ---


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
    _touch(body)
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
        _kept(changes, _BODY_FIXED),
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


# --- members ---


def _check_member(member: BodyMember) -> None:
    _touch(member)
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
            ) % {"m": f"{municipality.number} {municipality.name}", "d": day.strftime("%d.%m.%Y")}
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
                "d": day.strftime("%d.%m.%Y"),
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
        _kept(changes, _MEMBER_FIXED),
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
    arena = meeting.body.arena
    refusal = arena_dissolved_refusal(arena, meeting.date)
    if refusal:
        if arena.ended:  # said on the date, with the day the arena ended
            refusal = _("%(a)s ble avviklet %(e)s; et møte kan ikke holdes etter den dagen.") % {
                "a": arena.name,
                "e": arena.ended.strftime("%d.%m.%Y"),
            }
        raise ValidationError({"date": refusal})
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
    before = {name: getattr(meeting, name) for name in NOTICED_FACTS}
    with transaction.atomic():
        update_record(
            meeting,
            _kept(changes, _MEETING_FIXED),
            expected_version=expected_version,
            actor=actor,
            channel=channel,
            check=_check_meeting,
        )
        if meeting.status == Status.NOTICE_SENT and any(
            getattr(meeting, name) != value for name, value in before.items()
        ):
            after = {name: getattr(meeting, name) for name in NOTICED_FACTS}
            change = create_record(
                NoticeChange(
                    meeting=meeting,
                    kind=NoticeChange.Kind.AMENDED,
                    **{f"old_{name}": value for name, value in before.items()},
                    **{f"new_{name}": value for name, value in after.items()},
                    delivery=notice_delivery(meeting, AMENDED).facts(),
                ),
                actor=actor,
                channel=channel,
            )
            _notify(meeting, AMENDED, change)  # "Endret innkalling" to the same people
            meeting.sent_change = change  # type: ignore[attr-defined]  # the page says so
    return meeting


# what the notice told the members: a change of one sends an amended notice
NOTICED_FACTS = ("date", "start_time", "end_time", "place", "video_link")


def _notify(meeting: Meeting, kind: str, change: NoticeChange | None = None) -> None:
    """After the commit: tell the layers above that `meeting`'s notice (of `kind`, with
    what changed since the notice) went out."""
    transaction.on_commit(
        lambda: notice_sent.send(sender=Meeting, meeting=meeting, kind=kind, change=change)
    )


DELETABLE = frozenset({Status.PLANNED, Status.CANCELLED})


def meeting_delete_refusal(meeting: Meeting) -> str | None:
    """Why `meeting` cannot be deleted, or None: only a planned or cancelled meeting is
    deleted; one that is announced and then held, with its minutes, is never deleted (its
    notice went out, its minutes are the body's record)."""
    if meeting.status not in DELETABLE:
        return _(
            "Bare et planlagt eller avlyst møte kan slettes (status nå: «%(s)s»). Et avholdt "
            "møte med protokoll slettes aldri."
        ) % {"s": meeting.get_status_display()}
    return None


def delete_meeting(
    meeting: Meeting,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a planned or cancelled meeting with its agenda and documents (each audited;
    the files are removed from the storage after the commit)."""
    require(can_edit_arena(actor, meeting.body.arena))
    refusal = meeting_delete_refusal(meeting)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        # the version first: a meeting changed (or sent, or held) since it was read stays
        stored = Meeting.objects.select_for_update().filter(pk=meeting.pk).order_by("pk")
        found = stored.values_list("version", "status").first()
        if found is not None and found[1] not in DELETABLE:
            raise ValidationError(meeting_delete_refusal(Meeting(status=found[1])) or "")
        files = []
        for document in meeting.documents.order_by("pk"):
            files.append((document.file.storage, document.file.name))
            delete_record(document, actor=actor, channel=channel)
        for row in meeting.attendance.order_by("pk"):
            delete_record(row, actor=actor, channel=channel)
        for item in meeting.items.order_by("pk"):
            delete_record(item, actor=actor, channel=channel)
        delete_record(meeting, actor=actor, channel=channel, expected_version=expected_version)

        def remove() -> None:
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(remove)


def allowed_statuses(meeting: Meeting, today: Any = None) -> list[str]:
    """The statuses `meeting` may go to next, in the order of `Meeting.Status` (held not
    before its day, as `change_status` refuses)."""
    allowed = set(TRANSITIONS[meeting.status])
    if meeting.date > (today or timezone.localdate()):
        allowed.discard(Status.HELD)
    return [value for value in Status.values if value in allowed]


def notice_possible(meeting: Meeting) -> bool:
    """ "Send innkalling" is offered for a planned meeting whose day has not passed (as
    `send_notice` refuses)."""
    return meeting.status == Status.PLANNED and meeting.date >= notice_day()


def outside_notice_possible(meeting: Meeting) -> bool:
    """ "Registrer innkalling sendt utenfor Samarbeid" is offered for any planned meeting
    (as `record_outside_notice` refuses otherwise): a notice sent on paper or by the
    municipality's own e-mail, before or after the meeting's day has passed — the way on
    for a meeting whose day passed while it was still planned."""
    return meeting.status == Status.PLANNED


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
                % {"d": meeting.date.strftime("%d.%m.%Y")}
            }
        )
    return _move(meeting, status, expected_version=expected_version, actor=actor, channel=channel)


def _move(
    meeting: Meeting,
    status: str,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str,
    extra: dict[str, Any] | None = None,
) -> Meeting:
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


# --- the agenda ---

_ITEM_FIXED = {
    "meeting",
    "meeting_id",
    "body",
    "body_id",
    "year",
    "number",
    "is_example_data",
    "version",
    "modified",
}
_LINKS = ("case", "project", "review_round", "strategic_plan")
# a meeting whose agenda can still change: before it is held
_AGENDA_OPEN = {Status.PLANNED, Status.NOTICE_SENT}


def _check_item(item: AgendaItem) -> None:
    _touch(item)
    if not item.title.strip():
        raise ValidationError({"title": _("Skriv sakens tittel.")})
    if not item.closed and (item.legal_basis or item.legal_basis_text.strip()):
        raise ValidationError(
            {
                "legal_basis": _(
                    "Bare en lukket sak har hjemmel for unntak. Kryss av for lukket sak, "
                    "eller fjern hjemmelen."
                )
            }
        )
    if not item.closed:
        item.closed_reason = ""
    elif not item.legal_basis:
        raise ValidationError(
            {"legal_basis": _("Velg hjemmelen for å unnta saken fra offentlighet.")}
        )
    elif item.legal_basis == LegalBasis.OTHER and not item.legal_basis_text.strip():
        raise ValidationError({"legal_basis_text": _("Skriv hjemmelen.")})
    elif item.legal_basis != LegalBasis.OTHER:
        item.legal_basis_text = ""
    linked = [name for name in _LINKS if getattr(item, f"{name}_id") is not None]
    if len(linked) > 1:
        raise ValidationError(
            {
                linked[1]: _(
                    "En sak i sakskartet gjelder én ting: en sak, et prosjekt, en "
                    "gjennomgang eller en plan. Velg bare én."
                )
            }
        )


def _check_item_for(actor: Actor, item: AgendaItem) -> None:
    _check_item(item)
    require(can_link(actor, *_link_arenas(item)))


def _link_arenas(item: AgendaItem) -> list[Any]:
    """The arenas of the records `item` links to (the writer must be their secretariat)."""
    arenas = []
    for name in _LINKS:
        record = getattr(item, name)
        if record is not None:
            arenas.append(getattr(record, "arena", None))
    return arenas


def _lock_numbers(body_id: int) -> None:
    """Hold the body's row until the transaction ends: two notices (or a late item and a
    notice) of one body at once take their numbers one after the other, not the same."""
    Body.objects.select_for_update().filter(pk=body_id).order_by("pk").first()


def next_number(body_id: int, year: int) -> int:
    """The next free item number of a body in a year (numbers start at 1 each year)."""
    found = AgendaItem.objects.filter(body_id=body_id, year=year).aggregate(n=Max("number"))
    return int(found["n"] or 0) + 1


def add_item(item: AgendaItem, *, actor: Actor, channel: str = Channel.PAGE) -> AgendaItem:
    """Put `item` on its meeting's agenda, last. Before the notice it has no number; after
    it (an item added late), the body's next number that year at once. Refused once the
    meeting is held or cancelled."""
    meeting = item.meeting
    require(can_edit_arena(actor, meeting.body.arena))
    require(can_link(actor, *_link_arenas(item)))
    if meeting.status not in _AGENDA_OPEN:
        raise ValidationError(
            _("Sakskartet kan ikke endres når møtet har status «%(s)s».")
            % {"s": meeting.get_status_display()}
        )
    item.body_id = meeting.body_id
    _check_item(item)
    with transaction.atomic():
        _lock_numbers(meeting.body_id)
        last = meeting.items.aggregate(p=Max("position"))["p"] or 0
        item.position = last + 1
        if meeting.status != Status.NOTICE_SENT:
            return create_record(item, actor=actor, channel=channel)
        item.year = meeting.date.year
        item.number = next_number(meeting.body_id, item.year)
        create_record(item, actor=actor, channel=channel)
        change = create_record(
            NoticeChange(
                meeting=meeting,
                kind=NoticeChange.Kind.SUPPLEMENTARY,
                item=item,
                item_year=item.year,
                item_number=item.number,
                item_title=item.title,
                delivery=notice_delivery(meeting, SUPPLEMENTARY).facts(),
            ),
            actor=actor,
            channel=channel,
        )
        _notify(meeting, SUPPLEMENTARY, change)  # "Tilleggssak" to those noticed
        item.sent_change = change  # type: ignore[attr-defined]  # the page says so
        return item


def update_item(
    item: AgendaItem,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> AgendaItem:
    """Change an item's title, text, link, closure or place in the order (never its
    number); refused once the minutes are approved."""
    require(can_edit_arena(actor, item.meeting.body.arena))
    if item.meeting.status == Status.MINUTES_APPROVED:
        raise ValidationError(_("Protokollen er godkjent; sakskartet kan ikke endres."))
    kept = _kept(changes, _ITEM_FIXED)
    if kept.get("closed") is False and "legal_basis" not in kept:
        # opened without a word on the basis: the basis goes with the closure
        kept.update(legal_basis="", legal_basis_text="")
    if item.number is not None:
        kept.pop("position", None)  # numbered: the order is the numbers'
    update_record(
        item,
        kept,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=lambda changed: _check_item_for(actor, changed),
    )
    return item


def delete_item(
    item: AgendaItem,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Take an item off the agenda; refused once it has its number (the notice is out)."""
    require(can_edit_arena(actor, item.meeting.body.arena))
    if item.number is not None:
        raise ValidationError(
            _(
                "%(ref)s er sendt til medlemmene og kan ikke tas ut av sakskartet. Skal den "
                "ikke behandles, sett utfallet «utsatt» i protokollen når møtet er holdt."
            )
            % {"ref": item.reference}
        )
    delete_record(item, actor=actor, channel=channel, expected_version=expected_version)


def notice_day() -> Any:
    """The day a notice is sent (today; the tests set it)."""
    return timezone.localdate()


def send_notice(
    meeting: Meeting,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    today: Any = None,
    notify: bool = True,
) -> Meeting:
    """ "Send innkalling": the meeting gets status notice sent, each item on its agenda its
    number (the body's next numbers that year, in the agenda's order), and after the commit
    `signals.notice_sent` tells the layers above (reminders e-mails the members'
    coordinators). Refused for a meeting without items, and for one whose day has passed
    (`today`: the day the notice is dated, the demo's of the past)."""
    require(can_edit_arena(actor, meeting.body.arena))
    check_transition(meeting, Status.NOTICE_SENT)
    today = today or notice_day()
    if meeting.date < today:
        raise ValidationError(
            _(
                "Møtet var %(d)s; en innkalling sendes før møtedagen. Ble innkallingen sendt "
                "på papir eller med kommunens egen e-post, registrer den som sendt utenfor "
                "Samarbeid; ellers flytt møtet til en ny dato, eller avlys det."
            )
            % {"d": meeting.date.strftime("%d.%m.%Y")}
        )
    with transaction.atomic():
        # to whom it goes, kept on the record as said now (the demo's of 2007: nobody)
        sent = (
            {"notice_sent_at": timezone.now(), "notice_delivery": notice_delivery(meeting).facts()}
            if notify
            else {}
        )
        _give_notice(
            meeting,
            today,
            expected_version=expected_version,
            actor=actor,
            channel=channel,
            extra=sent,
        )
        if notify:  # the demo records notices of 2007 without e-mailing anyone
            _notify(meeting, NOTICE)
    return meeting


def record_outside_notice(
    meeting: Meeting,
    sent_on: Any,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    today: Any = None,
) -> Meeting:
    """ "Registrer innkalling sendt utenfor Samarbeid": the notice went out on paper or by
    the municipality's own e-mail on `sent_on` (not after the meeting's day, not in the
    future). The meeting gets status notice sent (marked `notice_outside`) and its items
    their numbers, as `send_notice` gives them, but nobody is e-mailed; the meeting page,
    the minutes and their PDF say "Innkalling sendt utenfor Samarbeid". Audited as any
    write."""
    require(can_edit_arena(actor, meeting.body.arena))
    if not outside_notice_possible(meeting):
        check_transition(meeting, Status.NOTICE_SENT)
    today = today or notice_day()
    if sent_on is None:
        raise ValidationError({"sent_outside_on": _("Skriv datoen innkallingen ble sendt.")})
    if sent_on > meeting.date:
        raise ValidationError(
            {
                "sent_outside_on": _("Innkallingen må være sendt senest på møtedagen (%(d)s).")
                % {"d": meeting.date.strftime("%d.%m.%Y")}
            }
        )
    if sent_on > today:
        raise ValidationError(
            {"sent_outside_on": _("Datoen innkallingen ble sendt, kan ikke være fram i tid.")}
        )
    with transaction.atomic():
        _give_notice(
            meeting,
            sent_on,
            expected_version=expected_version,
            actor=actor,
            channel=channel,
            outside=True,
        )
    return meeting


def _give_notice(
    meeting: Meeting,
    day: Any,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str,
    outside: bool = False,
    extra: dict[str, Any] | None = None,
) -> None:
    """The notice's status and date, and the agenda's numbers (inside a transaction)."""
    items = list(meeting.items.order_by("position", "pk"))
    if not items:
        raise ValidationError(_("Sett opp minst én sak i sakskartet før innkallingen sendes."))
    _lock_numbers(meeting.body_id)
    _move(
        meeting,
        Status.NOTICE_SENT,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        extra={"notice_sent_on": day, "notice_outside": outside, **(extra or {})},
    )
    year = meeting.date.year
    number = next_number(meeting.body_id, year)
    for item in items:
        if item.number is not None:
            continue
        update_record(
            item,
            {"year": year, "number": number},
            expected_version=None,
            actor=actor,
            channel=channel,
            check=_touch,
        )
        number += 1


# the development backends: `make run` without EMAIL_HOST prints the messages (console);
# the tests keep them in memory (locmem)
_LOG_BACKEND = "django.core.mail.backends.console.EmailBackend"
_TEST_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
_SHOWN_RECIPIENTS = 5


@dataclass(frozen=True)
class NoticeDelivery:
    """Who gets a meeting's notice by e-mail, as the page and the API say it. `mode`:
    "mail" (sent), "log" (development: written to the log), "off" (mail not set up),
    "outside" (recorded as sent outside Samarbeid); `recipients`: "person (3909 Larvik)"
    of each coordinator e-mailed; `without_address`: the member municipalities ("3909
    Larvik") on the meeting's day without a coordinator with an e-mail address; `kind`:
    the first notice, an amended one or a supplementary item; `message`: all of it in a
    sentence or two (a long list cut, the notice page has all of it)."""

    mode: str
    recipients: list[str]
    without_address: list[str]
    message: str
    kind: str = NOTICE

    def facts(self) -> dict[str, Any]:
        """What is kept on the record when the notice goes out (and said again later)."""
        return {
            "mode": self.mode,
            "recipients": self.recipients,
            "without_address": self.without_address,
        }


def _mail_mode() -> str:
    if settings.EMAIL_BACKEND == _LOG_BACKEND:
        return "log"
    if not settings.EMAIL_HOST and settings.EMAIL_BACKEND != _TEST_BACKEND:
        return "off"
    return "mail"


def _short(names: list[str], full: bool = False) -> str:
    if full:
        return ", ".join(names)
    shown = ", ".join(names[:_SHOWN_RECIPIENTS])
    more = len(names) - _SHOWN_RECIPIENTS
    if more > 0:
        shown += " " + ngettext(
            "og %(n)d til (hele listen står på innkallingssiden)",
            "og %(n)d til (hele listen står på innkallingssiden)",
            more,
        ) % {"n": more}
    return shown


def is_long(delivery: NoticeDelivery) -> bool:
    """Whether the message cut a list (the page links to the notice page then)."""
    return max(len(delivery.recipients), len(delivery.without_address)) > _SHOWN_RECIPIENTS


def _label(municipality: Any) -> str:
    return f"{municipality.number} {municipality.name}"


def outside_delivery(meeting: Meeting) -> NoticeDelivery:
    """What the clerk is told when the notice was recorded as sent outside Samarbeid."""
    day = meeting.notice_sent_on.strftime("%d.%m.%Y") if meeting.notice_sent_on else ""
    return NoticeDelivery(
        "outside",
        [],
        [],
        _(
            "Innkallingen er registrert som sendt utenfor Samarbeid %(d)s, og sakene har fått "
            "sine nummer. Ingen fikk e-post fra Samarbeid."
        )
        % {"d": day},
    )


def change_delivery(change: NoticeChange | None) -> NoticeDelivery | None:
    """What an amended or supplementary notice's record says about who got it."""
    if change is None:
        return None
    facts = change.delivery or {}
    kind = AMENDED if change.kind == NoticeChange.Kind.AMENDED else SUPPLEMENTARY
    recipients = list(facts.get("recipients", []))
    without = list(facts.get("without_address", []))
    mode = facts.get("mode", _mail_mode())
    message = delivery_message(change.meeting, mode, recipients, without, kind)
    return NoticeDelivery(mode, recipients, without, message, kind)


def notice_delivery(meeting: Meeting, kind: str = NOTICE) -> NoticeDelivery:
    """Who gets `meeting`'s notice (or its amended or supplementary notice, `kind`) by
    e-mail: the active coordinators with an e-mail address of the municipalities that sit in
    the body on the meeting's day (reminders e-mails exactly those, `signals.notice_sent`),
    and what the clerk is told.

    A notice to the members of a body is formal (the law's notice of a meeting to its
    members, kommuneloven § 11-3, for an inter-municipal body by § 18-4 and its
    agreement): it is sent to each coordinator whatever they chose for their reminders
    and case alerts (reminders.notices.meeting_notice_sent does not skip those who
    reserved themselves against reminders), so nobody here is said to have reserved
    themselves, and nobody said to be sent one is left out."""
    mode = _mail_mode()
    seated = {m.pk: m for m in seated_municipalities(meeting)}
    if not seated:
        return NoticeDelivery(mode, [], [], delivery_message(meeting, mode, [], [], kind), kind)
    coordinators = (
        get_user_model()
        .objects.filter(
            is_active=True,
            roles__role=Role.COORDINATOR,
            roles__municipality_id__in=list(seated),
        )
        .exclude(email="")
        .prefetch_related("roles")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    recipients: list[str] = []
    reached: set[int] = set()
    for user in coordinators:
        theirs = [
            seated[r.municipality_id]
            for r in user.roles.all()
            if r.role == Role.COORDINATOR and r.municipality_id in seated
        ]
        reached.update(m.pk for m in theirs)
        who = user.get_full_name() or user.username
        recipients.append(f"{who} ({', '.join(_label(m) for m in theirs)})")
    without = [_label(m) for pk, m in seated.items() if pk not in reached]
    message = delivery_message(meeting, mode, recipients, without, kind)
    return NoticeDelivery(mode, recipients, without, message, kind)


def delivery_message(
    meeting: Meeting,
    mode: str,
    recipients: list[str],
    without: list[str],
    kind: str = NOTICE,
    *,
    full: bool = False,
) -> str:
    """The sentence or two the clerk reads (`full`: every name, as the notice page says
    it), for the first notice, an amended one or a supplementary item alike."""
    if not recipients and not without:
        why = _("%(b)s har ingen medlemskommune på møtedagen.") % {"b": meeting.body.name}
        return _("Ingen fikk den på e-post: %(why)s") % {"why": why}
    if not recipients:
        return _(
            "Ingen fikk den på e-post: ingen av medlemmene har en koordinator med "
            "e-postadresse (%(m)s)."
        ) % {"m": _short(without, full)}
    if mode == "off":
        return _("Ingen fikk den på e-post: e-post er ikke satt opp for tjenesten.")
    n = len(recipients)
    who = _short(recipients, full)
    if mode == "log":
        what = {
            AMENDED: _("den endrede innkallingen"),
            SUPPLEMENTARY: _("tilleggssaken"),
        }.get(kind, _("innkallingen"))
        message = ngettext(
            "E-post er ikke satt opp (utvikling): %(what)s til %(n)d mottaker er skrevet til "
            "loggen: %(who)s.",
            "E-post er ikke satt opp (utvikling): %(what)s til %(n)d mottakere er skrevet til "
            "loggen: %(who)s.",
            n,
        ) % {"what": what, "n": n, "who": who}
    elif kind == AMENDED:
        message = ngettext(
            "Endret innkalling er sendt på e-post til %(n)d mottaker: %(who)s.",
            "Endret innkalling er sendt på e-post til %(n)d mottakere: %(who)s.",
            n,
        ) % {"n": n, "who": who}
    elif kind == SUPPLEMENTARY:
        message = ngettext(
            "Tilleggssak er sendt på e-post til %(n)d mottaker: %(who)s.",
            "Tilleggssak er sendt på e-post til %(n)d mottakere: %(who)s.",
            n,
        ) % {"n": n, "who": who}
    else:
        message = ngettext(
            "Sendt på e-post til %(n)d mottaker: %(who)s.",
            "Sendt på e-post til %(n)d mottakere: %(who)s.",
            n,
        ) % {"n": n, "who": who}
    if without:
        message += " " + _("Uten koordinator med e-postadresse: %(m)s.") % {
            "m": _short(without, full)
        }
    return message


def sent_record(meeting: Meeting, facts: dict[str, Any], when: Any, kind: str = NOTICE) -> str:
    """ "Sendt 04.12.2026 kl. 13.05 til: …" — what a notice kept on its record says on the
    notice page and the meeting page, every name. Empty for one without recorded facts."""
    if not facts or when is None:
        return ""
    moment = timezone.localtime(when)
    said = delivery_message(
        meeting,
        facts.get("mode", "mail"),
        list(facts.get("recipients", [])),
        list(facts.get("without_address", [])),
        kind,
        full=True,
    )
    if facts.get("mode") == "mail" and facts.get("recipients"):
        head = _("Sendt %(d)s kl. %(t)s til: %(who)s.") % {
            "d": moment.strftime("%d.%m.%Y"),
            "t": clock(moment),
            "who": ", ".join(facts["recipients"]),
        }
        without = facts.get("without_address") or []
        if without:
            head += " " + _("Uten koordinator med e-postadresse: %(m)s.") % {
                "m": ", ".join(without)
            }
        return head
    return _("%(d)s kl. %(t)s: %(said)s") % {
        "d": moment.strftime("%d.%m.%Y"),
        "t": clock(moment),
        "said": said,
    }


# --- documents ---


def upload_error(code: str, name: str, size: int) -> str:
    """What a clerk is told when a file is refused (`lib.uploads` codes)."""
    ext = name.rpartition(".")[2] if "." in name else ""
    if code == "empty":
        return _("Filen «%(name)s» er tom.") % {"name": name}
    if code == "too_large":
        return _("Filen «%(name)s» er %(size)s MB; største tillatte størrelse er %(max)s MB.") % {
            "name": name,
            "size": f"{size / MEGABYTE:.1f}".replace(".", ","),
            "max": MAX_BYTES // MEGABYTE,
        }
    if code == "type":
        return _(
            "Filtypen «%(ext)s» er ikke tillatt. Last opp PDF, Word (docx), Excel (xlsx), "
            "OpenDocument-tekst (odt), PNG eller JPEG."
        ) % {"ext": f".{ext}" if ext else _("uten endelse")}
    return _("Innholdet i «%(name)s» er ikke en fil av typen filnavnet sier (.%(ext)s).") % {
        "name": name,
        "ext": ext,
    }


def checked_upload(upload: Any) -> FileKind:
    """The kind of the uploaded file `upload` (a Django UploadedFile); ValidationError on
    `file` saying why it is refused."""
    name = str(upload.name or "")
    size = int(upload.size or 0)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        return check_upload(name, head, size)
    except UploadRefused as exc:
        raise ValidationError({"file": upload_error(exc.code, name, size)}) from None


def _check_document(document: MeetingDocument) -> None:
    _touch(document)
    if not document.title.strip():
        raise ValidationError({"title": _("Skriv dokumentets tittel.")})
    if document.item is not None and document.item.meeting_id != document.meeting_id:
        raise ValidationError({"item": _("Saken hører til et annet møte.")})


def add_document(
    document: MeetingDocument, upload: Any, *, actor: Actor, channel: str = Channel.PAGE
) -> MeetingDocument:
    """Attach the uploaded file `upload` to `document.meeting` (or one of its items),
    stored through the default storage under a random name. Refused (ValidationError on
    `file`) for a kind or size `lib.uploads` does not allow."""
    require(can_edit_arena(actor, document.meeting.body.arena))
    kind = checked_upload(upload)
    document.filename = str(upload.name)[:255]
    document.content_type = kind.content_type
    document.size = int(upload.size)
    document.file = upload
    _check_document(document)
    return create_record(document, actor=actor, channel=channel)


def delete_document(
    document: MeetingDocument,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Remove a document and, after the commit, its file from the storage. Refused once the
    meeting's minutes are approved (what was published stays)."""
    require(can_edit_arena(actor, document.meeting.body.arena))
    if document.meeting.status == Status.MINUTES_APPROVED:
        raise ValidationError(_("Protokollen er godkjent; møtets dokumenter kan ikke slettes."))
    stored = document.file.name
    storage = document.file.storage
    with transaction.atomic():
        delete_record(document, actor=actor, channel=channel, expected_version=expected_version)
        transaction.on_commit(lambda: storage.delete(stored))


# --- the minutes ("protokoll") ---

# what the minutes' outcome records as the case's decision in governance ("tatt til
# orientering" decides nothing on the case: no decision is recorded)
_GOVERNANCE_OUTCOME = {
    MinutesOutcome.ADOPTED: Decision.Outcome.ADOPTED,
    MinutesOutcome.ADOPTED_WITH_CHANGES: Decision.Outcome.ADOPTED_WITH_CHANGES,
    MinutesOutcome.REJECTED: Decision.Outcome.REJECTED,
    MinutesOutcome.POSTPONED: Decision.Outcome.POSTPONED,
}
_MINUTES_FIELDS = {"treatment", "decision_text", "outcome"}


def _minutes_open(meeting: Meeting) -> None:
    if meeting.date > timezone.localdate():
        raise ValidationError(
            _("Møtet er %(d)s; protokollen skrives etter møtet.")
            % {"d": meeting.date.strftime("%d.%m.%Y")}
        )
    if meeting.status != Status.HELD:
        raise ValidationError(
            _(
                "Protokollen skrives når møtet er avholdt og før den er godkjent "
                "(status nå: «%(s)s»)."
            )
            % {"s": meeting.get_status_display()}
        )


def minutes_refusal(meeting: Meeting) -> str | None:
    """Why the minutes of `meeting` cannot be written now (before its day, or not held),
    or None; the attendance and treatment pages say it instead of their form."""
    try:
        _minutes_open(meeting)
    except ValidationError as exc:
        return str(exc.messages[0])
    return None


def set_attendance(
    meeting: Meeting,
    present: list[BodyMember],
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> list[Attendance]:
    """Record who of the body's members was present (the list replaces the one before;
    each added or removed member is audited). The meeting's version is raised with it, so
    a second writer from the same version gets VersionConflict (`expected_version` None:
    no check, for the demo and commands)."""
    require(can_edit_arena(actor, meeting.body.arena))
    _minutes_open(meeting)
    strangers = [m for m in present if m.body_id != meeting.body_id]
    if strangers:
        raise ValidationError(
            {"members": _("%(p)s er ikke medlem av %(b)s.") % {
                "p": ", ".join(m.person for m in strangers), "b": meeting.body.name
            }}
        )  # fmt: skip
    seated = set(seated_members(meeting).values_list("pk", flat=True))
    unseated = [m for m in present if m.pk not in seated]
    if unseated:
        raise ValidationError(
            {
                "members": _("%(p)s satt ikke i %(b)s på møtedagen %(d)s.")
                % {
                    "p": ", ".join(m.person for m in unseated),
                    "b": meeting.body.name,
                    "d": meeting.date.strftime("%d.%m.%Y"),
                }
            }
        )
    wanted = {m.pk: m for m in present}
    with transaction.atomic():
        # the meeting first: of two writers from one version, the second is refused here
        update_record(
            meeting, {}, expected_version=expected_version, actor=actor, channel=channel,
            check=_touch,
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


def _governance_decision(item: AgendaItem, meeting: Meeting) -> Decision:
    """The case's decision in this body as the minutes say it (not saved)."""
    decision = Decision(case=item.case, body=Decision.Body.ARENA_BOARD, arena=meeting.body.arena)
    decision.body_name = meeting.body.name
    decision.case_number = item.number_label
    decision.meeting_date = meeting.date
    decision.outcome = _GOVERNANCE_OUTCOME[MinutesOutcome(item.outcome)]
    decision.text = item.decision_text
    return decision


def write_item_minutes(
    item: AgendaItem,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> AgendaItem:
    """Write an item's treatment, decision and outcome in the minutes. An item that treats a
    governance case records its decision there too, through governance's own services (a
    decision of this body, dated the meeting's day, with the outcome), so the case's
    treatment table follows the minutes; changed minutes change that decision."""
    meeting = item.meeting
    require(can_edit_arena(actor, meeting.body.arena))
    _minutes_open(meeting)
    kept = {k: v for k, v in changes.items() if k in _MINUTES_FIELDS}
    planned = copy.copy(item)  # the item as the minutes will say it
    for name, value in kept.items():
        setattr(planned, name, value)
    if planned.case_id is not None and planned.decision_text.strip() and not planned.outcome:
        raise ValidationError(
            {"outcome": _("Velg utfallet: vedtaket i en sak føres i saken med sitt utfall.")}
        )
    municipalities = list(changes.get("municipalities") or [])
    status = str(changes.get("participation") or "")
    if municipalities and _already_recorded(item, municipalities, status):
        municipalities, status = [], ""  # re-saved as it was: nothing recorded twice
    _check_participation(planned, meeting, municipalities, status)
    with transaction.atomic():
        if planned.case_id is not None:
            kept["decision"] = _record_in_governance(planned, meeting, actor=actor, channel=channel)
        elif planned.project_id is not None and (municipalities or planned.decision_id):
            kept["decision"] = _record_in_governance(planned, meeting, actor=actor, channel=channel)
            if municipalities and kept["decision"] is not None:
                _record_participation(
                    planned, kept["decision"], municipalities, status, actor=actor, channel=channel
                )
        update_record(
            item, kept, expected_version=expected_version, actor=actor, channel=channel,
            check=_touch,
        )  # fmt: skip
    return item


_PARTICIPATION_CHANGES = (
    Participation.Status.JOINED,
    Participation.Status.DECLINED,
    Participation.Status.WITHDRAWN,
)


def recorded_participation(items: list[AgendaItem]) -> dict[int, list[Participation]]:
    """The participation each project item's decision recorded, by item id (one query):
    what the minutes show under the decision and the reopened form starts from."""
    decided = {item.decision_id: item for item in items if item.project_id and item.decision_id}
    found: dict[int, list[Participation]] = {}
    if not decided:
        return found
    for row in (
        Participation.objects.filter(decision_id__in=list(decided))
        .select_related("municipality")
        .order_by("municipality__number", "since", "pk")
    ):
        item = decided[row.decision_id]  # type: ignore[index]
        if row.project_id == item.project_id:
            found.setdefault(item.pk, []).append(row)
    return found


def participation_line(row: Participation) -> str:
    """ "3909 Larvik — deltar fra 12.03.2026"."""
    return _("%(n)s %(m)s — %(s)s fra %(d)s") % {
        "n": row.municipality.number,
        "m": row.municipality.name,
        "s": row.get_status_display(),
        "d": row.since.strftime("%d.%m.%Y"),
    }


def _already_recorded(item: AgendaItem, municipalities: list[Any], status: str) -> bool:
    """Whether the item's decision already recorded exactly this participation (re-saving
    the minutes does not record it twice). A different choice once one is recorded is
    refused, plainly: the records are the project's history (each municipality's previous
    status ended the day before), so a change is made on the project's participation, not
    by rewriting the minutes."""
    recorded = recorded_participation([item]).get(item.pk, [])
    if not recorded:
        return False
    same = {row.municipality_id for row in recorded} == {m.pk for m in municipalities} and {
        row.status for row in recorded
    } == {status}
    if same:
        return True
    # said on the field that changed: the new status ("Ny deltakelse"), else the
    # municipalities chosen
    field = "municipalities" if {row.status for row in recorded} == {status} else "participation"
    raise ValidationError(
        {
            field: _(
                "Vedtaket i denne saken har allerede registrert deltakelse (%(was)s). Den "
                "endres ikke fra protokollen; registrer en ny endring på prosjektets side."
            )
            % {"was": "; ".join(participation_line(row) for row in recorded)}
        }
    )


def _check_participation(
    planned: AgendaItem, meeting: Meeting, municipalities: list[Any], status: str
) -> None:
    """The participation a project item's decision records, checked before anything is
    written: a project item, an adopted outcome, a status for the municipalities chosen
    and each with a seat in the body on the meeting's day. A decision participations
    already rest on stays adopted."""
    errors: dict[str, str] = {}
    positive = planned.outcome in (MinutesOutcome.ADOPTED, MinutesOutcome.ADOPTED_WITH_CHANGES)
    if (
        not positive
        and planned.decision_id
        and planned.case_id is None
        and Participation.objects.filter(decision_id=planned.decision_id).exists()
    ):
        errors["outcome"] = _(
            "Kommunenes deltakelse i prosjektet bygger på dette vedtaket; utfallet må være "
            "vedtatt eller vedtatt med endringer."
        )
    if not municipalities and not status:
        if errors:
            raise ValidationError(errors)
        return
    if planned.project_id is None:
        raise ValidationError(
            {
                "municipalities": _(
                    "Deltakelse føres bare for en sak i sakskartet som gjelder et prosjekt."
                )
            }
        )
    if status and status not in _PARTICIPATION_CHANGES:
        errors["participation"] = _("Velg deltar, takket nei eller trukket seg.")
    elif municipalities and not status:
        errors["participation"] = _("Velg den nye deltakelsen for kommunene som er valgt.")
    elif not positive:
        errors["participation"] = _(
            "Deltakelsen føres fra et vedtak: velg utfallet «vedtatt» eller «vedtatt med "
            "endringer»."
        )
    seated = {m.pk for m in seated_municipalities(meeting)}
    strangers = [m for m in municipalities if m.pk not in seated]
    if not municipalities:
        errors["municipalities"] = _("Velg kommunene den nye deltakelsen gjelder.")
    elif strangers:
        errors["municipalities"] = _("%(m)s har ingen plass i %(b)s på møtedagen %(d)s.") % {
            "m": ", ".join(m.name for m in strangers),
            "b": meeting.body.name,
            "d": meeting.date.strftime("%d.%m.%Y"),
        }
    if errors:
        raise ValidationError(errors)


def _record_participation(
    item: AgendaItem,
    decision: Decision,
    municipalities: list[Any],
    status: str,
    *,
    actor: Actor,
    channel: str,
) -> None:
    """Each municipality's participation in the item's project from the meeting's day,
    resting on the body's decision, through portfolio's service; every refusal named by
    municipality on the field (the caller's transaction keeps none of it then)."""
    meeting = item.meeting
    reason = _("Protokoll fra %(b)s %(d)s, %(ref)s") % {
        "b": meeting.body.name,
        "d": meeting.date.strftime("%d.%m.%Y"),
        "ref": item.reference,
    }
    refusals: list[str] = []
    for municipality in municipalities:
        try:
            set_participation(
                item.project,
                municipality,
                status,
                since=meeting.date,
                decision=decision,
                reason=reason[:300],
                actor=actor,
                channel=channel,
                arena_board=True,
            )
        except ValidationError as exc:
            refusals.extend(f"{municipality.name}: {message}" for message in exc.messages)
    if refusals:
        raise ValidationError({"municipalities": refusals})


def _treatment_in_this_body(item: AgendaItem, meeting: Meeting) -> Decision | None:
    """The case's treatment in this body the minutes complete, when there is one: the
    pending treatment it was sent for, or the decision already recorded for this meeting
    (by hand, before the minutes), not yet linked to another item."""
    if item.case_id is None:
        return None
    return (
        Decision.objects.filter(
            case_id=item.case_id,
            body=Decision.Body.ARENA_BOARD,
            arena_id=meeting.body.arena_id,
            body_name__in=["", meeting.body.name],
            agenda_item__isnull=True,
        )
        .filter(Q(outcome="") | Q(meeting_date=meeting.date))
        .order_by("pk")
        .first()
    )


def _record_in_governance(
    item: AgendaItem, meeting: Meeting, *, actor: Actor, channel: str
) -> Decision | None:
    """The case's decision in this body as `item`'s minutes say it, recorded or changed
    through governance's services; a decision no longer given (noted, no outcome) is made
    pending again. Returns the decision the item links to."""
    stored = Decision.objects.filter(pk=item.decision_id).first() if item.decision_id else None
    if stored is None and item.outcome in _GOVERNANCE_OUTCOME:
        stored = _treatment_in_this_body(item, meeting)
    if item.outcome in _GOVERNANCE_OUTCOME:
        decision = _governance_decision(item, meeting)
        if stored is None:
            decision.pk = None
            return record_decision(decision, actor=actor, channel=channel)
        return update_decision(
            stored,
            {
                "body_name": decision.body_name,
                "case_number": decision.case_number,
                "meeting_date": decision.meeting_date,
                "outcome": decision.outcome,
                "text": decision.text,
            },
            expected_version=stored.version,
            actor=actor,
            channel=channel,
        )
    if stored is not None and stored.outcome:
        update_decision(
            stored,
            {"outcome": Decision.Outcome.PENDING, "text": "", "meeting_date": None},
            expected_version=stored.version,
            actor=actor,
            channel=channel,
        )
    return stored


def vote_municipalities(meeting: Meeting) -> list[Any]:
    """The municipalities that vote in `meeting`: those with a seat in its body on the
    meeting's day (one each, by name)."""
    return seated_municipalities(meeting)


VOTE_AFTER_DECISION = _lazy(
    "Vedtaket i saken er allerede ført; stemmene føres før vedtaket, ikke etter."
)


def vote_refusal(item: AgendaItem) -> str | None:
    """Why the vote on `item` cannot be recorded (its decision is already written), or
    None; the page hides the vote link and says this instead."""
    decision = item.decision if item.decision_id else None
    if decision is not None and (decision.is_decided or decision.votes.all()):  # prefetched
        return str(VOTE_AFTER_DECISION)
    return None


def record_item_vote(
    item: AgendaItem,
    votes: list[tuple[Any, str]],
    *,
    voting_rule: str,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> AgendaItem:
    """The minutes record a vote on an item that treats a case: each member municipality's
    vote (`votes`: (municipality, governance `Vote.Choice`)) goes into the case's decision
    in this body through governance's own services (`cast_vote`, then `conclude_vote`,
    which computes adopted or rejected under `voting_rule`, counting members without a
    vote absent); the item's outcome follows the result. One vote per municipality; a
    decision already concluded takes no more votes."""
    meeting = item.meeting
    require(can_edit_arena(actor, meeting.body.arena))
    _minutes_open(meeting)
    if item.case_id is None:
        raise ValidationError(
            {"votes": _("Stemmer føres i saksbehandlingen: saken i sakskartet må gjelde en sak.")}
        )
    offered = {m.pk for m in vote_municipalities(meeting)}
    strangers = [m for m, _choice in votes if m.pk not in offered]
    if strangers:
        raise ValidationError(
            {
                "votes": _("%(m)s har ingen plass i %(b)s på møtedagen %(d)s.")
                % {
                    "m": ", ".join(m.name for m in strangers),
                    "b": meeting.body.name,
                    "d": meeting.date.strftime("%d.%m.%Y"),
                }
            }
        )
    if voting_rule not in VotingRule.values:
        raise ValidationError({"voting_rule": _("Velg avstemningsregelen.")})
    if not votes:
        raise ValidationError({"votes": _("Før opp minst én stemme.")})
    with transaction.atomic():
        stored = Decision.objects.filter(pk=item.decision_id).first() if item.decision_id else None
        stored = stored or _treatment_in_this_body(item, meeting)
        if stored is not None and (stored.is_decided or stored.votes.exists()):
            raise ValidationError(vote_refusal(item) or VOTE_AFTER_DECISION)
        facts = {
            "body_name": meeting.body.name,
            "case_number": item.number_label,
            "planned_date": meeting.date,
            "voting_rule": voting_rule,
            "text": item.decision_text,
        }
        if stored is None:
            decision = Decision(
                case=item.case, body=Decision.Body.ARENA_BOARD, arena=meeting.body.arena, **facts
            )
            stored = record_decision(decision, actor=actor, channel=channel)
        else:
            stored = update_decision(
                stored, facts, expected_version=stored.version, actor=actor, channel=channel
            )
        for municipality, choice in votes:
            cast_vote(stored, municipality, choice, actor=actor, channel=channel)
        conclude_vote(
            stored,
            meeting_date=meeting.date,
            expected_version=stored.version,
            actor=actor,
            channel=channel,
        )
        outcome = (
            MinutesOutcome.ADOPTED
            if stored.outcome == Decision.Outcome.ADOPTED
            else MinutesOutcome.REJECTED
        )
        update_record(
            item,
            {"outcome": outcome, "decision": stored},
            expected_version=expected_version,
            actor=actor,
            channel=channel,
            check=_touch,
        )
    return item


def approve_minutes(
    meeting: Meeting,
    *,
    approved_on: Any,
    approved_by: str,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Meeting:
    """Approve the minutes: the meeting gets status minutes approved, with the day and who
    approved them. Refused without the members present or while an item has neither
    treatment nor outcome; the minutes are fixed afterwards (and public for open items)."""
    require(can_edit_arena(actor, meeting.body.arena))
    check_transition(meeting, Status.MINUTES_APPROVED)
    errors: dict[str, str] = {}
    if not approved_by.strip():
        errors["approved_by"] = _("Skriv hvem som har godkjent protokollen.")
    try:
        dates.RECORD(approved_on)  # a day that has been, within the plausible window
    except ValidationError as exc:
        errors["approved_on"] = exc.messages[0]
    else:
        if approved_on is not None and approved_on < meeting.date:
            errors["approved_on"] = _("Protokollen kan ikke godkjennes før møtet (%(d)s).") % {
                "d": meeting.date.strftime("%d.%m.%Y")
            }
    if not meeting.attendance.exists():
        errors["__all__"] = _("Før opp hvem som var til stede før protokollen godkjennes.")
    missing = [
        item.reference
        for item in meeting.items.order_by("position", "pk")
        if not item.outcome and not item.treatment.strip()
    ]
    if missing:
        errors["__all__"] = _("Skriv behandlingen av %(refs)s før protokollen godkjennes.") % {
            "refs": ", ".join(missing)
        }
    if errors:
        raise ValidationError(errors)
    return _move(
        meeting,
        Status.MINUTES_APPROVED,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        extra={"minutes_approved_on": approved_on, "minutes_approved_by": approved_by.strip()},
    )
