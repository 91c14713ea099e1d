"""`invoice_run --preview` tells how the amount is split (a clerk's trial, fund3 point 1):
the host municipality's own share is marked as such, not as an invoiced line; the total
says how many municipalities are invoiced and that the host's own share is part of it; each
external-funding row shows its line's gross cost and what is shared, as the CSV does. The
output is English throughout."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import BudgetLine, InvoiceRun
from samarbeid.finance.tests.test_funding_trial_findings import run, second_line
from samarbeid.finance.tests.test_grants import arena, grant, line

pytestmark = pytest.mark.django_db
__all__ = ["arena", "line", "run", "second_line"]  # fixtures: 12K, host Tønsberg (3905)
P1, P2 = "Prosjekt P-1 Prosjekt P-1 2026", "Prosjekt P-2 Prosjekt P-2 2026"  # the lines' texts


def preview(*args: str) -> list[str]:
    out = StringIO()
    call_command("invoice_run", "12K", "2026", "--preview", *args, stdout=out)
    return out.getvalue().replace("\xa0", " ").splitlines()


def test_the_host_share_is_marked_and_the_total_tells_the_split(run: InvoiceRun) -> None:
    lines = preview()
    members = [row for row in lines if re.match(r"\d{4};", row)]
    assert len(members) == 4, lines
    host = [row for row in members if row.startswith("3905;")]
    assert host == [host[0]]
    assert host[0].endswith(";own share (host)"), host
    invoiced = [row for row in members if not row.startswith("3905;")]
    assert all(row.endswith(";invoiced") for row in invoiced), invoiced
    assert (
        "Total: 1 100 000,24 (shared over 4 municipalities: 3 invoiced + the host's own share)"
        in lines
    ), lines


def test_each_funding_row_shows_the_gross_as_the_csv_does(run: InvoiceRun) -> None:
    funding = [row for row in preview() if row.startswith("External funding;")]
    # gross − external funding = what the members share of the line
    assert funding == [
        f"External funding;{P1};300000.01;gross 1000000.00;shared 699999.99",
        f"External funding;{P2};100000.25;gross 500000.50;shared 400000.25",
    ], funding


def test_the_planned_preview_marks_the_host_and_the_funding_too(line: BudgetLine) -> None:
    grant(line, amount_received=Decimal("300000.01"))
    lines = preview()
    assert lines[0] == "12K 2026: no run yet, planned from the budget"
    assert next(row for row in lines if row.startswith("3905;")).endswith(";own share (host)")
    assert (
        "Total: 699 999,99 (shared over 4 municipalities: 3 invoiced + the host's own share)"
        in (lines)
    ), lines
    assert f"External funding;{P1};300000.01;gross 1000000.00;shared 699999.99" in lines, lines


def test_a_run_without_a_host_share_says_all_are_invoiced(
    line: BudgetLine, secretariat: Any
) -> None:
    from samarbeid.finance.tests import helpers as h

    seller = h.municipality("3301", date(2026, 1, 1))  # Drammen: not a member, pays nothing
    create_run(
        line.budget.arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2), seller=seller
    )
    lines = preview()
    assert not any("own share" in row for row in lines), lines
    assert any(
        re.match(r"Total: .* \(shared over 4 municipalities: 4 invoiced\)$", r) for r in lines
    ), lines


def test_the_output_is_english_throughout(run: InvoiceRun) -> None:
    text = "\n".join(preview())
    for word in ("egen andel", "fakturert", "kommuner", "eksterne", "brutto", "utkast"):
        assert word not in text.lower(), text
