"""Records governance's tests build in more than one module."""

from __future__ import annotations

from datetime import date
from typing import cast

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import DecisionFactory
from samarbeid.governance.models import Decision


def board_vote(arena: Arena, rule: str = "majority") -> Decision:
    """A decision of `arena`'s own board, planned for 1 May 2024 and not yet made: what the
    members vote on, by `rule` (majority or unanimity)."""
    return cast(
        Decision,
        DecisionFactory(
            body=Decision.Body.ARENA_BOARD,
            arena=arena,
            municipality=None,
            meeting_date=None,
            planned_date=date(2024, 5, 1),
            outcome="",
            voting_rule=rule,
        ),
    )
