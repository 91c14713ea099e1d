"""A benefit with its steps of realisation as an API read (issue 18 point 2): the benefit's
page had no read endpoint (GET /api/v1/benefits/{id} answered 405)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import bearer, problem_of
from samarbeid.strategy.models import Benefit, BenefitRealisation
from samarbeid.strategy.tests.helpers import arena_of, project

pytestmark = pytest.mark.django_db


def _benefit(larvik: Any, **project_fields: Any) -> Benefit:
    benefit = Benefit.objects.create(
        project=project(arena_of(["3909"]), **project_fields),
        municipality=larvik,
        description="Færre innleide vikarer",
        expected_amount=Decimal("250000.00"),
        owner="Kommunalsjef oppvekst",
        target_date=date(2025, 6, 30),
        status=Benefit.Status.IN_PROGRESS,
    )
    for day, amount in ((date(2024, 3, 1), "100000.50"), (date(2024, 9, 1), "49999.50")):
        BenefitRealisation.objects.create(
            benefit=benefit,
            recorded_on=day,
            amount=Decimal(amount),
            status=Benefit.Status.IN_PROGRESS,
            note=f"Regnskap {day.month}",
        )
    return benefit


def test_a_benefit_with_its_realisation(client: Client, larvik: Any) -> None:
    benefit = _benefit(larvik)
    response = client.get(f"/api/v1/benefits/{benefit.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == benefit.pk
    assert body["municipality"] == "3909"
    assert body["expected_amount"] == "250000.00"
    assert body["realised_amount"] == "150000.00"
    assert body["version"] == benefit.version
    assert [(r["recorded_on"], r["amount"], r["note"]) for r in body["realisations"]] == [
        ("2024-03-01", "100000.50", "Regnskap 3"),
        ("2024-09-01", "49999.50", "Regnskap 9"),
    ]
    # the page shows the same benefit
    assert client.get(f"/strategi/gevinst/{benefit.pk}/").status_code == 200


def test_a_benefit_of_a_project_one_may_not_see_is_404(
    client: Client, larvik: Any, secretariat: Any
) -> None:
    hidden = _benefit(larvik, published=False)
    problem_of(client.get(f"/api/v1/benefits/{hidden.pk}"), 404)
    problem_of(client.get("/api/v1/benefits/999999"), 404)
    seen = client.get(f"/api/v1/benefits/{hidden.pk}", headers=bearer(secretariat))
    assert seen.status_code == 200
    assert len(seen.json()["realisations"]) == 2
