"""What changed after the notice went out: an amended notice ("Endret innkalling") and a
supplementary one ("Tilleggssak") say it in the e-mail, the meeting page lists it, and the
change is kept as a record (audited) so the three say the same."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from conftest import login
from samarbeid.audit.models import AuditEntry
from samarbeid.meetings.models import AgendaItem, Meeting, NoticeChange
from samarbeid.meetings.services.meetings import add_item, update_meeting
from samarbeid.meetings.services.notice import notice_delivery, send_notice
from samarbeid.meetings.tests.factories import meeting, member
from samarbeid.reminders.models import ReminderSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("noticed_early")]

MOVED = "Møtet er flyttet fra tirsdag 3. mars 2026 kl. 09.00 til onsdag 4. mars 2026 kl. 10.00."
PLACE = "Nytt møtested: Rådhuset, møterom 2 (var: Kulturhuset)."


def _noticed(secretariat: Any, coordinator: Any) -> Meeting:
    one = meeting(date=date(2026, 3, 3), start_time=time(9, 0), place="Kulturhuset")
    member(one.body, "3909")
    coordinator.email = "koordinator@larvik.example.no"
    coordinator.save()
    add_item(AgendaItem(meeting=one, title="Felles IKT"), actor=secretariat)
    with TestCase.captureOnCommitCallbacks(execute=True):
        send_notice(one, expected_version=1, actor=secretariat)
    return one


def _move(one: Meeting, secretariat: Any) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        update_meeting(
            one,
            {
                "date": date(2026, 3, 4),
                "start_time": time(10, 0),
                "place": "Rådhuset, møterom 2",
            },
            expected_version=one.version,
            actor=secretariat,
        )


def test_the_amended_notice_says_what_moved(
    secretariat: Any, coordinator: Any, mailoutbox: Any
) -> None:
    one = _noticed(secretariat, coordinator)
    _move(one, secretariat)
    mail = mailoutbox[-1]
    assert mail.subject.startswith("Endret innkalling")
    assert MOVED in mail.body
    assert PLACE in mail.body
    html = mail.alternatives[0][0]
    assert "Rådhuset, møterom 2 (var: Kulturhuset)" in html
    change = NoticeChange.objects.get(meeting=one)
    assert change.kind == NoticeChange.Kind.AMENDED
    assert change.describe() == [MOVED, PLACE]
    assert AuditEntry.objects.filter(
        content_type__model="noticechange",
        object_id=str(change.pk),
        action=AuditEntry.Action.CREATE,
    ).exists()


def test_only_what_changed_is_said(secretariat: Any, coordinator: Any, mailoutbox: Any) -> None:
    one = _noticed(secretariat, coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        update_meeting(
            one, {"end_time": time(11, 30)}, expected_version=one.version, actor=secretariat
        )
    assert NoticeChange.objects.get(meeting=one).describe() == ["Møtet slutter kl. 11.30."]
    assert "flyttet" not in mailoutbox[-1].body
    with TestCase.captureOnCommitCallbacks(execute=True):
        update_meeting(one, {"published": True}, expected_version=one.version, actor=secretariat)
    assert NoticeChange.objects.filter(meeting=one).count() == 1  # not in the notice


def test_the_amended_notice_in_english(secretariat: Any, coordinator: Any, mailoutbox: Any) -> None:
    ReminderSettings.objects.create(user=coordinator, language="en")
    one = _noticed(secretariat, coordinator)
    _move(one, secretariat)
    body = mailoutbox[-1].body
    assert (
        "The meeting has moved from Tuesday 3 March 2026 at 09:00 to Wednesday 4 March 2026 "
        "at 10:00." in body
    )
    assert "New venue: Rådhuset, møterom 2 (was: Kulturhuset)." in body


def test_the_supplementary_notice_names_the_added_item(
    secretariat: Any, coordinator: Any, mailoutbox: Any
) -> None:
    one = _noticed(secretariat, coordinator)
    with TestCase.captureOnCommitCallbacks(execute=True):
        add_item(AgendaItem(meeting=one, title="Sent innkommet sak"), actor=secretariat)
    mail = mailoutbox[-1]
    assert mail.subject.startswith("Tilleggssak")
    assert "Ny sak i sakskartet: Sak 2/26 Sent innkommet sak." in mail.body
    change = NoticeChange.objects.get(meeting=one)
    assert change.kind == NoticeChange.Kind.SUPPLEMENTARY


def test_the_meeting_page_lists_the_changes(
    client: Client, secretariat: Any, coordinator: Any, reader: Any
) -> None:
    one = _noticed(secretariat, coordinator)
    _move(one, secretariat)
    add_item(AgendaItem(meeting=one, title="Sent innkommet sak"), actor=secretariat)
    login(client, reader)
    page = client.get(reverse("meetings:meeting_detail", args=[one.pk])).content.decode()
    assert "Endringer etter innkallingen" in page
    assert MOVED in page
    assert "Nytt møtested: Rådhuset, møterom 2 (var: Kulturhuset)." in page
    assert "Ny sak i sakskartet: Sak 2/26 Sent innkommet sak." in page
    before = meeting(one.body, date=date(2026, 5, 5))
    page = client.get(reverse("meetings:meeting_detail", args=[before.pk])).content.decode()
    assert "Endringer etter innkallingen" not in page


def test_the_api_lists_the_changes_as_the_page_says_them(
    client: Client, secretariat: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    one = _noticed(secretariat, coordinator)
    _move(one, secretariat)
    with TestCase.captureOnCommitCallbacks(execute=True):
        add_item(AgendaItem(meeting=one, title="Sent innkommet sak"), actor=secretariat)
    url = f"/api/v1/meetings/{one.pk}/notice-changes"
    with django_assert_max_num_queries(6):
        changes = client.get(url).json()  # the meeting is open: the public reads it
    assert [c["kind"] for c in changes] == ["amended", "supplementary"]
    assert changes[0]["text"] == [MOVED, PLACE]
    assert (changes[0]["old_date"], changes[0]["new_date"]) == ("2026-03-03", "2026-03-04")
    assert changes[1]["text"] == ["Ny sak i sakskartet: Sak 2/26 Sent innkommet sak."]
    english = client.get(f"{url}?lang=en").json()
    assert english[0]["text"][1] == "New venue: Rådhuset, møterom 2 (was: Kulturhuset)."
    missing = client.get("/api/v1/meetings/999999/notice-changes")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_the_amended_and_supplementary_e_mails_open_with_what_they_are(
    secretariat: Any, coordinator: Any, mailoutbox: Any
) -> None:
    """Issue 22, the third trial: the body opens "Endret innkalling til møte …" /
    "Tilleggssak til møte …" as the subject does, in bokmål and in English."""
    one = _noticed(secretariat, coordinator)
    assert mailoutbox[-1].body.startswith("Innkalling til møte i")
    _move(one, secretariat)
    amended = mailoutbox[-1]
    assert amended.subject.startswith("Endret innkalling")
    assert amended.body.startswith("Endret innkalling til møte i")
    assert "<p>Endret innkalling til møte i" in amended.alternatives[0][0]
    ReminderSettings.objects.create(user=coordinator, language="en")
    with TestCase.captureOnCommitCallbacks(execute=True):
        add_item(AgendaItem(meeting=one, title="Ny sak"), actor=secretariat)
    supplementary = mailoutbox[-1]
    assert supplementary.subject.startswith("Supplementary item")
    assert supplementary.body.startswith("Supplementary item for the meeting of")


def test_a_coordinator_without_alerts_still_gets_the_formal_notice_and_is_said_to(
    secretariat: Any, coordinator: Any, mailoutbox: Any
) -> None:
    """A notice of a meeting to a body's members is formal: a coordinator who chose no case
    alerts and no digest gets it all the same, and the clerk is told so truthfully (nobody
    is said to have got it who did not)."""
    ReminderSettings.objects.create(
        user=coordinator, kinds=["treatments"], frequency=ReminderSettings.Frequency.NEVER
    )
    one = _noticed(secretariat, coordinator)
    assert [m.to for m in mailoutbox] == [["koordinator@larvik.example.no"]]
    assert notice_delivery(one).recipients == ["koordinator-larvik (3909 Larvik)"]
