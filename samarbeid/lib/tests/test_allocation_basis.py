"""One allocation algorithm (issue 18, point 6): `basis` computes each participant's exact
share once as integers, and `allocate` and every split of an invoice run use it. Checked
against the exact-Fraction computation, for one basis reused over many totals too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samarbeid.lib.allocation import (
    PRESETS,
    AllocationError,
    Basis,
    Participant,
    Weights,
    allocate,
    basis,
)
from samarbeid.lib.tests.exact_allocation import fraction_allocate

people = st.lists(
    st.tuples(st.integers(0, 10**6), st.integers(0, 10**4), st.integers(0, 100)),
    min_size=1,
    max_size=20,
).map(
    lambda rows: [
        Participant(
            key=f"{i:04d}",
            population=population,
            usage=Decimal(usage),
            fixed_percent=Decimal(100) if i == 0 else Decimal(0),
        )
        for i, (population, usage, _fixed) in enumerate(rows)
    ]
)
keys = st.sampled_from(
    [
        *PRESETS.values(),
        Weights(equal=Decimal("33.33"), per_capita=Decimal("33.33"), usage=Decimal("33.34")),
        Weights(equal=Decimal("10"), per_capita=Decimal("40"), usage=Decimal("25"), fixed=25),
    ]
)
totals = st.lists(st.integers(0, 10**11).map(lambda ore: Decimal(ore) / 100), min_size=1)


@given(keys, people, totals)
def test_one_basis_splits_every_total_as_the_exact_fractions_do(
    key: Weights, participants: list[Participant], amounts: list[Decimal]
) -> None:
    try:
        shares_of_one = basis(key, participants)
    except AllocationError as exc:
        with pytest.raises(AllocationError) as caught:
            fraction_allocate(amounts[0], key, participants)
        assert caught.value.code == exc.code  # noqa: PT017 - a property test: refusal is one allowed outcome
        return
    assert sum(shares_of_one.numerators) == shares_of_one.denominator
    for total in amounts:
        expected = fraction_allocate(total, key, participants)
        assert shares_of_one.split(total) == expected
        assert allocate(total, key, participants) == expected


def test_a_basis_is_typed_integers_and_refuses_a_bad_total() -> None:
    shares_of_one = basis(
        Weights(equal=50, per_capita=50),  # type: ignore[arg-type]  # ints are accepted too
        [Participant("0301", population=1), Participant("1103", population=3)],
    )
    assert shares_of_one == Basis(keys=("0301", "1103"), numerators=(3, 5), denominator=8)
    assert shares_of_one.split_ore(Decimal("1.00")) == [38, 62]  # a tie: the lowest key
    with pytest.raises(AllocationError) as refused:
        shares_of_one.split(Decimal("1.001"))
    assert refused.value.code == "total_decimals"
