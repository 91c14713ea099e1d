"""The reminder settings refused over a newer version (a clerk's trial, two tabs): the box
said only what was stored; like every other form it now says, field by field, what is
stored and what this tab chose («lagret: … · ditt forslag: …»), by the choices' names,
never a kind the person's roles do not get."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.reminders.models import ReminderSettings
from samarbeid.reminders.tests.test_settings_saved import STALE, URL, version

pytestmark = pytest.mark.django_db


def _refused(client: Client, user: Any, first: dict[str, Any], mine: dict[str, Any]) -> str:
    login(client, user)
    one = version(client.get(URL).content.decode())
    two = version(client.get(URL).content.decode())
    assert client.post(URL, {**first, "version": one}).status_code == 302
    page = client.post(URL, {**mine, "version": two}).content.decode()
    assert STALE in page
    return page


def _rows(page: str) -> dict[str, str]:
    box = page.split("Slik ser den ut nå:", 1)[1].split("</div>", 1)[0]
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", box))


def test_the_box_says_what_is_stored_and_what_was_chosen_per_field(
    client: Client, larvik_clerk: Any
) -> None:
    page = _refused(
        client,
        larvik_clerk,
        {"kinds": ["treatments", "notices"], "frequency": "weekly", "language": "nb"},
        {"kinds": ["benefits"], "frequency": "never", "language": "en"},
    )
    assert _rows(page) == {
        "Påminnelser om": "lagret: Saker kommunen skal behandle, Varsel med en gang når en sak"
        " sendes til kommunen · ditt forslag: Gevinster som har passert måldatoen",
        "Hvor ofte": "lagret: ukentlig · ditt forslag: aldri",
        "Språk": "lagret: Norsk bokmål · ditt forslag: Engelsk",
    }
    # the shared box's one sentence on saving again, not the page's own as well
    assert page.count("lagrer du skjemaet på nytt") == 1
    assert "Vil du heller beholde dine valg" not in page


def test_only_what_differs_and_never_a_kind_the_roles_do_not_get(
    client: Client, larvik_clerk: Any
) -> None:
    ReminderSettings.objects.create(user=larvik_clerk)  # every kind, a secretariat's too
    page = _refused(
        client,
        larvik_clerk,
        {"kinds": ["treatments"], "frequency": "weekly", "language": "nb"},
        {"kinds": ["treatments"], "frequency": "daily", "language": "nb"},
    )
    assert _rows(page) == {"Hvor ofte": "lagret: ukentlig · ditt forslag: daglig"}
    # saved again, the kinds a coordinator is not offered keep their stored choice
    assert client.post(
        URL,
        {"kinds": ["treatments"], "frequency": "daily", "language": "nb",
         "version": version(page)},
    ).status_code == 302  # fmt: skip
    stored = ReminderSettings.objects.get(user=larvik_clerk)
    assert stored.frequency == "daily"
    assert {"steps", "ceased", "runs", "grant-reports"} <= set(stored.kinds)
    assert "benefits" not in stored.kinds
