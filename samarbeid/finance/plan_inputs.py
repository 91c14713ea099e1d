"""What the planner reads: lines, keys, grants, members, participants and figures, in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, Q

from samarbeid.arenas.models import Arena, Membership
from samarbeid.finance.external import external_by_line
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine, KeyFixedPercent, KeyUsage
from samarbeid.lib.allocation import Figure
from samarbeid.portfolio.models import Participation
from samarbeid.registry.models import Municipality, MunicipalityChange, Population
from samarbeid.registry.services import SuccessorMap

# The components' figures ------------------------------------------------------------------


@dataclass(frozen=True)
class FigureQuery:
    """What the planner splits by one component: the keys that weigh it (by id), each line's
    (key, budget year), and the municipalities taking part (with their successors)."""

    keys: Mapping[int, AllocationKey]
    lines: set[tuple[AllocationKey, int]]
    municipality_ids: set[int]

    @property
    def years(self) -> set[int]:
        return {year for _key, year in self.lines}


# A participant's figure: (key, municipality id, budget year) → the figure, None: not known.
Lookup = Callable[[AllocationKey, int, int], Figure]


def _populations(query: FigureQuery) -> Lookup:
    """Population on 1 January of each key's reference year (registry.Population)."""
    found = {
        (municipality_id, year): count
        for municipality_id, year, count in Population.objects.filter(
            municipality_id__in=query.municipality_ids,
            year__in={key.reference_year(year) for key, year in query.lines},
        ).values_list("municipality_id", "year", "count")
    }
    return lambda key, municipality_id, year: found.get((municipality_id, key.reference_year(year)))


def _usages(query: FigureQuery) -> Lookup:
    """Units of usage recorded on the key for the budget year (KeyUsage)."""
    found = {
        (key_id, municipality_id, year): units
        for key_id, municipality_id, year, units in KeyUsage.objects.filter(
            key_id__in=query.keys, year__in=query.years
        ).values_list("key_id", "municipality_id", "year", "units")
    }
    return lambda key, municipality_id, year: found.get((key.pk, municipality_id, year))


def _fixed_percents(query: FigureQuery) -> Lookup:
    """The percentage negotiated on the key, whatever the year (KeyFixedPercent)."""
    found = {
        (key_id, municipality_id): percent
        for key_id, municipality_id, percent in KeyFixedPercent.objects.filter(
            key_id__in=query.keys
        ).values_list("key_id", "municipality_id", "percent")
    }
    return lambda key, municipality_id, _year: found.get((key.pk, municipality_id))


# Component name → how the planner loads its figures: one query for every budget it splits.
FIGURES: dict[str, Callable[[FigureQuery], Lookup]] = {
    "per_capita": _populations,
    "usage": _usages,
    "fixed": _fixed_percents,
}


def overlaps(start: date | None, end: date | None, first: date, last: date) -> bool:
    return (start is None or start <= last) and (end is None or end >= first)


# Who shares a year's lines, asked in SQL: for what is told without planning
# (finance.run_checks: a budget with no one to invoice). The same rule as
# PlanInputs.members and .participants, which the planner reads; a change to one is a
# change to the other.


def members_in_year(arena: Any, year: Any) -> Exists:
    """Whether `arena` has a member in `year` (values or expressions, e.g. OuterRef), as
    `PlanInputs.members` finds them: a membership overlapping the year, of a municipality
    that had come into being by its end (one that has ceased since still counts)."""
    return Exists(
        Membership.objects.filter(
            Q(left__isnull=True) | Q(left__year__gte=year),
            Q(municipality__valid_from__isnull=True) | Q(municipality__valid_from__year__lte=year),
            arena=arena,
            joined__year__lte=year,
        )
    )


def participants_in_year(project: Any, year: Any) -> Exists:
    """Whether `project` has a participant in `year`, as `PlanInputs.participants` finds
    them: a joined participation overlapping the year."""
    return Exists(
        Participation.objects.filter(
            Q(until__isnull=True) | Q(until__year__gte=year),
            project=project,
            status=Participation.Status.JOINED,
            since__year__lte=year,
        )
    )


