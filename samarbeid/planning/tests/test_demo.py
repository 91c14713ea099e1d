"""The demo (issue 24 point 5): three Vestfold municipalities' planning strategies name needs
on elderly care and procurement, and the proposal "Felles innkjøp" starts from the
procurement needs; all example data, built idempotently through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samarbeid.arenas import demo as arenas_demo
from samarbeid.planning import demo
from samarbeid.planning.models import CooperationNeed, PlanningStrategy
from samarbeid.review import demo as review_demo
from samarbeid.review.models import CooperationProposal

pytestmark = pytest.mark.django_db


def test_the_demo_starts_felles_innkjop_from_three_municipalities_needs(
    secretariat: Any, client: Client
) -> None:
    arenas_demo.load(secretariat)
    for _ in range(2):  # idempotent
        demo.load(secretariat)
        review_demo.load(secretariat)
    strategies = PlanningStrategy.objects.all()
    assert sorted(s.municipality.name for s in strategies) == ["Færder", "Larvik", "Sandefjord"]
    assert CooperationNeed.objects.count() == 6
    assert not PlanningStrategy.objects.filter(is_example_data=False).exists()
    assert not CooperationNeed.objects.filter(is_example_data=False).exists()
    proposal = CooperationProposal.objects.get(title="Felles innkjøp")
    assert proposal.is_example_data
    assert sorted(n.strategy.municipality.number for n in proposal.planning_needs.all()) == [
        "3907",
        "3909",
        "3911",
    ]
    assert {n.theme for n in proposal.planning_needs.all()} == {"procurement"}
    assert "Larvik" in proposal.need
    page = client.get(reverse("review:proposal_list")).content.decode()
    assert "Helse og omsorg, eldreomsorg (3 kommuner)" in page
    assert "Innkjøp (3 kommuner)" in page
    strategy_page = client.get(strategies[0].get_absolute_url()).content.decode()
    assert "(eksempel)" in strategy_page
