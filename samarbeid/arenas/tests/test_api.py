from __future__ import annotations

import pytest
from django.test import Client

from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members

pytestmark = pytest.mark.django_db


def test_arena_list_and_filters(client: Client) -> None:
    arena_with_members(["3909"], kind="professional_group")
    ArenaFactory(kind="ks_body", published=False)
    data = client.get("/api/v1/arenas").json()
    assert data["count"] == 1
    assert client.get("/api/v1/arenas?member=3909").json()["count"] == 1
    assert client.get("/api/v1/arenas?member=3901").json()["count"] == 0
    assert client.get("/api/v1/arenas?kind=nonsense").status_code == 422


def test_arena_detail_with_members(client: Client) -> None:
    arena = arena_with_members(["3909", "3901"])
    data = client.get(f"/api/v1/arenas/{arena.pk}").json()
    members = {m["municipality"]: m for m in data["members"]}
    assert set(members) == {"3909", "3901"}
    assert members["3909"]["joined"] == "2024-03-01"
    assert members["3909"]["decision"]["outcome"] == "adopted"


def test_unknown_and_unpublished_arena_is_404(client: Client) -> None:
    hidden = ArenaFactory(published=False)
    assert client.get(f"/api/v1/arenas/{hidden.pk}").status_code == 404
    assert client.get("/api/v1/arenas/999999").status_code == 404


def test_member_and_county_filters_list_an_arena_once_however_often_it_was_joined(
    client: Client,
) -> None:
    from datetime import date

    from samarbeid.arenas.tests.factories import MembershipFactory, current

    arena = arena_with_members(["3909", "3905"])
    # Larvik left and joined again: two membership rows, one arena
    first = arena.memberships.get(municipality__number="3909")
    first.left = date(2024, 6, 30)
    first.save()
    MembershipFactory(arena=arena, municipality=current("3909"), joined=date(2025, 1, 1))
    arena_with_members(["3303"])  # Kongsberg, Buskerud: not in Vestfold
    for query in ("member=3909", "county=39"):
        data = client.get(f"/api/v1/arenas?{query}").json()
        assert data["count"] == 1, query
        assert [item["id"] for item in data["items"]] == [arena.pk], query
