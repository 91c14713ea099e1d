"""What "Send innkalling" says about who got the notice by e-mail: the truth in each case
(issue 22, the clerk's second trial): sent to whom, nobody because no member has a
coordinator with an address (naming them), written to the log in development, or mail
not set up."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import bearer, login
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.services.notice import notice_delivery
from samarbeid.meetings.tests.factories import meeting, member

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _planned() -> Meeting:
    one = meeting(date=timezone.localdate() + timedelta(days=14))
    member(one.body, "3909", valid_from=date(2024, 1, 1))  # Larvik
    member(one.body, "3907", person="Ola Nordmann", valid_from=date(2024, 1, 1))  # Sandefjord
    AgendaItem.objects.create(meeting=one, body=one.body, title="Felles IKT")
    return one


def _send(client: Client, one: Meeting) -> str:
    response = client.post(
        reverse("meetings:notice_send", args=[one.pk]), {"version": one.version}, follow=True
    )
    return response.content.decode()


def test_mail_going_out_names_who_got_it_and_who_has_no_address(
    client: Client,
    secretariat: Any,
    coordinator: Any,
    settings: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_HOST = ""  # the test backend (locmem) delivers all the same
    coordinator.first_name, coordinator.last_name = "Lise", "Larsen"
    coordinator.email = "lise@larvik.example.no"
    coordinator.save()
    one = _planned()
    login(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        said = _send(client, one)
    assert "Innkallingen er sendt" in said
    assert "Sendt på e-post til 1 mottaker: Lise Larsen (3909 Larvik)" in said
    assert "Uten koordinator med e-postadresse: 3907 Sandefjord" in said
    assert "ikke satt opp" not in said
    assert len(mailoutbox) == 1


def test_nobody_with_an_address_is_said_so_and_named(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    one = _planned()
    login(client, secretariat)
    said = _send(client, one)
    assert (
        "Ingen fikk den på e-post: ingen av medlemmene har en koordinator med e-postadresse "
        "(3909 Larvik, 3907 Sandefjord)"
    ) in said
    assert "ikke satt opp" not in said


def test_development_writes_to_the_log_and_unset_mail_is_not_set_up(
    secretariat: Any, coordinator: Any, settings: Any
) -> None:
    coordinator.email = "lise@larvik.example.no"
    coordinator.save()
    one = _planned()
    settings.EMAIL_HOST = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    delivery = notice_delivery(one)
    assert delivery.mode == "log"
    assert "skrevet til loggen" in delivery.message
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    delivery = notice_delivery(one)
    assert delivery.mode == "off"
    assert "e-post er ikke satt opp for tjenesten" in delivery.message
    settings.EMAIL_HOST = "smtp.example.no"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert notice_delivery(one).mode == "mail"


def test_the_api_answers_the_same_facts(client: Client, secretariat: Any, coordinator: Any) -> None:
    coordinator.email = "lise@larvik.example.no"
    coordinator.save()
    one = _planned()
    response = client.post(
        f"/api/v1/meetings/{one.pk}/notice",
        {"version": 1},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 200, response.content
    delivery = response.json()["delivery"]
    assert delivery["mode"] == "mail"
    assert delivery["recipients"] == ["koordinator-larvik (3909 Larvik)"]
    assert delivery["without_address"] == ["3907 Sandefjord"]
    assert delivery["message"].startswith("Sendt på e-post til 1 mottaker")


def test_no_notice_for_a_meeting_whose_day_has_passed(client: Client, secretariat: Any) -> None:
    """A meeting of 02.12 noticed on 04.12 is refused, on the page and in the API, with the
    meeting's date."""
    past = timezone.localdate() - timedelta(days=2)
    one = meeting(date=past)
    AgendaItem.objects.create(meeting=one, body=one.body, title="Felles IKT")
    login(client, secretariat)
    said = _send(client, one)
    assert f"Møtet var {past:%d.%m.%Y}" in said
    response = client.post(
        f"/api/v1/meetings/{one.pk}/notice",
        {"version": 1},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 422
    assert f"{past:%d.%m.%Y}" in response.content.decode()
    one.refresh_from_db()
    assert one.status == Meeting.Status.PLANNED
    assert one.items.get().number is None


def test_a_notice_nobody_gets_by_e_mail_is_said_before_and_warned_after(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    """A clerk's trial: the confirmation asked «Send innkallingen til 2 medlemmer?» with no
    word that nobody had an address, and the outcome came in a green success box."""
    one = _planned()
    login(client, secretariat)
    url = reverse("meetings:notice_send", args=[one.pk])
    asked = client.get(url).content.decode()
    assert (
        "Merk: ingen av medlemmene har en koordinator med e-postadresse (3909 Larvik, "
        "3907 Sandefjord), så ingen får innkallingen på e-post. Den blir likevel registrert "
        "som sendt, og sakene får nummer."
    ) in asked
    after = client.post(url, {"version": one.version}, follow=True)
    [message] = list(after.context["messages"])
    assert message.level_tag == "warning"
    assert message.message.startswith("Innkallingen er sendt")


def test_a_notice_that_reaches_someone_asks_without_a_warning_and_says_success(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    coordinator.email = "lise@larvik.example.no"
    coordinator.save()
    one = _planned()
    login(client, secretariat)
    url = reverse("meetings:notice_send", args=[one.pk])
    assert "ingen får innkallingen på e-post" not in client.get(url).content.decode()
    after = client.post(url, {"version": one.version}, follow=True)
    [message] = list(after.context["messages"])
    assert message.level_tag == "success"
