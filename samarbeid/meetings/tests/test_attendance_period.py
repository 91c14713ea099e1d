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
from samarbeid.meetings.services.attendance import set_attendance
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


def test_a_member_whose_municipality_has_ceased_no_longer_sits(
    client: Client, secretariat: Any
) -> None:
    """A clerk's trial: the 12K body's members of 2006 (Andebu, ended 31.12.2016 in the
    merger into Sandefjord) still "sat" in 2026: the notice named them, the attendance and
    the minutes offered them. A seat ends with its municipality, whatever the member's own
    period says (the past meetings keep them: history stays true)."""
    from samarbeid.meetings.seats import seated_members, seated_municipalities
    from samarbeid.registry.models import Municipality

    andebu = Municipality.objects.get(number="0719", valid_to__isnull=False)
    one = meeting(status=Meeting.Status.HELD, date=date(2025, 3, 12))
    seated = member(one.body, "3909", person="Sitter nå")
    ceased = member(
        one.body, municipality=andebu, person="Ordføreren i Andebu", valid_from=date(2006, 1, 1)
    )
    assert list(seated_members(one)) == [seated]
    assert [m.number for m in seated_municipalities(one)] == ["3909"]
    assert not ceased.sits_on(one.date)
    assert ceased.sits_on(date(2016, 6, 1))  # the meetings of its time keep it
    login(client, secretariat)
    page = client.get(reverse("meetings:attendance", args=[one.pk])).content.decode()
    assert "Ordføreren i Andebu" not in page
    with pytest.raises(ValidationError):
        set_attendance(one, [ceased], actor=secretariat)
