"""Cached aggregates follow the data: any change through the services (or a bulk write that
bumps the version) makes the next page show the new figures."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import create_arena, update_arena
from samarbeid.arenas.tests.factories import arena_with_members
from samarbeid.core.services import delete_record
from samarbeid.core.stamps import bump, cached_aggregate, current_version

pytestmark = pytest.mark.django_db


def test_a_cached_value_is_kept_until_the_data_changes(secretariat: Any) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return Arena.objects.count()

    assert cached_aggregate("t", compute) == 0
    assert cached_aggregate("t", compute) == 0
    assert len(calls) == 1
    arena = create_arena(Arena(name="Ny arena", short_name="NY", kind="other"), actor=secretariat)
    assert cached_aggregate("t", compute) == 1
    update_arena(arena, {"purpose": "Endret"}, expected_version=arena.version, actor=secretariat)
    cached_aggregate("t", compute)
    delete_record(arena, actor=secretariat)
    assert cached_aggregate("t", compute) == 0
    assert len(calls) == 4  # each change (create, update, delete) recomputed once


def test_parts_and_language_are_part_of_the_key() -> None:
    assert cached_aggregate("t", lambda: "a", 1) == "a"
    assert cached_aggregate("t", lambda: "b", 2) == "b"
    assert cached_aggregate("t", lambda: "c", 1) == "a"


def test_bump_raises_the_version() -> None:
    before = current_version()
    bump()
    bump()
    assert current_version() == before + 2


def test_dashboard_counts_follow_a_new_arena(client: Client, secretariat: Any) -> None:
    arena_with_members(["3909", "3901"], name="Første", published=True)
    first = client.get("/").content.decode()
    create_arena(
        Arena(
            name="Andre",
            short_name="AN",
            kind="other",
            published=True,
            established=date(2024, 1, 1),
        ),
        actor=secretariat,
    )
    second = client.get("/").content.decode()
    assert "1 arena er registrert." in first
    assert "2 arenaer er registrert." in second


def test_a_paged_total_is_counted_once_per_data_version(
    secretariat: Any, django_assert_num_queries: Any
) -> None:
    from samarbeid.core.paging import CountCachedPaginator

    arena_with_members(["3909"], name="Første", published=True)
    published = Arena.objects.filter(published=True).order_by("name", "pk")
    assert CountCachedPaginator(published, 50).count == 1
    with django_assert_num_queries(1):  # the data version only
        assert CountCachedPaginator(published, 50).count == 1
    # a different query is a different total
    assert CountCachedPaginator(Arena.objects.filter(published=False), 50).count == 0
    create_arena(
        Arena(name="Andre", short_name="AN", kind="other", published=True),
        actor=secretariat,
    )
    assert CountCachedPaginator(published, 50).count == 2
    assert CountCachedPaginator([1, 2, 3], 2).num_pages == 2  # lists are counted by len


def test_the_review_index_follows_a_new_due_review(client: Client, secretariat: Any) -> None:
    arena = arena_with_members(["3909"], name="Snart vurdert", published=True)
    assert "Snart vurdert" not in client.get("/gjennomgang/").content.decode()
    update_arena(
        arena,
        {"next_review": date.today()},
        expected_version=arena.version,
        actor=secretariat,
    )
    assert "Snart vurdert" in client.get("/gjennomgang/").content.decode()


def test_a_municipalitys_projects_follow_a_new_participation(
    client: Client, secretariat: Any
) -> None:
    from samarbeid.portfolio.models import Participation, Project

    arena = arena_with_members(["3909"], name="Prosjektarena", published=True)
    project = Project.objects.create(
        arena=arena, code="P-1", title="Felles innkjøp", published=True
    )
    assert "Felles innkjøp" not in client.get("/kommuner/3909/").content.decode()
    Participation.objects.create(
        project=project,
        municipality=arena.memberships.get().municipality,
        status=Participation.Status.INVITED,
        since=date(2025, 1, 1),
    )
    assert "Felles innkjøp" in client.get("/kommuner/3909/").content.decode()


def test_a_part_is_read_alone_and_the_whole_computed_once() -> None:
    from samarbeid.core.stamps import cached_part

    calls: list[int] = []

    def whole() -> dict[str, list[int]]:
        calls.append(1)
        return {"a": [1], "b": [2, 3]}

    assert cached_part("t", whole, "a", [], 7) == [1]
    assert cached_part("t", whole, "b", [], 7) == [2, 3]
    assert len(calls) == 1  # the miss cached every part
    assert cached_part("t", whole, "c", [], 7) == []  # not in the whole: the default
    bump()
    assert cached_part("t", whole, "a", [], 7) == [1]
    assert len(calls) == 3
