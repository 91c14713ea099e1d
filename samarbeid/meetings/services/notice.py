"""A meeting's notice, its amended and supplementary notices, who gets them, one sent outside."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field, Max
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samarbeid.accounts.models import Role
from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import update_record
from samarbeid.meetings.clock import clock
from samarbeid.meetings.models import AgendaItem, Body, Meeting, NoticeChange
from samarbeid.meetings.seats import seated_municipalities
from samarbeid.meetings.services.common import touch
from samarbeid.meetings.services.status import Status, check_transition, move
from samarbeid.meetings.signals import AMENDED, NOTICE, SUPPLEMENTARY, notice_sent


def announce_notice(meeting: Meeting, kind: str, change: NoticeChange | None = None) -> None:
    """After the commit: tell the layers above that `meeting`'s notice (of `kind`, with
    what changed since the notice) went out."""
    transaction.on_commit(
        lambda: notice_sent.send(sender=Meeting, meeting=meeting, kind=kind, change=change)
    )


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


def lock_numbers(body_id: int) -> None:
    """Hold the body's row until the transaction ends: two notices (or a late item and a
    notice) of one body at once take their numbers one after the other, not the same."""
    Body.objects.select_for_update().filter(pk=body_id).order_by("pk").first()


def next_number(body_id: int, year: int) -> int:
    """The next free item number of a body in a year (numbers start at 1 each year)."""
    found = AgendaItem.objects.filter(body_id=body_id, year=year).aggregate(n=Max("number"))
    return int(found["n"] or 0) + 1


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
    coordinators). Refused for a meeting without items, for one whose day has passed
    (`today`: the day the notice is dated, the demo's of the past) and for one whose body
    has no member municipality on that day (`notice_refusal`)."""
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
            % {"d": shown(meeting.date)}
        )
    if reason := notice_refusal(meeting):
        raise ValidationError(reason)
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
            announce_notice(meeting, NOTICE)
    return meeting


def notice_refusal(meeting: Meeting) -> str | None:
    """Why "Send innkalling" would reach nobody, or None: a body without a member
    municipality on the meeting's day has nobody to send it to (its items would be numbered
    and locked all the same). A notice sent outside Samarbeid may still be recorded."""
    if seated_municipalities(meeting):
        return None
    return _(
        "Innkallingen kan ikke sendes: %(b)s har ingen medlemmer på møtedagen %(d)s. Legg til "
        "medlemmer, eller registrer at innkallingen er sendt utenfor Samarbeid."
    ) % {"b": meeting.body.name, "d": shown(meeting.date)}


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
                % {"d": shown(meeting.date)}
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
    lock_numbers(meeting.body_id)
    move(
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
            check=touch,
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
    listed = ", ".join(names[:_SHOWN_RECIPIENTS])
    more = len(names) - _SHOWN_RECIPIENTS
    if more > 0:
        listed += " " + ngettext(
            "og %(n)d til (hele listen står på innkallingssiden)",
            "og %(n)d til (hele listen står på innkallingssiden)",
            more,
        ) % {"n": more}
    return listed


def is_long(delivery: NoticeDelivery) -> bool:
    """Whether the message cut a list (the page links to the notice page then)."""
    return max(len(delivery.recipients), len(delivery.without_address)) > _SHOWN_RECIPIENTS


def _label(municipality: Any) -> str:
    return f"{municipality.number} {municipality.name}"


def outside_delivery(meeting: Meeting) -> NoticeDelivery:
    """What the clerk is told when the notice was recorded as sent outside Samarbeid."""
    day = shown(meeting.notice_sent_on) if meeting.notice_sent_on else ""
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


def unmailed_reason(
    meeting: Meeting, mode: str, recipients: list[str], without: list[str], *, full: bool = False
) -> str:
    """Why nobody gets the notice by e-mail, as a clause without its full stop («e-post er
    ikke satt opp for tjenesten»); empty when someone does. The confirmation page says it
    before sending, `delivery_message` after."""
    if not recipients and not without:
        return _("%(b)s har ingen medlemskommune på møtedagen") % {"b": meeting.body.name}
    if not recipients:
        return _("ingen av medlemmene har en koordinator med e-postadresse (%(m)s)") % {
            "m": _short(without, full)
        }
    if mode == "off":
        return _("e-post er ikke satt opp for tjenesten")
    return ""


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
    why = unmailed_reason(meeting, mode, recipients, without, full=full)
    if why:
        return _("Ingen fikk den på e-post: %(why)s.") % {"why": why}
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
            "d": shown(moment),
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
        "d": shown(moment),
        "t": clock(moment),
        "said": said,
    }


