"""Issue 20's trial: finance's management refusals say who may. A coordinator (or a reader)
who posts by address to a run's or a draft's action, or to the API, was told only the
general sentence; now the 403 page and the API's problem name the arena's secretariat or a
secretariat for every arena, and nothing is queued or changed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from conftest import bearer, login
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import InvoiceRun
from samarbeid.finance.run_steps import approve_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026
from samarbeid.jobs.models import Job

pytestmark = pytest.mark.django_db

MANAGE = "Bare sekretariatet for 12K, eller et sekretariat for alle arenaer, kan endre økonomien"
MANAGE_EN = "Only the secretariat for 12K, or a secretariat for every arena, can change"
ALL = "Bare et sekretariat for alle arenaer kan lage utkast til fakturakjøringer for alle arenaer."
GENERAL = "Rollen din gir ikke tilgang til dette."
DRAFT = {"year": "2026", "issue_date": "2026-03-02", "due_days": "30", "seller_account": ""}


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="12K")


@pytest.fixture
def run(arena: Any, secretariat: Any) -> InvoiceRun:
    return run_2026(arena, secretariat)


def refused_page(response: Any, words: str) -> str:
    assert response.status_code == 403
    page: str = response.content.decode()
    assert words in page
    assert GENERAL not in page
    return page


@pytest.mark.parametrize("persona", ["coordinator", "reader"])
def test_a_runs_actions_by_address_say_who_may(
    client: Client, run: InvoiceRun, persona: str, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    version = {"version": str(run.version)}
    for action in ("refresh", "approve", "issue"):
        url = reverse("finance:run_action", args=[run.pk, action])
        refused_page(client.post(url, version), MANAGE)
    delete = reverse("finance:run_delete", args=[run.pk])
    refused_page(client.get(delete), MANAGE)
    refused_page(client.post(delete, version), MANAGE)
    refused_page(client.post(reverse("finance:run_create", args=[run.arena_id]), DRAFT), MANAGE)
    assert not Job.objects.exists()
    assert InvoiceRun.objects.filter(pk=run.pk, status=InvoiceRun.Status.DRAFT).exists()


def test_every_arenas_drafts_say_who_may(client: Client, arena: Any, coordinator: Any) -> None:
    h.equal_budget(arena, 2026, "1000.00")
    login(client, coordinator)
    fields = {f"alle-{name}": value for name, value in DRAFT.items()}
    refused_page(client.post(reverse("finance:runs_create_all"), fields), ALL)
    assert not Job.objects.exists()


def test_the_refusal_reads_in_the_readers_language(
    client: Client, run: InvoiceRun, coordinator: Any
) -> None:
    login(client, coordinator)
    url = reverse("finance:run_action", args=[run.pk, "approve"]) + "?lang=en"
    response = client.post(url, {"version": str(run.version)})
    assert response.status_code == 403
    assert MANAGE_EN in response.content.decode()


def test_the_api_says_who_may(client: Client, run: InvoiceRun, coordinator: Any) -> None:
    headers = bearer(coordinator)

    def post(path: str, body: dict[str, Any]) -> Any:
        return client.post(path, json.dumps(body), content_type="application/json", headers=headers)

    draft = {"year": 2026, "issue_date": "2026-03-02", "due_days": 30}
    one = post("/api/v1/finance/run-tasks", {**draft, "arena": run.arena_id})
    assert one.status_code == 403
    assert one.json()["detail"].startswith(MANAGE)
    every = post("/api/v1/finance/run-tasks", draft)
    assert every.status_code == 403
    assert every.json()["detail"] == ALL
    # a record the finder refuses (a key) says the same as the services
    key = run.arena.allocation_keys.get()
    patched = client.patch(
        f"/api/v1/finance/keys/{key.pk}",
        json.dumps({"name": "Nytt navn", "version": key.version}),
        content_type="application/json",
        headers=headers,
    )
    assert patched.status_code == 403
    assert patched.json()["detail"].startswith(MANAGE)
    assert not Job.objects.exists()


def test_the_services_say_who_may(run: InvoiceRun, coordinator: Any) -> None:
    with pytest.raises(PermissionDenied) as refused:
        approve_run(run, expected_version=None, actor=coordinator)
    assert str(refused.value).startswith(MANAGE)
    with pytest.raises(PermissionDenied) as drafting:
        create_run(run.arena, 2027, actor=coordinator)
    assert str(drafting.value).startswith(MANAGE)
