"""A person's reminder settings are written by one service (reminders.services.save_settings):
audited, only their own, and refused over a version saved since the form was opened (two
tabs, the unsubscribe link meanwhile); the sender notes when it sent without touching them."""

from __future__ import annotations

import contextlib
import re
import threading
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from conftest import login, race_secretariat
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.core.versioning import VersionConflict
from samarbeid.portal.tests.test_dashboard import _treatment
from samarbeid.registry.models import Municipality
from samarbeid.reminders import sending, services
from samarbeid.reminders.digest import prefs_for
from samarbeid.reminders.mail import unsubscribe_token
from samarbeid.reminders.models import ReminderSettings
from samarbeid.reminders.services import NEVER_SAVED, save_settings
from samarbeid.reminders.tests.test_send_reminders import _now
from samarbeid.tests.concurrency import concurrent_database, together

pytestmark = pytest.mark.django_db

URL = "/konto/paminnelser/"
STALE = "Posten er endret av noen andre siden du begynte å redigere."


def version(page: str) -> str:
    """The version the settings form was opened with (what it sends back)."""
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found is not None
    return found.group(1)


def entries(user: Any) -> Any:
    prefs = ReminderSettings.objects.get(user=user)
    return AuditEntry.objects.filter(
        content_type__model="remindersettings", object_id=str(prefs.pk)
    ).order_by("pk")


def test_a_save_is_audited_as_the_person_on_the_page(client: Client, larvik_clerk: Any) -> None:
    assert reverse("reminders:settings") == URL
    login(client, larvik_clerk)
    page = client.get(URL).content.decode()
    chosen = {"kinds": ["treatments"], "frequency": "weekly", "language": "nb"}
    response = client.post(URL, {**chosen, "version": version(page)}, follow=True)
    assert "Innstillingene for påminnelser er lagret." in response.content.decode()
    made = entries(larvik_clerk).get()
    assert (made.action, made.actor, made.channel) == (
        AuditEntry.Action.CREATE,
        larvik_clerk,
        Channel.PAGE,
    )
    page = client.get(URL).content.decode()
    assert version(page) == "1"
    client.post(URL, {**chosen, "frequency": "daily", "version": "1"})
    changed = entries(larvik_clerk).last()
    assert changed is not None
    assert changed.action == AuditEntry.Action.UPDATE
    assert changed.changes["frequency"] == ["weekly", "daily"]
    assert ReminderSettings.objects.get(user=larvik_clerk).version == 2


@pytest.mark.parametrize("saved_before", [False, True], ids=["never-saved", "saved"])
def test_of_two_tabs_the_second_save_is_refused_and_overwrites_nothing(
    client: Client, larvik_clerk: Any, saved_before: bool
) -> None:
    if saved_before:
        ReminderSettings.objects.create(user=larvik_clerk)
    login(client, larvik_clerk)
    first = version(client.get(URL).content.decode())
    second = version(client.get(URL).content.decode())
    weekly = {"kinds": ["treatments"], "frequency": "weekly", "language": "nb"}
    assert client.post(URL, {**weekly, "version": first}).status_code == 302
    stored = ReminderSettings.objects.get(user=larvik_clerk)

    mine = {"kinds": ["benefits"], "frequency": "never", "language": "en"}
    refused = client.post(URL, {**mine, "version": second})
    page = refused.content.decode()
    assert refused.status_code == 200
    assert STALE in page
    assert "Disse feltene er endret begge steder. Skjemaet viser det du skrev:" in page
    assert "<dd>lagret: ukentlig · ditt forslag: aldri</dd>" in page  # the first tab's, this one's
    assert re.search(r'value="never"[^>]* checked', page)  # what this tab chose is kept
    after = ReminderSettings.objects.get(user=larvik_clerk)
    assert (after.frequency, after.language, after.version) == ("weekly", "nb", stored.version)
    assert entries(larvik_clerk).count() == 1

    # the page now starts from the version stored: saving it again is a choice made
    assert version(page) == str(stored.version)
    assert client.post(URL, {**mine, "version": version(page)}).status_code == 302
    assert ReminderSettings.objects.get(user=larvik_clerk).frequency == "never"


def test_the_service_refuses_a_stale_version_and_anothers_settings(
    larvik_clerk: Any, coordinator: Any
) -> None:
    prefs = prefs_for(larvik_clerk)
    with pytest.raises(PermissionDenied):
        save_settings(prefs, {"frequency": "never"}, expected_version=None, actor=coordinator)
    assert not ReminderSettings.objects.exists()
    saved = save_settings(prefs, {"frequency": "weekly"}, expected_version=0, actor=larvik_clerk)
    assert saved.version == 1
    with pytest.raises(VersionConflict) as refused:
        save_settings(prefs, {"frequency": "daily"}, expected_version=0, actor=larvik_clerk)
    assert refused.value.current.frequency == "weekly"
    save_settings(saved, {"language": "en"}, expected_version=1, actor=larvik_clerk)
    with pytest.raises(VersionConflict):
        save_settings(saved, {"frequency": "never"}, expected_version=1, actor=larvik_clerk)
    stored = ReminderSettings.objects.get(user=larvik_clerk)
    assert (stored.frequency, stored.language, stored.version) == ("weekly", "en", 2)
    assert entries(larvik_clerk).count() == 2


