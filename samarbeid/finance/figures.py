"""The read side other apps use: what an arena costs, what a municipality pays, a run's
totals and summary for the reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.arenas.models import Arena, Membership
from samarbeid.finance.models import (
    Budget,
    BudgetLine,
    HostShareLine,
    Invoice,
    InvoiceLine,
    InvoiceRun,
)
from samarbeid.finance.planning import plan, planned_shares
from samarbeid.lib.money import format_nok
from samarbeid.portfolio.models import Participation
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import SuccessorMap

# Figures for pages and reports ----------------------------------------------------------------


def invoiced_by_municipality(run: InvoiceRun) -> dict[int, Decimal]:
    """What an issued run invoiced per municipality the share was for (a line of Færder's
    invoice may be Tjøme's share), its first invoices and the host's own share, before any
    credit note: what the budget's split was when it was invoiced."""
    invoiced: dict[int, Decimal] = {}
    shares = [
        *InvoiceLine.objects.filter(
            invoice__run=run, invoice__kind=Invoice.Kind.INVOICE, invoice__replaces__isnull=True
        ).values_list("share_of_id", "invoice__buyer_id", "amount"),
        *HostShareLine.objects.filter(run=run).values_list(
            "share_of_id", "municipality_id", "amount"
        ),
    ]
    for share_of, payer, amount in shares:
        whose = share_of or payer
        invoiced[whose] = invoiced.get(whose, Decimal("0.00")) + amount
    return invoiced


def drift_from_invoiced(run: InvoiceRun | None, split: list[dict[str, Any]]) -> list[str]:
    """Where the split worked out with today's figures differs from what the issued run
    invoiced (`invoiced_by_municipality`): a population corrected after invoicing changes
    the split shown, never the invoices. `split`: the budget page's rows, each with its
    `municipality` and `total`."""
    if run is None or run.status != InvoiceRun.Status.ISSUED or not split:
        return []
    invoiced = invoiced_by_municipality(run)
    return [
        _("%(m)s: %(now)s kr med dagens tall, %(then)s kr fakturert")
        % {
            "m": f"{row['municipality'].name} ({row['municipality'].number})",
            "now": format_nok(row["total"], "nb"),
            "then": format_nok(invoiced.get(row["municipality"].pk, Decimal(0)), "nb"),
        }
        for row in split
        if row["total"] != invoiced.get(row["municipality"].pk, Decimal("0.00"))
    ]


@dataclass(frozen=True)
class MunicipalityTotal:
    municipality: Municipality
    amount: Decimal


def run_totals(run: InvoiceRun) -> list[MunicipalityTotal]:
    """Net amount per paying municipality (invoices minus credit notes)."""
    return _run_documents(run)[0]


def _run_documents(run: InvoiceRun) -> tuple[list[MunicipalityTotal], Decimal, Decimal]:
    """run_totals, with what the run's credit notes credited and what its corrected
    invoices invoiced again (both included in the totals), from one query."""
    totals: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    buyers: dict[int, Municipality] = {}
    credited = corrected = Decimal("0.00")
    for invoice in run.invoices.select_related("buyer"):
        totals[invoice.buyer_id] += invoice.signed_total
        buyers[invoice.buyer_id] = invoice.buyer
        if invoice.kind == Invoice.Kind.CREDIT_NOTE:
            credited += invoice.total
        elif invoice.replaces_id is not None:
            corrected += invoice.total
    ordered = [
        MunicipalityTotal(buyers[m], amount)
        for m, amount in sorted(totals.items(), key=lambda kv: buyers[kv[0]].code)
    ]
    return ordered, credited, corrected


def invoiced_totals(run: InvoiceRun) -> list[MunicipalityTotal]:
    """`invoiced_by_municipality` with each municipality read (one query), by number."""
    amounts = invoiced_by_municipality(run)
    found = Municipality.objects.in_bulk(amounts)
    return sorted(
        (MunicipalityTotal(found[pk], amount) for pk, amount in amounts.items()),
        key=lambda total: (total.municipality.number, total.municipality.pk),
    )


def host_share(run: InvoiceRun) -> MunicipalityTotal | None:
    """The host municipality's own share of the run ("egen andel"): not invoiced, no EHF
    or KID, never sent. None when the host pays nothing in the run."""
    rows = list(
        run.host_share_lines.order_by()
        .values("municipality_id")
        .annotate(amount=Sum("amount"))
        .values_list("municipality_id", "amount")
    )
    if not rows:
        return None
    municipality_id, amount = rows[0]
    municipality = (
        run.seller
        if run.seller_id == municipality_id
        else (Municipality.objects.get(pk=municipality_id))
    )
    return MunicipalityTotal(municipality, _money_value(amount))


@dataclass(frozen=True)
class FundingRow:
    """A budget line of a run with external funding (grants): its gross cost, the funding
    taken off it, and the net the members share."""

    description: str
    gross: Decimal
    external: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.external


def run_funding(run: InvoiceRun) -> list[FundingRow]:
    """The run's budget lines that have external funding, in line order. Every line of a
    budget line carries the same gross and external (stored when the run was made), so one
    line per budget line tells them; the host's own share lines count as lines too (a
    budget line may be shared by the host alone)."""
    rows: dict[int | str, FundingRow] = {}
    for lines in (
        InvoiceLine.objects.filter(invoice__run=run, invoice__kind=Invoice.Kind.INVOICE),
        HostShareLine.objects.filter(run=run),
    ):
        for budget_line, description, gross, external in (
            lines.filter(external__isnull=False)
            .order_by("position")
            .values_list("budget_line_id", "description", "gross", "external")
        ):
            if gross is not None and external is not None:
                rows.setdefault(
                    budget_line or description, FundingRow(description, gross, external)
                )
    return list(rows.values())


@dataclass(frozen=True)
class RunSummary:
    """What a run splits: the net invoiced per buyer (after credit notes), and the host's
    own share. What the budget's split was (`split`, «fordelt») is invoiced and own share
    before any credit note: `total` + `credited` − `corrected`; with external funding it
    is the budget less the funding (`funding`), and `gross` is the budget's own gross cost,
    whatever was credited since."""

    totals: list[MunicipalityTotal]
    host: MunicipalityTotal | None
    funding: list[FundingRow] = field(default_factory=list)
    # what the run's credit notes credited («kreditert»), and what its corrected invoices
    # (issued after a credit note) invoiced again: both are in `totals`
    credited: Decimal = Decimal("0.00")
    corrected: Decimal = Decimal("0.00")

    @property
    def external(self) -> Decimal:
        return sum((f.external for f in self.funding), Decimal("0.00"))

    @property
    def split(self) -> Decimal:
        """What the members share of the budget as the run split it («fordelt»): invoiced
        and own share before credit notes and corrected invoices."""
        return self.total + self.credited - self.corrected

    @property
    def gross(self) -> Decimal:
        """The budget's cost before external funding («brutto kostnad»): what was split
        plus the funding (credit notes change what is invoiced, never the budget)."""
        return self.split + self.external

    @property
    def funding_gross(self) -> Decimal:
        """The gross cost of the lines with external funding, added (exact)."""
        return sum((f.gross for f in self.funding), Decimal("0.00"))

    @property
    def funding_net(self) -> Decimal:
        """What the members share of the lines with external funding, added."""
        return self.funding_gross - self.external

    @property
    def unfunded_lines(self) -> bool:
        """Whether the budget has lines without external funding (its gross cost is then
        more than that of the funded lines)."""
        return self.funding_gross != self.gross

    @property
    def invoiced(self) -> Decimal:
        return sum((t.amount for t in self.totals), Decimal("0.00"))

    @property
    def host_share(self) -> Decimal:
        return self.host.amount if self.host else Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return self.invoiced + self.host_share


def invoiced_label(run: InvoiceRun, credited: Decimal) -> str:
    """What the run's invoiced sum is called, one word for one figure (the run page and its
    workbook): nothing is invoiced before issue; after credit notes the sum is net of them,
    which an invoice's own «Fakturert» is not."""
    if run.status != InvoiceRun.Status.ISSUED:
        return _("Å fakturere")
    return _("Fakturert etter kreditering") if credited else _("Fakturert")


def run_summary(run: InvoiceRun) -> RunSummary:
    totals, credited, corrected = _run_documents(run)
    return RunSummary(
        totals=totals,
        host=host_share(run),
        funding=run_funding(run),
        credited=credited,
        corrected=corrected,
    )


@dataclass(frozen=True)
class CostRow:
    municipality_id: int
    year: int
    administration: Decimal
    projects: Decimal


@dataclass(frozen=True)
class PaymentRow:
    arena_id: int
    arena_name: str
    year: int
    amount: Decimal
    invoiced: bool = True  # False: the planned share from the budget (no issued run yet)
    # The part of `amount` that is the municipality's own share as the arena's host: not
    # invoiced to it (from the issued run, or planned when the municipality hosts the arena)
    own_share: Decimal = Decimal("0.00")


def _issued_lines(q: Q) -> QuerySet[InvoiceLine]:
    return InvoiceLine.objects.filter(
        q, invoice__run__status=InvoiceRun.Status.ISSUED, invoice__issued_at__isnull=False
    )


def arena_costs(arena: Arena, first_year: int, last_year: int) -> list[CostRow]:
    """What each municipality pays `arena` per year: administration (base contributions) and
    projects. From issued invoices (net of credit notes) where a run was issued for the
    year, else from the budget's planned split (the municipality of that year pays).
    Ordered by year, then municipality number."""
    rows: dict[tuple[int, int], list[Decimal]] = defaultdict(
        lambda: [Decimal("0.00"), Decimal("0.00")]
    )
    issued_years = set(
        InvoiceRun.objects.filter(
            arena=arena,
            year__gte=first_year,
            year__lte=last_year,
            status=InvoiceRun.Status.ISSUED,
        ).values_list("year", flat=True)
    )
    for payer, year, kind, amount, invoice_kind in _issued_lines(
        Q(invoice__run__arena=arena, invoice__run__year__in=issued_years)
    ).values_list("invoice__buyer_id", "invoice__run__year", "kind", "amount", "invoice__kind"):
        sign = -1 if invoice_kind == Invoice.Kind.CREDIT_NOTE else 1
        rows[(year, payer)][0 if kind == BudgetLine.Kind.BASE else 1] += sign * amount
    for payer, year, kind, amount in HostShareLine.objects.filter(
        run__arena=arena, run__year__in=issued_years, run__status=InvoiceRun.Status.ISSUED
    ).values_list("municipality_id", "run__year", "kind", "amount"):
        rows[(year, payer)][0 if kind == BudgetLine.Kind.BASE else 1] += amount
    budgets = Budget.objects.filter(arena=arena, year__gte=first_year, year__lte=last_year).exclude(
        year__in=issued_years
    )
    try:
        _planner, charges = plan(list(budgets))
    except ValidationError:
        charges = []
    for charge in charges:
        slot = 0 if charge.kind == BudgetLine.Kind.BASE else 1
        rows[(charge.year, charge.payer_id)][slot] += charge.amount
    numbers = dict(
        Municipality.objects.filter(pk__in={m for _y, m in rows}).values_list("pk", "code")
    )
    return [
        CostRow(municipality_id=m, year=year, administration=values[0], projects=values[1])
        for (year, m), values in sorted(rows.items(), key=lambda kv: (kv[0][0], numbers[kv[0][1]]))
    ]


def arenas_taken_part_in(municipality_ids: Iterable[int]) -> set[int]:
    """The arenas these municipalities are or were members of, or took part in a project
    of. Two subqueries rather than one OR over two outer joins (which SQLite answers by
    walking every participation of every arena)."""
    ids = list(municipality_ids)
    return set(
        Arena.objects.filter(
            Q(pk__in=Membership.objects.filter(municipality_id__in=ids).values("arena_id"))
            | Q(
                pk__in=Participation.objects.filter(municipality_id__in=ids).values(
                    "project__arena_id"
                )
            )
        ).values_list("pk", flat=True)
    )


def municipality_payments(municipality: Municipality) -> list[PaymentRow]:
    """What `municipality` pays per arena and year: issued invoices net of credit notes,
    and, for years without an issued run, its planned share of the arenas' budgets.
    Ordered by year (newest first), then arena name.

    A fixed number of queries whatever the data: the invoices come as one row per arena
    and year (summed in the database, credit notes subtracted), and the budgets of every
    arena the municipality belongs to or takes part in are split with one Planner (the
    data for all of them loaded at once), each budget on its own as `plan([budget])`.
    The splits are shared by every municipality and cached per arena until that arena's
    inputs or the shared ones change (planning.planned_shares): after a change elsewhere
    nothing is split again, after one in an arena only its budgets."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: Decimal("0.00"))
    signed = Case(
        When(kind=Invoice.Kind.CREDIT_NOTE, then=-F("total")),
        default=F("total"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    for arena_id, year, amount in (
        Invoice.objects.filter(
            buyer=municipality, issued_at__isnull=False, run__status=InvoiceRun.Status.ISSUED
        )
        .order_by()
        .values("run__arena_id", "run__year")
        .annotate(amount=Sum(signed))
        .values_list("run__arena_id", "run__year", "amount")
    ):
        totals[(arena_id, year)] += _money_value(amount)
    own: dict[tuple[int, int], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for arena_id, year, amount in (
        HostShareLine.objects.filter(
            municipality=municipality, run__status=InvoiceRun.Status.ISSUED
        )
        .order_by()
        .values("run__arena_id", "run__year")
        .annotate(amount=Sum("amount"))
        .values_list("run__arena_id", "run__year", "amount")
    ):
        totals[(arena_id, year)] += _money_value(amount)
        own[(arena_id, year)] += _money_value(amount)
    successors = SuccessorMap()
    related = {municipality.pk, *successors.predecessor_ids(municipality.pk)}
    arena_ids = arenas_taken_part_in(related)
    issued: set[tuple[int, int]] = set(
        InvoiceRun.objects.filter(
            status=InvoiceRun.Status.ISSUED, arena_id__in=arena_ids | {a for a, _y in totals}
        ).values_list("arena_id", "year")
    )
    budgets = {
        pk: (arena_id, year)
        for pk, arena_id, year in Budget.objects.filter(arena_id__in=arena_ids)
        .order_by()
        .values_list("pk", "arena_id", "year")
        if (arena_id, year) not in issued
    }
    shares = planned_shares({pk: a for pk, (a, _y) in budgets.items()}, successors=successors)
    for budget_id, payers in shares.items():
        if municipality.pk in payers:
            totals[budgets[budget_id]] += payers[municipality.pk]
    names: dict[int, str] = {}
    hosts: dict[int, int | None] = {}
    for pk, name, host in Arena.objects.filter(pk__in={a for a, _y in totals}).values_list(
        "pk", "name", "host_municipality_id"
    ):
        names[pk] = name
        hosts[pk] = host
    hosted = {a for a, host in hosts.items() if host is not None and host in related}
    return [
        PaymentRow(
            arena_id=a,
            arena_name=names[a],
            year=y,
            amount=amount,
            invoiced=(a, y) in issued,
            own_share=own[(a, y)]
            if (a, y) in issued
            else (amount if a in hosted else Decimal("0.00")),
        )
        for (a, y), amount in sorted(totals.items(), key=lambda kv: (-kv[0][1], names[kv[0][0]]))
    ]


def _money_value(value: Decimal | None) -> Decimal:
    """A sum from the database as exact kroner and øre (SQLite sums decimals as floats)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def run_for(arena: Arena, year: int) -> InvoiceRun | None:
    return InvoiceRun.objects.filter(arena=arena, year=year).first()


def today() -> dt.date:
    return timezone.localdate()
