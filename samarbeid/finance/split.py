"""A fast path for `samarbeid.lib.allocation.allocate`, for invoice runs with many lines.

`allocate` works with Fractions, which costs tens of milliseconds for a few hundred
participants. An invoice run splits many totals over the same participants with the same
key, so the exact fractions (the *basis*) are computed once, as integers N_i / D, and each
total is then split with integer arithmetic only. Validation is the library's own (same
errors, same codes); tests check the results equal `allocate` exactly. Pure, no Django."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from samarbeid.lib import allocation as lib
from samarbeid.lib.allocation import Participant, Share, Weights
from samarbeid.lib.money import from_ore


@dataclass(frozen=True)
class Basis:
    keys: tuple[str, ...]
    numerators: tuple[int, ...]  # share_i = numerators[i] / denominator, summing to 1
    denominator: int

    def split(self, total: Decimal) -> list[Share]:
        """The same result as `allocate(total, weights, participants)`."""
        total_ore = lib._check_total(total)
        denominator = self.denominator
        floored: list[int] = []
        remainders: list[int] = []
        for numerator in self.numerators:
            quotient, remainder = divmod(total_ore * numerator, denominator)
            floored.append(quotient)
            remainders.append(remainder)
        leftover = total_ore - sum(floored)
        if leftover:
            keys = self.keys
            order = sorted(range(len(keys)), key=lambda i: (-remainders[i], keys[i]))
            for index in order[:leftover]:
                floored[index] += 1
        return [
            Share(key=key, amount=from_ore(ore))
            for key, ore in zip(self.keys, floored, strict=True)
        ]


@functools.lru_cache(maxsize=1024)
def _fractions_of_one(weights: Weights) -> dict[str, Fraction]:
    """`check_weights`, once per distinct key (it raises again for a bad one; the dict is
    shared, so it is only read)."""
    return lib.check_weights(weights)


def basis(weights: Weights, participants: Sequence[Participant]) -> Basis:
    """Validate the key and the participants' data exactly as `allocate` does and return
    the exact fraction of each participant. Raises AllocationError."""
    fractions_of_one = _fractions_of_one(weights)
    lib._check_participants(participants)
    count = len(participants)
    components: list[tuple[Fraction, list[Fraction]]] = []
    if fractions_of_one["equal"]:
        components.append((fractions_of_one["equal"], [Fraction(1, count)] * count))
    if fractions_of_one["per_capita"]:
        components.append((fractions_of_one["per_capita"], lib._population_shares(participants)))
    if fractions_of_one["usage"]:
        components.append((fractions_of_one["usage"], lib._usage_shares(participants)))
    if fractions_of_one["fixed"]:
        components.append((fractions_of_one["fixed"], lib._fixed_shares(participants)))
    # One common denominator for every term, then integer numerators.
    denominator = 1
    for weight, shares in components:
        common = math.lcm(*(share.denominator for share in shares)) if shares else 1
        denominator = math.lcm(denominator, weight.denominator * common)
    # weight × share × denominator is a whole number (the denominator is a multiple of the
    # weight's times the share's), computed in integers: Fraction products cost most here.
    numerators = [0] * count
    for weight, shares in components:
        for index, share in enumerate(shares):
            scale = denominator // (weight.denominator * share.denominator)
            numerators[index] += weight.numerator * share.numerator * scale
    return Basis(
        keys=tuple(p.key for p in participants),
        numerators=tuple(numerators),
        denominator=denominator,
    )


def check(weights: Weights, participants: Sequence[Participant], total: Decimal) -> None:
    """Raise the AllocationError that `basis(weights, participants).split(total)` would
    raise, without computing the shares (the library's own checks, and no arithmetic that
    could fail besides them)."""
    fractions_of_one = _fractions_of_one(weights)
    lib._check_participants(participants)
    if fractions_of_one["per_capita"]:
        lib._population_shares(participants)
    if fractions_of_one["usage"]:
        lib._usage_shares(participants)
    if fractions_of_one["fixed"]:
        lib._fixed_shares(participants)
    lib._check_total(total)


def fast_allocate(
    total: Decimal, weights: Weights, participants: Sequence[Participant]
) -> list[Share]:
    lib._check_total(total)
    return basis(weights, participants).split(total)
