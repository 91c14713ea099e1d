"""The reminder settings refused over a newer version (a clerk's trial, two tabs): the box
said only what was stored; like every other form it now says, field by field, what the
other tab changed: where this tab changed it too, what is stored and what this tab chose
(«lagret: … · ditt forslag: …»), by the choices' names, never a kind the person's roles do
not get; where this tab left it alone, that it was taken in. A field only this tab changed
is this tab's own change, not part of the conflict."""

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
    box = page.split("Noen andre har lagret", 1)[1].split("</div>", 1)[0]
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", box))


def test_the_box_says_what_both_tabs_changed_and_not_this_tabs_own_change(
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
    }  # «Språk»: only this tab changed it (a clerk's trial found it listed as a conflict)
    assert "Disse feltene er endret begge steder. Skjemaet viser det du skrev:" in page
    # the shared box's one sentence on saving again, not the page's own as well
    assert page.count("Lagrer du skjemaet på nytt") == 1
    assert "Vil du heller beholde dine valg" not in page


def test_only_what_differs_and_never_a_kind_the_roles_do_not_get(
    client: Client, larvik_clerk: Any
) -> None:
    # every kind, a secretariat's too; never sent, so «daglig» below is a choice of this tab
    ReminderSettings.objects.create(user=larvik_clerk, frequency="never")
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


def _posted(form: Any) -> dict[str, Any]:
    """What the browser posts for the settings form as shown (only the kinds it offers)."""
    values = {name: form[name].value() for name in ("frequency", "language", "version")}
    return {**values, "kinds": [kind for kind in form["kinds"].value() if kind in form.offered]}


@pytest.mark.parametrize("saved_before", [False, True], ids=["never-saved", "saved"])
def test_saving_again_keeps_what_the_other_tab_saved_in_a_field_left_alone(
    client: Client, larvik_clerk: Any, saved_before: bool
) -> None:
    """Found in a clerk's trial: tab A set «ukentlig», tab B only ticked a kind; B, refused
    and saving again, put its untouched «daglig» back over A's «ukentlig»."""
    login(client, larvik_clerk)
    if saved_before:
        first = {"kinds": ["treatments"], "frequency": "daily", "language": "nb", "version": 0}
        assert client.post(URL, first).status_code == 302
    opened = client.get(URL).context["form"]
    start = _posted(opened)
    assert start["frequency"] == "daily"
    assert client.post(URL, {**start, "frequency": "weekly"}).status_code == 302  # tab A
    refused = client.post(URL, {**start, "kinds": [*start["kinds"], "invoices"]})  # tab B
    assert STALE in refused.content.decode()
    shown = refused.context["form"]
    assert shown["frequency"].value() == "weekly"  # taken in
    # and the box says so: what the other tab changed, not this tab's own ticked kind
    page = refused.content.decode()
    assert "Endringer i felt du ikke hadde rørt, er tatt inn i skjemaet:" in page
    assert _rows(page) == {"Hvor ofte": "ukentlig"}
    again = _posted(shown)
    assert client.post(URL, again).status_code == 302
    stored = ReminderSettings.objects.get(user=larvik_clerk)
    assert stored.frequency == "weekly"
    assert "invoices" in stored.kinds
