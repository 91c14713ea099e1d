"""The account of a period (read side): savings against administration and project costs,
per municipality and year, for an arena and its sub-arenas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from samarbeid.arenas.models import Arena
from samarbeid.arenas.served import with_sub_arenas
from samarbeid.finance.external import ExternalFunding, external_funding
from samarbeid.finance.figures import arena_costs
from samarbeid.registry.models import Municipality
from samarbeid.strategy.models import (
    AdministrationCost,
    EconomicResult,
)
from samarbeid.strategy.services.scope import ZERO, check_period


@dataclass
class CostLine:
    municipality_id: int | None
    year: int
    administration: Decimal
    projects: Decimal


def finance_costs(arena: Arena, first_year: int, last_year: int) -> list[CostLine]:
    """Administration and project costs from finance (issued invoices, else the budget's
    planned split), per municipality and year, for the arena and its sub-arenas."""
    lines: list[CostLine] = []
    for member in Arena.objects.filter(pk__in=with_sub_arenas([arena.pk])).order_by("pk"):
        lines.extend(
            CostLine(row.municipality_id, row.year, row.administration, row.projects)
            for row in arena_costs(member, first_year, last_year)
        )
    return lines


@dataclass
class AccountRow:
    municipality: Municipality | None  # None: the cooperation as a whole, not split
    savings_estimated: Decimal = ZERO
    savings_realised: Decimal = ZERO
    administration: Decimal = ZERO
    project_costs: Decimal = ZERO
    other_costs: Decimal = ZERO

    @property
    def costs(self) -> Decimal:
        return self.administration + self.project_costs + self.other_costs

    @property
    def net_realised(self) -> Decimal:
        return self.savings_realised - self.costs

    def add(self, other: AccountRow) -> None:
        self.savings_estimated += other.savings_estimated
        self.savings_realised += other.savings_realised
        self.administration += other.administration
        self.project_costs += other.project_costs
        self.other_costs += other.other_costs


@dataclass
class YearRow:
    """A year, or a span of years when a source gives one sum for several."""

    first: int
    last: int
    savings_estimated: Decimal = ZERO
    savings_realised: Decimal = ZERO
    costs: Decimal = ZERO

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"

    @property
    def is_zero(self) -> bool:
        return not (self.savings_estimated or self.savings_realised or self.costs)


@dataclass
class PeriodAccount:
    arena: Arena
    first_year: int
    last_year: int
    rows: list[AccountRow]
    total: AccountRow
    by_year: list[YearRow]
    economic_results: list[EconomicResult]
    administration_costs: list[AdministrationCost]
    excluded: list[str] = field(default_factory=list)
    # In the period but kept outside the sums with the source's reason ("Holdt utenfor")
    kept_outside: list[EconomicResult] = field(default_factory=list)
    # Grants and other external funding of the arenas' budget lines ("Eksterne midler"):
    # taken off the lines' costs before the split, so in no municipality's costs
    external: list[ExternalFunding] = field(default_factory=list)

    @property
    def external_total(self) -> Decimal:
        return sum((e.amount for e in self.external), ZERO)

    @property
    def contributions(self) -> Decimal:
        """What the members paid through finance: administration and project costs."""
        return self.total.administration + self.total.project_costs

    @property
    def kept_outside_savings(self) -> Decimal:
        return sum(
            (r.amount for r in self.kept_outside if r.kind == EconomicResult.Kind.SAVING), ZERO
        )

    @property
    def kept_outside_costs(self) -> Decimal:
        return sum(
            (r.amount for r in self.kept_outside if r.kind == EconomicResult.Kind.COST), ZERO
        )

    @property
    def is_empty(self) -> bool:
        return (
            not self.economic_results
            and not self.kept_outside
            and not self.administration_costs
            and not self.external
            and all(r.costs == 0 for r in self.rows)
        )

    @property
    def period_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


def named_rows(
    account: PeriodAccount, name: Callable[[Municipality], str] = str
) -> list[tuple[str, AccountRow]]:
    """Each row of the account with what it is called: its municipality by `name` (the
    record as it is today by default; a report names it as it was in its year), the row of
    what is not split between the members «Samarbeidet samlet (ikke fordelt)»."""
    return [
        (name(r.municipality) if r.municipality else _("Samarbeidet samlet (ikke fordelt)"), r)
        for r in account.rows
    ]


def period_account(arena: Arena, first_year: int | None, last_year: int | None) -> PeriodAccount:
    """Savings (estimated and realised apart) against administration and project costs, per
    municipality and in total, for the arena and its sub-arenas over the chosen years.
    A figure the source gives for a span of years counts when its whole span lies in the
    period; one that reaches outside is listed as left out, never prorated. A result kept
    outside the account (with its reason) is listed apart and in no sum."""
    check_period(first_year, last_year)
    assert first_year is not None
    assert last_year is not None
    rows: dict[int | None, AccountRow] = {}
    years: dict[tuple[int, int], YearRow] = {
        (y, y): YearRow(y, y) for y in range(first_year, last_year + 1)
    }

    def year_row(first: int, last: int) -> YearRow:
        if (first, last) not in years:
            years[(first, last)] = YearRow(first, last)
        return years[(first, last)]

    def row(municipality_id: int | None) -> AccountRow:
        if municipality_id not in rows:
            rows[municipality_id] = AccountRow(None)
        return rows[municipality_id]

    excluded: list[str] = []
    family = with_sub_arenas([arena.pk])
    results = list(
        EconomicResult.objects.filter(project__arena_id__in=family, year__lte=last_year)
        .select_related("project", "municipality")
        .order_by("year", "project__code", "id")
    )
    included: list[EconomicResult] = []
    kept_outside: list[EconomicResult] = []
    for r in results:
        if r.last_year < first_year:
            continue
        if r.year < first_year or r.last_year > last_year:
            excluded.append(
                _("%(p)s: %(k)s %(y)s går utenfor perioden og er ikke tatt med.")
                % {"p": r.project.title, "k": r.get_kind_display(), "y": r.years_label}
            )
            continue
        if r.is_kept_outside:
            kept_outside.append(r)
            continue
        included.append(r)
        target = row(r.municipality_id)
        span = year_row(r.year, r.last_year)
        if r.kind == EconomicResult.Kind.SAVING:
            if r.basis == "realised":
                target.savings_realised += r.amount
                span.savings_realised += r.amount
            else:
                target.savings_estimated += r.amount
                span.savings_estimated += r.amount
        else:
            target.other_costs += r.amount
            span.costs += r.amount
    admin_costs: list[AdministrationCost] = []
    for cost in AdministrationCost.objects.filter(arena_id__in=family).order_by("first_year"):
        if cost.last_year < first_year or cost.first_year > last_year:
            continue
        if cost.first_year < first_year or cost.last_year > last_year:
            excluded.append(
                _("Administrasjonskostnad %(a)s–%(b)s går utenfor perioden og er ikke tatt med.")
                % {"a": cost.first_year, "b": cost.last_year}
            )
            continue
        admin_costs.append(cost)
        row(None).administration += cost.amount
        year_row(cost.first_year, cost.last_year).costs += cost.amount
    for line in finance_costs(arena, first_year, last_year):
        if not first_year <= line.year <= last_year:
            continue
        target = row(line.municipality_id)
        target.administration += line.administration
        target.project_costs += line.projects
        year_row(line.year, line.year).costs += line.administration + line.projects
    municipalities = Municipality.objects.in_bulk([k for k in rows if k is not None])
    ordered: list[AccountRow] = []
    for key in sorted(
        rows, key=lambda k: ("1", "") if k is None else ("0", municipalities[k].number)
    ):
        entry = rows[key]
        entry.municipality = municipalities[key] if key is not None else None
        ordered.append(entry)
    total = AccountRow(None)
    for entry in ordered:
        total.add(entry)
    return PeriodAccount(
        arena=arena,
        first_year=first_year,
        last_year=last_year,
        rows=ordered,
        total=total,
        by_year=[years[k] for k in sorted(years) if not years[k].is_zero],
        economic_results=included,
        administration_costs=admin_costs,
        excluded=excluded,
        kept_outside=kept_outside,
        external=external_funding(family, first_year, last_year),
    )