# what the notice told of an item: a change of one after it is listed with the changes after
# the notice (the members have the text as it was sent)
NOTICED_TEXTS = ("title", "description", "proposal")
TEXT_LABELS = {
    name: cast("Field[Any, Any]", AgendaItem._meta.get_field(name)).verbose_name
    for name in NOTICED_TEXTS
}


def noticed_at(meeting: Meeting) -> Any:
    """When the members were given the agenda: the moment the notice was sent from here, or,
    for one recorded as sent outside Samarbeid (or by the demo), the moment it was recorded
    (the meeting's audited move to notice sent); None before a notice."""
    if meeting.notice_sent_on is None:
        return None
    if meeting.notice_sent_at is not None:
        return meeting.notice_sent_at
    moves = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Meeting),
        object_id=str(meeting.pk),
        action=AuditEntry.Action.UPDATE,
        changes__has_key="status",
    ).order_by("-at", "-pk")
    for entry in moves.only("at", "changes"):
        if entry.changes["status"][1] == Status.NOTICE_SENT:
            return entry.at
    return None


def texts_changed_after_notice(
    meeting: Meeting, items: list[AgendaItem]
) -> list[tuple[Any, list[str], str]]:
    """The items of `meeting` whose title, saksframstilling or proposal differ now from what
    the notice sent, as the meeting page lists the changes after the notice: (when last
    changed, [what changed], "" (nothing was sent about it)) per item, from the items' audit
    trail since the notice (one query; a text changed back is not listed). The texts of an
    item withheld from the reader (closed) are not named, only its title."""
    since = noticed_at(meeting)
    day = meeting.notice_sent_on
    if since is None or day is None or not items:
        return []
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AgendaItem),
        object_id__in=[str(item.pk) for item in items],
        action=AuditEntry.Action.UPDATE,
        at__gt=since,
        changes__has_any_keys=list(NOTICED_TEXTS),
    ).order_by("at", "pk")
    # per item and text: [as the notice sent it, as it is now, when last changed]
    texts: dict[str, dict[str, list[Any]]] = {}
    for entry in entries.only("object_id", "at", "changes"):
        for name in NOTICED_TEXTS:
            if name in entry.changes:
                before, after = entry.changes[name]
                seen = texts.setdefault(entry.object_id, {}).setdefault(name, [before])
                seen[1:] = [after, entry.at]
    listed = []
    for item in items:
        found = texts.get(str(item.pk), {})
        changed = {
            name: found[name]
            for name in NOTICED_TEXTS  # named in the form's order
            if name in found
            and found[name][0] != found[name][1]
            and (name == "title" or not getattr(item, "withheld", False))
        }
        if not changed:
            continue
        item.changed_after_notice = True  # type: ignore[attr-defined]  # marked at the item
        what = get_text_list([str(TEXT_LABELS[name]) for name in changed], _("og"))
        lines = [
            _("%(ref)s «%(t)s»: %(what)s endret etter innkallingen %(d)s.")
            % {"ref": item.reference, "t": item.title, "what": what, "d": shown(day)}
        ]
        if "title" in changed:
            lines.append(_("Tittelen i innkallingen var «%(was)s».") % {"was": changed["title"][0]})
        if "proposal" in changed:
            was = changed["proposal"][0]
            lines.append(
                _("Forslaget i innkallingen var: %(was)s") % {"was": was}
                if was
                else _("Innkallingen hadde ikke noe forslag til vedtak.")
            )
        listed.append((max(seen[2] for seen in changed.values()), lines, ""))
    return listed


def notice_changes(
    meeting: Meeting, items: list[AgendaItem], *, with_delivery: bool
) -> list[tuple[Any, list[str], str]]:
    """Everything that changed after the notice, in the order it was made, as the meeting
    page, the notice page and its PDF list it: the amended and supplementary notices sent
    (with to whom, `with_delivery`: the secretariat's) and the items' texts changed since
    (sent to nobody), each (when, [sentences], to whom or ""). Marks each of `items` added
    after the notice (`added_after_notice`: the notice's day) or changed after it
    (`changed_after_notice`), as the agenda shows at the item (no query beyond the
    changes' and the audit's)."""
    changes = list(meeting.notice_changes.all())
    added = {c.item_id for c in changes if c.kind == NoticeChange.Kind.SUPPLEMENTARY}
    for item in items:
        item.added_after_notice = (  # type: ignore[attr-defined]
            meeting.notice_sent_on if item.pk in added else None
        )
    sent = [
        (
            change.made,
            change.describe(),
            sent_record(
                meeting,
                change.delivery,
                change.made,
                AMENDED if change.kind == NoticeChange.Kind.AMENDED else SUPPLEMENTARY,
            )
            if with_delivery
            else "",
        )
        for change in changes
    ]
    return sorted(sent + texts_changed_after_notice(meeting, items), key=lambda c: c[0])
