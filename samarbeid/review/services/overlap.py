"""Overlap between arenas (by purpose, members and meetings) and the load of arenas on each
municipality."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.arenas.models import Arena, Membership
from samarbeid.governance.models import Decision
from samarbeid.lib.overlap import (
    ArenaProfile,
    MemberRelation,
    OverlapKind,
    OverlapPair,
    load_per_municipality,
    overlap_pairs,
)
from samarbeid.registry.models import Municipality, MunicipalityChange


@dataclass(frozen=True)
class OverlapScope:
    """Which arenas and memberships are compared: those active on a day, those active at some
    time in a period (first and last day included), or, with neither, every arena over its
    whole life."""

    day: date | None = None
    first: date | None = None
    last: date | None = None

    @property
    def whole_life(self) -> bool:
        return self.day is None and self.first is None and self.last is None


def check_overlap_scope(day: date | None, first: date | None, last: date | None) -> OverlapScope:
    """Field errors for a scope a user typed: a date or a period, not both; a whole period."""
    errors: dict[str, str] = {}
    if day is not None and (first is not None or last is not None):
        errors["on"] = _("Velg enten en dato eller en periode, ikke begge.")
    if (first is None) != (last is None):
        errors["start" if first is None else "end"] = _("Oppgi både første og siste dag.")
    if first is not None and last is not None and last < first:
        errors["end"] = _("Siste dag kan ikke være før første dag.")
    if errors:
        raise ValidationError(errors)
    return OverlapScope(day=day, first=first, last=last)


def _arenas_in_scope(arenas: Iterable[Arena], scope: OverlapScope) -> list[Arena]:
    """An arena counts on a day when it was established by then and had not ended; one that is
    closed or transferred without an end date is known active on no particular day."""
    if scope.whole_life:
        return list(arenas)
    first = scope.day or scope.first
    last = scope.day or scope.last
    assert first is not None
    assert last is not None
    return [
        a
        for a in arenas
        if (a.established is None or a.established <= last)
        and (a.ended is None or a.ended >= first)
        and (a.ended is not None or a.is_open)
    ]


def _memberships_in_scope(arena_ids: Iterable[int], scope: OverlapScope) -> Any:
    memberships = Membership.objects.filter(arena_id__in=list(arena_ids))
    if scope.day is not None:
        return memberships.active_on(scope.day)
    if scope.first is not None and scope.last is not None:
        return memberships.filter(
            Q(left__isnull=True) | Q(left__gte=scope.first),
            Q(municipality__valid_to__isnull=True) | Q(municipality__valid_to__gte=scope.first),
            joined__lte=scope.last,
        )
    return memberships


def arena_profiles(
    arenas: Iterable[Arena],
    day: date | None = None,
    *,
    scope: OverlapScope | None = None,
    names: dict[str, Municipality] | None = None,
) -> list[ArenaProfile]:
    """Each arena's members (municipality codes) in the scope (`day` alone: active that day),
    with its purpose, mandate and primary task. `names` collects the municipalities by code."""
    scope = scope or OverlapScope(day=day)
    arena_list = list(arenas)
    codes: dict[int, set[str]] = {a.pk: set() for a in arena_list}
    for membership in _memberships_in_scope(codes, scope).select_related("municipality").order_by():
        codes[membership.arena_id].add(membership.municipality.code)
        if names is not None:
            names[membership.municipality.code] = membership.municipality
    return [
        ArenaProfile(
            id=a.pk,
            name=a.name,
            members=frozenset(codes[a.pk]),
            text=" ".join(t for t in (a.name, a.purpose, a.mandate, a.primary_task) if t),
            continued_in=a.transferred_to_id,
        )
        for a in arena_list
    ]


def successor_codes() -> dict[str, list[str]]:
    """Every municipality change as code → the codes that took it over (one query)."""

    found: dict[str, list[str]] = {}
    for before, after in MunicipalityChange.objects.values_list(
        "predecessor__code", "successor__code"
    ).order_by("predecessor__code", "successor__code"):
        found.setdefault(before, []).append(after)
    return found


@dataclass
class OverlapRow:
    a: Arena
    b: Arena
    pair: OverlapPair
    reason: str
    # Each shared member by name; a group joined by a merger or renumbering reads
    # "Nøtterøy / Tjøme / Færder"
    shared_names: list[str] = field(default_factory=list)
    shared_numbers: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.pair.score * 100)

    @property
    def shared_count(self) -> int:
        return len(self.pair.shared_groups) or len(self.pair.shared_members)


def overlap_reason(
    pair: OverlapPair, a: Arena, b: Arena, without_members: Sequence[Arena] = ()
) -> str:
    """The reason for an overlap, in Norwegian. `without_members`: those of the two with no
    members of their own (a sub-arena whose participants are its parent's): their members'
    overlap cannot be measured, and a Jaccard of 0 beside "14 (via KS-V)" in both rows
    misled a clerk."""
    shared = len(pair.shared_groups) or len(pair.shared_members)
    relation = pair.reason.member_relation
    if without_members:
        named = [arena.short_name or arena.name for arena in without_members]
        if len(named) == 1:
            members = _(
                "%(a)s har ingen egne medlemmer (deltakerne følger den overordnede arenaen), så "
                "felles medlemmer er ikke målt"
            ) % {"a": named[0]}
        else:
            members = _(
                "verken %(a)s eller %(b)s har egne medlemmer (deltakerne følger de overordnede "
                "arenaene), så felles medlemmer er ikke målt"
            ) % {"a": named[0], "b": named[1]}
        parts = [f"{members[:1].upper()}{members[1:]}"]
    elif relation == MemberRelation.IDENTICAL:
        members = _("samme %(n)d medlemmer") % {"n": shared}
    elif relation == MemberRelation.A_WITHIN_B:
        members = _("alle medlemmene i %(a)s er også med i %(b)s") % {
            "a": a.short_name,
            "b": b.short_name,
        }
    elif relation == MemberRelation.B_WITHIN_A:
        members = _("alle medlemmene i %(b)s er også med i %(a)s") % {
            "a": a.short_name,
            "b": b.short_name,
        }
    elif relation == MemberRelation.PARTIAL:
        members = _("%(n)d felles medlemmer") % {"n": shared}
    else:
        members = _("ingen felles medlemmer")
    if not without_members:
        jaccard = f"{pair.members_jaccard:.2f}".replace(".", ",")
        parts = [f"{members[:1].upper()}{members[1:]} (Jaccard {jaccard})"]
    if pair.reason.continued:
        earlier, later = (a, b) if pair.reason.continued == "a_in_b" else (b, a)
        parts.append(
            _("%(a)s ble videreført i %(b)s (samme formål)")
            % {"a": earlier.short_name, "b": later.short_name}
        )
    elif pair.reason.kind in (OverlapKind.MEMBERS_AND_TEXT, OverlapKind.TEXT_ONLY):
        terms = ", ".join(pair.shared_terms)
        parts.append(
            _("lignende formål og mandat (likhet %(c)s): %(t)s")
            % {"c": f"{pair.text_cosine:.2f}".replace(".", ","), "t": terms}
        )
    else:
        parts.append(_("ulikt formål"))
    return "; ".join(parts) + "."


def _group_name(group: tuple[str, ...], names: dict[str, Municipality]) -> str:
    places = sorted((names[c] for c in group if c in names), key=lambda m: (m.number, m.code))
    distinct: list[str] = []
    for place in places:
        if place.name not in distinct:
            distinct.append(place.name)
    return " / ".join(distinct)


def overlap_list(
    arenas: Iterable[Arena] | None = None,
    *,
    min_score: float = 0.15,
    day: date | None = None,
    scope: OverlapScope | None = None,
) -> list[OverlapRow]:
    """Pairs of arenas, most overlapping first, with the reason and the shared members by
    name. `scope`: the arenas active on a day or in a period, or every arena over its whole
    life (members through history: a member counts as what it became, see lib.overlap);
    without it, the arenas active on `day` (today)."""
    if scope is None:
        scope = OverlapScope(day=day or timezone.localdate())
    pool = _arenas_in_scope(arenas if arenas is not None else Arena.objects.all(), scope)
    by_id = {a.pk: a for a in pool}
    names: dict[str, Municipality] = {}
    profiles = arena_profiles(pool, scope=scope, names=names)
    pairs = overlap_pairs(
        profiles, min_score=min_score, successors=None if scope.day else successor_codes()
    )
    own_members = {profile.id: bool(profile.members) for profile in profiles}
    rows = []
    for p in pairs:
        groups = p.shared_groups or tuple((m,) for m in p.shared_members)
        ordered = sorted(groups, key=lambda g: min(names[c].number for c in g if c in names))
        rows.append(
            OverlapRow(
                by_id[p.a],
                by_id[p.b],
                p,
                overlap_reason(
                    p,
                    by_id[p.a],
                    by_id[p.b],
                    [by_id[i] for i in (p.a, p.b) if not own_members[i]],
                ),
                shared_names=[_group_name(g, names) for g in ordered],
                shared_numbers=sorted({names[c].number for c in p.shared_members if c in names}),
            )
        )
    return rows


def overlaps_by_arena(min_score: float = 0.2) -> dict[int, list[tuple[Arena, float, str]]]:
    found: dict[int, list[tuple[Arena, float, str]]] = {}
    # with each arena's parent: two arenas of the same name are told apart by it
    for row in overlap_list(Arena.objects.active().select_related("parent"), min_score=min_score):
        found.setdefault(row.a.pk, []).append((row.b, row.pair.score, row.reason))
        found.setdefault(row.b.pk, []).append((row.a, row.pair.score, row.reason))
    return found


@dataclass
class LoadRow:
    municipality: Municipality
    arenas: int
    meetings: int


def municipality_load(
    arenas: Iterable[Arena] | None = None, day: date | None = None
) -> list[LoadRow]:
    """How many active arenas each municipality sits in, and how many meetings those arenas'
    own bodies held in the last 12 months (each dated board decision counts its meeting once)."""
    day = day or timezone.localdate()
    pool = list(arenas) if arenas is not None else list(Arena.objects.active())
    ids = [a.pk for a in pool]
    pairs = list(
        Membership.objects.active_on(day)
        .filter(arena_id__in=ids)
        .values_list("municipality_id", "arena_id")
    )
    counts = load_per_municipality((str(m), a) for m, a in pairs)
    since = day - timedelta(days=365)
    meetings_per_arena: dict[int, int] = {}
    for arena_id, _meeting in (
        Decision.objects.filter(
            body=Decision.Body.ARENA_BOARD,
            arena_id__in=ids,
            meeting_date__gt=since,
            meeting_date__lte=day,
        )
        .order_by()
        .values_list("arena_id", "meeting_date")
        .distinct()
    ):
        meetings_per_arena[arena_id] = meetings_per_arena.get(arena_id, 0) + 1
    arenas_of: dict[int, set[int]] = {}
    for m, a in pairs:
        arenas_of.setdefault(m, set()).add(a)
    municipalities = Municipality.objects.in_bulk([int(m) for m in counts])
    return [
        LoadRow(
            municipality=municipalities[int(m)],
            arenas=n,
            meetings=sum(meetings_per_arena.get(a, 0) for a in arenas_of[int(m)]),
        )
        for m, n in counts.items()
    ]
