"""Every arena's draft invoice runs at once, as a background task run by the real worker:
all drafted, or (one arena refused) none."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import AuditEntry
from samarbeid.finance.models import InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish

pytestmark = pytest.mark.django_db
DAY = date(2026, 1, 1)
FORM = {"alle-year": "2026", "alle-issue_date": "2026-03-02", "alle-due_days": "30"}


def _arenas() -> list[Arena]:
    found = []
    for short_name, members in (("AA", ["3901", "3905"]), ("BB", ["3905", "3909"])):
        arena = h.arena(members, DAY, host="3905", short_name=short_name)
        h.equal_budget(arena, 2026, "200000.00")
        found.append(arena)
    return found


def test_every_arena_drafted_at_once(client: Client, secretariat: Any) -> None:
    arenas = _arenas()
    login(client, secretariat)
    page = client.get(reverse("finance:index")).content.decode()
    assert reverse("finance:runs_create_all") in page
    job = finish(client.post(reverse("finance:runs_create_all"), FORM))
    assert job.status == Job.Status.DONE, job.error
    assert job.message == "2 utkast til fakturakjøringer for 2026 er laget."
    assert (job.steps_done, job.steps_total) == (4, 4)
    runs = InvoiceRun.objects.filter(year=2026)
    assert sorted(runs.values_list("arena__short_name", flat=True)) == ["AA", "BB"]
    assert AuditEntry.objects.filter(content_type__model="invoicerun").count() == 2
    # a second time: every arena has its run now, refused at once on the form (issue 20's
    # trial), nothing queued
    again = client.post(reverse("finance:runs_create_all"), FORM)
    assert again.status_code == 422
    assert "Ingen arena har et budsjett for 2026 uten fakturakjøring." in again.content.decode()
    assert Job.objects.count() == 1
    assert {r.arena for r in runs} == set(arenas)


def test_one_arena_refused_drafts_none(client: Client, secretariat: Any) -> None:
    _arenas()
    lone = h.arena(["3909"], DAY, short_name="CC")
    Arena.objects.filter(pk=lone.pk).update(host_municipality=None)
    h.equal_budget(lone, 2026, "100000.00")
    login(client, secretariat)
    job = finish(client.post(reverse("finance:runs_create_all"), FORM))
    assert job.status == Job.Status.FAILED
    assert "Ingen vertskommune registrert for CC" in job.error
    assert not InvoiceRun.objects.exists()  # all or nothing


def test_only_a_secretariat_for_every_arena_drafts_every_arena(
    client: Client, arena_secretariat: Any, coordinator: Any
) -> None:
    for user in (arena_secretariat, coordinator):
        login(client, user)
        assert client.post(reverse("finance:runs_create_all"), FORM).status_code == 403
        assert (
            reverse("finance:runs_create_all")
            not in client.get(reverse("finance:index")).content.decode()
        )
    assert not Job.objects.exists()


def test_a_wrong_year_for_every_arena_is_said_and_queues_nothing(
    client: Client, secretariat: Any
) -> None:
    login(client, secretariat)
    response = client.post(reverse("finance:runs_create_all"), FORM | {"alle-year": "x"})
    assert response.status_code == 422  # the finance page again, the form with its error
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Job.objects.exists()


def test_the_draft_apis_read_the_same_fields_as_the_page(client: Client, secretariat: Any) -> None:
    """A clerk's trial: POST /finance/run-tasks refused «8601.11.17947» («Har ikke riktig
    form.») which the page and POST /finance/runs take; and POST /finance/runs said a run
    that exists already on no field, where the task and the page say it on the year."""
    arena, _other = _arenas()
    headers = bearer(secretariat)
    grouped = {"arena": arena.pk, "year": 2026, "seller_account": "8601.11.17947"}
    queued = client.post(
        "/api/v1/finance/run-tasks", grouped, content_type="application/json", headers=headers
    )
    assert queued.status_code == 202, queued.content
    assert Job.objects.get().params["seller_account"] == "86011117947"
    wrong = {**grouped, "seller_account": "8601.11.1794"}
    refused = problem_of(
        client.post(
            "/api/v1/finance/run-tasks", wrong, content_type="application/json", headers=headers
        ),
        422,
    )
    assert refused["errors"][0]["loc"] == ["seller_account"]
    assert "11" in refused["errors"][0]["msg"]

    body = {"arena": arena.pk, "year": 2026}
    made = client.post(
        "/api/v1/finance/runs", body, content_type="application/json", headers=headers
    )
    assert made.status_code == 201, made.content
    again = problem_of(
        client.post("/api/v1/finance/runs", body, content_type="application/json", headers=headers),
        422,
    )
    assert again["errors"] == [
        {"loc": ["year"], "msg": "AA har allerede en fakturakjøring for 2026."}
    ]
