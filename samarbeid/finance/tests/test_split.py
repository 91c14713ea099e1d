from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samarbeid.finance.split import basis, check, fast_allocate
from samarbeid.lib.allocation import PRESETS, AllocationError, Participant, Weights, allocate

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
        assert caught.value.code == exc.code
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


checked_people = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 1000)),
        st.one_of(st.none(), st.integers(0, 50).map(Decimal)),
        st.one_of(st.none(), st.sampled_from([Decimal(0), Decimal(25), Decimal(50)])),
    ),
    max_size=5,
).map(
    lambda rows: [
        Participant(key=f"{i:04d}", population=pop, usage=use, fixed_percent=fixed)
        for i, (pop, use, fixed) in enumerate(rows)
    ]
)
checked_keys = st.sampled_from(
    [
        Weights(equal=Decimal(100)),
        Weights(equal=Decimal(50), per_capita=Decimal(50)),
        Weights(usage=Decimal(100)),
        Weights(fixed=Decimal(60), usage=Decimal(40)),
        Weights(equal=Decimal(50)),
    ]
)
checked_totals = st.sampled_from(
    [Decimal("0.00"), Decimal("100.00"), Decimal("-1.00"), Decimal("0.001")]
)


@given(checked_keys, checked_people, checked_totals)
def test_check_raises_exactly_when_splitting_raises(
    weights: Weights, participants: list[Participant], total: Decimal
) -> None:
    """The cheap check used for lines nobody asked about refuses what the split refuses,
    for the same reason."""
    try:
        basis(weights, participants).split(total)
    except AllocationError as exc:
        with pytest.raises(AllocationError) as caught:
            check(weights, participants, total)
        assert caught.value.code == exc.code
    else:
        check(weights, participants, total)
