"""The allocation components on the Django side of `lib.allocation.DECLARATION`: where the
planner reads each component's figures (`FIGURES`) and what the pages say when a line
cannot be split for want of them (`MESSAGES`). The declaration itself (name, label,
participant attribute, share rule, error codes) is lib's; the key's weight column, its form,
the API and the key's page iterate it. Every component that shares by a figure has a loader
here and a message for its `missing_code` (a test checks)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samarbeid.finance.models import AllocationKey, KeyFixedPercent, KeyUsage
from samarbeid.lib.allocation import Figure
from samarbeid.registry.models import Population


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

# AllocationError code about a component's figures → the message for a line that cannot be
# split, with %(m)s (the municipality), %(key)s, %(line)s, %(year)s (the budget year),
# %(ref)s (the population's reference year) and %(sum)s (the participants' figures added).
MESSAGES: dict[str, Promise] = {
    "population_missing": _(
        "Mangler folketall for %(m)s per 1. januar %(ref)s (nøkkel «%(key)s», linje «%(line)s»)."
    ),
    "population_zero": _("Samlet folketall er 0 (nøkkel «%(key)s»)."),
    "usage_missing": _(
        "Mangler forbruk for %(m)s i %(year)s (nøkkel «%(key)s», linje «%(line)s»)."
    ),
    "usage_zero": _("Samlet forbruk i %(year)s er 0 (nøkkel «%(key)s», linje «%(line)s»)."),
    "fixed_missing": _("Mangler fast prosent for %(m)s (nøkkel «%(key)s», linje «%(line)s»)."),
    "fixed_sum": _(
        "De faste prosentene i nøkkel «%(key)s» summerer til %(sum)s for "
        "deltakerne på linje «%(line)s», ikke 100."
    ),
}
