import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from samarbeid.lib.ranking import GroupRanking, ThemeScore, aggregate, resolve_merges
from samarbeid.lib.text import normalise

PROPERTY = settings(deadline=None, max_examples=150)

ADMIN = "Administrative tjenester (lønn, regnskap, IKT)"
DIGITAL = "Digital kompetanse i skolen"
AREAL = "Areal, bolig, næring"
KORTTID = "Korttidsopphold sykehjem"

# Four flip-over sheets from the seminar, up to five themes each, most important first.
SEMINAR = [
    GroupRanking(
        "Gruppe 1", ["Lønn og regnskap", DIGITAL, "Korttidsopphold på sykehjem", "Kultur"]
    ),
    GroupRanking("Gruppe 2", ["IKT-drift", "Areal og bolig", KORTTID, "Barnevern"]),
    GroupRanking(
        "Gruppe 3", [DIGITAL, "Felles IKT", "Næringsutvikling", "Regnskap/lønn", "Vann og avløp"]
    ),
    GroupRanking(
        "Gruppe 4",
        [
            AREAL,
            "korttidsopphold sykehjem",
            "Samfunnssikkerhet og beredskap",
            "Digitale læremidler",
        ],
    ),
]
# What the facilitators merged on the wall; two of them chain through an earlier merge.
SEMINAR_MERGES = {
    "Lønn og regnskap": ADMIN,
    "Regnskap/lønn": "Lønn og regnskap",
    "IKT-drift": ADMIN,
    "Felles IKT": "IKT-drift",
    "Areal og bolig": AREAL,
    "Næringsutvikling": AREAL,
    "Korttidsopphold på sykehjem": KORTTID,
    "Digitale læremidler": DIGITAL,
}


def test_seminar_summary() -> None:
    result = aggregate(SEMINAR, SEMINAR_MERGES, max_rank=5)
    several = [t for t in result if t.groups >= 2]
    # Borda with max_rank 5: 1st = 5 points ... 5th = 1 point.
    # Admin:   G1 1st (5) + G2 1st (5) + G3 best of 2nd/4th (4)      = 14
    # Areal:   G2 2nd (4) + G3 3rd (3) + G4 1st (5)                  = 12
    # Digital: G1 2nd (4) + G3 1st (5) + G4 4th (2)                  = 11
    # Korttid: G1 3rd (3) + G2 3rd (3) + G4 2nd (4)                  = 10
    assert several == [
        ThemeScore(
            label=ADMIN,
            groups=3,
            borda=14,
            variants=("Felles IKT", "IKT-drift", "Lønn og regnskap", "Regnskap/lønn"),
            mentioned_by=("Gruppe 1", "Gruppe 2", "Gruppe 3"),
        ),
        ThemeScore(
            label=AREAL,
            groups=3,
            borda=12,
            variants=("Areal og bolig", "Næringsutvikling"),
            mentioned_by=("Gruppe 2", "Gruppe 3", "Gruppe 4"),
        ),
        ThemeScore(
            label=DIGITAL,
            groups=3,
            borda=11,
            variants=("Digitale læremidler",),
            mentioned_by=("Gruppe 1", "Gruppe 3", "Gruppe 4"),
        ),
        ThemeScore(
            label=KORTTID,
            groups=3,
            borda=10,
            variants=("Korttidsopphold på sykehjem", "korttidsopphold sykehjem"),
            mentioned_by=("Gruppe 1", "Gruppe 2", "Gruppe 4"),
        ),
    ]
    # The long tail: one group each, by points, then alphabetically.
    assert [(t.label, t.borda) for t in result[4:]] == [
        ("Samfunnssikkerhet og beredskap", 3),
        ("Barnevern", 2),
        ("Kultur", 2),
        ("Vann og avløp", 1),
    ]


def test_without_merges_nothing_stands_out() -> None:
    result = aggregate(SEMINAR, {}, max_rank=5)
    assert [(t.label, t.groups) for t in result if t.groups >= 2] == [
        (DIGITAL, 2),
        (KORTTID, 2),  # "korttidsopphold sykehjem" is the same label after normalising
    ]


