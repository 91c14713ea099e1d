"""Issue 19 point 7: the model comparison's scores as a chart (core's bar_chart: a table with
a bar per alternative, the figures as text for screen readers)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from samarbeid.review.services.comparisons import (
    set_score,
)
from samarbeid.review.tests.api_helpers import new_comparison

pytestmark = pytest.mark.django_db


def test_the_comparison_shows_its_scores_as_bars(client: Client, secretariat: Any) -> None:
    comparison, parts = new_comparison(
        secretariat,
        title="Innherred",
        alternatives=["IKS", "Vertskommune", "Tilbake til start"],
        criteria=[("Økonomi", 60)],
        participants=["Verdal"],
    )
    [criterion], [verdal] = parts.criteria, parts.participants
    for alternative, score in zip(parts.alternatives, (8, 6, 2), strict=True):
        set_score(alternative, criterion, verdal, score, actor=secretariat)
    page = client.get(comparison.get_absolute_url()).content.decode()
    chart = page[page.index('id="chart-comparison-scores-caption"') :]
    chart = chart[: chart.index("</figure>")]
    assert "Poengsum per alternativ" in chart
    # by hand: 8 is the longest bar; 6 is 75 % of it, 2 is 25 %
    assert re.findall(r'width="([\d.]+)"', chart) == ["100.0", "75.0", "25.0"]
    assert ">8,00<" in chart
    assert ">Tilbake" in chart
