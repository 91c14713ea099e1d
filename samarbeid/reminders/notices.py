"""Notices sent at once (not in the digest): a case sent to the councils e-mails each
municipality's coordinators, with a link to record their council's treatment; an issued
invoice run e-mails each buyer's invoice contact (the accounts department's address on its
invoice reference) that the EHF invoice is on its way."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from samarbeid.core.dates import shown
from samarbeid.finance.models import Invoice
from samarbeid.finance.references import invoice_contacts
from samarbeid.meetings.seats import seated_municipalities
from samarbeid.reminders.digest import prefs_for, wanted
from samarbeid.reminders.mail import absolute, contact_token, mail_to, unsubscribe_token
from samarbeid.reminders.models import ContactOptOut, ReminderSettings

log = logging.getLogger(__name__)


def _coordinators(municipality_ids: set[int]) -> Any:
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            roles__role="coordinator",
            roles__municipality_id__in=municipality_ids,
        )
        .exclude(email="")
        .select_related("reminder_settings")
        .prefetch_related("roles")  # each coordinator's own municipalities, in one query
        .distinct()
        .order_by("pk")
    )


def case_sent_to_councils(sender: Any, case: Any, decisions: list[Any], **kwargs: Any) -> None:
    """After the commit of `send_case`: one e-mail per coordinator, naming their own
    municipality's treatments of the case. A failure to send is logged; the case stands."""
    by_municipality = {decision.municipality_id: decision for decision in decisions}
    for user in _coordinators(set(by_municipality)):
        prefs = prefs_for(user)
        if prefs.frequency == ReminderSettings.Frequency.NEVER or "notices" not in wanted(
            user, prefs
        ):
            continue
        own = [
            by_municipality[role.municipality_id]
            for role in user.roles.all()
            if role.role == "coordinator" and role.municipality_id in by_municipality
        ]
        try:
            _message(user, prefs, case, own).send()
        except Exception as exc:  # SMTP down: the case is sent all the same; the digest follows
            log.warning("notice_failed user=%s case=%s error=%s", user.pk, case.pk, exc)
        else:
            log.info("notice_sent user=%s case=%s", user.pk, case.pk)


def _message(user: Any, prefs: ReminderSettings, case: Any, own: list[Any]) -> Any:
    unsubscribe = absolute(reverse("reminders:unsubscribe", args=[unsubscribe_token(user)]))
    with translation.override(prefs.language):
        context = {
            "case": case,
            "case_url": absolute(case.get_absolute_url()),
            "treatments": [
                {
                    "municipality": decision.municipality.name,
                    "body": decision.get_body_display(),
                    "planned": decision.planned_date,
                    "url": absolute(reverse("governance:treatment_edit", args=[decision.pk])),
                }
                for decision in own
            ],
            "site_name": settings.SITE_NAME,
            "settings_url": absolute(reverse("reminders:settings")),
            "unsubscribe_url": unsubscribe,
        }
        subject = _("Ny sak til behandling: %(title)s") % {"title": case.title}
        text = render_to_string("reminders/case_sent.txt", context)
        html = render_to_string("reminders/case_sent.html", context)
    return mail_to(user.email, subject, text, html, unsubscribe)


def run_issued_to_contacts(sender: Any, run: Any, invoice_ids: list[int], **kwargs: Any) -> None:
    """After the commit of `issue_run`: one e-mail to each buyer's invoice contact (its
    reference for the arena, else its general one), in bokmål (the address is no user's, so
    it has chosen no language), unless the address has opted out. A failure to send is
    logged; the run stands issued."""
    invoices = list(
        Invoice.objects.filter(pk__in=invoice_ids, kind=Invoice.Kind.INVOICE)
        .select_related("run__arena")
        .order_by("buyer__number", "number")
    )
    contacts = invoice_contacts(run.arena_id, {invoice.buyer_id for invoice in invoices})
    declined = set(
        ContactOptOut.objects.filter(
            email__in={email.casefold() for email in contacts.values()}
        ).values_list("email", flat=True)
    )
    for invoice in invoices:
        email = contacts.get(invoice.buyer_id)
        if not email or email.casefold() in declined:
            continue
        try:
            _invoice_message(email, invoice).send()
        except Exception as exc:  # SMTP down: the run is issued all the same
            log.warning("notice_failed invoice=%s run=%s error=%s", invoice.pk, run.pk, exc)
        else:
            log.info("notice_sent invoice=%s run=%s", invoice.pk, run.pk)


