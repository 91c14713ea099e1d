"""A run of a budget with external funding shows on its page and in its summary files
(CSV, Excel) the gross cost, the external funding and the net the members share, and the
figures add up: gross − external = invoiced + own share."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import BudgetLine, InvoiceRun
from samarbeid.finance.outputs import summary_csv, summary_xlsx
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_grants import arena, grant, line

__all__ = ["arena", "line"]  # the fixtures of test_grants: the 12K arena and its project line

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(line: BudgetLine, secretariat: Any) -> InvoiceRun:
    """1 000 000 kr less 300 000,01 received: 699 999,99 over four members (Tønsberg hosts)."""
    grant(line, amount_received=Decimal("300000.01"))
    return create_run(line.budget.arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))


def test_the_run_page_shows_gross_external_and_net(
    client: Client, secretariat: Any, run: InvoiceRun
) -> None:
    client.force_login(secretariat)
    page = h.words(client.get(reverse("finance:run_detail", args=[run.pk])))
    assert "Eksterne midler" in page
    assert (
        "brutto kostnad 1 000 000,00 kr − eksterne midler 300 000,01 kr = 699 999,99 kr fordelt"
        in page
    )
    assert "Sum fordelt på medlemmene</th><td>699 999,99" in page.replace("> <", "><")


def test_a_run_without_funding_shows_no_funding_table(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    run = create_run(line.budget.arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    client.force_login(secretariat)
    page = h.words(client.get(reverse("finance:run_detail", args=[run.pk])))
    assert "Eksterne midler" not in page
    assert "Sum fordelt på medlemmene" not in page


def test_the_csv_adds_up_to_the_gross_cost(run: InvoiceRun) -> None:
    rows = list(csv.DictReader(io.StringIO(summary_csv(run).lstrip("\ufeff")), delimiter=";"))
    kinds = [r["kind"] for r in rows]
    assert kinds.count("external_funding") == 1
    assert kinds.count("own_share") == 1  # Tønsberg hosts and pays its part
    external = next(r for r in rows if r["kind"] == "external_funding")
    assert (external["municipality"], external["amount"]) == ("", "300000.01")
    assert "P-1" in external["name"]
    net = sum(Decimal(r["amount"]) for r in rows if r["kind"] != "external_funding")
    assert net == Decimal("699999.99")
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("1000000.00")


def test_the_workbook_names_the_funding_and_the_gross_cost(run: InvoiceRun) -> None:
    totals = h.workbook_totals(run)
    assert totals["Fordelt på medlemmene"] == Decimal("699999.99")
    assert totals["Eksterne midler"] == Decimal("300000.01")
    assert totals["Brutto kostnad"] == Decimal("1000000.00")
    # a draft: what its invoices will bill is «to be invoiced», not yet «invoiced»
    assert totals["Å fakturere"] + totals["Egen andel"] == Decimal("699999.99")
    sheet = load_workbook(io.BytesIO(summary_xlsx(run))).active
    assert sheet is not None
    types = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True) if row[3]]
    assert "eksterne midler (ikke fordelt)" in types
