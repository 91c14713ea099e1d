"""Overlap between cooperation arenas, for the "clean-up" review of who meets where about what.

Two arenas overlap through their members (municipality numbers) and through their purpose and
mandate text. Results carry the evidence as data; the UI decides how to phrase it.

Members through history (`successors`, member → the members that took it over): when arenas
are compared over a period, a member is the same member as what it became. Within an arena a
membership carried on through a merger or renumbering is one member (its first members count:
12K has its 12, whatever their numbers today). Between two arenas, a member of one counts as
shared when the other had it, or else had what it became (its nearest successors the other
had); members so joined form one shared group. The member likeness is shared groups over all
groups (9K–12K: 9 of 12).

An arena carried on in another (`continued_in`: 9K was transferred to 12K) shares its purpose
with it by the register's own record, whatever words each was described in: such a pair's
text likeness is full, and its reason says so.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
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
    # The arena this one was transferred to (its work carried on there), if any
    continued_in: int | None = None


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
    # One arena was carried on in the other: `a` in `b` ("a_in_b") or `b` in `a` ("b_in_a")
    continued: str = ""


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
    # Each shared member as the group of members it is in either arena (one member each
    # unless a merger or renumbering joined them); sorted
    shared_groups: tuple[tuple[str, ...], ...] = ()


class _History:
    """One arena's members through history: its first members and, for each member, the
    first members it carries on."""

    def __init__(self, members: frozenset[str], successors: Mapping[str, Sequence[str]]) -> None:
        self.members = members
        before: dict[str, set[str]] = {m: set() for m in members}
        for m in members:
            for nxt in successors.get(m, ()):
                if nxt in before:
                    before[nxt].add(m)
        self.roots_of: dict[str, frozenset[str]] = {}
        for m in sorted(members):
            roots: set[str] = set()
            frontier, seen = [m], {m}
            while frontier:
                current = frontier.pop()
                if before[current]:
                    for p in before[current] - seen:
                        seen.add(p)
                        frontier.append(p)
                else:
                    roots.add(current)
            self.roots_of[m] = frozenset(roots)
        self.roots = frozenset(r for rs in self.roots_of.values() for r in rs)
        reach: set[str] = set(members)
        frontier2 = list(members)
        while frontier2:
            for nxt in successors.get(frontier2.pop(), ()):
                if nxt not in reach:
                    reach.add(nxt)
                    frontier2.append(nxt)
        self.reach = frozenset(reach)  # the members and everything they became


def _matches(root: str, other: _History, successors: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """The first members of `other` that `root` is the same member as: the one it is, or
    else those its nearest successors that `other` had carry on."""
    if root in other.members:
        return other.roots_of[root]
    frontier, seen = [root], {root}
    for _step in range(50):
        following = [n for f in frontier for n in successors.get(f, ()) if n not in seen]
        if not following:
            break
        seen.update(following)
        found = [n for n in following if n in other.members]
        if found:
            return frozenset(r for n in found for r in other.roots_of[n])
        frontier = following
    return frozenset()


def _groups(
    first: _History, second: _History, successors: Mapping[str, Sequence[str]]
) -> tuple[list[tuple[frozenset[str], bool, bool]], int]:
    """The member groups of a pair: (members, in first, in second), and how many groups."""
    parent: dict[str, str] = {r: r for r in first.roots | second.roots}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for this, other in ((first, second), (second, first)):
        for root in this.roots:
            for match in _matches(root, other, successors):
                parent[find(root)] = find(match)
    groups: dict[str, set[str]] = {}
    for r in parent:
        groups.setdefault(find(r), set()).add(r)
    result = [
        (frozenset(g), bool(g & first.roots), bool(g & second.roots)) for g in groups.values()
    ]
    return result, len(result)


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
    successors: Mapping[str, Sequence[str]] | None = None,
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
    history = [_History(arena.members, successors) for arena in ordered] if successors else None

    pairs: list[OverlapPair] = []
    for i, first in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            second = ordered[j]
            va, vb = vectors[i], vectors[j]
            contributions = {t: va[t] * vb[t] for t in va.keys() & vb.keys()}
            relation: MemberRelation | None = None
            shared_groups: tuple[tuple[str, ...], ...] = ()
            if history is None:
                shared_members = first.members & second.members
                union = first.members | second.members
                jaccard = len(shared_members) / len(union) if union else 0.0
                shared_groups = tuple((m,) for m in sorted(shared_members))
            else:
                ha, hb = history[i], history[j]
                shared_members = frozenset()
                jaccard = 0.0
                if ha.reach & hb.members or hb.reach & ha.members:
                    groups, count = _groups(ha, hb, successors or {})
                    shared = [g for g, in_a, in_b in groups if in_a and in_b]
                    shared_members = frozenset(m for g in shared for m in g)
                    shared_groups = tuple(sorted(tuple(sorted(g)) for g in shared))
                    jaccard = len(shared) / count if count else 0.0
                    only_a = any(in_a and not in_b for _g, in_a, in_b in groups)
                    only_b = any(in_b and not in_a for _g, in_a, in_b in groups)
                    relation = (
                        MemberRelation.DISJOINT
                        if not shared
                        else MemberRelation.IDENTICAL
                        if not only_a and not only_b
                        else MemberRelation.A_WITHIN_B
                        if not only_a
                        else MemberRelation.B_WITHIN_A
                        if not only_b
                        else MemberRelation.PARTIAL
                    )
            continued = (
                "a_in_b"
                if first.continued_in == second.id
                else "b_in_a"
                if second.continued_in == first.id
                else ""
            )
            if not shared_members and not contributions and not continued:
                continue
            # Vectors are L2-normalised, so the cosine is the sum of per-term contributions;
            # fsum keeps it independent of set iteration order.
            text_cosine = 1.0 if continued else min(1.0, math.fsum(contributions.values()))
            score = (member_weight * jaccard + text_weight * text_cosine) / total_weight
            if score < min_score:
                continue
            top_terms = sorted(contributions.items(), key=lambda kv: (-kv[1], kv[0]))
            if shared_members and (contributions or continued):
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
                    reason=OverlapReason(
                        kind,
                        relation or _member_relation(first.members, second.members),
                        continued,
                    ),
                    shared_groups=shared_groups,
                )
            )
    pairs.sort(key=lambda p: (-p.score, p.a, p.b))
    return pairs


def load_per_municipality(memberships: Iterable[tuple[str, int]]) -> dict[str, int]:
    # A membership listed twice (e.g. via two roles) is still one arena for that municipality.
    counts = Counter(municipality for municipality, _ in set(memberships))
    # Busiest first: that is who the clean-up review is about.
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
