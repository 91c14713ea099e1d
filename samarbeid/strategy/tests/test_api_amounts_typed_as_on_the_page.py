"""A clerk's trial: the strategy API refused amounts typed the Norwegian way («12 500,50»)
with «Skal være et tall, f.eks. "1000.50"», though the README says the API reads amounts as
the page does, and the finance API did. Every API reads an amount by one rule
(core.api_schemas.MoneyIn): with a point, or as on the page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import login
from samarbeid.strategy.models import (
    AdministrationCost,
    Benefit,
    BenefitRealisation,
    EconomicResult,
)
from samarbeid.strategy.tests.helpers import arena_of, call, project

pytestmark = pytest.mark.django_db

BENEFIT = {
    "municipality": "3909",
    "description": "Mindre tid på fakturering",
    "owner": "Økonomisjef",
    "target_date": "2030-01-01",
}


def _refused_on(response: Any, field: str) -> str:
    """The words of a 422's error on `field`."""
    assert response.status_code == 422, response.content[:400]
    errors = [e for e in response.json()["errors"] if e["loc"][-1] == field]
    assert errors, response.json()
    return str(errors[0]["msg"])


def _benefit(client: Client, expected: str) -> Any:
    proj = project(arena_of(["3909"]))
    return call(
        client, "POST", f"/projects/{proj.pk}/benefits", {**BENEFIT, "expected_amount": expected}
    )


def test_a_benefit_takes_its_expected_amount_as_on_the_page(
    client: Client, coordinator: Any
) -> None:
    login(client, coordinator)
    response = _benefit(client, "12 500,50")
    assert response.status_code == 201, response.content
    assert response.json()["expected_amount"] == "12500.50"
    assert Benefit.objects.get().expected_amount == Decimal("12500.50")


def test_a_benefit_refuses_an_amount_it_cannot_read_in_the_pages_words(
    client: Client, coordinator: Any
) -> None:
    login(client, coordinator)
    words = _refused_on(_benefit(client, "12 500,505"), "expected_amount")
    assert words == "Skriv beløpet som 1 000 000,50 (høyst to desimaler)."
    assert not Benefit.objects.exists()


def test_a_changed_benefit_takes_its_amount_as_on_the_page(
    client: Client, coordinator: Any
) -> None:
    login(client, coordinator)
    benefit_id = _benefit(client, "100").json()["id"]
    response = call(
        client, "PATCH", f"/benefits/{benefit_id}", {"version": 1, "expected_amount": "1 000,25"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["expected_amount"] == "1000.25"
    assert Benefit.objects.get().expected_amount == Decimal("1000.25")


def test_a_realisation_takes_its_amount_as_on_the_page(client: Client, coordinator: Any) -> None:
    login(client, coordinator)
    benefit_id = _benefit(client, "12 500,50").json()["id"]
    today = timezone.localdate().isoformat()
    response = call(
        client,
        "POST",
        f"/benefits/{benefit_id}/realisations",
        {"recorded_on": today, "amount": "1 000,25", "status": "in_progress"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "1000.25"
    assert BenefitRealisation.objects.get().amount == Decimal("1000.25")
    negative = call(
        client,
        "POST",
        f"/benefits/{benefit_id}/realisations",
        {"recorded_on": today, "amount": "-1 000,25", "status": "in_progress"},
    )
    assert negative.status_code == 422
    assert BenefitRealisation.objects.count() == 1


def test_an_economic_result_takes_its_amount_as_on_the_page(
    client: Client, secretariat: Any
) -> None:
    proj = project(arena_of(["3909"]))
    login(client, secretariat)
    body = {
        "kind": "saving",
        "basis": "realised",
        "municipality": "3909",
        "year": 2024,
        "amount": "25 000,10",
        "source": "Regnskap 2024",
    }
    response = call(client, "POST", f"/projects/{proj.pk}/economic-results", body)
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "25000.10"
    assert EconomicResult.objects.get().amount == Decimal("25000.10")
    words = _refused_on(
        call(client, "POST", f"/projects/{proj.pk}/economic-results", {**body, "amount": "mye"}),
        "amount",
    )
    assert words == "Skriv beløpet som 1 000 000,50 (høyst to desimaler)."
    assert EconomicResult.objects.count() == 1


def test_an_administration_cost_takes_its_amount_as_on_the_page(
    client: Client, secretariat: Any
) -> None:
    arena = arena_of(["3909"])
    login(client, secretariat)
    body = {"first_year": 2024, "last_year": 2024, "amount": "1 234,5", "source": "Regnskap"}
    response = call(client, "POST", f"/arenas/{arena.pk}/administration-costs", body)
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "1234.50"
    assert AdministrationCost.objects.get().amount == Decimal("1234.50")
