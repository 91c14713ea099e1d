"""Overlap between cooperation arenas, for the "clean-up" review of who meets where about what.

Two arenas overlap through their members (municipality numbers) and through their purpose and
mandate text. Results carry the evidence as data; the UI decides how to phrase it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from samarbeid.lib.text import stem, tfidf_vectors, tokens

__all__ = [
    "ArenaProfile",
    "MemberRelation",
    "OverlapKind",
    "OverlapPair",
    "OverlapReason",
    "load_per_municipality",
    "overlap_pairs",
]

MAX_SHARED_TERMS = 5


@dataclass(frozen=True)
class ArenaProfile:
    id: int
    name: str
    members: frozenset[str]
    text: str


class OverlapKind(StrEnum):
    MEMBERS_AND_TEXT = "members_and_text"
    MEMBERS_ONLY = "members_only"
    TEXT_ONLY = "text_only"


class MemberRelation(StrEnum):
    IDENTICAL = "identical"
    A_WITHIN_B = "a_within_b"
    B_WITHIN_A = "b_within_a"
    PARTIAL = "partial"
    DISJOINT = "disjoint"


@dataclass(frozen=True)
class OverlapReason:
    kind: OverlapKind
    member_relation: MemberRelation


@dataclass(frozen=True)
class OverlapPair:
    a: int
    b: int
    members_jaccard: float
    text_cosine: float
    score: float
    shared_members: tuple[str, ...]
    shared_terms: tuple[str, ...]
    reason: OverlapReason


def _member_relation(a: frozenset[str], b: frozenset[str]) -> MemberRelation:
    if not a & b:
        return MemberRelation.DISJOINT
    if a == b:
        return MemberRelation.IDENTICAL
    if a < b:
        return MemberRelation.A_WITHIN_B
    if b < a:
        return MemberRelation.B_WITHIN_A
    return MemberRelation.PARTIAL


def _display_forms(texts: Iterable[str]) -> dict[str, str]:
    # Vectors are built on stems ("tjenest"); show people the commonest real word instead.
    seen: dict[str, Counter[str]] = {}
    for text in texts:
        for word in tokens(text):
            seen.setdefault(stem(word), Counter())[word] += 1
    return {
        s: min(forms.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
        for s, forms in seen.items()
    }


def overlap_pairs(
    arenas: Sequence[ArenaProfile],
    *,
    min_score: float = 0.0,
    member_weight: float = 0.5,
    text_weight: float = 0.5,
) -> list[OverlapPair]:
    if member_weight < 0 or text_weight < 0 or member_weight + text_weight == 0:
        raise ValueError("member_weight and text_weight must be non-negative and not both zero")
    ids = [arena.id for arena in arenas]
    if len(set(ids)) != len(ids):
        raise ValueError("arena ids must be unique")

    # Sorting by id makes a < b in every pair and the output independent of input order.
    ordered = sorted(arenas, key=lambda arena: arena.id)
    vectors = tfidf_vectors([arena.text for arena in ordered], stem_words=True)
    display = _display_forms(arena.text for arena in ordered)
    total_weight = member_weight + text_weight

    pairs: list[OverlapPair] = []
    for i, first in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            second = ordered[j]
            shared_members = first.members & second.members
            va, vb = vectors[i], vectors[j]
            contributions = {t: va[t] * vb[t] for t in va.keys() & vb.keys()}
            if not shared_members and not contributions:
                continue
            union = first.members | second.members
            jaccard = len(shared_members) / len(union) if union else 0.0
            # Vectors are L2-normalised, so the cosine is the sum of per-term contributions;
            # fsum keeps it independent of set iteration order.
            text_cosine = min(1.0, math.fsum(contributions.values()))
            score = (member_weight * jaccard + text_weight * text_cosine) / total_weight
            if score < min_score:
                continue
            top_terms = sorted(contributions.items(), key=lambda kv: (-kv[1], kv[0]))
            if shared_members and contributions:
                kind = OverlapKind.MEMBERS_AND_TEXT
            elif shared_members:
                kind = OverlapKind.MEMBERS_ONLY
            else:
                kind = OverlapKind.TEXT_ONLY
            pairs.append(
                OverlapPair(
                    a=first.id,
                    b=second.id,
                    members_jaccard=jaccard,
                    text_cosine=text_cosine,
                    score=score,
                    shared_members=tuple(sorted(shared_members)),
                    shared_terms=tuple(display[t] for t, _ in top_terms[:MAX_SHARED_TERMS]),
                    reason=OverlapReason(kind, _member_relation(first.members, second.members)),
                )
            )
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs


def load_per_municipality(memberships: Iterable[tuple[str, int]]) -> dict[str, int]:
    # A membership listed twice (e.g. via two roles) is still one arena for that municipality.
    counts = Counter(municipality for municipality, _ in set(memberships))
    # Busiest first: that is who the clean-up review is about.
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
