"""External funding in the accounts (issue 24, point 3): the period account, the annual
report, the period account's API and command, and open data show "Eksterne midler" apart,
next to the members' contributions."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from samarbeid.finance.models import BudgetLine
from samarbeid.finance.tests import helpers as h
from samarbeid.strategy.services.account import period_account

pytestmark = pytest.mark.django_db
Y2025 = date(2025, 1, 1)


@pytest.fixture
def line() -> BudgetLine:
    arena = h.arena(["3901", "3909"], Y2025, host="3901", short_name="12K", published=True)
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2025, None, key)
    project = h.project(arena, "P-9", ["3901", "3909"], Y2025)
    line = h.project_line(budget, project, "500000.00", key)
    h.received_grant(
        line,
        "200000.00",
        "150000.00",
        date(2025, 2, 1),
        applied_on=date(2025, 1, 10),
        amount_applied=Decimal("200000.00"),
    )
    return line


def test_the_period_account_shows_external_funding_apart(line: BudgetLine) -> None:
    account = period_account(line.budget.arena, 2025, 2025)
    assert account.external_total == Decimal("150000.00")
    # the members paid the base (100 000 administration is not split) and the net project
    assert account.total.project_costs == Decimal("350000.00")
    assert account.contributions == account.total.administration + Decimal("350000.00")


def test_the_account_api_and_command_carry_it(client: Client, line: BudgetLine) -> None:
    arena_id = line.budget.arena_id
    body = client.get(
        f"/api/v1/arenas/{arena_id}/period-account?first_year=2025&last_year=2025"
    ).json()
    assert body["external_funding"] == "150000.00"
    assert body["members_contributions"] == "350000.00"
    out = io.StringIO()
    call_command("period_account", "12K", "2025", "2025", stdout=out)
    assert "Eksterne midler: 150" in out.getvalue().replace("\xa0", " ")


def test_the_annual_report_shows_it_next_to_the_contributions(
    client: Client, line: BudgetLine
) -> None:
    url = reverse("reports:annual", args=[line.budget.arena_id, 2025])
    page = client.get(url).content.decode().replace("\xa0", " ")
    assert "Medlemmenes bidrag og eksterne midler" in page
    assert "150 000,00" in page
    xlsx = client.get(reverse("reports:annual_as", args=[line.budget.arena_id, 2025, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content))["Regnskap"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True)}
    assert Decimal(str(rows["Eksterne midler"])) == Decimal("150000.00")


def test_open_data_publishes_it(client: Client, line: BudgetLine) -> None:
    found: list[dict[str, Any]] = client.get("/apne-data/eksterne-midler.json").json()["items"]
    assert [(r["year"], r["amount"], r["grantor"]) for r in found] == [
        (2025, "150000.00", "Statsforvalteren i Vestfold og Telemark")
    ]
