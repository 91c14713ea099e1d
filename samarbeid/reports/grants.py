"""The grant report (issue 24): what a grant was for, its decision and conditions, what was
spent on its budget line (the accounts, else what was invoiced) and the results recorded for
the line's project. Computed once for the page, the PDF and the workbook."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from samarbeid.finance.external import ZERO
from samarbeid.finance.models import (
    BudgetLine,
    Grant,
    HostShareLine,
    Invoice,
    InvoiceLine,
    InvoiceRun,
)
from samarbeid.strategy.models import Benefit, Result


@dataclass
class GrantReport:
    grant: Grant
    line: BudgetLine
    external: Decimal  # what the line's grants take off its cost under its budget's choice
    spent: Decimal | None  # None: neither accounts nor invoices yet
    spent_source: str
    results: list[Result]
    benefits: list[Benefit]


def invoiced_for(line: BudgetLine) -> Decimal | None:
    """What the members were invoiced for `line` in issued runs (credit notes taken off,
    the host's own share added), or None when nothing is issued."""
    issued = InvoiceRun.Status.ISSUED
    lines = InvoiceLine.objects.filter(budget_line=line, invoice__run__status=issued)
    if not lines.exists():
        return None
    total = ZERO
    for amount, kind in lines.values_list("amount", "invoice__kind"):
        total += -amount if kind == Invoice.Kind.CREDIT_NOTE else amount
    hosts = HostShareLine.objects.filter(budget_line=line, run__status=issued)
    return total + sum(hosts.values_list("amount", flat=True), ZERO)


def grant_report(grant: Grant) -> GrantReport:
    line = grant.line
    external = sum((g.counted(line.budget.external_basis) for g in line.grants.all()), ZERO)
    if line.actual is not None:
        spent: Decimal | None = line.actual
        source = _("regnskap")
    else:
        invoiced = invoiced_for(line)
        # what the members paid, and the external funding taken off before they did
        spent = None if invoiced is None else invoiced + min(external, line.amount)
        source = _("fakturert") if invoiced is not None else _("ikke regnskapsført ennå")
    results: list[Result] = []
    benefits: list[Benefit] = []
    if line.project_id:
        results = list(Result.objects.filter(project_id=line.project_id).order_by("recorded_on"))
        benefits = list(
            Benefit.objects.filter(project_id=line.project_id).select_related("municipality")
        )
    return GrantReport(grant, line, external, spent, source, results, benefits)


def grant_sheets(report: GrantReport) -> list[tuple[str, list[str], list[list[Any]]]]:
    grant = report.grant
    return [
        (
            _("Tilskudd"),
            [_("Felt"), _("Verdi")],
            [
                [_("Tilskuddsgiver"), f"{grant.grantor_name} ({grant.get_grantor_kind_display()})"],
                [_("Hva tilskuddet gjelder"), grant.purpose],
                [_("Arena"), report.line.budget.arena.name],
                [_("Budsjettår"), report.line.budget.year],
                [_("Budsjettlinje"), report.line.description],
                [_("Søknadsdato"), grant.applied_on],
                [_("Søkt beløp"), grant.amount_applied],
                [_("Status"), grant.get_status_display()],
                [_("Vedtaksdato"), grant.decided_on],
                [_("Innvilget beløp"), grant.amount_granted],
                [_("Vilkår"), grant.conditions],
                [_("Frist for rapportering"), grant.report_due],
                [_("Rapportert"), grant.reported_on],
                [_("Mottatt beløp"), grant.amount_received],
                [_("Linjens kostnad (budsjett)"), report.line.amount],
                [_("Eksterne midler på linjen"), report.external],
                [_("Brukt på linjen") + f" ({report.spent_source})", report.spent],
            ],
        ),
        (
            _("Resultater"),
            [_("Resultat"), _("Type"), _("Beskrivelse"), _("Registrert")],
            [[r.title, r.get_kind_display(), r.description, r.recorded_on] for r in report.results],
        ),
        (
            _("Gevinster"),
            [_("Kommune"), _("Forventet gevinst"), _("Beløp"), _("Status")],
            [
                [b.municipality.name, b.description, b.expected_amount, b.get_status_display()]
                for b in report.benefits
            ],
        ),
    ]
