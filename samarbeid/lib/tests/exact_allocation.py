"""The allocation computed with exact Fractions throughout: the reference the integer
algorithm (`samarbeid.lib.allocation.basis`, used by `allocate`) is tested against. It
was `allocate` before the two were made one; it validates with the library's own checks
(the same errors), then floors each exact share and hands the øre left to the largest
remainders (ties: the lowest key)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from samarbeid.lib import allocation as lib
from samarbeid.lib.allocation import Participant, Share, Weights
from samarbeid.lib.money import from_ore


def fraction_allocate(
    total: Decimal, weights: Weights, participants: Sequence[Participant]
) -> list[Share]:
    total_ore = lib._check_total(total)
    fractions_of_one = lib.check_weights(weights)
    lib._check_participants(participants)
    count = len(participants)
    component_shares: dict[str, list[Fraction]] = {}
    for component in lib.DECLARATION:
        if fractions_of_one[component.name]:
            numerators, denominator = component.shares(participants)
            component_shares[component.name] = [Fraction(n, denominator) for n in numerators]
    exact_ore = [
        total_ore
        * sum(
            (fractions_of_one[name] * shares[index] for name, shares in component_shares.items()),
            Fraction(0),
        )
        for index in range(count)
    ]
    floored = [math.floor(value) for value in exact_ore]
    leftover = total_ore - sum(floored)
    by_remainder = sorted(
        range(count),
        key=lambda index: (-(exact_ore[index] - floored[index]), participants[index].key),
    )
    for index in by_remainder[:leftover]:
        floored[index] += 1
    return [
        Share(key=participant.key, amount=from_ore(ore))
        for participant, ore in zip(participants, floored, strict=True)
    ]
