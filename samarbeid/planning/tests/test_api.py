"""The planning API: open reads of what the caller may see, writes through the pages' forms
and services (422 naming the form's fields, 403/404, 409 on a stale version)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import api_call, problem_of
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import history
from samarbeid.planning.models import CooperationNeed, PlanningStrategy
from samarbeid.planning.tests.factories import need, strategy

pytestmark = pytest.mark.django_db

BODY = {
    "title": "Planstrategi 2024–2027",
    "first_year": 2024,
    "last_year": 2027,
    "adopted_on": "2024-06-19",
    "decision_reference": "PS 61/24",
}


def test_the_coordinator_records_a_strategy_and_a_need(client: Client, coordinator: Any) -> None:
    response = api_call(
        client, "POST", "/api/v1/municipalities/3909/planning-strategies", BODY, coordinator
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["municipality"], body["adopted_on"], body["needs"]) == ("3909", "2024-06-19", [])
    saved = PlanningStrategy.objects.get(pk=body["id"])
    assert history(saved).get(action=AuditEntry.Action.CREATE).channel == Channel.API
    response = api_call(
        client,
        "POST",
        f"/api/v1/planning-strategies/{saved.pk}/needs",
        {"theme": "health_care", "description": "Eldreomsorg mot 2030"},
        coordinator,
    )
    assert response.status_code == 201, response.content
    assert response.json()["theme_label"] == "helse og omsorg, eldreomsorg"
    got = client.get(f"/api/v1/planning-strategies/{saved.pk}").json()
    assert [n["description"] for n in got["needs"]] == ["Eldreomsorg mot 2030"]


def test_bad_input_is_422_naming_the_forms_fields(client: Client, coordinator: Any) -> None:
    body = problem_of(
        api_call(
            client,
            "POST",
            "/api/v1/municipalities/3909/planning-strategies",
            BODY | {"first_year": 2030, "last_year": 2024, "adopted_on": "1800-01-01"},
            coordinator,
        ),
        422,
    )
    assert {tuple(e["loc"]) for e in body["errors"]} == {("last_year",), ("adopted_on",)}
    saved = strategy()
    body = problem_of(
        api_call(
            client,
            "POST",
            f"/api/v1/planning-strategies/{saved.pk}/needs",
            {"theme": "other", "description": "Noe"},
            coordinator,
        ),
        422,
    )
    assert [e["loc"] for e in body["errors"]] == [["theme_other"]]
    assert not PlanningStrategy.objects.exclude(pk=saved.pk).exists()
    assert not CooperationNeed.objects.exists()


def test_refusals(client: Client, other_coordinator: Any, reader: Any, coordinator: Any) -> None:
    saved = strategy()
    hidden = strategy(published=False, first_year=2028, last_year=2031)
    for user in (other_coordinator, reader):
        problem_of(
            api_call(client, "POST", "/api/v1/municipalities/3909/planning-strategies", BODY, user),
            403,
        )
        problem_of(
            api_call(
                client,
                "PATCH",
                f"/api/v1/planning-strategies/{saved.pk}",
                {"version": 1, "title": "X"},
                user,
            ),
            403,
        )
    problem_of(
        api_call(
            client, "POST", "/api/v1/municipalities/9999x/planning-strategies", BODY, coordinator
        ),
        404,
    )
    assert client.get(f"/api/v1/planning-strategies/{hidden.pk}").status_code == 404
    # the public cannot write
    assert (
        api_call(
            client, "POST", "/api/v1/municipalities/3909/planning-strategies", BODY, None
        ).status_code
        == 401
    )
    assert PlanningStrategy.objects.count() == 2


def test_patch_and_delete_carry_the_version(client: Client, coordinator: Any) -> None:
    saved = strategy()
    one = need(saved)
    url = f"/api/v1/planning-strategies/{saved.pk}"
    response = api_call(client, "PATCH", url, {"version": 1, "title": "Ny tittel"}, coordinator)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    problem_of(api_call(client, "PATCH", url, {"version": 1, "title": "Gammel"}, coordinator), 409)
    problem_of(api_call(client, "PATCH", url, {"version": 2, "title": None}, coordinator), 422)
    problem_of(api_call(client, "DELETE", url, None, coordinator), 422)  # no version
    problem_of(api_call(client, "DELETE", f"{url}?version=1", None, coordinator), 409)
    assert PlanningStrategy.objects.exists()
    assert CooperationNeed.objects.exists()  # nothing of it deleted
    patched = api_call(
        client,
        "PATCH",
        f"/api/v1/planning-needs/{one.pk}",
        {"version": 1, "partners": "Færder"},
        coordinator,
    )
    assert patched.json()["partners"] == "Færder"
    assert api_call(client, "DELETE", f"{url}?version=2", None, coordinator).status_code == 204
    assert not CooperationNeed.objects.exists()


def test_lists_filter_and_hide_the_unpublished(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for number in ("3909", "3907", "3911"):
        need(strategy(number), "procurement")
    need(strategy("3901", published=False), "procurement")
    with django_assert_max_num_queries(4):
        body = client.get("/api/v1/planning-strategies").json()
    assert body["count"] == 3
    needs = client.get("/api/v1/planning-needs?theme=procurement&municipality=3907").json()
    assert [n["municipality"] for n in needs["items"]] == ["3907"]
    themes = client.get("/api/v1/planning-needs/by-theme").json()
    assert [t["theme"] for t in themes] == ["procurement"]
    assert sorted(m["municipality"] for m in themes[0]["municipalities"]) == [
        "3907",
        "3909",
        "3911",
    ]
