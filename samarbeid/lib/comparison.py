"""Weighted comparison of alternatives (e.g. "new 4-year trial", "IKS", "back to the start").

Scorers (participants or groups) give each alternative 0-10 per criterion; the mean across
scorers is weighted by criterion weight (0-100). Fractions keep totals exact, so a tie really is
a tie and the sensitivity check never flips on a rounding error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

__all__ = [
    "MAX_SCORE",
    "MAX_WEIGHT",
    "Criterion",
    "Direction",
    "RankedAlternative",
    "ScoreKey",
    "SensitivityCase",
    "is_robust",
    "mean_scores",
    "rank",
    "sensitivity",
]

MAX_WEIGHT = 100
MAX_SCORE = 10

# (scorer, alternative, criterion key)
ScoreKey = tuple[str, str, str]


def _is_int(value: object) -> bool:
    # bool is an int subclass; True as a weight is a bug, not a 1.
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: int

    def __post_init__(self) -> None:
        if not _is_int(self.weight) or not 0 <= self.weight <= MAX_WEIGHT:
            raise ValueError(
                f"weight for criterion {self.key!r} must be a whole number 0–{MAX_WEIGHT}, "
                f"got {self.weight!r}"
            )


@dataclass(frozen=True)
class RankedAlternative:
    alternative: str
    total: Fraction
    position: int


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class SensitivityCase:
    criterion: str
    direction: Direction
    weight: int  # the moved weight, after clamping to 0–100
    new_winners: tuple[str, ...]  # more than one when the top is shared
    changed: bool

    @property
    def new_winner(self) -> str | None:
        return self.new_winners[0] if len(self.new_winners) == 1 else None


def _validate(
    alternatives: Sequence[str], criteria: Sequence[Criterion], scores: Mapping[ScoreKey, int]
) -> None:
    if not alternatives:
        raise ValueError("there must be at least one alternative")
    if len(set(alternatives)) != len(alternatives):
        raise ValueError("alternatives must be unique")
    keys = [c.key for c in criteria]
    if len(set(keys)) != len(keys):
        raise ValueError("criterion keys must be unique")
    for criterion in criteria:
        # Criterion checks itself, but a caller may have bypassed it with object.__setattr__.
        Criterion(criterion.key, criterion.weight)
    if sum(c.weight for c in criteria) == 0:
        raise ValueError("at least one criterion must have a weight above zero")
    known_alternatives, known_criteria = set(alternatives), set(keys)
    for (scorer, alternative, key), score in scores.items():
        if alternative not in known_alternatives:
            raise ValueError(f"score from {scorer!r} for unknown alternative {alternative!r}")
        if key not in known_criteria:
            raise ValueError(f"score from {scorer!r} for unknown criterion {key!r}")
        if not _is_int(score) or not 0 <= score <= MAX_SCORE:
            raise ValueError(
                f"score from {scorer!r} for {alternative!r} on {key!r} must be a whole "
                f"number 0–{MAX_SCORE}, got {score!r}"
            )


def mean_scores(
    alternatives: Sequence[str], criteria: Sequence[Criterion], scores: Mapping[ScoreKey, int]
) -> dict[tuple[str, str], Fraction]:
    """Mean score per (alternative, criterion key) across the scorers who scored it."""
    _validate(alternatives, criteria, scores)
    given: dict[tuple[str, str], list[int]] = {}
    for (_, alternative, key), score in scores.items():
        given.setdefault((alternative, key), []).append(score)
    means: dict[tuple[str, str], Fraction] = {}
    for alternative in alternatives:
        for criterion in criteria:
            values = given.get((alternative, criterion.key))
            if not values:
                # Treating a gap as 0 would quietly punish the alternative nobody scored.
                raise ValueError(f"no scores for {alternative!r} on criterion {criterion.key!r}")
            means[(alternative, criterion.key)] = Fraction(sum(values), len(values))
    return means


def _rank_means(
    alternatives: Sequence[str],
    weights: Mapping[str, int],
    means: Mapping[tuple[str, str], Fraction],
) -> list[RankedAlternative]:
    weight_sum = sum(weights.values())
    totals = {
        alt: (
            sum((w * means[(alt, key)] for key, w in weights.items()), Fraction(0)) / weight_sum
            if weight_sum
            else Fraction(0)
        )
        for alt in alternatives
    }
    ordered = sorted(alternatives, key=lambda alt: (-totals[alt], alt))
    ranked: list[RankedAlternative] = []
    for index, alt in enumerate(ordered):
        # Competition ranking: 1, 1, 3 — equal totals share a position.
        tied = bool(ranked) and totals[alt] == ranked[-1].total
        position = ranked[-1].position if tied else index + 1
        ranked.append(RankedAlternative(alt, totals[alt], position))
    return ranked


def rank(
    alternatives: Sequence[str], criteria: Sequence[Criterion], scores: Mapping[ScoreKey, int]
) -> list[RankedAlternative]:
    means = mean_scores(alternatives, criteria, scores)
    return _rank_means(alternatives, {c.key: c.weight for c in criteria}, means)


def _winners(ranked: Sequence[RankedAlternative]) -> tuple[str, ...]:
    return tuple(r.alternative for r in ranked if r.position == 1)


def sensitivity(
    alternatives: Sequence[str],
    criteria: Sequence[Criterion],
    scores: Mapping[ScoreKey, int],
    delta: int = 10,
) -> list[SensitivityCase]:
    if not _is_int(delta) or not 1 <= delta <= MAX_WEIGHT:
        raise ValueError(f"delta must be a whole number 1–{MAX_WEIGHT}, got {delta!r}")
    means = mean_scores(alternatives, criteria, scores)
    weights = {c.key: c.weight for c in criteria}
    baseline = _winners(_rank_means(alternatives, weights, means))
    cases: list[SensitivityCase] = []
    for criterion in criteria:
        for direction, step in ((Direction.UP, delta), (Direction.DOWN, -delta)):
            moved = min(MAX_WEIGHT, max(0, criterion.weight + step))
            if moved == criterion.weight:
                # Already at the bound: the clamped move changes nothing, so it proves nothing.
                continue
            # With every weight at zero all totals are 0 and every alternative shares the top.
            winners = _winners(_rank_means(alternatives, {**weights, criterion.key: moved}, means))
            cases.append(
                SensitivityCase(criterion.key, direction, moved, winners, winners != baseline)
            )
    return cases


def is_robust(
    alternatives: Sequence[str],
    criteria: Sequence[Criterion],
    scores: Mapping[ScoreKey, int],
    delta: int = 10,
) -> bool:
    return not any(case.changed for case in sensitivity(alternatives, criteria, scores, delta))
