"""The planning services directly: who may write (each refusal), the period's rule as a
property, the leftover 'annet' text, nothing half saved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from samarbeid.planning.models import (
    FIRST_YEAR,
    LONGEST_PERIOD,
    YEARS_AHEAD,
    CooperationNeed,
    PlanningStrategy,
    Theme,
)
from samarbeid.planning.services import (
    add_need,
    create_strategy,
    delete_need,
    update_need,
    update_strategy,
)
from samarbeid.planning.tests.factories import need, strategy, strategy_fields

pytestmark = pytest.mark.django_db


def _new(number: str = "3909", **fields: Any) -> PlanningStrategy:
    """A strategy not yet stored, for the service to record."""
    base = {"title": "Planstrategi", "adopted_on": date(2024, 6, 19), "decision_reference": ""}
    return PlanningStrategy(**strategy_fields(number, **(base | fields)))


@pytest.mark.parametrize("who", ["other_coordinator", "reader", "arena_secretariat"])
def test_only_the_coordinator_and_a_global_secretariat_write(
    who: str, request: pytest.FixtureRequest, coordinator: Any, secretariat: Any
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        create_strategy(_new(), actor=user)
    saved = strategy()
    one = need(saved)
    with pytest.raises(PermissionDenied):
        update_strategy(saved, {"title": "X"}, expected_version=1, actor=user)
    with pytest.raises(PermissionDenied):
        add_need(CooperationNeed(strategy=saved, theme=Theme.ICT, description="IKT"), actor=user)
    with pytest.raises(PermissionDenied):
        delete_need(one, expected_version=1, actor=user)
    assert PlanningStrategy.objects.count() == 1
    # the next period (one strategy a period)
    create_strategy(_new(title="Larviks", first_year=2028, last_year=2031), actor=coordinator)
    create_strategy(_new("3901", title="Hortens"), actor=secretariat)
    assert PlanningStrategy.objects.count() == 3


def test_the_municipality_is_not_changed_by_an_edit(coordinator: Any, horten: Any) -> None:
    saved = strategy()
    update_strategy(
        saved, {"municipality": horten, "title": "Ny"}, expected_version=1, actor=coordinator
    )
    saved.refresh_from_db()
    assert (saved.municipality.number, saved.title) == ("3909", "Ny")


def test_the_other_themes_text_goes_when_the_theme_changes(coordinator: Any) -> None:
    one = need(strategy(), Theme.OTHER, theme_other="Landbruk")
    update_need(one, {"theme": Theme.BUSINESS}, expected_version=1, actor=coordinator)
    one.refresh_from_db()
    assert (one.theme, one.theme_other) == ("business", "")
    with pytest.raises(ValidationError) as refused:
        update_need(one, {"theme": Theme.OTHER}, expected_version=2, actor=coordinator)
    assert set(refused.value.message_dict) == {"theme_other"}


@given(first=st.integers(1900, 2100), length=st.integers(-3, 20))
def test_a_period_is_accepted_exactly_within_its_window(first: int, length: int) -> None:
    last = first + length
    ahead = timezone.localdate().year + YEARS_AHEAD
    plausible = FIRST_YEAR <= first <= ahead and FIRST_YEAR <= last <= ahead
    expected = plausible and 0 <= length < LONGEST_PERIOD
    candidate = PlanningStrategy(first_year=first, last_year=last)
    if expected:
        candidate.clean()
    else:
        with pytest.raises(ValidationError) as refused:
            candidate.clean()
        assert set(refused.value.message_dict) <= {"first_year", "last_year"}
