from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samarbeid.governance import voting

votes = st.lists(st.sampled_from(voting.CHOICES), max_size=20)


@given(votes)
def test_majority_ignores_abstain_and_absent(ballot: list[str]) -> None:
    stripped = [v for v in ballot if v in (voting.FOR, voting.AGAINST)]
    assert voting.is_adopted(voting.MAJORITY, ballot) == voting.is_adopted(
        voting.MAJORITY, stripped
    )


@given(votes)
def test_majority_is_more_for_than_against(ballot: list[str]) -> None:
    assert voting.is_adopted(voting.MAJORITY, ballot) == (
        ballot.count(voting.FOR) > ballot.count(voting.AGAINST)
    )


@given(votes)
def test_unanimity_implies_majority(ballot: list[str]) -> None:
    if voting.is_adopted(voting.UNANIMITY, ballot):
        assert voting.is_adopted(voting.MAJORITY, ballot)


@given(votes)
def test_one_against_breaks_unanimity(ballot: list[str]) -> None:
    assert not voting.is_adopted(voting.UNANIMITY, [*ballot, voting.AGAINST])


@given(votes)
def test_absentees_do_not_matter_for_unanimity(ballot: list[str]) -> None:
    assert voting.is_adopted(voting.UNANIMITY, ballot) == voting.is_adopted(
        voting.UNANIMITY, [*ballot, voting.ABSENT]
    )


@given(votes)
def test_order_does_not_matter(ballot: list[str]) -> None:
    for rule in voting.RULES:
        assert voting.is_adopted(rule, ballot) == voting.is_adopted(rule, list(reversed(ballot)))


def test_examples() -> None:
    assert voting.is_adopted(voting.MAJORITY, ["for", "for", "against", "abstain", "abstain"])
    assert not voting.is_adopted(voting.MAJORITY, ["for", "against"])
    assert not voting.is_adopted(voting.MAJORITY, ["absent", "abstain"])
    assert voting.is_adopted(voting.UNANIMITY, ["for", "for", "absent"])
    assert not voting.is_adopted(voting.UNANIMITY, ["for", "abstain"])
    assert not voting.is_adopted(voting.UNANIMITY, ["absent"])


def test_unknown_rule_and_vote() -> None:
    with pytest.raises(ValueError, match="rule"):
        voting.is_adopted("lottery", ["for"])
    with pytest.raises(ValueError, match="vote"):
        voting.tally(["maybe"])
