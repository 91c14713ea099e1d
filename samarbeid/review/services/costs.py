"""What an arena costs its municipalities per year, from finance's figures, and how the
review pages show it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from samarbeid.arenas.models import Arena
from samarbeid.finance.figures import arena_costs
from samarbeid.lib.money import format_nok
from samarbeid.registry.models import Municipality


def yearly_costs(
    arena: Arena,
    first_year: int,
    last_year: int,
    municipality: Municipality | None = None,
    *,
    lineage: Iterable[int] = (),
) -> dict[int, Decimal] | None:
    """Administration plus project costs per year (for one municipality, or all), or None
    when finance has no cost data for them. `lineage`: the municipality's predecessors, whose
    costs count as its own."""
    wanted = {municipality.pk, *lineage} if municipality is not None else set()
    totals: dict[int, Decimal] = {}
    for row in arena_costs(arena, first_year, last_year):
        if municipality is not None and row.municipality_id not in wanted:
            continue
        totals[row.year] = totals.get(row.year, Decimal("0")) + row.administration + row.projects
    return dict(sorted(totals.items())) if totals else None


def costs_display(costs: dict[int, Decimal] | None) -> list[str]:
    """Yearly costs as the pages show them: «2025: kr 1 234,50»."""
    if not costs:
        return []
    return [f"{year}: {format_nok(amount)}" for year, amount in costs.items()]
