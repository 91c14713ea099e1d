"""An attendance when nobody sits in the body on the meeting's day is one rule, in the
service: nothing can be marked, so nothing is written, said the same on the page and in the
API (the API emptied a list recorded before while the page refused it)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import bearer, problem_of
from samarbeid.meetings.models import Attendance, Meeting
from samarbeid.meetings.services.attendance import nobody_seated, set_attendance
from samarbeid.meetings.tests.factories import meeting, member

pytestmark = pytest.mark.django_db
MEETING_DAY = date(2025, 3, 12)
NOBODY = (
    "Ingenting er lagret: ingen kan føres som til stede. "
    "Ingen var medlem av organet på møtedagen 12.03.2025."
)


def _held_with_a_stale_row() -> tuple[Meeting, Any]:
    """A held meeting whose one recorded attendee's seat was later found to start after
    the meeting's day."""
    one = meeting(status=Meeting.Status.HELD, date=MEETING_DAY)
    seat = member(one.body, "3909", person="Kari Nordmann", valid_from=date(2025, 1, 1))
    Attendance.objects.create(meeting=one, member=seat)
    seat.valid_from = date(2025, 6, 1)
    seat.save()
    return one, seat


def test_the_service_refuses_and_keeps_what_was_recorded(secretariat: Any) -> None:
    one, seat = _held_with_a_stale_row()
    with pytest.raises(ValidationError) as refused:
        set_attendance(one, [], actor=secretariat)
    assert refused.value.message_dict == {"members": [NOBODY]}
    one.refresh_from_db()
    assert one.version == 1
    assert list(one.attendance.values_list("member_id", flat=True)) == [seat.pk]


def test_the_api_answers_422_with_the_same_words(client: Client, secretariat: Any) -> None:
    one, seat = _held_with_a_stale_row()
    body = problem_of(
        client.put(
            f"/api/v1/meetings/{one.pk}/attendance", {"members": [], "version": 1},
            content_type="application/json", headers=bearer(secretariat),
        ),
        422,
    )  # fmt: skip
    assert body["errors"][0]["loc"] == ["members"]
    assert body["errors"][0]["msg"] == NOBODY
    assert list(one.attendance.values_list("member_id", flat=True)) == [seat.pk]


def test_why_nobody_can_be_marked() -> None:
    empty = meeting(status=Meeting.Status.HELD, date=MEETING_DAY)
    assert nobody_seated(empty) == "Organet har ingen medlemmer registrert."
    member(empty.body, "3909", valid_from=date(2025, 6, 1))
    assert nobody_seated(empty) == "Ingen var medlem av organet på møtedagen 12.03.2025."
    member(empty.body, "3907", valid_from=date(2025, 1, 1))
    assert nobody_seated(empty) == ""
