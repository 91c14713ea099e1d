"""The clerk's fourth trial (issue 22), mended: the API's refusals name the fields it was sent,
a past planned meeting says why it cannot be sent a notice, the notice names municipalities by
number, one way of writing times, dissolved members' seats end, meetings' own 403 message, and
a supplementary item is announced before it is saved."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import bearer, login
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.tests.factories import meeting, member

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _past() -> Meeting:
    one = meeting(date=timezone.localdate() - timedelta(days=3))
    member(one.body, "3909", valid_from=date(2024, 1, 1))
    AgendaItem.objects.create(meeting=one, body=one.body, title="Felles IKT")
    return one


# --- 1. the API's refusal names the field it was sent ---


def test_the_outside_notice_refusal_names_sent_outside_on(
    client: Client, secretariat: Any
) -> None:
    one = _past()
    response = client.post(
        f"/api/v1/meetings/{one.pk}/notice",
        {"version": 1, "sent_outside_on": (one.date + timedelta(days=1)).isoformat()},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 422
    locs = [e["loc"] for e in response.json()["errors"]]
    assert locs == [["sent_outside_on"]], locs
