"""The strategy API writes through the pages' forms: what a page refuses, the API refuses
too, with the field named (issue 18)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.arenas.tests.factories import DecisionFactory
from samarbeid.portfolio.models import Participation
from samarbeid.strategy.models import AdministrationCost, Benefit
from samarbeid.strategy.tests.helpers import arena_of, call, on, project

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _refused_on(response: Any) -> set[str]:
    assert response.status_code == 422, response.content[:400]
    assert response["Content-Type"] == "application/problem+json"
    return {error["loc"][-1] for error in response.json()["errors"] if error["loc"]}


BENEFIT = {
    "municipality": "3909",
    "description": "Mindre tid på fakturering",
    "owner": "Økonomisjef",
    "target_date": "2030-01-01",
}


def test_a_benefit_due_in_year_2200_is_refused_as_on_the_page(
    client: Client, secretariat: Any
) -> None:
    """The benefit page takes dates between 1900 and 2100; the API took 2200-01-01."""
    proj = project(arena_of(["3909"]))
    login(client, secretariat)
    url = f"/projects/{proj.pk}/benefits"
    assert _refused_on(call(client, "POST", url, {**BENEFIT, "target_date": "2200-01-01"})) == {
        "target_date"
    }
    assert not Benefit.objects.exists()
    response = call(client, "POST", url, BENEFIT)
    assert response.status_code == 201, response.content
    benefit = Benefit.objects.get()
    edit = f"/benefits/{benefit.pk}"
    body = {"version": benefit.version, "target_date": "9999-12-31"}
    assert _refused_on(call(client, "PATCH", edit, body)) == {"target_date"}
    benefit.refresh_from_db()
    assert benefit.target_date == date(2030, 1, 1)


def test_a_benefit_is_for_a_municipality_taking_part_as_on_the_page(
    client: Client, secretariat: Any
) -> None:
    """The page offers the municipalities taking part in the project (any while none has
    joined); the API took a benefit for Horten in a project only Larvik takes part in."""
    arena = arena_of(["3909", "3901"])
    proj = project(arena)
    larvik = on("3909", date(2024, 1, 1))
    Participation.objects.create(
        project=proj,
        municipality=larvik,
        status=Participation.Status.JOINED,
        since=date(2024, 3, 1),
        decision=DecisionFactory(municipality=larvik, meeting_date=date(2024, 2, 1)),
    )
    login(client, secretariat)
    url = f"/projects/{proj.pk}/benefits"
    assert _refused_on(call(client, "POST", url, {**BENEFIT, "municipality": "3901"})) == {
        "municipality"
    }
    assert not Benefit.objects.exists()
    assert call(client, "POST", url, BENEFIT).status_code == 201


def test_years_out_of_order_are_named_on_the_last_year_on_page_and_api(
    client: Client, secretariat: Any
) -> None:
    arena = arena_of(["3909"])
    login(client, secretariat)
    body = {"first_year": 2024, "last_year": 2022, "amount": "1000.00", "source": "Regnskap"}
    assert _refused_on(call(client, "POST", f"/arenas/{arena.pk}/administration-costs", body)) == {
        "last_year"
    }
    assert not AdministrationCost.objects.exists()