class PlanInputs:
    """Loads what a set of budgets needs once, with a fixed number of queries; the Planner
    splits their lines from it."""

    def __init__(
        self,
        budgets: Sequence[Budget],
        *,
        successors: SuccessorMap | None = None,
        lines: Sequence[BudgetLine] | None = None,
    ) -> None:
        """`lines`: unsaved lines to split instead of the budgets' stored ones (previews)."""
        self.budgets = {b.pk: b for b in budgets}
        self.successors = successors or SuccessorMap()
        self.lines: list[BudgetLine]
        self.keys: dict[int, AllocationKey]
        if lines is not None:
            self.lines = list(lines)
            self.keys = {line.key_id: line.key for line in self.lines}
        else:
            # The keys apart: thousands of lines share a few keys.
            self.lines = list(
                BudgetLine.objects.filter(budget_id__in=self.budgets).order_by(
                    "budget_id", "kind", "project__code", "id"
                )
            )
            self.keys = AllocationKey.objects.in_bulk({line.key_id for line in self.lines})
        # The grants taken off each line's cost before the split: one query.
        self.external = external_by_line(self.lines, self.budgets)
        years = {b.year for b in budgets}
        first = date(min(years), 1, 1) if years else date.min
        last = date(max(years), 12, 31) if years else date.min
        arena_ids = {b.arena_id for b in budgets}
        self.arenas = Arena.objects.in_bulk(arena_ids)

        self.memberships: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
        if any(line.kind == BudgetLine.Kind.BASE for line in self.lines):
            for arena_id, municipality_id, joined, left in Membership.objects.filter(
                Q(left__isnull=True) | Q(left__gte=first),
                arena_id__in=arena_ids,
                joined__lte=last,
            ).values_list("arena_id", "municipality_id", "joined", "left"):
                self.memberships[arena_id].append((municipality_id, joined, left))

        project_ids = {line.project_id for line in self.lines if line.project_id}
        self.participations: dict[int, list[tuple[int, date, date | None]]] = defaultdict(list)
        for project_id, municipality_id, since, until in Participation.objects.filter(
            Q(until__isnull=True) | Q(until__gte=first),
            project_id__in=project_ids,
            status=Participation.Status.JOINED,
            since__lte=last,
        ).values_list("project_id", "municipality_id", "since", "until"):
            self.participations[project_id].append((municipality_id, since, until))

        ids: set[int] = {m for rows in self.memberships.values() for m, _s, _e in rows}
        ids |= {m for rows in self.participations.values() for m, _s, _e in rows}
        ids |= {a.host_municipality_id for a in self.arenas.values() if a.host_municipality_id}
        # With every municipality that succeeds another, in the same query: `payer` then
        # finds the heir of a merged municipality without a query of its own.
        self.municipalities: dict[int, Municipality] = {
            m.pk: m
            for m in Municipality.objects.filter(
                Q(pk__in=ids) | Q(pk__in=MunicipalityChange.objects.values("successor_id"))
            )
        }

        # Those who carry the recorded ones on each year's split day: their populations too.
        self._successor: dict[tuple[int, date], Municipality] = {}
        for year in years:
            day = self.split_day(year)
            for m in list(ids):
                if m in self.municipalities:
                    ids.add(self.successor_on(self.municipalities[m], day).pk)
        # Each component's figures, for the keys that weigh it: one query each.
        self._figures: dict[str, Lookup] = {}
        key_years = {(line.key_id, self.budgets[line.budget_id].year) for line in self.lines}
        for name, load in FIGURES.items():
            weighing = {
                (self.keys[key_id], year)
                for key_id, year in key_years
                if getattr(self.keys[key_id], name)
            }
            if weighing:
                keys = {key.pk: key for key, _year in weighing}
                self._figures[name] = load(FigureQuery(keys, weighing, ids))

    # Participants -----------------------------------------------------------------------

    def _valid_in(self, municipality: Municipality, first: date, last: date) -> bool:
        return overlaps(municipality.valid_from, municipality.valid_to, first, last)

    @staticmethod
    def split_day(year: int) -> date:
        """The day whose municipalities share a line of `year`: a change in effect by then
        (they take effect on 1 January) makes the successor one participant that year."""
        return date(year, 12, 31)

    def successor_on(self, municipality: Municipality, day: date) -> Municipality:
        """Who holds `municipality`'s area on `day`: itself if unchanged; after a split,
        the successor with the lowest code (as `payer`)."""
        found = self._successor.get((municipality.pk, day))
        if found is None:
            heirs = self.successors.successor_ids_on(municipality.pk, day)
            if not heirs or heirs == [municipality.pk]:
                found = municipality
            else:
                missing = [h for h in heirs if h not in self.municipalities]
                if missing:
                    self.municipalities.update(Municipality.objects.in_bulk(missing))
                found = min((self.municipalities[h] for h in heirs), key=lambda m: m.code)
            self._successor[(municipality.pk, day)] = found
        return found

    def members(self, arena_id: int, year: int) -> list[Municipality]:
        """The members in `year` as recorded (not one that came into being after it; a
        ceased one whose membership runs on is kept: `_heirs_of` gives its successor)."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        found = {
            m
            for m, joined, left in self.memberships.get(arena_id, [])
            if overlaps(joined, left, first, last)
            and self._valid_in(self.municipalities[m], date.min, last)
        }
        return sorted((self.municipalities[m] for m in found), key=lambda m: m.code)

    def participants(self, project_id: int, year: int) -> list[Municipality]:
        """Those who took part in `year`, as recorded (a ceased municipality stays itself;
        `_heirs_of` gives who carries it)."""
        first, last = date(year, 1, 1), date(year, 12, 31)
        found = {
            m
            for m, since, until in self.participations.get(project_id, [])
            if overlaps(since, until, first, last)
        }
        return sorted((self.municipalities[m] for m in found), key=lambda m: m.code)

    def figure(self, name: str, key: AllocationKey, municipality_id: int, year: int) -> Figure:
        """A municipality's figure for the component `name` on a line of `key` in `year`
        (None: not known, or the key does not weigh the component)."""
        lookup = self._figures.get(name)
        return lookup(key, municipality_id, year) if lookup and getattr(key, name) else None
