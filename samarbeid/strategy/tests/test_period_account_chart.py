"""The period account shows its costs per municipality as a bar chart above the table (a
clerk would rather look than read; issue 19 point 7); the table stays."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from samarbeid.lib.money import NBSP
from samarbeid.strategy.models import EconomicResult
from samarbeid.strategy.tests import helpers as h

pytestmark = pytest.mark.django_db


def test_the_account_charts_its_costs_per_municipality(client: Client) -> None:
    arena: Any = h.arena_of(["3909", "3901"], published=True)
    project = h.project(arena, published=True)
    day = date(2024, 1, 1)
    h.money(
        project, "250000.00", 2024, municipality=h.on("3909", day), kind=EconomicResult.Kind.COST
    )
    h.money(
        project, "50000.00", 2024, municipality=h.on("3901", day), kind=EconomicResult.Kind.COST
    )
    h.money(project, "9000.00", 2024, municipality=h.on("3901", day))  # a saving: not a cost
    h.admin_cost(arena, "100000.00", 2024, 2024)
    page = client.get(
        f"/strategi/arena/{arena.pk}/regnskap/", {"first_year": 2024, "last_year": 2024}
    )
    assert page.status_code == 200
    text = page.content.decode()
    chart = text.split('id="chart-costs-caption"', 1)[1].split("</figure>", 1)[0]
    assert "Kostnader i alt per kommune (kr)" in text
    assert chart.count('<th scope="row">') == 3  # Larvik, the cooperation, Horten
    assert chart.index("Larvik") < chart.index("Samarbeidet samlet") < chart.index("Horten")
    assert f"250{NBSP}000,00" in chart
    assert f"100{NBSP}000,00" in chart
    assert 'width="100.0"' in chart
    assert 'width="20.0"' in chart  # Horten: 50 000 of 250 000
    # the table stays, after the chart
    assert text.index("chart-costs-caption") < text.index("Realisert innsparing minus kostnader")


def test_no_chart_without_costs(client: Client) -> None:
    arena: Any = h.arena_of(["3909"], published=True)
    project = h.project(arena, published=True)
    h.money(project, "9000.00", 2024, municipality=h.on("3909", date(2024, 1, 1)))
    page = client.get(
        f"/strategi/arena/{arena.pk}/regnskap/", {"first_year": 2024, "last_year": 2024}
    )
    assert page.status_code == 200
    assert "chart-costs" not in page.content.decode()
    assert EconomicResult.objects.count() == 1