def test_same_theme_twice_counts_best_position_once() -> None:
    rankings = [GroupRanking("A", ["IKT", "Lønn", "ikt"])]
    (ikt, lonn) = aggregate(rankings, {}, max_rank=3)
    assert (ikt.label, ikt.groups, ikt.borda) == ("IKT", 1, 3)
    assert ikt.variants == ("ikt",)
    merged = aggregate(rankings, {"Lønn": "IKT"}, max_rank=3)
    assert [(t.label, t.groups, t.borda) for t in merged] == [("IKT", 1, 3)]
    assert lonn.borda == 2


def test_unmerged_label_is_the_commonest_spelling() -> None:
    rankings = [
        GroupRanking("A", ["felles IKT"]),
        GroupRanking("B", ["Felles IKT"]),
        GroupRanking("C", ["Felles IKT"]),
    ]
    (theme,) = aggregate(rankings, {}, max_rank=1)
    assert theme.label == "Felles IKT"
    assert theme.variants == ("felles IKT",)


def test_merge_target_spelling_wins() -> None:
    rankings = [GroupRanking("A", ["ikt-drift"]), GroupRanking("B", ["Drift av IKT"])]
    (theme,) = aggregate(rankings, {"Drift av IKT": "IKT-drift"}, max_rank=1)
    assert theme.label == "IKT-drift"
    assert theme.variants == ("Drift av IKT", "ikt-drift")


def test_resolve_merges_follows_chains() -> None:
    assert resolve_merges({"a": "b", "B": "c", "d": "C"}) == {"a": "c", "b": "c", "d": "c"}
    assert resolve_merges({"IKT": "ikt"}) == {}  # same label after normalising


@pytest.mark.parametrize(
    "merges",
    [
        {"a": "b", "b": "a"},
        {"a": "b", "b": "c", "c": "a"},
        {"IKT": "felles ikt", "Felles IKT": "ikt"},  # a cycle only once normalised
    ],
)
def test_cycles_are_refused(merges: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="cycle"):
        resolve_merges(merges)
    with pytest.raises(ValueError, match="cycle"):
        aggregate(SEMINAR, merges, max_rank=5)


def test_conflicting_merges_are_refused() -> None:
    with pytest.raises(ValueError, match="conflicting"):
        resolve_merges({"IKT": "Drift", "ikt": "Lønn"})


