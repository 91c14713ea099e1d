from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samarbeid.portfolio import lifecycle
from samarbeid.portfolio.models import Project

statuses = st.sampled_from(lifecycle.STATUSES)


def test_statuses_match_the_model() -> None:
    assert set(lifecycle.STATUSES) == set(Project.Status.values)


def test_the_main_path_is_allowed() -> None:
    assert lifecycle.is_valid_path(["idea", "proposed", "approved", "ongoing", "completed"])


@pytest.mark.parametrize(
    ("old", "new"),
    [("idea", "completed"), ("idea", "ongoing"), ("proposed", "completed"), ("completed", "idea")],
)
def test_illegal_jumps(old: str, new: str) -> None:
    assert not lifecycle.can_transition(old, new)


@given(statuses, statuses)
def test_final_statuses_have_no_way_out(old: str, new: str) -> None:
    if lifecycle.is_final(old):
        assert not lifecycle.can_transition(old, new)


@given(statuses)
def test_open_statuses_can_be_discontinued_or_transferred(status: str) -> None:
    if status in lifecycle.OPEN:
        assert {"discontinued", "transferred"} <= lifecycle.allowed_next(status)


@given(st.lists(statuses, min_size=2, max_size=8))
def test_completed_only_after_ongoing(path: list[str]) -> None:
    if lifecycle.is_valid_path(path) and "completed" in path:
        assert path[path.index("completed") - 1] == "ongoing"


@given(statuses)
def test_no_self_transition(status: str) -> None:
    assert not lifecycle.can_transition(status, status)


def test_unknown_status() -> None:
    with pytest.raises(ValueError, match="unknown"):
        lifecycle.allowed_next("nonsense")
