"""A clerk's trial: a member's «fra» could be moved to after a meeting at which the minutes
record them present (or «til» before it); the minutes kept them present while the
attendance said «Ingen var medlem…». The member service refuses a period (or another
municipality) that leaves out a meeting where the member is recorded present, or where
their municipality voted with this as its only seat, naming the meeting on the field that
moved; the page and the API say the same. A delete is refused for the same records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import bearer, login, problem_of
from samarbeid.arenas.tests.factories import CaseFactory, arena_with_members, current
from samarbeid.meetings.models import AgendaItem, Body, BodyMember, Meeting
from samarbeid.meetings.services.attendance import set_attendance
from samarbeid.meetings.services.bodies import (
    delete_member,
    member_delete_refusal,
    update_member,
)
from samarbeid.meetings.services.minutes import record_item_vote
from samarbeid.meetings.tests.factories import body, meeting, member

pytestmark = pytest.mark.django_db

MARCH = date(2025, 3, 12)
MAY = date(2025, 5, 14)


def _board(*numbers: str) -> Body:
    """«Styret» of an arena of `numbers` (members from 01.03.2024)."""
    return body(arena_with_members(list(numbers or ("3909",))), name="Styret")


def _held(board: Body, day: date) -> Meeting:
    return meeting(board, status=Meeting.Status.HELD, date=day)


def _present_twice(actor: Any) -> tuple[BodyMember, list[Meeting]]:
    """Kari Nordmann (Larvik, from 01.06.2024) recorded present at Styret's meetings of
    12.03.2025 and 14.05.2025."""
    board = _board("3909")
    kari = member(board, "3909", person="Kari Nordmann", valid_from=date(2024, 6, 1))
    held = [_held(board, MARCH), _held(board, MAY)]
    for one in held:
        set_attendance(one, [kari], actor=actor)
    kari.refresh_from_db()
    return kari, held


def _refused(seat: BodyMember, changes: dict[str, Any], actor: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        update_member(seat, changes, expected_version=seat.version, actor=actor)
    return caught.value.message_dict


def _stored(seat: BodyMember) -> BodyMember:
    return BodyMember.objects.get(pk=seat.pk)


def test_a_period_that_leaves_out_a_meeting_attended_is_refused_naming_it(
    secretariat: Any,
) -> None:
    kari = _present_twice(secretariat)[0]
    start = _refused(kari, {"valid_from": date(2025, 4, 1)}, secretariat)
    assert start == {
        "valid_from": [
            "Kari Nordmann er ført som til stede på møtet 12.03.2025 i Styret; "
            "flytt ikke perioden forbi det."
        ]
    }
    end = _refused(_stored(kari), {"valid_to": date(2025, 4, 1)}, secretariat)
    assert end == {
        "valid_to": [
            "Kari Nordmann er ført som til stede på møtet 14.05.2025 i Styret; "
            "flytt ikke perioden forbi det."
        ]
    }
    both = _refused(_stored(kari), {"valid_to": date(2025, 1, 31)}, secretariat)
    assert both == {
        "valid_to": [
            "Kari Nordmann er ført som til stede på møtene 12.03.2025, 14.05.2025 i Styret; "
            "flytt ikke perioden forbi dem."
        ]
    }
    stored = _stored(kari)
    assert (stored.valid_from, stored.valid_to, stored.version) == (date(2024, 6, 1), None, 1)


def test_a_move_within_the_meetings_attended_is_saved(secretariat: Any) -> None:
    kari, held = _present_twice(secretariat)
    later = _held(kari.body, date(2025, 9, 10))  # held, but Kari is not recorded present
    update_member(
        kari,
        {"valid_from": MARCH, "valid_to": date(2025, 6, 30)},  # the first day is kept
        expected_version=1,
        actor=secretariat,
    )
    stored = _stored(kari)
    assert (stored.valid_from, stored.valid_to) == (MARCH, date(2025, 6, 30))
    assert not stored.sits_on(later.date)
    update_member(stored, {"valid_to": MAY}, expected_version=stored.version, actor=secretariat)
    stored = _stored(stored)
    update_member(  # a name or a role changes whatever the period
        stored, {"person": "Kari Nordmann-Berg", "role": BodyMember.Role.LEADER},
        expected_version=stored.version, actor=secretariat,
    )  # fmt: skip
    stored = _stored(stored)
    assert (stored.valid_to, stored.person, stored.version) == (MAY, "Kari Nordmann-Berg", 4)
    assert set(stored.attendance.values_list("meeting", flat=True)) == {m.pk for m in held}


def test_many_meetings_are_named_up_to_five_then_counted(secretariat: Any) -> None:
    board = _board("3909")
    kari = member(board, "3909", person="Kari Nordmann", valid_from=date(2024, 6, 1))
    for month in range(1, 8):
        set_attendance(_held(board, date(2025, month, 10)), [kari], actor=secretariat)
    said = _refused(_stored(kari), {"valid_to": date(2024, 12, 31)}, secretariat)["valid_to"]
    assert said == [
        "Kari Nordmann er ført som til stede på møtene 10.01.2025, 10.02.2025, 10.03.2025, "
        "10.04.2025, 10.05.2025 og 2 møter til i Styret; flytt ikke perioden forbi dem."
    ]


def test_the_refusal_reads_in_english(secretariat: Any) -> None:
    kari = _present_twice(secretariat)[0]
    with translation.override("en"):
        said = _refused(kari, {"valid_from": date(2025, 4, 1)}, secretariat)
    assert said["valid_from"] == [
        "Kari Nordmann is recorded as present at the meeting of 12.03.2025 in Styret; "
        "do not move the period past it."
    ]


def _voted(actor: Any) -> tuple[BodyMember, BodyMember, AgendaItem]:
    """Styret of Larvik and Horten, one seat each, met 12.03.2025 and voted on a case
    (nobody recorded present: the vote is the municipality's)."""
    board = _board("3909", "3901")
    larvik = member(board, "3909", person="Kari Nordmann", valid_from=date(2024, 6, 1))
    horten = member(board, "3901", person="Per Hansen", valid_from=date(2024, 6, 1))
    one = _held(board, MARCH)
    item = AgendaItem.objects.create(
        meeting=one, body=board, year=2025, number=4, title="Felles IKT",
        case=CaseFactory(arena=board.arena, opened=date(2025, 1, 1)),
    )  # fmt: skip
    record_item_vote(
        item, [(current("3909"), "for"), (current("3901"), "against")], voting_rule="majority",
        expected_version=item.version, actor=actor,
    )  # fmt: skip
    return larvik, horten, item


def test_the_only_seat_of_a_municipality_that_voted_keeps_the_meeting(secretariat: Any) -> None:
    larvik, _horten, _item = _voted(secretariat)
    said = _refused(larvik, {"valid_from": date(2025, 4, 1)}, secretariat)
    assert said == {
        "valid_from": [
            "Larvik stemte på møtet 12.03.2025 i Styret med Kari Nordmann som kommunens "
            "eneste plass; flytt ikke perioden forbi det."
        ]
    }
    other = _refused(_stored(larvik), {"municipality": current("3901")}, secretariat)
    assert list(other) == ["municipality"]
    assert "Larvik stemte på møtet 12.03.2025" in other["municipality"][0]
    refusal = member_delete_refusal(_stored(larvik))
    assert refusal is not None
    assert "Larvik stemte på møtet 12.03.2025 i Styret" in refusal
    with pytest.raises(ValidationError):
        delete_member(_stored(larvik), expected_version=1, actor=secretariat)
    assert _stored(larvik).valid_from == date(2024, 6, 1)


def test_a_second_seat_of_the_municipality_lets_the_first_move(secretariat: Any) -> None:
    larvik, _horten, item = _voted(secretariat)
    member(
        item.body, "3909", person="Ola Vara", role=BodyMember.Role.DEPUTY_MEMBER,
        valid_from=date(2024, 6, 1),
    )  # fmt: skip
    update_member(larvik, {"valid_from": date(2025, 4, 1)}, expected_version=1, actor=secretariat)
    assert _stored(larvik).valid_from == date(2025, 4, 1)


def test_a_member_recorded_present_is_not_deleted_and_the_meetings_are_named(
    secretariat: Any,
) -> None:
    kari = _present_twice(secretariat)[0]
    refusal = member_delete_refusal(kari)
    assert refusal == (
        "Kari Nordmann er ført som til stede på møtene 12.03.2025, 14.05.2025 i Styret og "
        "kan ikke slettes. Sett en «til»-dato når vervet slutter."
    )
    with pytest.raises(ValidationError) as caught:
        delete_member(kari, expected_version=1, actor=secretariat)
    assert caught.value.messages == [refusal]
    assert BodyMember.objects.filter(pk=kari.pk).exists()


def _form(seat: BodyMember, **fields: Any) -> dict[str, Any]:
    return {
        "municipality": seat.municipality_id,
        "person": seat.person,
        "role": seat.role,
        "valid_from": seat.valid_from.isoformat(),
        "valid_to": seat.valid_to.isoformat() if seat.valid_to else "",
        "version": seat.version,
    } | fields


def test_the_page_shows_the_refusal_on_the_date_field(client: Client, secretariat: Any) -> None:
    kari = _present_twice(secretariat)[0]
    login(client, secretariat)
    url = reverse("meetings:member_edit", args=[kari.pk])
    response = client.post(url, _form(kari, valid_from="2025-04-01"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "valid_from": [
            "Kari Nordmann er ført som til stede på møtet 12.03.2025 i Styret; "
            "flytt ikke perioden forbi det."
        ]
    }
    assert "flytt ikke perioden forbi det" in response.content.decode()
    assert _stored(kari).valid_from == date(2024, 6, 1)
    moved = client.post(url, _form(kari, valid_from="2025-03-12"))
    assert moved.status_code == 302
    assert _stored(kari).valid_from == MARCH


def test_the_api_answers_422_on_the_field(client: Client, secretariat: Any) -> None:
    kari = _present_twice(secretariat)[0]
    url = f"/api/v1/meetings/members/{kari.pk}"
    refused = client.patch(
        url, {"version": 1, "valid_to": "2025-04-01"}, content_type="application/json",
        headers=bearer(secretariat),
    )  # fmt: skip
    body_ = problem_of(refused, 422)
    assert [(e["loc"], e["msg"]) for e in body_["errors"]] == [
        (
            ["valid_to"],
            "Kari Nordmann er ført som til stede på møtet 14.05.2025 i Styret; "
            "flytt ikke perioden forbi det.",
        )
    ]
    assert _stored(kari).valid_to is None
    saved = client.patch(
        url, {"version": 1, "valid_to": "2025-05-14"}, content_type="application/json",
        headers=bearer(secretariat),
    )  # fmt: skip
    assert saved.status_code == 200, saved.content
    assert saved.json()["valid_to"] == "2025-05-14"
    problem_of(client.delete(f"{url}?version=2", headers=bearer(secretariat)), 422)  # present: kept


def _edit_queries(client: Client, meetings: int, actor: Any) -> int:
    board = _board("3909")
    kari = member(board, "3909", person="Kari Nordmann", valid_from=date(2024, 6, 1))
    for month in range(1, meetings + 1):
        set_attendance(_held(board, date(2025, month, 10)), [kari], actor=actor)
    kari.refresh_from_db()
    url = reverse("meetings:member_edit", args=[kari.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, _form(kari, valid_to="2025-12-31")).status_code == 302
    return len(queries)


def test_the_check_reads_a_bounded_number_of_queries(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    assert _edit_queries(client, 1, secretariat) == _edit_queries(client, 6, secretariat)


def test_a_municipality_gone_before_a_meeting_attended_is_refused_on_its_field(
    secretariat: Any,
) -> None:
    """A seat ends with its municipality: Andebu (merged into Sandefjord 01.01.2017)
    chosen for a seat recorded present on 01.03.2017 would leave that meeting out."""
    from samarbeid.arenas.tests.factories import ArenaFactory, DecisionFactory, MembershipFactory
    from samarbeid.registry.models import Municipality

    andebu = Municipality.objects.get(number="0719", valid_to__isnull=False)
    arena = ArenaFactory(established=date(2009, 1, 1))
    MembershipFactory(
        arena=arena, municipality=andebu, joined=date(2010, 1, 1),
        decision=DecisionFactory(municipality=andebu, meeting_date=date(2009, 12, 1)),
    )  # fmt: skip
    board = body(arena, name="Styret")
    kari = member(board, municipality=None, person="Kari Nordmann", valid_from=date(2015, 1, 1))
    set_attendance(_held(board, date(2017, 3, 1)), [kari], actor=secretariat)
    said = _refused(_stored(kari), {"municipality": andebu}, secretariat)
    assert said == {
        "municipality": [
            "Kari Nordmann er ført som til stede på møtet 01.03.2017 i Styret, og plassens "
            "kommune fantes ikke da; velg en kommune som fantes på møtedagen."
        ]
    }
    assert _stored(kari).municipality_id is None


def test_a_missing_from_date_is_refused_as_before(secretariat: Any) -> None:
    kari = _present_twice(secretariat)[0]
    said = _refused(kari, {"valid_from": None}, secretariat)
    assert list(said) == ["valid_from"]
