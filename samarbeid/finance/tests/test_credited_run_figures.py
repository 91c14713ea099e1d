"""A run whose invoices were partly credited, with external funding: the run page and its
workbook keep «brutto kostnad» for the budget's gross cost, and name what was credited
(«kreditert») where it is subtracted, so that a clerk adds the figures by hand and arrives
at each total (a clerk's trial: the sentence above the funding table said 762 500 kr, the
table 900 000 kr, both «brutto kostnad»).

The demo's figures (12K's 2025 budget, finance/demo_grants.py), worked out by hand:
  the line «Felles velferdsteknologi»               900 000,00 kr (brutto kostnad)
  received from the county governor               − 350 000,00 kr (eksterne midler)
  shared equally over four members                  550 000,00 kr (fordelt)
  each member's share                               137 500,00 kr
  Tønsberg hosts: its share is its own (egen andel) 137 500,00 kr, not invoiced
  Horten, Larvik and Færder invoiced                412 500,00 kr
  Horten's invoice credited in full               − 137 500,00 kr (kreditert)
  invoiced after the credit note                    275 000,00 kr; with the own share
  412 500,00 kr. The trial's page said «brutto kostnad 762 500» (412 500 + 350 000)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from samarbeid.finance.corrections import credit_invoice, issue_replacement
from samarbeid.finance.figures import run_summary
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import Invoice, InvoiceRun
from samarbeid.finance.outputs import summary_csv
from samarbeid.finance.run_steps import approve_run, issue_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_grants import MEMBERS, Y2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(secretariat: Any) -> InvoiceRun:
    """The demo's 2025 budget for 12K (900 000 kr, 350 000 kr received, split equally over
    Horten, Tønsberg, Larvik and Færder; Tønsberg hosts), its run issued."""
    arena = h.arena(MEMBERS, Y2026, host="3905", short_name="12K")
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, None, key)
    project = h.project(arena, "12K-VELF", MEMBERS, Y2026)
    line = h.project_line(budget, project, "900000.00", key)
    h.received_grant(line, "350000.00", "350000.00", date(2026, 2, 1))
    run = create_run(arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    issue_run(run, expected_version=None, actor=secretariat)
    return run


def horten(run: InvoiceRun) -> Invoice:
    return run.invoices.get(buyer__number="3901", kind=Invoice.Kind.INVOICE)


@pytest.fixture
def credited(run: InvoiceRun, secretariat: Any) -> InvoiceRun:
    """Horten's invoice (137 500 kr) credited in full."""
    credit_invoice(horten(run), "Feil deltakelse", actor=secretariat)
    return run


def page(client: Client, user: Any, run: InvoiceRun) -> str:
    client.force_login(user)
    html = client.get(reverse("finance:run_detail", args=[run.pk])).content.decode()
    return " ".join(html.replace("\xa0", " ").replace("> <", "><").split())


def test_the_summary_keeps_the_gross_cost_and_names_the_credit(credited: InvoiceRun) -> None:
    summary = run_summary(credited)
    assert summary.invoiced == Decimal("275000.00")  # Larvik and Færder
    assert summary.host_share == Decimal("137500.00")  # Tønsberg's own share
    assert summary.total == Decimal("412500.00")
    assert summary.credited == Decimal("137500.00")
    assert summary.split == Decimal("550000.00")  # 412 500 + 137 500 credited
    assert summary.external == Decimal("350000.00")
    assert summary.gross == Decimal("900000.00")  # the budget's, not 762 500
    assert not summary.unfunded_lines  # the one line is the whole budget


def test_the_run_page_uses_one_gross_cost_and_says_what_was_credited(
    client: Client, secretariat: Any, credited: InvoiceRun
) -> None:
    text = page(client, secretariat, credited)
    assert (
        "brutto kostnad 900 000,00 kr − eksterne midler 350 000,00 kr = 550 000,00 kr fordelt"
        in text
    )
    assert "762 500" not in text
    # the totals table: Larvik and Færder, the own share, the sum after the credit note …
    # «Fakturert» on an invoice is before its credit notes; here the figure is after them
    assert "Fakturert etter kreditering</th><td>275 000,00" in text
    assert "Egen andel</th><td>137 500,00" in text
    assert "Sum etter kreditering</th><td>412 500,00" in text
    # … and how it comes from what was split: 550 000 − 137 500 = 412 500
    assert "550 000,00 kr fordelt − kreditert 137 500,00 kr = 412 500,00 kr" in text
    # «fordelt» means one figure: the sum after the credit note is not called so
    assert "Sum fordelt på medlemmene" not in text
    # the funding table's whole budget: its gross, the funding, what was split
    assert "Hele budsjettet" not in text  # one line: the line is the budget
    assert text.count(">900 000,00<") == 2  # the line and its sum
    assert text.count(">550 000,00<") == 2


