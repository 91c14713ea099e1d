"""External funding of budget lines: what each line's grants take off its cost before the
split, under its budget's choice (received or granted). One query for any number of lines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from samarbeid.finance.models import Budget, BudgetLine, Grant

ZERO = Decimal("0.00")


def external_by_line(
    lines: Iterable[BudgetLine], budgets: Mapping[int, Budget]
) -> dict[int, Decimal]:
    """Line id → the external funding its budget counts (lines without grants left out)."""
    ids = [line.pk for line in lines if line.pk is not None]
    if not ids:
        return {}
    basis = {line.pk: budgets[line.budget_id].external_basis for line in lines if line.pk}
    found: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for grant in Grant.objects.filter(line_id__in=ids).only(
        "line_id", "status", "amount_granted", "amount_received"
    ):
        found[grant.line_id] += grant.counted(basis[grant.line_id])
    return {pk: amount for pk, amount in found.items() if amount}


def net(gross: Decimal, external: Decimal) -> Decimal:
    """What is left to split of `gross` after `external` (never below nothing)."""
    return gross - min(external, gross)


@dataclass(frozen=True)
class LineFunding:
    """A line with its grants (prefetched), what they take off its cost, and the rest."""

    line: BudgetLine
    grants: list[Grant]
    external: Decimal
    net: Decimal


def line_funding(budget: Budget, lines: Iterable[BudgetLine]) -> list[LineFunding]:
    """Each line of `budget` with its grants (`lines` prefetched with `grants`: no query)."""
    found = []
    for line in lines:
        grants = list(line.grants.all())
        external = sum((g.counted(budget.external_basis) for g in grants), ZERO)
        found.append(
            LineFunding(line, grants, min(external, line.amount), net(line.amount, external))
        )
    return found


@dataclass(frozen=True)
class ExternalFunding:
    """One grant's external funding of a budget line, as its budget counts it."""

    arena_id: int
    year: int
    line: str
    grantor: str
    grantor_kind: str
    amount: Decimal
    is_example_data: bool


def external_funding(
    arena_ids: Iterable[int] | None, first_year: int, last_year: int
) -> list[ExternalFunding]:
    """The grants on the arenas' budgets of the years that count (received or granted, as
    each budget chooses; nothing for a grant that counts nothing), in one query. `arena_ids`
    None: every arena."""
    grants = Grant.objects.filter(
        line__budget__year__gte=first_year, line__budget__year__lte=last_year
    )
    if arena_ids is not None:
        grants = grants.filter(line__budget__arena_id__in=list(arena_ids))
    found = []
    for grant in grants.select_related("line__budget").order_by(
        "line__budget__year", "line__budget__arena_id", "line_id", "id"
    ):
        budget = grant.line.budget
        amount = grant.counted(budget.external_basis)
        if amount:
            found.append(
                ExternalFunding(
                    budget.arena_id,
                    budget.year,
                    grant.line.description,
                    grant.grantor_name,
                    grant.get_grantor_kind_display(),
                    amount,
                    grant.is_example_data,
                )
            )
    return found
