"""Overlap with members counted through municipality changes (`successors`)."""

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from samarbeid.lib.overlap import ArenaProfile, MemberRelation, overlap_pairs

PROPERTY = settings(deadline=None, max_examples=150)

# Vestfold: Horten 0701 → 3801 → 3901; Nøtterøy 0722 and Tjøme 0723 → Færder 0729 → 3811 →
# 3911; Larvik 0709 and Lardal 0728 → 0712 → 3805 → 3909; Sandefjord 0706, Andebu 0719 and
# Stokke 0720 → 0710 → 3804 → 3907; Holmestrand 0702 and Hof 0714 → 0715 → 3802 → 3903;
# Tønsberg 0704 and Re 0716 → 3803 → 3905
SUCCESSORS = {
    "0701": ["3801"],
    "3801": ["3901"],
    "0722": ["0729"],
    "0723": ["0729"],
    "0729": ["3811"],
    "3811": ["3911"],
    "0709": ["0712"],
    "0728": ["0712"],
    "0712": ["3805"],
    "3805": ["3909"],
    "0706": ["0710"],
    "0719": ["0710"],
    "0720": ["0710"],
    "0710": ["3804"],
    "3804": ["3907"],
    "0702": ["0715"],
    "0714": ["0715"],
    "0715": ["3802"],
    "3802": ["3903"],
    "0704": ["3803"],
    "0716": ["3803"],
    "3803": ["3905"],
}
NINE = "0701 0702 0704 0714 0716 0719 0720 0722 0723"
TWELVE = NINE + " 0706 0709 0728"
LATER = "0710 0712 0715 0729 3801 3802 3803 3804 3805 3811 3901 3903 3905 3907 3909 3911"


def profile(id: int, members: str, text: str = "") -> ArenaProfile:
    return ArenaProfile(id, f"A{id}", frozenset(members.split()), text)


def test_nine_of_twelve_through_history() -> None:
    nine_k, twelve_k = profile(1, NINE), profile(2, f"{TWELVE} {LATER}")
    [pair] = overlap_pairs([nine_k, twelve_k], successors=SUCCESSORS)
    assert pair.members_jaccard == 9 / 12
    assert pair.shared_groups == tuple((m,) for m in sorted(NINE.split()))
    assert pair.reason.member_relation == MemberRelation.A_WITHIN_B
    # without history every later number is a member of its own: 9 of 28
    [plain] = overlap_pairs([nine_k, twelve_k])
    assert plain.members_jaccard == 9 / 28


def test_a_merged_member_counts_as_what_it_became() -> None:
    before = profile(1, "0722 0723 0701")  # 2010: Nøtterøy, Tjøme, Horten
    after = profile(2, "3911 3901")  # 2024: Færder, Horten
    [pair] = overlap_pairs([before, after], successors=SUCCESSORS)
    assert pair.shared_groups == (("0701", "3901"), ("0722", "0723", "3911"))
    assert pair.members_jaccard == 1.0
    assert pair.reason.member_relation == MemberRelation.IDENTICAL
    assert overlap_pairs([before, after]) == []  # no shared number, no shared word


def test_a_member_that_merged_into_a_non_member_is_not_shared() -> None:
    # Andebu went into Sandefjord (0710); the other arena had Sandefjord only before that
    andebu, sandefjord = profile(1, "0719"), profile(2, "0706")
    assert overlap_pairs([andebu, sandefjord], successors=SUCCESSORS) == []
    # but an arena that had Sandefjord after the merger has Andebu's area
    later = profile(3, "0706 0710")
    [pair] = overlap_pairs([andebu, later], successors=SUCCESSORS)
    assert pair.shared_groups == (("0706", "0719"),)


members = st.sampled_from(sorted({*SUCCESSORS, *(s for v in SUCCESSORS.values() for s in v)}))
profiles = st.lists(st.frozensets(members, max_size=6), max_size=5).map(
    lambda rows: [ArenaProfile(i, f"A{i}", m, "") for i, m in enumerate(rows, start=1)]
)


@PROPERTY
@given(profiles, st.randoms(use_true_random=False))
def test_history_properties(arenas: list[ArenaProfile], rnd: random.Random) -> None:
    pairs = overlap_pairs(arenas, successors=SUCCESSORS)
    shuffled = list(arenas)
    rnd.shuffle(shuffled)
    assert overlap_pairs(shuffled, successors=SUCCESSORS) == pairs
    by_id = {a.id: a for a in arenas}
    for p in pairs:
        assert 0.0 < p.members_jaccard <= 1.0
        assert math.isclose(p.score, 0.5 * p.members_jaccard)
        flat = [m for g in p.shared_groups for m in g]
        assert len(flat) == len(set(flat)) == len(p.shared_members)
        assert set(flat) <= by_id[p.a].members | by_id[p.b].members
        # every shared group holds a member of each arena
        for g in p.shared_groups:
            assert set(g) & by_id[p.a].members
            assert set(g) & by_id[p.b].members
    # a direct shared member is always found
    for p in overlap_pairs(arenas):
        if p.shared_members:
            assert any(q.a == p.a and q.b == p.b for q in pairs)


def test_an_arena_carried_on_in_another_shares_its_purpose() -> None:
    """9K was transferred to 12K: the register itself says the work carried on there, so the
    pair's purpose likeness is full whatever words each was described in, and it ranks above
    arenas that merely share every member (KS Vestfold, VUF and Partnerskap in the demo)."""
    vestfold = f"{TWELVE} 0711 0713 {LATER}"
    nine_k = ArenaProfile(1, "9K", frozenset(NINE.split()), "Regional tenkning", continued_in=2)
    twelve_k = ArenaProfile(2, "12K", frozenset(f"{TWELVE} {LATER}".split()), "Tjenester")
    ks = ArenaProfile(3, "KS", frozenset(vestfold.split()), "Arbeidsgiverrollen i Vestfold")
    vuf = ArenaProfile(4, "VUF", frozenset(vestfold.split()), "Regional utvikling i Vestfold")
    pairs = overlap_pairs([nine_k, twelve_k, ks, vuf], successors=SUCCESSORS)
    top = pairs[0]
    assert (top.a, top.b) == (1, 2)
    assert top.reason.continued == "a_in_b"
    assert top.text_cosine == 1.0
    assert top.score == 0.5 * 9 / 12 + 0.5
    assert all(not p.reason.continued for p in pairs[1:])
    # the other way round reads b_in_a; a pair not linked by a transfer is scored on its text
    [back] = overlap_pairs(
        [
            ArenaProfile(1, "12K", twelve_k.members, "x"),
            ArenaProfile(2, "9K", nine_k.members, "y", 1),
        ],
        successors=SUCCESSORS,
    )
    assert back.reason.continued == "b_in_a"
    [plain] = overlap_pairs([profile(1, NINE, "x"), profile(2, TWELVE, "y")], successors=SUCCESSORS)
    assert plain.text_cosine == 0.0
    assert plain.reason.continued == ""
