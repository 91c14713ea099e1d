"""The governance API's writes: cases, process plans and their steps (decisions, votes and
conclusions are also covered in samarbeid/portfolio/tests/test_api.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import login, problem_of
from samarbeid.arenas.tests.factories import CaseFactory, DecisionFactory
from samarbeid.audit.models import AuditEntry
from samarbeid.audit.tests.helpers import api_entries
from samarbeid.governance.models import Case, Decision, ProcessPlan, ProcessStep, Vote
from samarbeid.governance.tests.builders import board_vote
from samarbeid.portfolio.tests.helpers import arena_of

pytestmark = pytest.mark.django_db
JSON = "application/json"


# Cases -------------------------------------------------------------------------------------


def test_post_case_sent_to_every_member(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909", "3901"])
    login(client, secretariat)
    response = client.post(
        "/api/v1/cases",
        {
            "title": "Felles barnevernstjeneste",
            "arena": arena.pk,
            "subject": "document",
            "document_title": "Utredning",
            "opened": "2024-02-01",
            "send_to_members": True,
            "planned_date": "2024-04-01",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert case.title == "Felles barnevernstjeneste"
    assert case.arena == arena
    assert case.subject == "document"
    assert case.opened == date(2024, 2, 1)
    assert body["version"] == case.version
    assert body["published"] is True
    assert [t["municipality"] for t in body["treatments"]] == ["3901", "3909"]
    assert body["summary"] == "0 av 2 har sluttet seg til"
    treatments = Decision.objects.filter(case=case)
    assert {d.planned_date for d in treatments} == {date(2024, 4, 1)}
    assert api_entries(Case, case.pk, "create") == 1
    assert all(api_entries(Decision, d.pk, "create") == 1 for d in treatments)


def test_post_case_refused(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena = arena_of(["3909"])
    login(client, coordinator)
    body = {"title": "Sak", "arena": arena.pk, "opened": "2024-02-01"}
    problem_of(client.post("/api/v1/cases", body, content_type=JSON), 403)
    login(client, secretariat)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    problem = problem_of(
        client.post("/api/v1/cases", {**body, "opened": future}, content_type=JSON), 422
    )
    assert "fram i tid" in problem["detail"]
    problem = problem_of(
        client.post(
            "/api/v1/cases",
            {"title": "Uten arena", "opened": "2024-02-01", "send_to_members": True},
            content_type=JSON,
        ),
        422,
    )
    assert "arenaen" in problem["detail"]
    problem_of(client.post("/api/v1/cases", {**body, "title": ""}, content_type=JSON), 422)
    problem_of(client.post("/api/v1/cases", {**body, "subject": "x"}, content_type=JSON), 422)
    problem_of(client.post("/api/v1/cases", {**body, "arena": 999999}, content_type=JSON), 404)
    assert not Case.objects.exists()
    assert not AuditEntry.objects.filter(channel="api").exists()


def test_patch_case(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena = arena_of(["3909"])
    case = CaseFactory(title="Sak", arena=arena, opened=date(2024, 1, 10))
    DecisionFactory(case=case, meeting_date=date(2024, 2, 1))
    url = f"/api/v1/cases/{case.pk}"
    login(client, coordinator)
    problem_of(client.patch(url, {"version": case.version, "title": "X"}, content_type=JSON), 403)
    login(client, secretariat)
    response = client.patch(
        url,
        {"version": case.version, "title": "Ny tittel", "published": False},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Ny tittel"
    assert response.json()["version"] == case.version + 1
    stored = Case.objects.get(pk=case.pk)
    assert stored.title == "Ny tittel"
    assert stored.published is False
    assert api_entries(Case, case.pk, "update") == 1
    # stale version
    problem = problem_of(
        client.patch(url, {"version": case.version, "title": "Gammel"}, content_type=JSON), 409
    )
    assert problem["current_version"] == case.version + 1
    # opened after the treatment (1.2.2024): refused
    problem = problem_of(
        client.patch(url, {"version": stored.version, "opened": "2024-03-01"}, content_type=JSON),
        422,
    )
    assert "behandlet" in problem["detail"]
    problem_of(
        client.patch(url, {"version": stored.version, "opened": None}, content_type=JSON), 422
    )
    problem_of(client.patch(url, {"version": stored.version, "title": ""}, content_type=JSON), 422)
    problem_of(client.patch(url, {"title": "Uten versjon"}, content_type=JSON), 422)
    problem_of(
        client.patch(url, {"version": stored.version, "project": 999999}, content_type=JSON), 404
    )
    assert Case.objects.get(pk=case.pk).title == "Ny tittel"
    problem_of(client.patch("/api/v1/cases/999999", {"version": 1}, content_type=JSON), 404)


# Votes: the wrong coordinator -------------------------------------------------------------


def test_wrong_coordinator_cannot_vote_or_decide(client: Client, other_coordinator: Any) -> None:
    arena = arena_of(["3909", "3901"])
    board = board_vote(arena)
    login(client, other_coordinator)
    problem_of(
        client.post(
            f"/api/v1/decisions/{board.pk}/votes",
            {"municipality": "3909", "choice": "for"},
            content_type=JSON,
        ),
        403,
    )
    assert not Vote.objects.exists()
    response = client.post(
        f"/api/v1/decisions/{board.pk}/votes",
        {"municipality": "3901", "choice": "against"},
        content_type=JSON,
    )
    assert response.status_code == 201
    assert Vote.objects.get().municipality.number == "3901"
    problem_of(
        client.post(
            "/api/v1/decisions",
            {"body": "council", "municipality": "3909", "meeting_date": "2024-04-01"},
            content_type=JSON,
        ),
        403,
    )


# Process plans -----------------------------------------------------------------------------


def test_plan_and_steps(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena = arena_of(["3909"])
    login(client, secretariat)
    response = client.post(
        "/api/v1/process-plans",
        {"title": "Hva nå?", "arena": arena.pk, "description": "Veien videre"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    plan = ProcessPlan.objects.get(pk=response.json()["id"])
    assert plan.arena == arena
    assert plan.description == "Veien videre"
    assert response.json()["steps"] == []
    assert api_entries(ProcessPlan, plan.pk, "create") == 1
    steps_url = f"/api/v1/process-plans/{plan.pk}/steps"
    response = client.post(
        steps_url,
        {"order": 1, "title": "Mandat", "body": "Styret", "planned_date": "2024-05-03"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    step = ProcessStep.objects.get(pk=response.json()["id"])
    assert step.plan == plan
    assert step.title == "Mandat"
    assert step.done_date is None
    assert response.json()["overdue"] is True
    assert api_entries(ProcessStep, step.pk, "create") == 1
    problem = problem_of(
        client.post(
            steps_url,
            {"order": 1, "title": "Dobbel", "planned_date": "2024-05-04"},
            content_type=JSON,
        ),
        422,
    )
    assert "allerede et steg" in problem["detail"]
    problem = problem_of(
        client.post(
            steps_url,
            {
                "order": 2,
                "title": "Baklengs",
                "planned_date": "2024-05-04",
                "planned_end": "2024-05-01",
            },
            content_type=JSON,
        ),
        422,
    )
    assert "Planlagt til" in problem["detail"]
    problem_of(
        client.post(
            steps_url, {"order": 0, "title": "X", "planned_date": "2024-05-04"}, content_type=JSON
        ),
        422,
    )
    assert ProcessStep.objects.count() == 1
    detail = client.get(f"/api/v1/process-plans/{plan.pk}").json()
    assert [s["title"] for s in detail["steps"]] == ["Mandat"]

    done_url = f"/api/v1/process-steps/{step.pk}/done"
    login(client, coordinator)
    problem_of(
        client.post(
            done_url, {"done_date": "2024-05-03", "version": step.version}, content_type=JSON
        ),
        403,
    )
    problem_of(
        client.post(
            steps_url, {"order": 3, "title": "X", "planned_date": "2024-05-04"}, content_type=JSON
        ),
        403,
    )
    problem_of(
        client.post("/api/v1/process-plans", {"title": "X", "arena": arena.pk}, content_type=JSON),
        403,
    )
    login(client, secretariat)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    problem = problem_of(
        client.post(done_url, {"done_date": future, "version": step.version}, content_type=JSON),
        422,
    )
    assert "fram i tid" in problem["detail"]
    response = client.post(
        done_url, {"done_date": "2024-05-03", "version": step.version}, content_type=JSON
    )
    assert response.status_code == 200, response.content
    assert response.json()["done_date"] == "2024-05-03"
    assert response.json()["overdue"] is False
    step.refresh_from_db()
    assert step.done_date == date(2024, 5, 3)
    assert api_entries(ProcessStep, step.pk, "update") == 1
    problem_of(
        client.post(
            done_url, {"done_date": "2024-05-04", "version": step.version - 1}, content_type=JSON
        ),
        409,
    )
    step.refresh_from_db()
    assert step.done_date == date(2024, 5, 3)
    problem_of(
        client.post(
            "/api/v1/process-steps/999999/done",
            {"done_date": "2024-05-03", "version": 1},
            content_type=JSON,
        ),
        404,
    )


def test_plans_read(client: Client, secretariat: Any) -> None:
    public = ProcessPlan.objects.create(title="Åpen plan")
    hidden = ProcessPlan.objects.create(title="Intern plan", published=False)
    with CaptureQueriesContext(connection) as small:
        body = client.get("/api/v1/process-plans").json()
    assert [p["title"] for p in body["items"]] == ["Åpen plan"]
    for i in range(4):
        ProcessPlan.objects.create(title=f"Plan {i}")
    with CaptureQueriesContext(connection) as large:
        assert client.get("/api/v1/process-plans").json()["count"] == 5
    assert len(small) == len(large)
    assert client.get(f"/api/v1/process-plans/{hidden.pk}").status_code == 404
    assert client.get(f"/api/v1/process-plans/{public.pk}").status_code == 200
    login(client, secretariat)
    assert client.get(f"/api/v1/process-plans/{hidden.pk}").json()["title"] == "Intern plan"
    assert client.get("/api/v1/process-plans?limit=2").json()["count"] == 6
