"""A clerk's trial: a budget's sum row said «Regnskap 0,00» while every line showed «–» (no
accounts recorded). The sum says «–» too when no line has accounts; a line's real 0,00
makes the sum a real 0,00."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.finance.models import Budget, BudgetLine
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026

pytestmark = pytest.mark.django_db


def _sum_row(client: Client, budget: Budget) -> dict[str, str]:
    """The budget page's sum row, cell by column label."""
    page = client.get(budget.get_absolute_url()).content.decode()
    foot = page[page.index("<tfoot>") : page.index("</tfoot>")]
    return dict(re.findall(r'<td data-label="([^"]+)">([^<]*)</td>', foot))


def _budget_of_two_lines() -> Budget:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")
    budget = h.budget(arena, 2026, "4000", h.key(arena, 100, 0))
    first = budget.lines.get()
    BudgetLine.objects.create(
        budget=budget, kind=first.kind, description="Drift", amount=Decimal("1000"), key=first.key
    )
    return budget


def test_no_accounts_on_any_line_is_no_sum(client: Client, secretariat: Any) -> None:
    budget = _budget_of_two_lines()
    login(client, secretariat)
    row = _sum_row(client, budget)
    assert row["Budsjett (kr)"] == "5\xa0000,00"
    assert row["Regnskap (kr)"] == "–"


def test_a_line_with_accounts_of_nought_makes_a_sum_of_nought(
    client: Client, secretariat: Any
) -> None:
    budget = _budget_of_two_lines()
    BudgetLine.objects.filter(description="Drift").update(actual=Decimal("0.00"))
    login(client, secretariat)
    assert _sum_row(client, budget)["Regnskap (kr)"] == "0,00"
    BudgetLine.objects.filter(description="Basisbidrag").update(actual=Decimal("3899.50"))
    assert _sum_row(client, budget)["Regnskap (kr)"] == "3\xa0899,50"
