"""Secretaries send the notices of several meetings of one body at the same moment: every
item gets its own number, and the body's numbers that year run 1..n without a gap, never
500. On SQLite the immediate transactions already serialize the writers (the test passes
without the row lock there); on PostgreSQL the body's row lock in `send_notice` is what
keeps two notices from taking the same numbers."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from conftest import bearer, race_secretariat
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.tests.factories import body, meeting, member
from samarbeid.tests.concurrency import concurrent_database, together

MEETINGS = 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("noticed_early")
def test_notices_at_once_take_different_numbers() -> None:
    clerk = race_secretariat("travel-sekretar")
    board = body()
    member(board)  # a member to send the notices to
    meetings = [meeting(board, date=date(2026, 2, 1 + n)) for n in range(MEETINGS)]
    for one in meetings:
        for i in range(3):
            AgendaItem.objects.create(meeting=one, body=board, title=f"Sak {i}", position=i)
    headers = bearer(clerk)

    def send(number: int) -> str:
        response = Client().post(
            f"/api/v1/meetings/{meetings[number].pk}/notice",
            json.dumps({"version": 1}),
            content_type="application/json",
            headers=headers,
        )
        return str(response.status_code)

    with concurrent_database():
        results = together(send, MEETINGS)
        numbers = sorted(
            n or 0 for n in AgendaItem.objects.filter(body=board).values_list("number", flat=True)
        )
        sent = Meeting.objects.filter(body=board, status="notice_sent").count()
    assert results == ["200"] * MEETINGS
    assert sent == MEETINGS
    assert numbers == list(range(1, 3 * MEETINGS + 1))