def test_a_corrected_invoice_is_added_back_by_name(
    client: Client, secretariat: Any, credited: InvoiceRun
) -> None:
    issue_replacement(horten(credited), {1: Decimal("130000.00")}, "Rettet", actor=secretariat)
    summary = run_summary(credited)
    assert (summary.total, summary.corrected) == (Decimal("542500.00"), Decimal("130000.00"))
    assert (summary.split, summary.gross) == (Decimal("550000.00"), Decimal("900000.00"))
    text = page(client, secretariat, credited)
    assert (
        "550 000,00 kr fordelt − kreditert 137 500,00 kr + korrigerte fakturaer 130 000,00 kr "
        "= 542 500,00 kr" in text
    )
    assert "brutto kostnad 900 000,00 kr" in text


def test_the_workbook_adds_up_by_hand_after_the_credit(credited: InvoiceRun) -> None:
    totals = h.workbook_totals(credited)
    assert totals["Fakturert etter kreditering"] == Decimal("275000.00")
    assert totals["Egen andel"] == Decimal("137500.00")
    assert totals["Sum etter kreditering"] == Decimal("412500.00")
    assert totals["Kreditert"] == Decimal("137500.00")
    assert totals["Fordelt på medlemmene"] == Decimal("550000.00")
    assert totals["Eksterne midler"] == Decimal("350000.00")
    assert totals["Brutto kostnad"] == Decimal("900000.00")
    assert "Korrigerte fakturaer" not in totals
    assert (
        totals["Sum etter kreditering"] + totals["Kreditert"] + totals["Eksterne midler"]
        == totals["Brutto kostnad"]
    )


def test_a_run_without_credit_notes_reads_as_before(
    client: Client, secretariat: Any, run: InvoiceRun
) -> None:
    text = page(client, secretariat, run)
    assert "Sum fordelt på medlemmene</th><td>550 000,00" in text
    assert "kreditert" not in text.lower()
    assert "Kreditert" not in h.workbook_totals(run)


def csv_rows(run: InvoiceRun) -> list[tuple[str, str, str]]:
    rows = csv.DictReader(io.StringIO(summary_csv(run).lstrip("\ufeff")), delimiter=";")
    return [(r["municipality"], r["amount"], r["kind"]) for r in rows]


def test_the_csv_names_the_credit_and_adds_up_to_the_gross_cost(
    credited: InvoiceRun, secretariat: Any
) -> None:
    rows = csv_rows(credited)
    assert ("3901", "0.00", "invoiced") in rows  # Horten's invoice, credited in full
    assert ("3901", "137500.00", "credited") in rows
    assert sum(Decimal(amount) for _m, amount, _k in rows) == Decimal("900000.00")
    # a corrected invoice of 130 000 kr: in Horten's invoiced row, and taken out by name
    issue_replacement(horten(credited), {1: Decimal("130000.00")}, "Rettet", actor=secretariat)
    rows = csv_rows(credited)
    assert ("3901", "130000.00", "invoiced") in rows
    assert ("3901", "-130000.00", "corrected") in rows
    assert sum(Decimal(amount) for _m, amount, _k in rows) == Decimal("900000.00")
    totals = h.workbook_totals(credited)
    assert totals["Korrigerte fakturaer"] == Decimal("130000.00")
    assert totals["Sum etter kreditering"] == Decimal("542500.00")
    assert totals["Fordelt på medlemmene"] == Decimal("550000.00")
    assert totals["Brutto kostnad"] == Decimal("900000.00")


def test_the_preview_tells_the_gross_cost_after_the_credit(credited: InvoiceRun) -> None:
    out = io.StringIO()
    call_command("invoice_run", "12K", "2026", "--preview", stdout=out)
    printed = out.getvalue().replace("\xa0", " ")
    assert "3901;Horten;137500.00;credited (taken off the invoiced amount)" in printed
    assert "Total: 550 000,00 (shared over 4 municipalities: 3 invoiced" in printed
    assert "Gross cost: 900 000,00" in printed
