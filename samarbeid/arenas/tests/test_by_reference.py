"""A command names an arena by id or short name; odd input finds none, never crashes."""

from __future__ import annotations

import pytest

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory

pytestmark = pytest.mark.django_db


def test_an_arena_by_id_or_short_name() -> None:
    arena = ArenaFactory(short_name="12K")
    assert Arena.objects.by_reference(str(arena.pk)) == arena
    assert Arena.objects.by_reference(" 12k ") == arena


@pytest.mark.parametrize("ref", ["²", "١٢", "", "12K-ikke"])
def test_odd_references_find_none(ref: str) -> None:
    ArenaFactory(short_name="12K")
    assert Arena.objects.by_reference(ref) is None
