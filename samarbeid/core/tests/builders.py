"""Records the core tests build in more than one module."""

from __future__ import annotations

from decimal import Decimal

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import arena_with_members
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine


def two_arenas_one_budgeted() -> tuple[Arena, Arena, BudgetLine]:
    """Arena «En» (Larvik) with a 2026 budget of one base line under an equal key, and arena
    «To» (Horten): the stamp tests change a record of one and watch both arenas' stamps.
    Returns the two arenas and the base line."""
    one = arena_with_members(["3909"], name="En")
    two = arena_with_members(["3901"], name="To")
    key = AllocationKey.objects.create(arena=one, name="Likt", equal=Decimal(100))
    budget = Budget.objects.create(arena=one, year=2026)
    base = BudgetLine.objects.create(
        budget=budget, kind=BudgetLine.Kind.BASE, description="B", amount=Decimal(9), key=key
    )
    return one, two, base