@pytest.mark.parametrize(
    ("rankings", "max_rank", "message"),
    [
        ([GroupRanking("A", ["x", "y", "z"])], 2, "max_rank is 2"),
        ([GroupRanking("A", ["x"])], 0, "at least 1"),
        ([GroupRanking("A", ["x", " - "])], 3, "empty theme at 2"),
        ([GroupRanking("A", ["x"]), GroupRanking("A", ["y"])], 3, "more than once"),
    ],
)
def test_invalid_input(rankings: list[GroupRanking], max_rank: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        aggregate(rankings, {}, max_rank=max_rank)


def test_group_ranking_is_immutable() -> None:
    themes = ["a", "b"]
    ranking = GroupRanking("A", themes)
    themes.append("c")
    assert ranking.themes == ("a", "b")
    assert hash(ranking) == hash(GroupRanking("A", ("a", "b")))


# --- properties -----------------------------------------------------------------------------------

MAX_RANK = 4
# Distinct after normalising, plus spelling variants of some of them.
VOCABULARY = ["IKT", "Lønn", "Regnskap", "Barnevern", "Legevakt", "Areal", "Bolig", "Kultur"]
SPELLINGS = [*VOCABULARY, "ikt", "lønn", "BOLIG", "areal!"]

rankings_strategy = st.lists(
    st.lists(st.sampled_from(SPELLINGS), max_size=MAX_RANK),
    max_size=6,
).map(lambda sheets: [GroupRanking(f"Gruppe {i}", t) for i, t in enumerate(sheets, start=1)])


@st.composite
def acyclic_merges(draw: st.DrawFn) -> dict[str, str]:
    # Merging only "forwards" in a random order of the vocabulary can never form a cycle.
    order = draw(st.permutations(VOCABULARY))
    merges: dict[str, str] = {}
    for i, source in enumerate(order[:-1]):
        if draw(st.booleans()):
            merges[source] = draw(st.sampled_from(order[i + 1 :]))
    return merges


def find(result: list[ThemeScore], label: str) -> ThemeScore | None:
    return next((t for t in result if normalise(t.label) == normalise(label)), None)


@PROPERTY
@given(rankings_strategy, acyclic_merges())
def test_counts_never_exceed_groups(rankings: list[GroupRanking], merges: dict[str, str]) -> None:
    result = aggregate(rankings, merges, max_rank=MAX_RANK)
    names = {r.group for r in rankings}
    for theme in result:
        assert 1 <= theme.groups <= len(rankings)
        assert theme.groups == len(theme.mentioned_by)
        assert set(theme.mentioned_by) <= names
        assert theme.groups <= theme.borda <= theme.groups * MAX_RANK
    # No group is counted twice for one theme, so all counts together fit in the sheets.
    assert sum(t.groups for t in result) <= sum(len(r.themes) for r in rankings)
    assert len({normalise(t.label) for t in result}) == len(result)


@PROPERTY
@given(rankings_strategy, st.sampled_from(VOCABULARY), st.sampled_from(VOCABULARY))
def test_merging_two_themes_counts_between_max_and_sum(
    rankings: list[GroupRanking], source: str, target: str
) -> None:
    assume(source != target)
    before = aggregate(rankings, {}, max_rank=MAX_RANK)
    after = aggregate(rankings, {source: target}, max_rank=MAX_RANK)
    a, b = find(before, source), find(before, target)
    merged = find(after, target)
    assert find(after, source) is None
    if a is None and b is None:
        assert merged is None
        return
    assert merged is not None
    counts = [t.groups for t in (a, b) if t is not None]
    assert max(counts) <= merged.groups <= sum(counts)
    borda = [t.borda for t in (a, b) if t is not None]
    assert max(borda) <= merged.borda <= sum(borda)
    mentioned = set().union(*(t.mentioned_by for t in (a, b) if t is not None))
    assert set(merged.mentioned_by) == mentioned


@PROPERTY
@given(
    rankings_strategy,
    acyclic_merges(),
    st.sampled_from(VOCABULARY),
    st.sampled_from(VOCABULARY),
)
def test_undoing_a_merge_restores_the_result(
    rankings: list[GroupRanking], merges: dict[str, str], source: str, target: str
) -> None:
    assume(source not in merges and source != target)
    with_merge = {**merges, source: target}
    try:
        aggregate(rankings, with_merge, max_rank=MAX_RANK)
    except ValueError:
        assume(False)  # the extra merge closed a cycle; nothing to undo
    undone = dict(with_merge)
    del undone[source]
    assert aggregate(rankings, undone, max_rank=MAX_RANK) == aggregate(
        rankings, merges, max_rank=MAX_RANK
    )


@PROPERTY
@given(rankings_strategy, acyclic_merges(), st.randoms(use_true_random=False))
def test_order_of_rankings_does_not_matter(
    rankings: list[GroupRanking], merges: dict[str, str], rnd: random.Random
) -> None:
    shuffled = list(rankings)
    rnd.shuffle(shuffled)
    shuffled_merges = dict(sorted(merges.items(), key=lambda _: rnd.random()))
    assert aggregate(shuffled, shuffled_merges, max_rank=MAX_RANK) == aggregate(
        rankings, merges, max_rank=MAX_RANK
    )


@PROPERTY
@given(rankings_strategy, acyclic_merges())
def test_ties_are_broken_deterministically(
    rankings: list[GroupRanking], merges: dict[str, str]
) -> None:
    result = aggregate(rankings, merges, max_rank=MAX_RANK)
    keys = [(-t.groups, -t.borda, t.label.casefold(), t.label) for t in result]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert aggregate(rankings, merges, max_rank=MAX_RANK) == result
