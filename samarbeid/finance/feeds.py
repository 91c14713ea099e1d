"""What feeds the budget splits finance caches (finance.planning.planned_shares), and which
stamps a change to each record raises (see core.stamps): registered by FinanceConfig.ready.

Model label → (the arenas whose budgets' splits the record feeds, the fields that move it
from one arena's inputs to another's: an update of one of them raises the shared stamp,
since the arenas it fed before are no longer known). Every model the Planner reads is here
(a test checks it); a model of these apps that is not raises the shared stamp. Keys (with
their usage and fixed percentages) and participations are followed to the budgets whose
lines use the key or name the project, not to the key's or project's own arena: a project
can move to another arena after its budget lines were written.
"""

from __future__ import annotations

from typing import Any

from samarbeid.core.stamps import SHARED, Scope, SplitRule, every_arena, no_arena
from samarbeid.finance.models import Budget, BudgetLine


def _arenas_of_budgets(**line_filter: Any) -> set[int]:
    """The arenas of the budgets with a line matching `line_filter`."""
    lookups = {f"lines__{name}": value for name, value in line_filter.items()}
    return set(Budget.objects.filter(**lookups).values_list("arena_id", flat=True).distinct())


def _arena_of_budget(budget_id: int) -> Scope:
    found = Budget.objects.filter(pk=budget_id).values_list("arena_id", flat=True).first()
    return SHARED if found is None else {found}


def _arena_of_line(line_id: int) -> Scope:
    found = BudgetLine.objects.filter(pk=line_id).values_list("budget__arena_id", flat=True).first()
    return SHARED if found is None else {found}


SPLIT_INPUTS: dict[str, SplitRule] = {
    "registry.Municipality": (every_arena, frozenset()),
    "registry.MunicipalityChange": (every_arena, frozenset()),
    "registry.Population": (every_arena, frozenset()),
    "arenas.Arena": (lambda o: {o.pk}, frozenset()),
    "arenas.Membership": (lambda o: {o.arena_id}, frozenset({"arena"})),
    # The split reads a project's participations only (below), none of its own fields.
    "portfolio.Project": (lambda o: {o.arena_id}, frozenset()),
    "portfolio.Participation": (
        lambda o: _arenas_of_budgets(project_id=o.project_id),
        frozenset({"project"}),
    ),
    "portfolio.ProjectStatusChange": (no_arena, frozenset()),  # the split reads no status
    "finance.AllocationKey": (
        lambda o: {o.arena_id} | _arenas_of_budgets(key_id=o.pk),
        frozenset(),
    ),
    "finance.KeyUsage": (lambda o: _arenas_of_budgets(key_id=o.key_id), frozenset({"key"})),
    "finance.KeyFixedPercent": (lambda o: _arenas_of_budgets(key_id=o.key_id), frozenset({"key"})),
    "finance.Budget": (lambda o: {o.arena_id}, frozenset({"arena"})),
    "finance.BudgetLine": (lambda o: _arena_of_budget(o.budget_id), frozenset({"budget"})),
    "finance.Grant": (lambda o: _arena_of_line(o.line_id), frozenset({"line"})),
    "finance.InvoiceRun": (lambda o: {o.arena_id}, frozenset({"arena"})),
    # What was invoiced is read afresh on every computation, never cached with a split.
    "finance.Invoice": (no_arena, frozenset()),
    "finance.InvoiceLine": (no_arena, frozenset()),
    "finance.HostShareLine": (no_arena, frozenset()),
    # Read when invoices are made and approved, never by a split.
    "finance.InvoiceReference": (no_arena, frozenset()),
    "registry.LegalEntity": (no_arena, frozenset()),
}
