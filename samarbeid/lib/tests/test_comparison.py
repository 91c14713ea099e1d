from collections.abc import Mapping
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.lib.comparison import (
    Criterion,
    Direction,
    RankedAlternative,
    ScoreKey,
    is_robust,
    mean_scores,
    rank,
    sensitivity,
)

PROPERTY = settings(deadline=None, max_examples=150)

TRIAL = "Ny prøveperiode 4 år"
HOST = "Vertskommune med felles nemnd"
IKS = "IKS"
BACK = "Tilbake til start"
ALTERNATIVES = [TRIAL, HOST, IKS, BACK]
CRITERIA = [
    Criterion("kostnad", 40),
    Criterion("kvalitet", 30),
    Criterion("styring", 20),
    Criterion("fleksibilitet", 10),
]
# Mean score per alternative on (kostnad, kvalitet, styring, fleksibilitet).
MEANS = {
    TRIAL: (8, 7, 5, 6),
    HOST: (7, 6, 8, 5),
    IKS: (5, 6, 6, 4),
    BACK: (9, 2, 2, 7),
}


def two_groups(means: Mapping[str, tuple[int, ...]]) -> dict[ScoreKey, int]:
    # Gruppe A is one point stricter and Gruppe B one point kinder, so the mean is the target.
    scores: dict[ScoreKey, int] = {}
    for alternative, values in means.items():
        for criterion, mean in zip(CRITERIA, values, strict=True):
            low = max(0, mean - 1)
            scores[("Gruppe A", alternative, criterion.key)] = low
            scores[("Gruppe B", alternative, criterion.key)] = 2 * mean - low
    return scores


SCORES = two_groups(MEANS)


def test_rank_hand_example() -> None:
    # Weighted sums (weights 40/30/20/10, sum 100):
    #   trial: 40*8 + 30*7 + 20*5 + 10*6 = 320 + 210 + 100 + 60 = 690 -> 6.9
    #   host:  40*7 + 30*6 + 20*8 + 10*5 = 280 + 180 + 160 + 50 = 670 -> 6.7
    #   IKS:   40*5 + 30*6 + 20*6 + 10*4 = 200 + 180 + 120 + 40 = 540 -> 5.4
    #   back:  40*9 + 30*2 + 20*2 + 10*7 = 360 +  60 +  40 + 70 = 530 -> 5.3
    assert rank(ALTERNATIVES, CRITERIA, SCORES) == [
        RankedAlternative(TRIAL, Fraction(69, 10), 1),
        RankedAlternative(HOST, Fraction(67, 10), 2),
        RankedAlternative(IKS, Fraction(54, 10), 3),
        RankedAlternative(BACK, Fraction(53, 10), 4),
    ]


def test_sensitivity_flips_only_when_governance_weighs_more() -> None:
    # Trial minus host per criterion: kostnad +1, kvalitet +1, styring -3, fleksibilitet +1.
    # Baseline lead = 40*1 + 30*1 - 20*3 + 10*1 = 20 (out of 100).
    # Moving one weight by ±10 changes the lead by ±10 times that difference:
    #   styring +10 (weight 30): 20 - 10*3 = -10 -> host wins:
    #       trial (690 + 10*5) / 110 = 74/11 ≈ 6.73, host (670 + 10*8) / 110 = 75/11 ≈ 6.82
    #   styring -10: 20 + 30 = 50; the other criteria ±10: 20 ± 10 >= 10 -> trial stays.
    # IKS and "back to the start" trail by 150 or more and gain at most 10*5 = 50 on any move
    # (the widest gap is "back" on kvalitet: 2 vs 7).
    cases = sensitivity(ALTERNATIVES, CRITERIA, SCORES, delta=10)
    assert len(cases) == 8
    changed = [c for c in cases if c.changed]
    assert len(changed) == 1
    (flip,) = changed
    assert (flip.criterion, flip.direction, flip.weight) == ("styring", Direction.UP, 30)
    assert flip.new_winner == HOST
    assert flip.new_winners == (HOST,)
    assert all(c.new_winner == TRIAL for c in cases if not c.changed)
    fleks_down = next(
        c for c in cases if c.criterion == "fleksibilitet" and c.direction is Direction.DOWN
    )
    assert fleks_down.weight == 0
    assert not is_robust(ALTERNATIVES, CRITERIA, SCORES)
    # A smaller move (5) leaves a lead of 20 - 5*3 = 5: robust.
    assert is_robust(ALTERNATIVES, CRITERIA, SCORES, delta=5)


def test_sensitivity_skips_moves_that_clamping_cancels() -> None:
    criteria = [Criterion("kostnad", 100), Criterion("kvalitet", 0)]
    scores = {("p", "A", "kostnad"): 9, ("p", "A", "kvalitet"): 1}
    scores |= {("p", "B", "kostnad"): 1, ("p", "B", "kvalitet"): 9}
    cases = sensitivity(["A", "B"], criteria, scores)
    assert [(c.criterion, c.direction, c.weight) for c in cases] == [
        ("kostnad", Direction.DOWN, 90),
        ("kvalitet", Direction.UP, 10),
    ]
    assert not any(c.changed for c in cases)


