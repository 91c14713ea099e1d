"""What the scale data's builders share: its sizes, its summary, the reference day, random draws."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

BATCH = 2000
YEARS = 10
# A fixed "today" keeps the data the same whenever it is seeded.
REFERENCE_DAY = date(2025, 12, 31)


@dataclass(frozen=True)
class ScaleSize:
    arenas: int
    projects: int
    participations: int

    @classmethod
    def for_factor(cls, factor: int) -> ScaleSize:
        return cls(arenas=400 * factor, projects=5000 * factor, participations=60000 * factor)


@dataclass
class ScaleSummary:
    municipalities: int = 0
    populations: int = 0
    arenas: int = 0
    memberships: int = 0
    projects: int = 0
    participations: int = 0
    decisions: int = 0
    budgets: int = 0
    budget_lines: int = 0
    invoice_runs: int = 0
    invoices: int = 0
    bodies: int = 0
    members: int = 0  # seats in the bodies (BodyMember), not the arenas' memberships
    meetings: int = 0
    agenda_items: int = 0
    attendance: int = 0
    seconds: float = 0.0
    # seconds per step (populations, arenas, projects, budgets, invoice runs, meetings,
    # stamps)
    steps: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps[name] = self.steps.get(name, 0.0) + time.perf_counter() - started


def day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def weighted(rng: random.Random, choices: list[tuple[Any, int]]) -> Any:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]