def test_a_form_opened_before_the_sender_made_the_row_still_saves(
    client: Client, larvik_clerk: Any, larvik: Municipality, today: date
) -> None:
    """The sender makes the row (with the defaults) to note when it sent: not a choice,
    so a form opened on the defaults before it is not stale."""
    login(client, larvik_clerk)
    opened = version(client.get(URL).content.decode())
    assert opened == str(NEVER_SAVED)
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    assert len(sending.send_reminders(_now(today)).sent) == 1
    assert ReminderSettings.objects.get(user=larvik_clerk).last_sent is not None
    chosen = {"kinds": ["treatments"], "frequency": "weekly", "language": "nb"}
    assert client.post(URL, {**chosen, "version": opened}).status_code == 302
    assert ReminderSettings.objects.get(user=larvik_clerk).frequency == "weekly"


def test_the_sender_writes_only_when_it_sent(
    larvik_clerk: Any, larvik: Municipality, today: date
) -> None:
    """A choice saved while the digest was being made is not put back by the sender."""
    ReminderSettings.objects.create(user=larvik_clerk)
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    real = sending.digest_for

    def meanwhile(user: Any, prefs: ReminderSettings, day: date) -> Any:
        ReminderSettings.objects.filter(user=user).update(language="en", version=2)
        return real(user, prefs, day)

    with mock.patch.object(sending, "digest_for", meanwhile):
        assert len(sending.send_reminders(_now(today)).sent) == 1
    stored = ReminderSettings.objects.get(user=larvik_clerk)
    assert (stored.language, stored.version) == ("en", 2)
    assert stored.last_sent is not None


def test_unsubscribing_is_audited_and_makes_an_open_form_stale(
    client: Client, larvik_clerk: Any
) -> None:
    ReminderSettings.objects.create(user=larvik_clerk)
    login(client, larvik_clerk)
    opened = version(client.get(URL).content.decode())
    link = reverse("reminders:unsubscribe", args=[unsubscribe_token(larvik_clerk)])
    assert Client().post(link).status_code == 200
    stored = ReminderSettings.objects.get(user=larvik_clerk)
    assert (stored.frequency, stored.version) == ("never", 2)
    entry = entries(larvik_clerk).get()
    assert (entry.action, entry.actor) == (AuditEntry.Action.UPDATE, larvik_clerk)
    daily = {"kinds": ["treatments"], "frequency": "daily", "language": "nb"}
    refused = client.post(URL, {**daily, "version": opened})
    assert STALE in refused.content.decode()
    assert ReminderSettings.objects.get(user=larvik_clerk).frequency == "never"


@pytest.mark.django_db(transaction=True)
def test_two_saves_from_the_same_version_at_once_save_one() -> None:
    """On both databases (tests.concurrency): of two tabs saving at the same moment from
    the same version, one is saved and audited, the other refused."""
    person = race_secretariat("paminnelser-sekretariat")
    ReminderSettings.objects.create(user=person)

    def save(number: int) -> str:
        client = Client()
        client.force_login(person)
        frequency = ("weekly", "never")[number]
        sent = {"kinds": ["steps"], "frequency": frequency, "language": "nb", "version": "1"}
        return str(client.post(URL, sent).status_code)

    with concurrent_database():
        results = together(save, 2)
        stored = ReminderSettings.objects.get(user=person)
        audited = entries(person).count()
    assert results == ["200", "302"]
    assert stored.version == 2
    assert audited == 1


@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_once_make_the_settings_once() -> None:
    """Two tabs on the defaults, saved at the same moment, each held until the other has
    found no settings: one makes them, the other is refused as stale (not a 409 page)."""
    person = race_secretariat("forste-sekretariat")

    def save(number: int) -> str:
        client = Client()
        client.force_login(person)
        frequency = ("weekly", "never")[number]
        sent = {"kinds": ["steps"], "frequency": frequency, "language": "nb", "version": "0"}
        response = client.post(URL, sent)
        return f"{response.status_code} {STALE in response.content.decode()}"

    with concurrent_database(), held_before(services, "create_record"):
        results = together(save, 2)
        made = ReminderSettings.objects.filter(user=person).count()
        audited = entries(person).count()
    assert results == ["200 True", "302 False"]
    assert made == 1
    assert audited == 1


def held_before(module: Any, name: str) -> Any:
    """A stand-in for `module`.`name` that first waits (up to 5 s) for the other request
    to get as far, then does its work."""
    both = threading.Barrier(2, timeout=5)
    real = getattr(module, name)

    def holding(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            both.wait()
        return real(*args, **kwargs)

    return mock.patch.object(module, name, holding)
