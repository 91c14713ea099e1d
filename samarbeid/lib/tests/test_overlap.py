import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.lib.overlap import (
    ArenaProfile,
    MemberRelation,
    OverlapKind,
    OverlapPair,
    load_per_municipality,
    overlap_pairs,
)

PROPERTY = settings(deadline=None, max_examples=150)


def arena(id: int, members: str, text: str, name: str = "") -> ArenaProfile:
    return ArenaProfile(id, name or f"Arena {id}", frozenset(members.split()), text)


BARNEVERN = "Barnevernstjeneste for kommunene, med barnevernsvakt og fosterhjemstjeneste."
IKT = "Drift av felles IKT-løsninger, nettverk og sak/arkiv for deltakerkommunene."
VEI = "Vedlikehold av kommunale veier og brøyting om vinteren."

ARENAS = [
    arena(1, "3401 3403 3405", BARNEVERN),
    arena(2, "3401 3403 3405", BARNEVERN),  # a copy: the same arena registered twice
    arena(3, "3401 3403", IKT),  # shares members with 1 and 2, not text
    arena(4, "1101 1102", "IKT og sak/arkiv-løsningene."),  # shares text with 3 only
    arena(5, "5001 5006", VEI),  # nothing in common with anyone
]


def by_ids(pairs: list[OverlapPair]) -> dict[tuple[int, int], OverlapPair]:
    return {(p.a, p.b): p for p in pairs}


def test_identical_arenas_rank_first() -> None:
    first = overlap_pairs(ARENAS)[0]
    assert (first.a, first.b) == (1, 2)
    assert first.members_jaccard == 1.0
    assert math.isclose(first.text_cosine, 1.0)
    assert math.isclose(first.score, 1.0)
    assert first.shared_members == ("3401", "3403", "3405")
    assert first.reason.kind is OverlapKind.MEMBERS_AND_TEXT
    assert first.reason.member_relation is MemberRelation.IDENTICAL


def test_disjoint_arenas_are_omitted() -> None:
    pairs = by_ids(overlap_pairs(ARENAS))
    assert not any(5 in key for key in pairs)
    assert (1, 4) not in pairs
    assert set(pairs) == {(1, 2), (1, 3), (2, 3), (3, 4)}


def test_member_only_overlap() -> None:
    pair = by_ids(overlap_pairs(ARENAS))[(1, 3)]
    assert pair.reason.kind is OverlapKind.MEMBERS_ONLY
    assert pair.reason.member_relation is MemberRelation.B_WITHIN_A
    assert pair.shared_members == ("3401", "3403")
    assert pair.members_jaccard == pytest.approx(2 / 3)
    assert pair.text_cosine == 0.0
    assert pair.shared_terms == ()
    assert pair.score == pytest.approx(0.5 * 2 / 3)


def test_text_only_overlap_names_the_shared_terms() -> None:
    pair = by_ids(overlap_pairs(ARENAS))[(3, 4)]
    assert pair.reason.kind is OverlapKind.TEXT_ONLY
    assert pair.reason.member_relation is MemberRelation.DISJOINT
    assert pair.shared_members == ()
    assert pair.members_jaccard == 0.0
    assert 0.0 < pair.text_cosine < 1.0
    # Matched on stems ("løsninger" ~ "løsningene"), shown as the commonest real word.
    assert set(pair.shared_terms) == {"ikt", "sak", "arkiv", "løsninger"}
    assert pair.score == pytest.approx(0.5 * pair.text_cosine)


def test_shared_terms_are_capped_and_ordered_by_contribution() -> None:
    a = arena(1, "1", "alfa beta gamma delta epsilon zeta eta theta")
    b = arena(2, "2", "alfa alfa alfa beta beta gamma delta epsilon zeta eta theta")
    (pair,) = overlap_pairs([a, b])
    assert len(pair.shared_terms) == 5
    # "alfa" dominates b's vector, then "beta"; the rest tie and are settled alphabetically.
    assert pair.shared_terms == ("alfa", "beta", "delta", "epsilon", "eta")


def test_stop_words_do_not_create_overlap() -> None:
    a = arena(1, "0301", "Det er et samarbeid om å ha det som skal være, og for at vi kan.")
    b = arena(2, "4601", "Vi skal ha det slik at det er noe for alle, og ikke bare for noen.")
    c = arena(3, "5001", "Samarbeid")
    pairs = overlap_pairs([a, b, c])
    # a and c share "samarbeid"; a and b share only stop words, so they are not a pair.
    assert [(p.a, p.b) for p in pairs] == [(1, 3)]
    assert pairs[0].shared_terms == ("samarbeid",)