def test_sensitivity_when_every_weight_drops_to_zero() -> None:
    criteria = [Criterion("kostnad", 10)]
    scores = {("p", "A", "kostnad"): 9, ("p", "B", "kostnad"): 1}
    (up, down) = sensitivity(["A", "B"], criteria, scores)
    assert not up.changed
    # No weight left: nothing separates the alternatives, so the win is no longer A's alone.
    assert down.weight == 0
    assert down.new_winners == ("A", "B")
    assert down.new_winner is None
    assert down.changed


def test_mean_is_exact() -> None:
    scores = {
        ("Kari", "A", "kost"): 7,
        ("Ola", "A", "kost"): 8,
        ("Per", "A", "kost"): 8,
    }
    assert mean_scores(["A"], [Criterion("kost", 50)], scores) == {("A", "kost"): Fraction(23, 3)}
    ((ranked),) = rank(["A"], [Criterion("kost", 50)], scores)
    assert ranked.total == Fraction(23, 3)


def test_ties_share_a_position_and_sort_by_name() -> None:
    criteria = [Criterion("k", 1)]
    scores = {("p", alt, "k"): s for alt, s in [("Beta", 5), ("Alfa", 5), ("Gamma", 7), ("D", 1)]}
    ranked = rank(["Beta", "Alfa", "Gamma", "D"], criteria, scores)
    assert [(r.alternative, r.position) for r in ranked] == [
        ("Gamma", 1),
        ("Alfa", 2),
        ("Beta", 2),
        ("D", 4),
    ]


def test_zero_weight_criterion_is_ignored() -> None:
    criteria = [Criterion("k", 60), Criterion("ignored", 0)]
    scores = {("p", "A", "k"): 4, ("p", "A", "ignored"): 10}
    assert rank(["A"], criteria, scores)[0].total == 4


@pytest.mark.parametrize("weight", [-1, 101, True, 2.5])
def test_weight_outside_range_is_refused(weight: int) -> None:
    with pytest.raises(ValueError, match=r"weight for criterion 'k' must be a whole number 0–100"):
        Criterion("k", weight)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({("p", "A", "k"): 11}, r"score from 'p' for 'A' on 'k' must be a whole number 0–10"),
        ({("p", "A", "k"): -1}, "must be a whole number 0–10"),
        ({("p", "A", "k"): False}, "must be a whole number 0–10"),
        ({("p", "A", "k"): 5, ("p", "X", "k"): 5}, "unknown alternative 'X'"),
        ({("p", "A", "k"): 5, ("p", "A", "x"): 5}, "unknown criterion 'x'"),
        ({}, "no scores for 'A' on criterion 'k'"),
    ],
)
def test_bad_scores_are_refused(scores: dict[ScoreKey, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rank(["A"], [Criterion("k", 50)], scores)


def test_other_invalid_input() -> None:
    scores = {("p", "A", "k"): 5}
    with pytest.raises(ValueError, match="at least one criterion must have a weight above zero"):
        rank(["A"], [Criterion("k", 0)], scores)
    with pytest.raises(ValueError, match="at least one criterion must have a weight above zero"):
        rank(["A"], [], {})
    with pytest.raises(ValueError, match="at least one alternative"):
        rank([], [Criterion("k", 1)], {})
    with pytest.raises(ValueError, match="alternatives must be unique"):
        rank(["A", "A"], [Criterion("k", 1)], scores)
    with pytest.raises(ValueError, match="criterion keys must be unique"):
        rank(["A"], [Criterion("k", 1), Criterion("k", 2)], scores)
    with pytest.raises(ValueError, match="delta"):
        sensitivity(["A"], [Criterion("k", 1)], scores, delta=0)


alternatives_strategy = st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=5, unique=True)
weights_strategy = st.lists(st.integers(0, 100), min_size=1, max_size=4).filter(any)


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[str], list[Criterion], dict[ScoreKey, int]]:
    alternatives = draw(alternatives_strategy)
    criteria = [Criterion(f"c{i}", w) for i, w in enumerate(draw(weights_strategy))]
    scorers = draw(st.lists(st.sampled_from(["p", "q", "r"]), min_size=1, max_size=3, unique=True))
    scores = {
        (s, a, c.key): draw(st.integers(0, 10))
        for s in scorers
        for a in alternatives
        for c in criteria
    }
    return alternatives, criteria, scores


@PROPERTY
@given(problems())
def test_rank_properties(problem: tuple[list[str], list[Criterion], dict[ScoreKey, int]]) -> None:
    alternatives, criteria, scores = problem
    ranked = rank(alternatives, criteria, scores)
    assert sorted(r.alternative for r in ranked) == sorted(alternatives)
    assert ranked[0].position == 1
    for before, after in pairwise(ranked):
        assert (-before.total, before.alternative) < (-after.total, after.alternative)
        assert (after.position == before.position) == (after.total == before.total)
    for r in ranked:
        assert 0 <= r.total <= 10
    # Scaling all weights leaves totals unchanged: only relative weight matters.
    if all(2 * c.weight <= 100 for c in criteria):
        doubled = [Criterion(c.key, 2 * c.weight) for c in criteria]
        assert rank(alternatives, doubled, scores) == ranked
    cases = sensitivity(alternatives, criteria, scores)
    winners = tuple(r.alternative for r in ranked if r.position == 1)
    assert all(c.changed == (c.new_winners != winners) for c in cases)
    assert is_robust(alternatives, criteria, scores) == (not any(c.changed for c in cases))
