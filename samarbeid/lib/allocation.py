"""Cost allocation between the participants of an inter-municipal cooperation.

An allocation key is a weighted mix (weights in percent, adding up to exactly 100) of:

* ``equal``: everyone pays the same share,
* ``per_capita``: shares proportional to population,
* ``usage``: shares proportional to units of usage,
* ``fixed``: negotiated percentages per participant (adding up to 100).

`allocate` computes each exact share (as an integer fraction of 1, `basis`), floors it to
the øre and hands the remaining øre, one each, to the largest remainders (ties: lowest
municipality number). The shares therefore always add up to the total to the øre, and no
share is off by a whole øre or more from its exact value.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from samarbeid.lib.money import from_ore

__all__ = [
    "COMPONENTS",
    "PRESETS",
    "AllocationError",
    "Basis",
    "MissingPopulationError",
    "Participant",
    "ParticipantError",
    "Share",
    "Weights",
    "allocate",
    "basis",
    "check_weights",
    "preset_weights",
]

COMPONENTS = ("equal", "per_capita", "usage", "fixed")
_HUNDRED = Fraction(100)


class AllocationError(ValueError):
    """Invalid allocation input.

    `code` is a stable machine-readable reason (for translation by the caller);
    `participant_key` names the municipality the problem is about, when there is one.
    """

    def __init__(self, message: str, *, code: str, participant_key: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.participant_key = participant_key


class ParticipantError(AllocationError):
    """A problem with one participant's data; `participant_key` is always set."""

    participant_key: str

    def __init__(self, message: str, *, code: str, participant_key: str) -> None:
        super().__init__(message, code=code, participant_key=participant_key)


class MissingPopulationError(ParticipantError):
    """Population is needed but unknown; the caller typically adds which year was looked up."""

    def __init__(self, participant_key: str) -> None:
        super().__init__(
            f"Participant {participant_key} has no population figure, "
            "which the per capita component needs.",
            code="population_missing",
            participant_key=participant_key,
        )


@dataclass(frozen=True)
class Weights:
    """Component weights in percent; validated by `check_weights` / `allocate`."""

    equal: Decimal = Decimal(0)
    per_capita: Decimal = Decimal(0)
    usage: Decimal = Decimal(0)
    fixed: Decimal = Decimal(0)

    def as_dict(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in COMPONENTS}


@dataclass(frozen=True)
class Participant:
    key: str  # municipality number, e.g. "3901"
    population: int | None = None
    usage: Decimal | None = None
    fixed_percent: Decimal | None = None


@dataclass(frozen=True)
class Share:
    key: str
    amount: Decimal


PRESETS: dict[str, Weights] = {
    "equal": Weights(equal=Decimal(100)),
    "per_capita": Weights(per_capita=Decimal(100)),
    "50/50": Weights(equal=Decimal(50), per_capita=Decimal(50)),
    "30/70": Weights(equal=Decimal(30), per_capita=Decimal(70)),
}


def preset_weights(preset: str, typed: Mapping[str, Decimal | None]) -> Weights:
    """The weights a key gets from `preset` (a name in PRESETS; "" or None: none) and the
    weights a user typed (`typed`: component → value, None or absent: left blank).

    One rule for every channel, so that what a user sees is what is stored: without a
    preset the typed weights are taken as they are (blank: 0); with one, a blank weight
    takes the preset's value, and a typed weight must equal it, otherwise AllocationError
    (code "preset_unknown" or "preset_disagrees") is raised rather than one silently
    replacing the other. The sum is not checked here (`check_weights` does).
    """
    if not preset:
        return Weights(**{name: _typed(typed.get(name)) for name in COMPONENTS})
    chosen = PRESETS.get(preset)
    if chosen is None:
        raise AllocationError(f"Unknown preset {preset!r}.", code="preset_unknown")
    wanted = chosen.as_dict()
    for name in COMPONENTS:
        value = typed.get(name)
        if value is not None and _exact(value, f"The {name} weight") != Fraction(wanted[name]):
            raise AllocationError(
                f"The preset {preset} gives the {name} weight {wanted[name]}, not {value}.",
                code="preset_disagrees",
            )
    return chosen


