"""What the fifth clerk's trial of meetings (issue 22) saw: the meeting lists wrote "14.12.2026
10.00" where the meeting page writes "kl. 10.00", and the body page's members named their
municipality without its number, so the old Larvik (0709, to 2017) and 3909 Larvik read
alike."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.meetings.tests.factories import body, meeting, member
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def test_the_meeting_lists_write_kl_before_the_time(client: Client, secretariat: Any) -> None:
    one = meeting(date=date(2026, 12, 14), start_time=time(10, 0))
    login(client, secretariat)
    page = client.get(one.body.get_absolute_url()).content.decode()
    assert "14.12.2026 kl. 10.00" in page


def test_the_body_page_names_each_members_municipality_with_its_number(
    client: Client, secretariat: Any
) -> None:
    board = body()
    old_larvik = Municipality.objects.filter(number="0709").order_by("-valid_from").first()
    assert old_larvik is not None
    member(board, "3909", municipality=old_larvik, person="Ordfører i gamle Larvik",
           valid_from=date(2006, 1, 1))  # fmt: skip
    member(board, "3909", person="Ordfører i Larvik", valid_from=date(2024, 1, 1))
    login(client, secretariat)
    page = client.get(board.get_absolute_url()).content.decode()
    assert "0709 Larvik" in page
    assert "3909 Larvik" in page
