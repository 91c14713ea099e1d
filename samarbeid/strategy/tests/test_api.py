from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import login
from samarbeid.strategy.models import Benefit, GoalAssessment
from samarbeid.strategy.tests.helpers import (
    admin_cost,
    area,
    arena_of,
    goal,
    money,
    on,
    plan,
    project,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_plans_and_plan_detail(client: Client) -> None:
    arena = arena_of(["3909"])
    p = plan(arena)
    g = goal(p, 1, "Bedre tjenester")
    a = area(p, "IKT")
    from samarbeid.strategy.models import ProjectFocusArea, ProjectGoal

    proj = project(arena, budget="1000.00")
    ProjectGoal.objects.create(project=proj, goal=g)
    ProjectFocusArea.objects.create(project=proj, focus_area=a)
    listing = client.get(f"{API}/strategic-plans").json()
    assert listing["count"] == 1
    assert listing["items"][0]["id"] == p.pk
    detail = client.get(f"{API}/strategic-plans/{p.pk}").json()
    assert detail["goals"][0]["title"] == "Bedre tjenester"
    assert detail["coverage"]["areas"][0] == {
        "focus_area": a.pk,
        "title": "IKT",
        "projects": [proj.pk],
        "budget": "1000.00",
        "share_percent": "100.00",
    }
    assert client.get(f"{API}/strategic-plans/99999").status_code == 404


def test_hidden_plan_is_404_for_public(client: Client) -> None:
    p = plan(arena_of(["3909"], published=False))
    assert client.get(f"{API}/strategic-plans/{p.pk}").status_code == 404
    assert client.get(f"{API}/strategic-plans").json()["count"] == 0


def test_goals_and_assessment_post(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena, other = arena_of(["3909"]), arena_of(["3901"])
    g = goal(plan(arena), 1)
    body = {
        "arena": arena.pk,
        "attainment": "partly_met",
        "evidence": "Evaluering",
        "assessed_on": "2024-03-01",
    }
    assert client.post(
        f"{API}/goals/{g.pk}/assessments", body, content_type="application/json"
    ).status_code in (401, 403)
    login(client, coordinator)
    response = client.post(f"{API}/goals/{g.pk}/assessments", body, content_type="application/json")
    assert response.status_code == 403
    login(client, secretariat)
    response = client.post(
        f"{API}/goals/{g.pk}/assessments",
        {**body, "arena": other.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert not GoalAssessment.objects.exists()
    response = client.post(f"{API}/goals/{g.pk}/assessments", body, content_type="application/json")
    assert response.status_code == 201
    detail = client.get(f"{API}/goals/{g.pk}").json()
    assert detail["latest_assessment"]["attainment"] == "partly_met"
    assert len(detail["assessments"]) == 1
    assert client.get(f"{API}/goals", {"arena": arena.pk}).json()["count"] == 1


def test_project_results(client: Client) -> None:
    proj = project(arena_of(["3909"]))
    money(proj, "10.00", 2024, municipality=on("3909", date(2024, 6, 1)))
    data = client.get(f"{API}/projects/{proj.pk}/results").json()
    assert data["economic_results"][0]["amount"] == "10.00"
    assert data["economic_results"][0]["municipality"] == "3909"
    assert client.get(f"{API}/projects/99999/results").status_code == 404


def test_benefits_flagged_and_query_count(client: Client, larvik: Any) -> None:
    arena = arena_of(["3909"])

    def add(n: int, overdue: bool) -> None:
        for _ in range(n):
            Benefit.objects.create(
                project=project(arena, f"P{Benefit.objects.count()}"),
                municipality=larvik,
                description="x",
                owner="o",
                target_date=date(2000, 1, 1) if overdue else date(2999, 1, 1),
            )

    add(1, True)
    add(1, False)
    with CaptureQueriesContext(connection) as small:
        data = client.get(f"{API}/benefits", {"municipality": larvik.code, "flagged": True}).json()
    assert [b["overdue"] for b in data["items"]] == [True]
    add(5, True)
    with CaptureQueriesContext(connection) as large:
        data = client.get(f"{API}/benefits", {"municipality": larvik.code, "flagged": True}).json()
    assert len(data["items"]) == 6
    assert len(small) == len(large)


def test_period_account_endpoint(client: Client) -> None:
    arena = arena_of(["3909"])
    money(project(arena), "500.25", 2024, municipality=on("3909", date(2024, 6, 1)))
    admin_cost(arena, "100.00", 2024, 2024)
    url = f"{API}/arenas/{arena.pk}/period-account"
    data = client.get(url, {"first_year": 2024, "last_year": 2024}).json()
    assert data["total"]["savings_realised"] == "500.25"
    assert data["total"]["net_realised"] == "400.25"
    assert data["rows"][0]["municipality"] == "3909"
    response = client.get(url, {"first_year": 2024, "last_year": 2020})
    assert response.status_code == 422
    assert client.get(url, {"first_year": 1990, "last_year": 1990}).json()["empty"] is True
    assert client.get(
        f"{API}/arenas/99999/period-account", {"first_year": 1, "last_year": 2}
    ).status_code in (404, 422)
