from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samarbeid.lib.allocation import PRESETS, AllocationError, Participant, Weights
from samarbeid.lib.allocation import allocate as fast_allocate
from samarbeid.lib.tests.exact_allocation import fraction_allocate as allocate

participants = st.lists(
    st.tuples(st.integers(0, 10**6), st.integers(0, 10**4)), min_size=1, max_size=30
).map(
    lambda rows: [
        Participant(key=f"{i:04d}", population=pop, usage=Decimal(use))
        for i, (pop, use) in enumerate(rows)
    ]
)
weights = st.sampled_from(
    [
        *PRESETS.values(),
        Weights(equal=Decimal("33.33"), per_capita=Decimal("33.33"), usage=Decimal("33.34")),
    ]
)
totals = st.integers(0, 10**11).map(lambda ore: Decimal(ore) / 100)


@given(totals, weights, participants)
def test_fast_allocate_equals_allocate(
    total: Decimal, key: Weights, people: list[Participant]
) -> None:
    try:
        expected = allocate(total, key, people)
    except AllocationError as exc:
        with pytest.raises(AllocationError) as caught:
            fast_allocate(total, key, people)
        assert caught.value.code == exc.code  # noqa: PT017 - a property test: refusal is one allowed outcome
        return
    assert fast_allocate(total, key, people) == expected


def test_fixed_percentages_equal_allocate() -> None:
    people = [
        Participant(key="0701", fixed_percent=Decimal("33.3333")),
        Participant(key="0702", fixed_percent=Decimal("33.3333")),
        Participant(key="0704", fixed_percent=Decimal("33.3334")),
    ]
    key = Weights(fixed=Decimal(100))
    assert fast_allocate(Decimal("1000.00"), key, people) == allocate(
        Decimal("1000.00"), key, people
    )


def test_a_mix_of_every_component_equals_allocate() -> None:
    people = [
        Participant(
            key="3901", population=27_000, usage=Decimal("12.5"), fixed_percent=Decimal("20")
        ),
        Participant(key="3903", population=58_000, usage=Decimal("3"), fixed_percent=Decimal("45")),
        Participant(key="3905", population=56_000, usage=Decimal(0), fixed_percent=Decimal("35")),
    ]
    key = Weights(
        equal=Decimal("10"),
        per_capita=Decimal("33.3"),
        usage=Decimal("26.7"),
        fixed=Decimal("30"),
    )
    for total in (Decimal("0.00"), Decimal("0.01"), Decimal("1000.00"), Decimal("123456.78")):
        assert fast_allocate(total, key, people) == allocate(total, key, people)
