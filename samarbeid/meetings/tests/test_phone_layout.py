"""On a phone the body's member table reads as cards (the house's `stack-on-phone`, each
cell labelled) and the minutes' "Behandling"/"Vedtak" labels stand out."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.tests.factories import meeting, member

pytestmark = pytest.mark.django_db


def test_member_table_stacks_and_minutes_labels_stand_out(client: Client, secretariat: Any) -> None:
    one = meeting(status=Meeting.Status.HELD, date=date(2025, 3, 12))
    member(one.body, "3909")
    AgendaItem.objects.create(
        meeting=one, body=one.body, year=2025, number=1, title="Plan",
        treatment="Drøftet", decision_text="Vedtatt", outcome="adopted",
    )  # fmt: skip
    login(client, secretariat)
    page = client.get(one.body.get_absolute_url()).content.decode()
    assert 'class="ds-table stack-on-phone"' in page
    assert 'data-label="Kommune"' in page
    minutes = client.get(reverse("meetings:minutes", args=[one.pk])).content.decode()
    assert minutes.count("minutes-label") == 2


def test_the_meeting_tables_stack_on_a_phone(client: Client, secretariat: Any) -> None:
    """The body's and the arena's meeting tables were cut at 390 px ("protokoll godkj…"):
    cards on a phone, each cell labelled."""
    one = meeting(status=Meeting.Status.HELD, date=date(2025, 3, 12))
    login(client, secretariat)
    for url in (
        one.body.get_absolute_url(),
        reverse("meetings:body_list", args=[one.body.arena_id]),
    ):
        page = client.get(url).content.decode()
        table = page[page.index('aria-labelledby="moter"') :]
        assert table.index('class="ds-table stack-on-phone"') < table.index("</table>")
        assert 'data-label="Status"' in table
        assert 'data-label="Sted"' in table
