"""The plan page draws each focus area's share of the budget as a chart (issue 19 point 7:
"the portfolio by status and focus area"), above the table with the same figures."""

from __future__ import annotations

import re
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.strategy.services.links import link_focus_area
from samarbeid.strategy.tests.helpers import area, arena_of, plan, project

pytestmark = pytest.mark.django_db


def _chart(client: Client, url: str) -> list[tuple[str, str]]:
    """The chart's rows as read: each label and the figure shown beside its bar."""
    page = client.get(url).content.decode()
    found = re.search(
        r'<figure class="bar-chart" aria-labelledby="chart-focus-areas-caption">(.*?)</figure>',
        page,
        re.S,
    )
    if found is None:
        return []
    assert 'id="chart-focus-areas-caption"' in page  # the heading names the chart
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td class="num">(.*?)</td>', found[1], re.S)
    return [
        (re.sub(r"<[^>]+>|\s+", " ", label).strip(), shown.replace("\xa0", " "))
        for label, shown in rows
    ]


def test_the_plan_charts_its_focus_areas_budget(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    p = plan(arena)
    ikt, skole = area(p, "IKT", 1), area(p, "Skole", 2)
    a = project(arena, "A", budget=D("600000.00"))
    b = project(arena, "B", budget=D("300000.00"))
    project(arena, "C", budget=D("100000.00"))
    link_focus_area(a, ikt, actor=secretariat)
    link_focus_area(b, skole, actor=secretariat)
    login(client, secretariat)
    assert _chart(client, p.get_absolute_url()) == [
        ("IKT", "600 000,00 kr (60,00 %)"),
        ("Skole", "300 000,00 kr (30,00 %)"),
        ("Utenfor innsatsområdene", "100 000,00 kr (10,00 %)"),
    ]


def test_no_chart_when_no_project_has_a_budget(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    p = plan(arena)
    area(p, "IKT", 1)
    project(arena, "A")
    login(client, secretariat)
    assert _chart(client, p.get_absolute_url()) == []
