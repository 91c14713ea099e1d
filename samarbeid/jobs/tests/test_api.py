"""The tasks API: the caller's tasks and one task (status, progress, result link, error), a
failed task retried, and the invoice run drafted in the background (202 with the task's
Location); problem+json, permission-checked, in the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import bearer, login, problem_of
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.finance.models import AllocationKey, InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026
from samarbeid.jobs import services
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests import kinds
from samarbeid.jobs.tests.helpers import failed_task, run_worker

pytestmark = pytest.mark.django_db


def _steps(actor: Any, arena: Any = None) -> Job:
    return services.start(
        "test_steps", actor=actor, title="Telling", arena=arena, params={"steps": 2}
    )


def test_a_task_read_through_the_api_from_waiting_to_done_with_its_file(
    client: Client, secretariat: Any
) -> None:
    job = _steps(secretariat)
    headers = bearer(secretariat)
    waiting = client.get(f"/api/v1/tasks/{job.pk}", headers=headers).json()
    assert waiting["status"] == "waiting"
    assert waiting["result_url"] is None
    run_worker()
    done = client.get(f"/api/v1/tasks/{job.pk}", headers=headers).json()
    assert done["status"] == "done"
    assert (done["steps_done"], done["steps_total"], done["percent"]) == (2, 2, 100)
    assert done["message"] == "Telte til 2."
    assert done["link"] == "/arenaer/"
    assert done["url"] == f"/oppgaver/{job.pk}/"
    assert done["result_url"] == f"/api/v1/tasks/{job.pk}/file"
    file = client.get(done["result_url"], headers=headers)
    assert file.status_code == 200
    assert file.content == b"n\n1\n2\n3\n"
    listed = client.get("/api/v1/tasks", headers=headers).json()
    assert [t["id"] for t in listed["items"]] == [job.pk]


def test_who_reads_which_task(
    client: Client, secretariat: Any, coordinator: Any, other_coordinator: Any
) -> None:
    arena = ArenaFactory()
    own = Job.objects.create(kind="test_steps", title="Min", started_by=coordinator)
    national = _steps(secretariat, arena)
    # the anonymous: 401, problem+json
    problem_of(client.get("/api/v1/tasks"), 401)
    problem_of(client.get(f"/api/v1/tasks/{own.pk}"), 401)
    # a coordinator reads their own task, not another's
    mine = client.get("/api/v1/tasks", headers=bearer(coordinator)).json()
    assert [t["id"] for t in mine["items"]] == [own.pk]
    assert client.get(f"/api/v1/tasks/{own.pk}", headers=bearer(coordinator)).status_code == 200
    problem_of(client.get(f"/api/v1/tasks/{national.pk}", headers=bearer(coordinator)), 404)
    # another municipality's coordinator cannot read it, nor its file, nor retry it
    other = bearer(other_coordinator)
    problem_of(client.get(f"/api/v1/tasks/{own.pk}", headers=other), 404)
    problem_of(client.get(f"/api/v1/tasks/{own.pk}/file", headers=other), 404)
    problem_of(client.post(f"/api/v1/tasks/{own.pk}/retry", headers=other), 404)
    assert client.get("/api/v1/tasks", headers=other).json()["items"] == []
    # the secretariat for every arena reads both
    every = client.get("/api/v1/tasks", headers=bearer(secretariat)).json()
    assert {t["id"] for t in every["items"]} == {own.pk, national.pk}


def test_a_failed_task_says_why_and_is_retried_through_the_api(
    client: Client, secretariat: Any
) -> None:
    arena = ArenaFactory()
    job = failed_task(secretariat, arena=arena)
    headers = bearer(secretariat)
    failed = client.get(f"/api/v1/tasks/{job.pk}", headers=headers).json()
    assert failed["status"] == "failed"
    assert failed["error"] == "Tallene for 1902 mangler."
    assert failed["retryable"] is True
    # not yet failed again: only a failed task is retried (422, problem+json)
    kinds.FAIL["on"] = False
    response = client.post(f"/api/v1/tasks/{job.pk}/retry", headers=headers)
    assert response.status_code == 202, response.content
    assert response["Location"] == f"/api/v1/tasks/{job.pk}"
    assert response.json()["status"] == "waiting"
    problem_of(client.post(f"/api/v1/tasks/{job.pk}/retry", headers=headers), 422)
    run_worker()
    assert client.get(response["Location"], headers=headers).json()["status"] == "done"
    # the session answers too, with its CSRF token checked on the write
    login(client, secretariat)
    assert client.get(f"/api/v1/tasks/{job.pk}").status_code == 200


def test_the_invoice_run_drafted_in_the_background(client: Client, secretariat: Any) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    key = AllocationKey.objects.create(arena=arena, name="Likt", equal=100)
    h.budget(arena, 2026, "1000.00", key)
    headers = bearer(secretariat)
    body = json.dumps({"arena": arena.pk, "year": 2026})
    response = client.post(
        "/api/v1/finance/run-tasks", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 202, response.content
    location = response["Location"]
    assert location == f"/api/v1/tasks/{response.json()['id']}"
    assert not InvoiceRun.objects.exists()  # nothing yet: the worker makes it
    run_worker()
    task = client.get(location, headers=headers).json()
    assert task["status"] == "done", task["error"]
    run = InvoiceRun.objects.get(arena=arena, year=2026)
    assert task["link"] == run.get_absolute_url()
    # the synchronous form stays
    again = client.post(
        "/api/v1/finance/runs",
        json.dumps({"arena": arena.pk, "year": 2026}),
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code in (409, 422)
    # a bad body is refused at once, nothing queued
    before = Job.objects.count()
    bad = client.post(
        "/api/v1/finance/run-tasks",
        json.dumps({"arena": arena.pk, "year": 2026, "due_days": 999}),
        content_type="application/json",
        headers=headers,
    )
    problem_of(bad, 422)
    assert Job.objects.count() == before


def test_the_openapi_document_describes_the_tasks(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get"} <= set(paths["/api/v1/tasks"])
    assert "202" in paths["/api/v1/tasks/{task_id}/retry"]["post"]["responses"]
    assert "202" in paths["/api/v1/finance/run-tasks"]["post"]["responses"]
    # the population file is read by a task too (issue 20): 202 with the task, never 200
    population = paths["/api/v1/population-files"]["post"]["responses"]
    assert "202" in population
    assert "200" not in population
    assert "404" in paths["/api/v1/tasks/{task_id}"]["get"]["responses"]


def test_the_task_list_costs_the_same_queries_for_many_tasks(
    client: Client, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        _steps(secretariat, ArenaFactory())
    headers = bearer(secretariat)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/tasks?limit=50", headers=headers)
    assert len(response.json()["items"]) == 30
