"""'Bortfalt' and 'overført til etterfølger' are what a municipal change sets for a
municipality that ceased before it treated a case; a clerk cannot record them for a
municipality that exists (a clerk's trial recorded 'overført' for Larvik as it is). Page and
API, one check."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import login, problem_of
from samarbeid.governance.models import Decision
from samarbeid.governance.tests.helpers import post_council_decision

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("outcome", ["transferred", "lapsed"])
def test_a_living_municipalitys_council_cannot_be_recorded_as_lapsed_or_transferred(
    client: Client, coordinator: Any, outcome: str
) -> None:
    login(client, coordinator)
    response = post_council_decision(client, outcome=outcome)
    assert response.status_code == 200
    assert "gjelder bare en kommune som har opphørt" in response.content.decode()
    assert not Decision.objects.exists()

    problem = problem_of(
        client.post(
            "/api/v1/decisions",
            {
                "body": "council",
                "municipality": "3909",
                "meeting_date": "2024-04-01",
                "outcome": outcome,
            },
            content_type="application/json",
        ),
        422,
    )
    assert "opphørt" in str(problem)
    assert not Decision.objects.exists()


def test_an_ordinary_outcome_is_still_recorded(client: Client, coordinator: Any) -> None:
    login(client, coordinator)
    response = post_council_decision(client)
    assert response.status_code == 302
    assert Decision.objects.get().outcome == "adopted"
