"""The API's list of bodies answers each body as the body's own address does: the list is
built from rows (`meetings.api.body_rows`), the address from records, and a client reads
both with one schema. Same fields in the same order, same values, a seat's end with its
municipality included; paging and the arena filter as before."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from conftest import bearer
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.meetings.models import Body, BodyMember
from samarbeid.meetings.tests.factories import body, member
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db

BODY_KEYS = [
    "id",
    "version",
    "arena",
    "kind",
    "name",
    "description",
    "modified",
    "is_example_data",
    "members",
]
MEMBER_KEYS = [
    "id",
    "version",
    "body",
    "municipality",
    "person",
    "role",
    "valid_from",
    "valid_to",
    "ends_on",
    "modified",
    "is_example_data",
]


def _andebu() -> Municipality:
    """Andebu (0719), merged into Sandefjord: a municipality that has ended."""
    andebu = Municipality.objects.filter(number="0719").order_by("-valid_from").first()
    assert andebu is not None
    assert andebu.valid_to is not None
    return andebu


def _board() -> Body:
    """A board with a seat of every kind: open, ended with its municipality, ended by its
    own date before its municipality, without a municipality, in several roles."""
    board = body(kind=Body.Kind.BOARD, name="Styret", description="Arenaens styre")
    andebu = _andebu()
    member(board, person="Ordfører i Andebu", municipality=andebu, valid_from=date(2006, 1, 1))
    member(
        board,
        person="Varaordfører i Andebu",
        municipality=andebu,
        valid_from=date(2006, 1, 1),
        valid_to=date(2010, 6, 30),
    )
    member(board, person="Ordfører i Larvik", role=BodyMember.Role.LEADER)
    member(board, person="Kari Nordmann", role=BodyMember.Role.DEPUTY_MEMBER)
    member(
        board,
        person="Sekretær",
        municipality=None,
        role=BodyMember.Role.SECRETARY,
        valid_to=date(2026, 6, 30),
    )
    return board


def test_the_list_answers_each_body_as_its_address_does(client: Client, secretariat: Any) -> None:
    board = _board()
    committee = body(board.arena, kind=Body.Kind.OTHER, name="Arbeidsutvalget")
    member(committee, "4601", person="Ola Nordmann")
    body(name="Tomt organ")  # no members
    hidden = body(ArenaFactory(published=False), name="Internt organ")
    member(hidden, person="Intern")
    for headers, count in (({}, 3), (bearer(secretariat), 4)):
        listed = client.get("/api/v1/meetings/bodies", headers=headers)
        assert listed.status_code == 200, listed.content
        page = listed.json()
        assert list(page) == ["items", "count"]
        assert page["count"] == count == len(page["items"])
        for row in page["items"]:
            own = client.get(f"/api/v1/meetings/bodies/{row['id']}", headers=headers).json()
            assert row == own
            assert list(row) == BODY_KEYS
            assert all(list(seat) == MEMBER_KEYS for seat in row["members"])
    assert hidden.pk not in {
        row["id"] for row in client.get("/api/v1/meetings/bodies").json()["items"]
    }

    first = next(
        row
        for row in client.get("/api/v1/meetings/bodies").json()["items"]
        if row["id"] == board.pk
    )
    assert first["arena"] == board.arena_id
    assert first["kind"] == "board"
    seats = {seat["person"]: seat for seat in first["members"]}
    # in the order of the body's page: by role, then person
    assert list(seats) == [
        "Kari Nordmann",  # deputy_member
        "Ordfører i Larvik",  # leader
        "Ordfører i Andebu",  # member
        "Varaordfører i Andebu",
        "Sekretær",  # secretary
    ]
    andebu = _andebu()
    assert seats["Ordfører i Andebu"]["municipality"] == "0719"
    assert seats["Ordfører i Andebu"]["valid_to"] is None
    assert seats["Ordfører i Andebu"]["ends_on"] == andebu.valid_to.isoformat()  # type: ignore[union-attr]
    assert seats["Varaordfører i Andebu"]["ends_on"] == "2010-06-30"  # its own end came first
    assert seats["Ordfører i Larvik"]["municipality"] == "3909"
    assert seats["Ordfører i Larvik"]["ends_on"] is None
    assert seats["Sekretær"]["municipality"] is None
    assert seats["Sekretær"]["ends_on"] == "2026-06-30"
    assert {seat["body"] for seat in first["members"]} == {board.pk}


def test_paging_and_the_arena_filter(client: Client) -> None:
    board = _board()
    body(board.arena, name="Arbeidsutvalget")
    for n in range(3):
        member(body(name=f"Organ {n}"), person=f"Medlem {n}")
    every = client.get("/api/v1/meetings/bodies").json()["items"]
    assert len(every) == 5
    page = client.get("/api/v1/meetings/bodies?limit=2&offset=1").json()
    assert page["count"] == 5
    assert page["items"] == every[1:3]
    narrowed = client.get(f"/api/v1/meetings/bodies?arena={board.arena_id}").json()
    assert narrowed["count"] == 2
    assert [row["name"] for row in narrowed["items"]] == ["Arbeidsutvalget", "Styret"]
    assert [row for row in every if row["arena"] == board.arena_id] == narrowed["items"]
