"""The arena the review API's tests review (a module's own `ks` fixture wins over this one)."""

from __future__ import annotations

import pytest

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members


@pytest.fixture
def ks() -> Arena:
    """KS Vestfold (Horten and Larvik members) with one sub-arena, Forum A."""
    arena: Arena = arena_with_members(
        ["3901", "3909"], name="KS Vestfold", short_name="KS-V", kind=Arena.Kind.KS_BODY
    )
    ArenaFactory(name="Forum A", short_name="FA", parent=arena)
    return arena
