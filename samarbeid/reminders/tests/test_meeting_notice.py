"""A meeting's notice by e-mail ("send innkalling"): the coordinators of the municipalities
that sit in the body get the meeting and its agenda, through a real SMTP server on
loopback (the inbox of the reminders' tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import TestCase

from conftest import _user
from samarbeid.accounts.models import Role
from samarbeid.meetings.models import AgendaItem
from samarbeid.meetings.services.notice import send_notice
from samarbeid.meetings.tests.factories import body, meeting, member
from samarbeid.registry.models import Municipality
from samarbeid.reminders.models import ReminderSettings
from samarbeid.reminders.tests.test_send_reminders import Inbox, _body, _subject, inbox

pytestmark = pytest.mark.django_db
__all__ = ["inbox"]  # the fixture, used by name


def test_the_members_coordinators_get_the_notice(
    inbox: Inbox, larvik: Municipality, horten: Municipality, secretariat: Any
) -> None:
    larvik_clerk = _user("larvik-koordinator", Role.COORDINATOR, municipality=larvik)
    larvik_clerk.email = "postmottak@larvik.example.no"
    larvik_clerk.save()
    horten_clerk = _user("horten-koordinator", Role.COORDINATOR, municipality=horten)
    horten_clerk.email = "post@horten.example.no"
    horten_clerk.save()
    # no case alerts and no digest: a meeting's notice is formal and goes all the same
    ReminderSettings.objects.create(
        user=horten_clerk, kinds=["treatments"], frequency=ReminderSettings.Frequency.NEVER
    )
    sandefjord = Municipality.objects.current().get(number="3907")
    outsider = _user("sandefjord-koordinator", Role.COORDINATOR, municipality=sandefjord)
    outsider.email = "post@sandefjord.example.no"
    outsider.save()

    mayors = body(name="Ordførermøtet")
    member(mayors, "3909", person="Ordfører i Larvik")
    member(mayors, "3901", person="Ordfører i Horten")
    member(mayors, "3907", person="Tidligere", valid_to=date(2024, 12, 31))  # left before
    one = meeting(mayors, date=date(2025, 3, 12))
    AgendaItem.objects.create(meeting=one, body=mayors, title="Rydding i arenaer")

    with TestCase.captureOnCommitCallbacks(execute=True):
        send_notice(one, expected_version=1, actor=secretariat, today=date(2025, 3, 1))
    assert sorted(m["To"] for m in inbox.messages) == [
        "post@horten.example.no",
        "postmottak@larvik.example.no",
    ]
    mail = next(m for m in inbox.messages if m["To"] == "postmottak@larvik.example.no")
    assert _subject(mail) == "Innkalling: Ordførermøtet 12.03.2025"
    text = _body(mail, "text/plain")
    assert "Sak 1/25 Rydding i arenaer" in text
    assert f"/moter/{one.pk}/innkalling.ics" in text
    assert "Rydding i arenaer" in _body(mail, "text/html")
    # formal: no unsubscribe that would not stop it (no List-Unsubscribe header for a mail
    # program's button, no "Meld deg av" link); it says why it comes
    assert mail["List-Unsubscribe"] is None
    assert mail["List-Unsubscribe-Post"] is None
    assert "Meld deg av" not in text
    assert "Meld deg av" not in _body(mail, "text/html")
    assert "valgene for påminnelser gjelder ikke den" in text
