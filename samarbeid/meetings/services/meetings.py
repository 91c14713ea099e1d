"""Writing meetings (plan, change, delete) and their agenda items."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, can_link, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, delete_record, update_record, writable
from samarbeid.meetings.models import AgendaItem, LegalBasis, Meeting, NoticeChange
from samarbeid.meetings.services.bodies import arena_dissolved_refusal
from samarbeid.meetings.services.common import case_after_meeting, touch
from samarbeid.meetings.services.notice import (
    announce_notice,
    lock_numbers,
    next_number,
    notice_delivery,
)
from samarbeid.meetings.services.status import Status, check_meeting
from samarbeid.meetings.signals import AMENDED, SUPPLEMENTARY

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


def create_meeting(meeting: Meeting, *, actor: Actor, channel: str = Channel.PAGE) -> Meeting:
    """Plan a meeting of `meeting.body` (the arena's secretariat may); it starts planned."""
    require(can_edit_arena(actor, meeting.body.arena))
    arena = meeting.body.arena
    refusal = arena_dissolved_refusal(arena, meeting.date)
    if refusal:
        if arena.ended:  # said on the date, with the day the arena ended
            refusal = _("%(a)s ble avviklet %(e)s; et møte kan ikke holdes etter den dagen.") % {
                "a": arena.name,
                "e": shown(arena.ended),
            }
        raise ValidationError({"date": refusal})
    meeting.status = Status.PLANNED
    check_meeting(meeting)
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
            writable(changes, _MEETING_FIXED),
            expected_version=expected_version,
            actor=actor,
            channel=channel,
            check=check_meeting,
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
            announce_notice(meeting, AMENDED, change)  # "Endret innkalling" to the same people
            meeting.sent_change = change  # type: ignore[attr-defined]  # the page says so
    return meeting


# what the notice told the members: a change of one sends an amended notice
NOTICED_FACTS = ("date", "start_time", "end_time", "place", "video_link")


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
    touch(item)
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


def agenda_refusal(meeting: Meeting) -> str | None:
    """Why nothing can be put on the meeting's agenda (it is held or cancelled), or None."""
    if meeting.status in _AGENDA_OPEN:
        return None
    return _("Sakskartet kan ikke endres når møtet har status «%(s)s».") % {
        "s": meeting.get_status_display()
    }


def _check_case_day(item: AgendaItem) -> None:
    """A case opened after the meeting's day cannot be decided there (governance refuses a
    decision dated before its case): said on the case choice when it is put on the agenda,
    not as a surprise at the vote."""
    case = item.case
    if case is not None and case.opened > item.meeting.date:
        raise ValidationError({"case": case_after_meeting(case.opened, item.meeting.date)})


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


def add_item(item: AgendaItem, *, actor: Actor, channel: str = Channel.PAGE) -> AgendaItem:
    """Put `item` on its meeting's agenda, last. Before the notice it has no number; after
    it (an item added late), the body's next number that year at once. Refused once the
    meeting is held or cancelled."""
    meeting = item.meeting
    require(can_edit_arena(actor, meeting.body.arena))
    require(can_link(actor, *_link_arenas(item)))
    if reason := agenda_refusal(meeting):
        raise ValidationError(reason)
    item.body_id = meeting.body_id
    _check_item(item)
    _check_case_day(item)
    with transaction.atomic():
        lock_numbers(meeting.body_id)
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
        announce_notice(meeting, SUPPLEMENTARY, change)  # "Tilleggssak" to those noticed
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
    kept = writable(changes, _ITEM_FIXED)
    if kept.get("closed") is False and "legal_basis" not in kept:
        # opened without a word on the basis: the basis goes with the closure
        kept.update(legal_basis="", legal_basis_text="")
    if item.number is not None:
        kept.pop("position", None)  # numbered: the order is the numbers'
    new_case = "case" in kept and getattr(kept["case"], "pk", kept["case"]) != item.case_id

    def check(changed: AgendaItem) -> None:
        _check_item_for(actor, changed)
        if new_case:
            _check_case_day(changed)

    update_record(
        item, kept, expected_version=expected_version, actor=actor, channel=channel, check=check
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
