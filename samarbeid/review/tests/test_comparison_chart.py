"""Issue 19 point 7: the model comparison's scores as a chart (core's bar_chart: a table with
a bar per alternative, the figures as text for screen readers)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    ModelComparison,
)
from samarbeid.review.services.comparisons import (
    add_alternative,
    add_criterion,
    add_participant,
    create_comparison,
    set_score,
)

pytestmark = pytest.mark.django_db


def test_the_comparison_shows_its_scores_as_bars(client: Client, secretariat: Any) -> None:
    comparison = create_comparison(ModelComparison(title="Innherred"), actor=secretariat)
    criterion = add_criterion(
        ComparisonCriterion(comparison=comparison, name="Økonomi", weight=60), actor=secretariat
    )
    verdal = add_participant(
        ComparisonParticipant(comparison=comparison, name="Verdal"), actor=secretariat
    )
    for name, score in (("IKS", 8), ("Vertskommune", 6), ("Tilbake til start", 2)):
        alternative = add_alternative(
            Alternative(comparison=comparison, name=name), actor=secretariat
        )
        set_score(alternative, criterion, verdal, score, actor=secretariat)
    page = client.get(comparison.get_absolute_url()).content.decode()
    chart = page[page.index('id="chart-comparison-scores-caption"') :]
    chart = chart[: chart.index("</figure>")]
    assert "Poengsum per alternativ" in chart
    # by hand: 8 is the longest bar; 6 is 75 % of it, 2 is 25 %
    assert re.findall(r'width="([\d.]+)"', chart) == ["100.0", "75.0", "25.0"]
    assert ">8,00<" in chart
    assert ">Tilbake" in chart
