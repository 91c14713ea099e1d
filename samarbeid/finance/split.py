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

    def split_ore(self, total: Decimal) -> list[int]:
        """Each participant's share of `total` in whole øre, in the participants' order."""
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
        return floored

    def split(self, total: Decimal) -> list[Share]:
        """The same result as `allocate(total, weights, participants)`."""
        return [
            Share(key=key, amount=from_ore(ore))
            for key, ore in zip(self.keys, self.split_ore(total), strict=True)
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
    # Each component as (weight, numerators, denominator): share_i = numerators[i] / den.
    # The denominator need not be the smallest: scaling every numerator and the
    # denominator alike changes neither the øre nor the order of the remainders.
    components: list[tuple[Fraction, Sequence[int], int]] = []
    if fractions_of_one["equal"]:
        components.append((fractions_of_one["equal"], [1] * count, count))
    if fractions_of_one["per_capita"]:
        populations, total = lib._populations(participants)
        components.append((fractions_of_one["per_capita"], populations, total))
    if fractions_of_one["usage"]:
        components.append((fractions_of_one["usage"], *_integers(lib._usage_shares(participants))))
    if fractions_of_one["fixed"]:
        components.append((fractions_of_one["fixed"], *_integers(lib._fixed_shares(participants))))
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


def _integers(shares: Sequence[Fraction]) -> tuple[list[int], int]:
    """Fractions as numerators over one common denominator."""
    common = math.lcm(*(share.denominator for share in shares)) if shares else 1
    return [share.numerator * (common // share.denominator) for share in shares], common


def fast_allocate(
    total: Decimal, weights: Weights, participants: Sequence[Participant]
) -> list[Share]:
    lib._check_total(total)
    return basis(weights, participants).split(total)
