"""Properties of the figures a review round works out (review.services.activity)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from samarbeid.review.services.activity import Activity, Cost

AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
YEARS = st.integers(min_value=2000, max_value=2030)


@given(st.lists(st.tuples(YEARS, AMOUNTS, st.booleans()), max_size=20))
def test_the_cost_adds_up_exactly_to_the_ore(charges: list[tuple[int, Decimal, bool]]) -> None:
    cost = Cost()
    for year, amount, invoiced in charges:
        cost.add(year, amount, invoiced=invoiced)
    assert cost.total == sum((amount for _y, amount, _i in charges), Decimal("0.00"))
    assert cost.total == sum(cost.by_year.values(), Decimal("0.00"))
    assert cost.total.as_tuple().exponent == -2
    # every year is said once, as invoiced or as budgeted
    said = cost.source().replace(";", ",").replace("fakturert", "").replace("budsjett", "")
    assert sorted(int(y) for y in said.split(",") if y.strip()) == sorted(cost.by_year)


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=5, max_size=5))
def test_the_activity_names_what_happened_and_nothing_else(counts: list[int]) -> None:
    activity = Activity(*counts)
    assert activity.found == any(counts)
    assert len(activity.parts()) == sum(1 for n in counts if n)
    assert all(not part.startswith("0 ") for part in activity.parts())