def _typed(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else value


def _exact(value: object, what: str, *, participant_key: str | None = None) -> Fraction:
    # Floats are refused: 0.1 is not one tenth, and the point of this module is exactness.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        message = f"{what} must be a Decimal or an int, got {type(value).__name__}."
        if participant_key is not None:
            raise ParticipantError(message, code="invalid_type", participant_key=participant_key)
        raise AllocationError(message, code="invalid_type")
    if isinstance(value, Decimal) and not value.is_finite():
        message = f"{what} must be a finite number, got {value}."
        if participant_key is not None:
            raise ParticipantError(message, code="not_finite", participant_key=participant_key)
        raise AllocationError(message, code="not_finite")
    return Fraction(value)


def check_weights(weights: Weights) -> dict[str, Fraction]:
    """Validate the weights and return them as exact fractions of 1 (not percent).

    Raises AllocationError if a weight is negative, above 100, or the sum is not exactly 100.
    """
    exact: dict[str, Fraction] = {}
    for name in COMPONENTS:
        value = _exact(getattr(weights, name), f"The {name} weight")
        if value < 0 or value > _HUNDRED:
            raise AllocationError(
                f"The {name} weight must be between 0 and 100, got {getattr(weights, name)}.",
                code="weight_out_of_range",
            )
        exact[name] = value
    total = sum(exact.values(), Fraction(0))
    if total != _HUNDRED:
        raise AllocationError(
            f"The weights must add up to exactly 100, but they add up to {_show(total)}.",
            code="weights_sum",
        )
    return {name: value / _HUNDRED for name, value in exact.items()}


def _show(value: Fraction) -> str:
    # Weights and percentages are entered as decimals, so show sums the same way.
    if value.denominator == 1:
        return str(value.numerator)
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{decimal.normalize():f}"


def _check_total(total: Decimal) -> int:
    exact = _exact(total, "The total")
    if exact < 0:
        raise AllocationError(
            f"The total must not be negative, got {total}.", code="total_negative"
        )
    ore = exact * 100
    if ore.denominator != 1:
        raise AllocationError(
            f"The total must be a whole number of øre (at most 2 decimals), got {total}.",
            code="total_decimals",
        )
    return ore.numerator


def _check_participants(participants: Sequence[Participant]) -> None:
    if not participants:
        raise AllocationError("There are no participants to allocate to.", code="no_participants")
    seen: set[str] = set()
    for participant in participants:
        key = participant.key
        if not isinstance(key, str) or not key:
            raise AllocationError(
                f"Every participant needs a non-empty key, got {key!r}.", code="invalid_key"
            )
        if key in seen:
            raise ParticipantError(
                f"Participant {key} is listed more than once.",
                code="duplicate_key",
                participant_key=key,
            )
        seen.add(key)


def _populations(participants: Sequence[Participant]) -> tuple[list[int], int]:
    """Each participant's population, validated, and their sum (never 0)."""
    populations: list[int] = []
    for participant in participants:
        population = participant.population
        if population is None:
            raise MissingPopulationError(participant.key)
        if isinstance(population, bool) or not isinstance(population, int):
            raise ParticipantError(
                f"Participant {participant.key} has a population that is not a whole number: "
                f"{population!r}.",
                code="invalid_type",
                participant_key=participant.key,
            )
        if population < 0:
            raise ParticipantError(
                f"Participant {participant.key} has a negative population ({population}).",
                code="population_negative",
                participant_key=participant.key,
            )
        populations.append(population)
    total = sum(populations)
    if total == 0:
        raise AllocationError(
            "All participants have a population of 0, so nothing can be shared per capita.",
            code="population_zero",
        )
    return populations, total


def _usage_shares(participants: Sequence[Participant]) -> list[Fraction]:
    usages: list[Fraction] = []
    for participant in participants:
        if participant.usage is None:
            raise ParticipantError(
                f"Participant {participant.key} has no usage figure, "
                "which the usage component needs.",
                code="usage_missing",
                participant_key=participant.key,
            )
        usage = _exact(
            participant.usage, f"The usage of {participant.key}", participant_key=participant.key
        )
        if usage < 0:
            raise ParticipantError(
                f"Participant {participant.key} has negative usage ({participant.usage}).",
                code="usage_negative",
                participant_key=participant.key,
            )
        usages.append(usage)
    total = sum(usages, Fraction(0))
    if total == 0:
        raise AllocationError(
            "The total usage is 0, so nothing can be shared by usage.", code="usage_zero"
        )
    return [usage / total for usage in usages]


def _fixed_shares(participants: Sequence[Participant]) -> list[Fraction]:
    percents: list[Fraction] = []
    for participant in participants:
        if participant.fixed_percent is None:
            raise ParticipantError(
                f"Participant {participant.key} has no fixed percentage, "
                "which the fixed component needs.",
                code="fixed_missing",
                participant_key=participant.key,
            )
        percent = _exact(
            participant.fixed_percent,
            f"The fixed percentage of {participant.key}",
            participant_key=participant.key,
        )
        if percent < 0:
            raise ParticipantError(
                f"Participant {participant.key} has a negative fixed percentage "
                f"({participant.fixed_percent}).",
                code="fixed_negative",
                participant_key=participant.key,
            )
        percents.append(percent)
    total = sum(percents, Fraction(0))
    if total != _HUNDRED:
        raise AllocationError(
            f"The fixed percentages must add up to exactly 100, but they add up to {_show(total)}.",
            code="fixed_sum",
        )
    return [percent / _HUNDRED for percent in percents]


@dataclass(frozen=True)
class Basis:
    """Each participant's exact share of 1 as `numerators[i] / denominator` (the numerators
    add up to the denominator), in the participants' order: computed once for a key and
    participants, then any total is split with integer arithmetic only."""

    keys: tuple[str, ...]
    numerators: tuple[int, ...]
    denominator: int

    def split_ore(self, total: Decimal) -> list[int]:
        """Each participant's share of `total` in whole øre: the exact share floored, and
        the øre left over (fewer than one per participant) one each to the largest
        remainders (ties: the lowest key). Raises AllocationError for a bad total."""
        total_ore = _check_total(total)
        denominator = self.denominator
        floored: list[int] = []
        remainders: list[int] = []
        for numerator in self.numerators:
            quotient, remainder = divmod(total_ore * numerator, denominator)
            floored.append(quotient)
            remainders.append(remainder)
        leftover = total_ore - sum(floored)
        # The exact shares add up to the total, so fewer than one øre per participant is left.
        assert 0 <= leftover < len(floored), (leftover, len(floored))
        if leftover:
            keys = self.keys
            order = sorted(range(len(keys)), key=lambda i: (-remainders[i], keys[i]))
            for index in order[:leftover]:
                floored[index] += 1
        return floored

    def split(self, total: Decimal) -> list[Share]:
        """`total` split: one Share per participant, in order, with exactly two decimals,
        adding up to `total` exactly."""
        return [
            Share(key=key, amount=from_ore(ore))
            for key, ore in zip(self.keys, self.split_ore(total), strict=True)
        ]


@functools.lru_cache(maxsize=1024)
def _cached_weights(typed: tuple[tuple[type, object], ...]) -> dict[str, Fraction]:
    """`check_weights` once per distinct key (an invoice run splits many lines by a few
    keys), keyed by each weight's type and value: 100.0 (refused) is not 100. The dict is
    shared: only read it. A bad key raises each time (not cached)."""
    values: list[Any] = [value for _type, value in typed]  # a Weights' own values, in order
    return check_weights(Weights(*values))


def _fractions_of_one(weights: Weights) -> dict[str, Fraction]:
    typed = tuple((type(value), value) for value in weights.as_dict().values())
    try:
        return _cached_weights(typed)
    except TypeError:  # a weight that cannot be hashed: checked (and refused) uncached
        return check_weights(weights)


def _integers(shares: Sequence[Fraction]) -> tuple[list[int], int]:
    """Fractions as numerators over one common denominator."""
    common = math.lcm(*(share.denominator for share in shares)) if shares else 1
    return [share.numerator * (common // share.denominator) for share in shares], common


def basis(weights: Weights, participants: Sequence[Participant]) -> Basis:
    """Validate the key and the participants' data and return each participant's exact
    share of 1 by `weights`. Components with weight 0 ignore their data (population may be
    None when per_capita is 0). Raises AllocationError; ParticipantError for one
    participant's data."""
    fractions_of_one = _fractions_of_one(weights)
    _check_participants(participants)
    count = len(participants)
    # Each component as (weight, numerators, denominator): share_i = numerators[i] / den.
    # The denominator need not be the smallest: scaling every numerator and the
    # denominator alike changes neither the øre nor the order of the remainders.
    components: list[tuple[Fraction, Sequence[int], int]] = []
    if fractions_of_one["equal"]:
        components.append((fractions_of_one["equal"], [1] * count, count))
    if fractions_of_one["per_capita"]:
        populations, total = _populations(participants)
        components.append((fractions_of_one["per_capita"], populations, total))
    if fractions_of_one["usage"]:
        components.append((fractions_of_one["usage"], *_integers(_usage_shares(participants))))
    if fractions_of_one["fixed"]:
        components.append((fractions_of_one["fixed"], *_integers(_fixed_shares(participants))))
    denominator = 1
    for weight, _numerators, common in components:
        denominator = math.lcm(denominator, weight.denominator * common)
    # weight × share × denominator is a whole number (the denominator is a multiple of the
    # weight's times the share's), computed in integers: Fraction arithmetic costs most here.
    numerators = [0] * count
    for weight, shares, common in components:
        scale = weight.numerator * (denominator // (weight.denominator * common))
        for index, share in enumerate(shares):
            numerators[index] += share * scale
    return Basis(
        keys=tuple(p.key for p in participants),
        numerators=tuple(numerators),
        denominator=denominator,
    )


def allocate(total: Decimal, weights: Weights, participants: Sequence[Participant]) -> list[Share]:
    """Split `total` between `participants` by the allocation key `weights`.

    Returns one Share per participant, in the order given, each with exactly two decimals;
    the shares add up to `total` exactly. Components with weight 0 ignore their data, so
    e.g. population may be None when per_capita is 0. Many totals over the same
    participants and key: `basis(weights, participants).split(total)` for each.

    Raises AllocationError (a ValueError) for invalid input; participant-specific problems
    raise ParticipantError with `participant_key` set.
    """
    _check_total(total)
    return basis(weights, participants).split(total)