def _invoice_message(email: str, invoice: Invoice) -> Any:
    unsubscribe = absolute(reverse("reminders:contact_unsubscribe", args=[contact_token(email)]))
    run = invoice.run
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invoice": invoice,
            "run": run,
            "arena": run.arena,
            "site_name": settings.SITE_NAME,
            "unsubscribe_url": unsubscribe,
        }
        subject = _("EHF-faktura %(number)s fra %(seller)s er på vei") % {
            "number": invoice.number,
            "seller": invoice.seller_name,
        }
        text = render_to_string("reminders/invoice_issued.txt", context)
        html = render_to_string("reminders/invoice_issued.html", context)
    return mail_to(email, subject, text, html, unsubscribe)


def meeting_notice_sent(
    sender: Any, meeting: Any, kind: str = "notice", change: Any = None, **kwargs: Any
) -> None:
    """After the commit of `meetings.services.notice.send_notice`: one e-mail per coordinator of a
    municipality that sits in the body on the meeting's day, with the meeting and its
    agenda (an amended or supplementary notice with what `change` says changed). A failure
    to send is logged; the notice stands.

    A notice of a meeting to a body's members is formal (meetings.services.
    notice.notice_delivery): it goes to every such coordinator whatever they chose for their
    reminders and case alerts (their settings give only its language), as the clerk is
    told it went."""
    municipality_ids = {municipality.pk for municipality in seated_municipalities(meeting)}
    if not municipality_ids:
        return
    items = list(meeting.items.order_by("position", "pk"))
    for user in _coordinators(municipality_ids):
        prefs = prefs_for(user)
        try:
            _notice_message(user, prefs, meeting, items, kind, change).send()
        except Exception as exc:  # SMTP down: the notice is sent all the same
            log.warning(
                "meeting_notice_failed user=%s meeting=%s error=%s", user.pk, meeting.pk, exc
            )
        else:
            log.info("meeting_notice_sent user=%s meeting=%s", user.pk, meeting.pk)


def _notice_message(
    user: Any,
    prefs: ReminderSettings,
    meeting: Any,
    items: list[Any],
    kind: str = "notice",
    change: Any = None,
) -> Any:
    with translation.override(prefs.language):
        context = {
            "meeting": meeting,
            "body": meeting.body.name,
            "meeting_url": absolute(meeting.get_absolute_url()),
            "notice_url": absolute(reverse("meetings:notice", args=[meeting.pk])),
            "ics_url": absolute(reverse("meetings:notice_ics", args=[meeting.pk])),
            "items": [f"{item.reference} {item.title}" for item in items],
            "changes": change.describe() if change is not None else [],
            "kind": kind,
            "site_name": settings.SITE_NAME,
            "settings_url": absolute(reverse("reminders:settings")),
        }
        subject = {
            "amended": _("Endret innkalling: %(body)s %(day)s"),
            "supplementary": _("Tilleggssak: %(body)s %(day)s"),
        }.get(kind, _("Innkalling: %(body)s %(day)s")) % {
            "body": meeting.body.name,
            "day": shown(meeting.date),
        }
        text = render_to_string("reminders/meeting_notice.txt", context)
        html = render_to_string("reminders/meeting_notice.html", context)
    return mail_to(user.email, subject, text, html, None)  # formal: no unsubscribe


def opt_out_dates(emails: Collection[str]) -> dict[str, datetime]:
    """The invoice contacts among `emails` (casefolded) that opted out, and when."""
    rows = ContactOptOut.objects.filter(email__in=set(emails)).values_list("email", "opted_out")
    return {email.casefold(): when for email, when in rows}
