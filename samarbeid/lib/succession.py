"""Municipalities through mergers, renumberings and splits, as cost sharing sees them.
Pure, no Django: the register's changes come in as a mapping.

From the day a change takes effect its successor is one participant in a split, whichever
of its predecessors took part: Nøtterøy (0722) and Tjøme (0723), whose participations run
on after they became Færder in 2018, are one participant, Færder, from 2018, and each
their own before. A municipality split between several successors is carried by one of
them, the one with the lowest key (the register's hand-kept successors say who they are);
the caller passes `heirs` already resolved.

The successor's figures (`carry_over`):

* population: its own figure (a population is a count of the successor's residents, the
  predecessors' figures for the same year would count them twice or not at all);
* usage and negotiated (fixed) percentages: its own figure when it has one, otherwise the
  sum of the figures of the predecessors it carries on the line (usage of Nøtterøy and
  Tjøme in a year is Færder's usage; percentages negotiated for Nøtterøy and Tjøme are
  Færder's share), and missing when none of them has one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TypeVar

from samarbeid.lib.allocation import DECLARATION, Figure, Participant

K = TypeVar("K", bound=Hashable)

__all__ = ["carry_over", "holders_on"]


def holders_on(next_steps: Mapping[K, Sequence[tuple[date, K]]], start: K, day: date) -> list[K]:
    """Those holding `start`'s area on `day`, following every change in effect by then
    (`next_steps`: municipality → [(effective, successor)]): `[start]` if unchanged,
    several after a split. A bounded walk (20 steps) whatever the register holds."""
    result: list[K] = []
    frontier = [start]
    steps = 0
    while frontier and steps < 20:
        steps += 1
        following: list[K] = []
        for current in frontier:
            nexts = [s for effective, s in next_steps.get(current, ()) if effective <= day]
            if nexts:
                following.extend(nexts)
            elif current not in result:
                result.append(current)
        frontier = following
    return result


def _carried_sum(values: list[Decimal | None]) -> Decimal | None:
    known = [value for value in values if value is not None]
    return sum(known, Decimal(0)) if known else None


def carry_over(heirs: Mapping[str, str], figures: Mapping[str, Participant]) -> list[Participant]:
    """The participants of a line whose recorded participants are the keys of `heirs`
    (each mapped to who carries it on the line's date: itself if unchanged): one per
    successor, ordered by key, with the successor's figures by the rules of the module's
    docstring. `figures`: what is known of each recorded participant and successor (a key
    absent: nothing known)."""
    carried: dict[str, list[str]] = defaultdict(list)
    for recorded, heir in heirs.items():
        carried[heir].append(recorded)
    empty = Participant(key="")
    result: list[Participant] = []
    for heir in sorted(carried):
        own = figures.get(heir, empty)
        others = [figures.get(key, empty) for key in carried[heir] if key != heir]
        carried_figures: dict[str, Figure] = {}
        for component in DECLARATION:
            if component.attribute is None:
                continue
            figure = getattr(own, component.attribute)
            if figure is None and component.successor_sums:
                figure = _carried_sum([getattr(p, component.attribute) for p in others])
            carried_figures[component.attribute] = figure
        result.append(Participant.with_figures(heir, carried_figures))
    return result