def test_shared_terms_display_real_words_not_stems() -> None:
    a = arena(1, "1", "Felles tjenester for kommunene")
    b = arena(2, "2", "Tjenesten leveres til kommunen")
    (pair,) = overlap_pairs([a, b])
    assert set(pair.shared_terms) <= {"tjenester", "tjenesten", "kommunene", "kommunen"}
    assert len(pair.shared_terms) == 2


def test_min_score_and_weights() -> None:
    pairs = overlap_pairs(ARENAS, min_score=0.5)
    assert [(p.a, p.b) for p in pairs] == [(1, 2)]
    members_only = by_ids(overlap_pairs(ARENAS, member_weight=1.0, text_weight=0.0))
    assert members_only[(1, 3)].score == pytest.approx(2 / 3)
    assert members_only[(3, 4)].score == 0.0
    # Weights are relative: 2 and 2 means the same as 0.5 and 0.5.
    assert overlap_pairs(ARENAS, member_weight=2, text_weight=2) == overlap_pairs(ARENAS)


@pytest.mark.parametrize(("member_weight", "text_weight"), [(0, 0), (-1, 1), (1, -0.5)])
def test_bad_weights_are_refused(member_weight: float, text_weight: float) -> None:
    with pytest.raises(ValueError, match="weight"):
        overlap_pairs(ARENAS, member_weight=member_weight, text_weight=text_weight)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        overlap_pairs([arena(1, "1", "x"), arena(1, "2", "y")])


def test_member_relations() -> None:
    pairs = by_ids(
        overlap_pairs(
            [arena(1, "1 2", "a"), arena(2, "1 2 3", "b"), arena(3, "3 4", "c"), arena(4, "", "")]
        )
    )
    assert pairs[(1, 2)].reason.member_relation is MemberRelation.A_WITHIN_B
    assert pairs[(2, 3)].reason.member_relation is MemberRelation.PARTIAL
    assert not any(4 in key for key in pairs)


def test_ranking_is_deterministic_and_ignores_input_order() -> None:
    expected = overlap_pairs(ARENAS)
    shuffled = list(ARENAS)
    for seed in range(10):
        random.Random(seed).shuffle(shuffled)
        assert overlap_pairs(shuffled) == expected
    keys = [(-p.score, p.a, p.b) for p in expected]
    assert keys == sorted(keys)


municipalities = st.sampled_from(["0301", "1103", "3401", "3403", "4601", "5001"])
vocabulary = st.sampled_from(["barnevern", "ikt", "vei", "legevakt", "og", "i", "felles", "arkiv"])
profiles = st.lists(
    st.tuples(
        st.frozensets(municipalities, max_size=4),
        st.lists(vocabulary, max_size=6).map(" ".join),
    ),
    max_size=6,
).map(lambda rows: [ArenaProfile(i, f"A{i}", m, t) for i, (m, t) in enumerate(rows, start=1)])


@PROPERTY
@given(profiles, st.randoms(use_true_random=False))
def test_overlap_properties(arenas: list[ArenaProfile], rnd: random.Random) -> None:
    pairs = overlap_pairs(arenas)
    shuffled = list(arenas)
    rnd.shuffle(shuffled)
    assert overlap_pairs(shuffled) == pairs
    for p in pairs:
        assert p.a < p.b
        assert p.shared_members or p.shared_terms
        assert 0.0 <= p.members_jaccard <= 1.0
        assert 0.0 <= p.text_cosine <= 1.0
        assert math.isclose(p.score, 0.5 * p.members_jaccard + 0.5 * p.text_cosine)
        assert len(p.shared_terms) <= 5
        assert not {"og", "i"} & set(p.shared_terms)
        assert (p.reason.kind is OverlapKind.TEXT_ONLY) == (not p.shared_members)
        assert (p.reason.kind is OverlapKind.MEMBERS_ONLY) == (not p.shared_terms)


def test_load_per_municipality() -> None:
    memberships = [
        ("3401", 1),
        ("3401", 2),
        ("3401", 3),
        ("3403", 1),
        ("3403", 1),  # listed twice, still one arena
        ("0301", 7),
        ("1103", 7),
    ]
    load = load_per_municipality(memberships)
    assert load == {"3401": 3, "0301": 1, "1103": 1, "3403": 1}
    assert list(load) == ["3401", "0301", "1103", "3403"]
    assert load_per_municipality([]) == {}
