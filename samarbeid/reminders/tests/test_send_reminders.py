"""Reminders by e-mail, sent through a real SMTP server on loopback (aiosmtpd) and read as
they arrived: one digest per person with links to where it is settled, never the same
reminder twice in the same state, the person's language, an unsubscribe link that works
without signing in, and a dry run that sends and writes nothing."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from email.message import Message
from io import StringIO
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import _user, login
from samarbeid.accounts.models import Role
from samarbeid.portal.tests.test_dashboard import _benefit, _treatment
from samarbeid.registry.models import Municipality
from samarbeid.reminders.digest import wanted
from samarbeid.reminders.models import ReminderSettings, SentReminder
from samarbeid.reminders.sending import send_reminders

pytestmark = pytest.mark.django_db


class Inbox:
    """aiosmtpd's handler: keeps every message the server received."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    handler = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd checks the server by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            SITE_URL="https://samarbeid.example.no",
        ):
            yield handler
    finally:
        controller.stop()


def _body(message: Message, kind: str) -> str:
    for part in message.walk():
        if part.get_content_type() == kind:
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no {kind} part")


def _subject(message: Message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def _now(today: date) -> datetime:
    return timezone.make_aware(datetime.combine(today, datetime.min.time()) + timedelta(hours=7))


def test_a_coordinator_gets_one_digest_with_links_then_nothing_until_the_state_changes(
    inbox: Inbox, larvik_clerk: Any, larvik: Municipality, horten: Municipality, today: date
) -> None:
    late = _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    soon = _treatment(larvik, "Ny eierstrategi", today + timedelta(days=2))
    _treatment(horten, "Hortens egen sak", today - timedelta(days=5))
    benefit = _benefit(larvik, "Færre innleide vikarer", today - timedelta(days=1))

    outcome = send_reminders(_now(today))
    assert len(outcome.sent) == 1
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "postmottak@larvik.example.no"
    assert _subject(message) == "Samarbeid: 3 påminnelser"
    text = _body(message, "text/plain")
    assert "Saker kommunen skal behandle" in text
    assert "- Felles barnevern" in text
    assert "forsinket" in text
    assert "Ny eierstrategi" in text
    assert "Hortens egen sak" not in text  # never another municipality's
    site = "https://samarbeid.example.no"
    assert site + reverse("governance:treatment_edit", args=[late.pk]) in text
    assert site + reverse("strategy:benefit_detail", args=[benefit.pk]) in text
    html = _body(message, "text/html")
    assert f'href="{site}{reverse("governance:treatment_edit", args=[soon.pk])}"' in html
    unsubscribe = "".join(message["List-Unsubscribe"].split())  # unfolded
    assert unsubscribe.startswith(f"<{site}/konto/paminnelser/avmeld/")

    # the next day, nothing has changed: nothing is sent
    send_reminders(_now(today + timedelta(days=1)))
    assert len(inbox.messages) == 1
    # ... until "Ny eierstrategi" passes its date: that one is sent again, now late, alone
    outcome = send_reminders(_now(today + timedelta(days=3)))
    assert len(inbox.messages) == 2
    again = _body(inbox.messages[1], "text/plain")
    assert "Ny eierstrategi" in again
    assert "forsinket" in again
    assert "Felles barnevern" not in again
    assert _subject(inbox.messages[1]) == "Samarbeid: 1 påminnelse"


def test_twice_on_the_same_day_sends_once(
    inbox: Inbox, larvik_clerk: Any, larvik: Municipality, today: date
) -> None:
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    send_reminders(_now(today))
    _treatment(larvik, "Ny sak samme dag", today + timedelta(days=9))
    send_reminders(_now(today) + timedelta(hours=2))  # daily: once a day
    assert len(inbox.messages) == 1


def test_the_dry_run_lists_and_neither_sends_nor_records(
    inbox: Inbox, larvik_clerk: Any, larvik: Municipality, today: date
) -> None:
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "Would send 1 reminder(s) to postmottak@larvik.example.no" in out.getvalue()
    assert "Felles barnevern" in out.getvalue()
    assert inbox.messages == []
    assert not SentReminder.objects.exists()
    assert not ReminderSettings.objects.exists()

    call_command("send_reminders", stdout=out)
    assert "Sent 1 e-mail(s)" in out.getvalue()
    assert len(inbox.messages) == 1


def test_english_for_a_user_who_chose_it_and_only_the_chosen_kinds(
    inbox: Inbox, larvik_clerk: Any, larvik: Municipality, today: date
) -> None:
    ReminderSettings.objects.create(user=larvik_clerk, language="en", kinds=["benefits"])
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    _benefit(larvik, "Færre innleide vikarer", today - timedelta(days=1))
    send_reminders(_now(today))
    message = inbox.messages[0]
    assert _subject(message) == "Samarbeid: 1 reminder"
    text = _body(message, "text/plain")
    assert "Benefits past their target date" in text
    assert "Færre innleide vikarer" in text
    assert "Felles barnevern" not in text  # treatments not chosen
    assert "Unsubscribe" in text


def test_weekly_and_never(
    inbox: Inbox, larvik_clerk: Any, larvik: Municipality, today: date
) -> None:
    prefs = ReminderSettings.objects.create(user=larvik_clerk, frequency="weekly")
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    send_reminders(_now(today))
    _treatment(larvik, "Ny sak", today + timedelta(days=30))
    send_reminders(_now(today + timedelta(days=3)))
    assert len(inbox.messages) == 1
    send_reminders(_now(today + timedelta(days=7)))
    assert len(inbox.messages) == 2
    prefs.refresh_from_db()
    prefs.frequency = "never"
    prefs.save()
    _treatment(larvik, "Enda en sak", today + timedelta(days=30))
    send_reminders(_now(today + timedelta(days=30)))
    assert len(inbox.messages) == 2


def test_a_reader_and_a_user_without_address_get_nothing(
    inbox: Inbox, larvik: Municipality, reader: Any, today: date
) -> None:
    _user("uten-epost", Role.COORDINATOR, municipality=larvik)  # no e-mail address
    reader.email = "leser@example.no"
    reader.save()
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    outcome = send_reminders(_now(today))
    assert outcome.sent == []
    assert inbox.messages == []


def test_the_unsubscribe_link_works_without_signing_in(
    inbox: Inbox, larvik_clerk: Any, larvik: Municipality, today: date, client: Client
) -> None:
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    send_reminders(_now(today))
    text = _body(inbox.messages[0], "text/plain")
    match = re.search(r"https://samarbeid\.example\.no(/konto/paminnelser/avmeld/\S+/)", text)
    assert match
    link = match.group(1)

    page = client.get(link)  # a link scanner's GET changes nothing
    assert page.status_code == 200
    assert "Meld meg av" in page.content.decode()
    assert not ReminderSettings.objects.filter(frequency="never").exists()

    done = client.post(link)
    assert done.status_code == 200
    assert "Det sendes ikke flere påminnelser" in done.content.decode()
    assert ReminderSettings.objects.get(user=larvik_clerk).frequency == "never"

    _treatment(larvik, "Ny sak", today + timedelta(days=4))
    send_reminders(_now(today + timedelta(days=1)))
    assert len(inbox.messages) == 1


def test_a_forged_or_altered_unsubscribe_link_is_refused(larvik_clerk: Any, client: Client) -> None:
    assert client.get("/konto/paminnelser/avmeld/not-a-token/").status_code == 404
    assert client.post("/konto/paminnelser/avmeld/eyJ1c2VyIjoxfQ:abc:def/").status_code == 404
    assert not ReminderSettings.objects.exists()


def test_an_smtp_failure_is_told_and_nothing_is_recorded(
    larvik_clerk: Any, larvik: Municipality, today: date
) -> None:
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=9,  # discard: nothing listens
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    ):
        out, err = StringIO(), StringIO()
        with pytest.raises(Exception, match="could not be sent"):
            call_command("send_reminders", stdout=out, stderr=err)
    assert "Could not send to postmottak@larvik.example.no" in err.getvalue()
    assert not SentReminder.objects.exists()


