"""Issue 20's trial: a task that cannot succeed is refused at once, on the form's field and
in the task's own words, and nothing is queued (the page and the API ask the same service);
the approve button is not offered while the run page lists what must be fixed; deleting a
draft asks for confirmation first."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import bearer, login
from samarbeid.finance.models import InvoiceRun
from samarbeid.finance.run_steps import approve_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026
from samarbeid.jobs.models import Job

pytestmark = pytest.mark.django_db
DRAFT = {"issue_date": "2026-03-02", "due_days": "30", "seller_account": ""}


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="12K")


def test_a_year_with_a_run_is_refused_on_the_field_and_queues_nothing(
    client: Client, arena: Any, secretariat: Any
) -> None:
    run_2026(arena, secretariat)
    login(client, secretariat)
    response = client.post(reverse("finance:run_create", args=[arena.pk]), DRAFT | {"year": "2026"})
    assert response.status_code == 422
    content = response.content.decode()
    assert "12K har allerede en fakturakjøring for 2026." in content
    assert 'aria-invalid="true"' in content  # on the year's field
    assert not Job.objects.exists()


def test_a_year_without_a_budget_is_refused_at_once(
    client: Client, arena: Any, secretariat: Any
) -> None:
    login(client, secretariat)
    response = client.post(reverse("finance:run_create", args=[arena.pk]), DRAFT | {"year": "2030"})
    assert response.status_code == 422
    assert "12K har ikke noe budsjett for 2030." in response.content.decode()
    assert not Job.objects.exists()


def test_the_draft_form_offers_the_first_budget_year_without_a_run(
    client: Client, arena: Any, secretariat: Any
) -> None:
    run_2026(arena, secretariat)
    h.budget(arena, 2027, "1000.00", h.key(arena, 100, 0, name="Likt 2027"))
    login(client, secretariat)
    page = client.get(reverse("finance:arena", args=[arena.pk])).content.decode()
    assert 'name="year" value="2027"' in page
    assert 'name="year" value="2026"' not in page
    # every arena's form too: 2027 is the first year some arena has a budget and no run
    index = client.get(reverse("finance:index")).content.decode()
    assert 'name="alle-year" value="2027"' in index


def test_every_arena_for_a_year_without_open_budgets_is_refused_at_once(
    client: Client, arena: Any, secretariat: Any
) -> None:
    run_2026(arena, secretariat)
    login(client, secretariat)
    for year in ("2026", "2030"):
        response = client.post(
            reverse("finance:runs_create_all"),
            {"alle-year": year, "alle-issue_date": "2026-03-02", "alle-due_days": "30"},
        )
        assert response.status_code == 422
        content = response.content.decode()
        assert f"Ingen arena har et budsjett for {year} uten fakturakjøring." in content
        assert 'aria-invalid="true"' in content
    assert not Job.objects.exists()


def test_the_api_refuses_the_task_with_the_field(
    client: Client, arena: Any, secretariat: Any
) -> None:
    run_2026(arena, secretariat)
    headers = bearer(secretariat)
    for body, words in (
        ({"arena": arena.pk, "year": 2026}, "12K har allerede en fakturakjøring for 2026."),
        ({"year": 2026}, "Ingen arena har et budsjett for 2026 uten fakturakjøring."),
    ):
        response = client.post(
            "/api/v1/finance/run-tasks",
            json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 422, response.content
        assert response["Content-Type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["detail"] == words
        assert any(e["loc"][-1] == "year" and e["msg"] == words for e in problem["errors"])
    assert not Job.objects.exists()


def test_approve_is_not_offered_nor_queued_while_something_must_be_fixed(
    client: Client, arena: Any, secretariat: Any
) -> None:
    run = run_2026(arena, secretariat)
    login(client, secretariat)
    approve = reverse("finance:run_action", args=[run.pk, "approve"])
    page = client.get(run.get_absolute_url()).content.decode()
    assert "mangler selgerens kontonummer" in page
    assert approve not in page
    response = client.post(approve, {"version": run.version}, follow=True)
    assert not Job.objects.exists()
    content = response.content.decode()
    assert "mangler selgerens kontonummer" in content
    assert response.redirect_chain[-1][0] == run.get_absolute_url()
    # made ready: offered, and queued
    h.ready(run)
    assert approve in client.get(run.get_absolute_url()).content.decode()
    assert client.post(approve, {"version": run.version}).status_code == 302
    assert Job.objects.count() == 1


def test_issue_of_a_draft_is_refused_at_once(client: Client, arena: Any, secretariat: Any) -> None:
    run = run_2026(arena, secretariat)
    login(client, secretariat)
    issue = reverse("finance:run_action", args=[run.pk, "issue"])
    response = client.post(issue, {"version": run.version}, follow=True)
    assert "Kjøringen må godkjennes før den utstedes." in response.content.decode()
    assert not Job.objects.exists()


def test_deleting_a_draft_asks_first(client: Client, arena: Any, secretariat: Any) -> None:
    run = run_2026(arena, secretariat)
    login(client, secretariat)
    page = client.get(run.get_absolute_url()).content.decode()
    delete = reverse("finance:run_delete", args=[run.pk])
    assert f'href="{delete}"' in page  # a link to the confirmation, not a button that deletes
    confirm = client.get(delete)
    assert confirm.status_code == 200
    content = confirm.content.decode()
    assert "Slett utkastet til fakturakjøring 2026 for 12K?" in content
    assert InvoiceRun.objects.filter(pk=run.pk).exists()
    done = client.post(delete, {"version": run.version})
    assert done.status_code == 302
    assert done["Location"] == reverse("finance:arena", args=[arena.pk])
    assert not InvoiceRun.objects.filter(pk=run.pk).exists()


def test_an_approved_run_cannot_be_deleted_from_its_page(
    client: Client, arena: Any, secretariat: Any
) -> None:
    run = h.ready(run_2026(arena, secretariat))
    approve_run(run, expected_version=None, actor=secretariat)
    login(client, secretariat)
    delete = reverse("finance:run_delete", args=[run.pk])
    assert delete not in client.get(run.get_absolute_url()).content.decode()
    response = client.post(delete, {"version": InvoiceRun.objects.get().version})
    assert response.status_code == 200
    assert "godkjent og kan ikke endres" in response.content.decode()
    assert InvoiceRun.objects.filter(pk=run.pk).exists()


def test_the_old_delete_button_no_longer_deletes(
    client: Client, arena: Any, secretariat: Any
) -> None:
    run = run_2026(arena, secretariat)
    login(client, secretariat)
    response = client.post(
        reverse("finance:run_action", args=[run.pk, "delete"]), {"version": run.version}
    )
    assert response.status_code == 404
    assert InvoiceRun.objects.filter(pk=run.pk).exists()
