"""The attendance lists and takes only the members whose period covers the meeting's day,
by the vote's rule (`seats.seated_members`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.meetings.models import Meeting
from samarbeid.meetings.services import set_attendance
from samarbeid.meetings.tests.factories import meeting, member

pytestmark = pytest.mark.django_db


def test_members_out_of_period_are_not_listed_nor_taken(client: Client, secretariat: Any) -> None:
    one = meeting(status=Meeting.Status.HELD, date=date(2025, 3, 12))
    seated = member(one.body, "3909", person="Sitter nå")
    gone = member(one.body, "3907", person="Gått ut", valid_to=date(2024, 12, 31))
    later = member(one.body, "3901", person="Kommer senere", valid_from=date(2025, 6, 1))
    login(client, secretariat)
    page = client.get(reverse("meetings:attendance", args=[one.pk])).content.decode()
    assert "Sitter nå" in page
    assert "Gått ut" not in page
    assert "Kommer senere" not in page
    with pytest.raises(ValidationError) as caught:
        set_attendance(one, [seated, gone, later], actor=secretariat)
    assert "Gått ut" in str(caught.value)
    assert "12.03.2025" in str(caught.value)
    assert not one.attendance.exists()
    set_attendance(one, [seated], actor=secretariat)
    assert one.attendance.count() == 1