def test_the_settings_page_saves_the_choice(client: Client, larvik_clerk: Any) -> None:
    url = reverse("reminders:settings")
    assert client.get(url).status_code == 302  # sign in first
    page = login(client, larvik_clerk).get(url).content.decode()
    assert "postmottak@larvik.example.no" in page
    assert 'name="version" value="0"' in page  # the defaults: never saved
    chosen = {"kinds": ["treatments", "benefits"], "frequency": "weekly", "language": "en"}
    response = client.post(url, {**chosen, "version": 0})
    assert response.status_code == 302
    prefs = ReminderSettings.objects.get(user=larvik_clerk)
    # the kinds a coordinator cannot receive keep their default (for a role given later)
    assert (wanted(larvik_clerk, prefs), prefs.frequency, prefs.language) == (
        {"treatments", "benefits"},
        "weekly",
        "en",
    )
    bad = client.post(
        url, {"kinds": ["nonsense"], "frequency": "hourly", "language": "xx", "version": 1}
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Velg et gyldig valg" in text
    prefs.refresh_from_db()
    assert prefs.frequency == "weekly"  # nothing saved


def test_a_case_sent_to_the_councils_emails_each_municipalitys_coordinators_at_once(
    inbox: Inbox, larvik_clerk: Any, larvik: Municipality, horten: Municipality, secretariat: Any
) -> None:
    from django.test import TestCase

    from samarbeid.arenas.tests.factories import ArenaFactory
    from samarbeid.governance.models import Case
    from samarbeid.governance.services.cases import send_case

    horten_clerk = _user("horten-koordinator", Role.COORDINATOR, municipality=horten)
    horten_clerk.email = "post@horten.example.no"
    horten_clerk.save()
    ReminderSettings.objects.create(user=horten_clerk, language="en")
    silent = _user("larvik-stille", Role.COORDINATOR, municipality=larvik)
    silent.email = "stille@larvik.example.no"
    silent.save()
    ReminderSettings.objects.create(user=silent, kinds=["treatments"])  # no notices

    case = Case.objects.create(
        title="Felles innkjøpsordning", arena=ArenaFactory(name="Vestfold innkjøp"),
        opened=date(2026, 3, 1),
    )  # fmt: skip
    with TestCase.captureOnCommitCallbacks(execute=True):
        made = send_case(case, [larvik, horten], planned_date=date(2026, 6, 13), actor=secretariat)
    assert len(made) == 2
    to = sorted(message["To"] for message in inbox.messages)
    assert to == ["post@horten.example.no", "postmottak@larvik.example.no"]
    larvik_mail = next(m for m in inbox.messages if m["To"].startswith("postmottak"))
    assert _subject(larvik_mail) == "Ny sak til behandling: Felles innkjøpsordning"
    text = _body(larvik_mail, "text/plain")
    larvik_treatment = next(d for d in made if d.municipality_id == larvik.pk)
    assert reverse("governance:treatment_edit", args=[larvik_treatment.pk]) in text
    assert "13.06.2026" in text
    assert "Horten" not in text  # only the coordinator's own municipality
    horten_mail = next(m for m in inbox.messages if m["To"].startswith("post@horten"))
    assert _subject(horten_mail) == "New case for treatment: Felles innkjøpsordning"

    # sent again to the same councils: nothing new, no notice
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert send_case(case, [larvik, horten], planned_date=None, actor=secretariat) == []
    assert len(inbox.messages) == 2


def test_the_command_names_who_was_skipped_for_lack_of_an_address(
    inbox: Inbox, larvik_clerk: Any, larvik: Municipality, today: date
) -> None:
    nameless = _user("uten-epost", Role.COORDINATOR, municipality=larvik)
    nameless.first_name, nameless.last_name = "Kari", "Utenadresse"
    nameless.save()
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    for args in (["--dry-run"], []):
        out = StringIO()
        call_command("send_reminders", *args, stdout=out)
        assert "Skipped Kari Utenadresse: no e-mail address" in out.getvalue()
        assert "1 skipped for lack of an address" in out.getvalue()
    assert len(inbox.messages) == 1


def test_the_command_reports_in_english_and_calls_late_rows_delayed_as_the_email_does(
    inbox: Inbox, larvik_clerk: Any, larvik: Municipality, today: date
) -> None:
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    report = out.getvalue()
    assert "Cases the municipality is to treat: Felles barnevern" in report
    assert "(delayed)" in report
    assert "Saker kommunen skal behandle" not in report  # no bokmål heading in English text
    assert "(late)" not in report
    call_command("send_reminders", stdout=StringIO())
    (message,) = inbox.messages
    assert "forsinket" in _body(message, "text/plain")  # the bokmål reader's word
