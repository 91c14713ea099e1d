"""A body's member municipality is a member of the body's arena on the member's from-date
(issue 22's trial: "5601 Alta" was accepted into a 12K body)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from samarbeid.arenas.tests.factories import arena_with_members, current
from samarbeid.meetings.models import BodyMember
from samarbeid.meetings.services.bodies import add_member, update_member
from samarbeid.meetings.tests.factories import body

pytestmark = pytest.mark.django_db


def test_a_municipality_outside_the_arena_is_refused_on_its_field(secretariat: Any) -> None:
    arena = arena_with_members(["3909"], short_name="12K")  # Larvik, from 01.03.2024
    board = body(arena)
    with pytest.raises(ValidationError) as caught:
        add_member(
            BodyMember(body=board, municipality=current("5601"), person="Ordfører",
                       valid_from=date(2024, 6, 1)),
            actor=secretariat,
        )  # fmt: skip
    assert "12K" in caught.value.message_dict["municipality"][0]
    assert "Alta" in caught.value.message_dict["municipality"][0]
    with pytest.raises(ValidationError) as caught:  # a member, but not yet on the from-date
        add_member(
            BodyMember(body=board, municipality=current("3909"), person="Ordfører",
                       valid_from=date(2024, 1, 1)),
            actor=secretariat,
        )  # fmt: skip
    assert "municipality" in caught.value.message_dict
    seat = add_member(
        BodyMember(body=board, municipality=current("3909"), person="Ordfører",
                   valid_from=date(2024, 6, 1)),
        actor=secretariat,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        update_member(
            seat, {"municipality": current("5601")}, expected_version=1, actor=secretariat
        )
    assert not BodyMember.objects.filter(municipality__number="5601").exists()
