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
