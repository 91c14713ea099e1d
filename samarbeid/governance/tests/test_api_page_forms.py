"""The governance API writes through the pages' forms: what a page refuses, the API refuses
too, with the field named (issue 18)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login, problem_of
from samarbeid.arenas.tests.factories import CaseFactory, DecisionFactory
from samarbeid.governance.models import Case, Decision, ProcessStep
from samarbeid.portfolio.tests.helpers import arena_of

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _fields(problem: dict[str, Any]) -> set[str]:
    return {error["loc"][-1] for error in problem["errors"] if error["loc"]}


def test_a_treatment_planned_in_year_2200_is_refused_as_on_the_page(
    client: Client, secretariat: Any
) -> None:
    """The decision page takes dates between 1900 and 2100 (a typing error otherwise);
    the API took 2200-06-01 and stored it."""
    arena = arena_of(["3909"])
    case = CaseFactory(arena=arena, opened=date(2024, 1, 10))
    login(client, secretariat)
    before = Decision.objects.count()
    body = {"body": "council", "municipality": "3909", "case": case.pk}
    problem = problem_of(
        client.post("/api/v1/decisions", {**body, "planned_date": "2200-06-01"}, content_type=JSON),
        422,
    )
    assert _fields(problem) == {"planned_date"}
    assert "01.01.1950" in problem["detail"]  # issue 19: the window of a planned date
    assert Decision.objects.count() == before
    response = client.post(
        "/api/v1/decisions", {**body, "planned_date": "2024-06-01"}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    assert Decision.objects.get(pk=response.json()["id"]).case == case


def test_a_treatment_met_in_year_9999_is_refused_as_on_the_page(
    client: Client, secretariat: Any
) -> None:
    arena = arena_of(["3909"])
    treatment = DecisionFactory(
        case=CaseFactory(arena=arena, opened=date(2024, 1, 10)),
        municipality=arena.memberships.get().municipality,
        meeting_date=None,
        planned_date=date(2024, 4, 1),
        outcome="",
    )
    login(client, secretariat)
    url = f"/api/v1/decisions/{treatment.pk}"
    problem = problem_of(
        client.patch(
            url, {"version": treatment.version, "planned_date": "9999-12-31"}, content_type=JSON
        ),
        422,
    )
    assert _fields(problem) == {"planned_date"}
    treatment.refresh_from_db()
    assert treatment.planned_date == date(2024, 4, 1)
    response = client.patch(
        url, {"version": treatment.version, "planned_date": "2024-05-02"}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert response.json()["planned_date"] == "2024-05-02"


def test_a_case_names_an_arena_and_project_the_caller_may_see(
    client: Client, secretariat: Any
) -> None:
    """Governance finds the arena through the case form's choices (it names no arena
    model): an arena that does not exist is 404, as before."""
    arena = arena_of(["3909"])
    login(client, secretariat)
    body = {"title": "Sak", "opened": "2024-02-01"}
    problem_of(
        client.post("/api/v1/cases", {**body, "arena": arena.pk + 1000}, content_type=JSON), 404
    )
    problem_of(client.post("/api/v1/cases", {**body, "project": 999999}, content_type=JSON), 404)
    assert not Case.objects.exists()
    response = client.post("/api/v1/cases", {**body, "arena": arena.pk}, content_type=JSON)
    assert response.status_code == 201, response.content


def test_a_steps_end_before_its_start_is_named_as_in_the_api(
    client: Client, secretariat: Any
) -> None:
    """The page and the API name the field the same way («Planlagt til», its label); the
    page's form used to answer with the constraint's «Planlagt slutt»."""
    login(client, secretariat)
    plan = client.post("/api/v1/process-plans", {"title": "Plan"}, content_type=JSON).json()
    step = {"order": 1, "title": "Baklengs", "planned_date": "2024-05-04"}
    problem = problem_of(
        client.post(
            f"/api/v1/process-plans/{plan['id']}/steps",
            {**step, "planned_end": "2024-05-01"},
            content_type=JSON,
        ),
        422,
    )
    assert "«Planlagt til»" in problem["detail"]
    page = client.post(
        reverse("governance:step_add", args=[plan["id"]]),
        {**step, "planned_date": "04.05.2024", "planned_end": "01.05.2024"},
    )
    assert page.status_code == 200
    assert "«Planlagt til» kan ikke være før planlagt dato." in page.content.decode()
    assert not ProcessStep.objects.exists()
