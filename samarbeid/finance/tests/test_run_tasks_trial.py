"""A clerk's trial of the invoice-run tasks (issue 20): while an action on a run waits or
runs, no other is offered or queued; a failed task that can only fail the same way is not
offered again (its page says why, and a retry by URL queues nothing); an action's task names
what it does."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import bearer, login
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import Budget, InvoiceRun
from samarbeid.finance.run_steps import approve_run
from samarbeid.finance.tests import helpers as h
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish, run_worker

pytestmark = pytest.mark.django_db


def _draft(secretariat: Any) -> InvoiceRun:
    arena = h.run_ready_arena()
    run = create_run(arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    return h.ready(run)


def _act(client: Client, run: InvoiceRun, action: str) -> Any:
    run.refresh_from_db()
    return client.post(
        reverse("finance:run_action", args=[run.pk, action]), {"version": run.version}
    )


def test_no_other_action_while_one_waits(client: Client, secretariat: Any) -> None:
    run = _draft(secretariat)
    login(client, secretariat)
    approving = _act(client, run, "approve")
    assert approving.status_code == 302
    page = client.get(run.get_absolute_url()).content.decode()
    assert "En handling på kjøringen venter eller kjører." in page
    assert "Godkjenn: fakturakjøring 2026 for BT" in page
    assert "Lag på nytt fra budsjettet</button>" not in page
    assert "Slett utkastet" not in page

    refreshing = _act(client, run, "refresh")  # by URL: refused with the reason on the run page
    assert refreshing["Location"] == run.get_absolute_url()
    told = client.get(refreshing["Location"]).content.decode()
    assert "En annen handling på kjøringen venter eller kjører" in told
    api = client.post(
        "/api/v1/finance/run-tasks",
        {"run": run.pk, "action": "refresh", "version": run.version},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert api.status_code == 422, api.content
    assert Job.objects.count() == 1

    # a second click on the same button goes to the task under way, as before
    again = _act(client, run, "approve")
    assert again["Location"].startswith(approving["Location"])
    run_worker()
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.APPROVED
    page = client.get(run.get_absolute_url()).content.decode()
    assert "En handling på kjøringen venter eller kjører." not in page
    assert "Utsted fakturaene" in page


def test_a_failed_draft_whose_budget_is_gone_is_not_offered_again(
    client: Client, secretariat: Any
) -> None:
    arena = h.run_ready_arena()
    login(client, secretariat)
    queued = client.post(reverse("finance:run_create", args=[arena.pk]), h.RUN_FORM)
    assert queued.status_code == 302
    Budget.objects.filter(arena=arena).delete()
    job = finish(queued)
    assert job.status == Job.Status.FAILED

    page = client.get(job.get_absolute_url()).content.decode()
    # the reason is the task's own error, said once
    assert "Oppgaven kan ikke prøves igjen før dette er rettet." in page
    assert page.count("BT har ikke noe budsjett for 2026.") == 1
    assert "Prøv igjen</button>" not in page
    task = client.get(f"/api/v1/tasks/{job.pk}", headers=bearer(secretariat)).json()
    assert task["retryable"] is False

    retried = client.post(reverse("jobs:job_retry", args=[job.pk]))
    assert retried.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED  # nothing queued
    api = client.post(f"/api/v1/tasks/{job.pk}/retry", headers=bearer(secretariat))
    assert api.status_code == 422, api.content
    assert "har ikke noe budsjett" in api.content.decode()

    # once the budget is there again, it is offered and runs
    h.budget(arena, 2026, "300000.00", h.key(arena, 100, 0, name="Ny nøkkel"))
    assert "Prøv igjen</button>" in client.get(job.get_absolute_url()).content.decode()
    task = client.get(f"/api/v1/tasks/{job.pk}", headers=bearer(secretariat)).json()
    assert task["retryable"] is True
    client.post(reverse("jobs:job_retry", args=[job.pk]))
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error


def test_a_refresh_of_a_run_approved_since_is_not_offered_again(
    client: Client, secretariat: Any
) -> None:
    run = _draft(secretariat)
    login(client, secretariat)
    refreshing = _act(client, run, "refresh")
    # approved by a command meanwhile (not through the page, which would have refused)
    approve_run(run, expected_version=run.version, actor=secretariat)
    job = finish(refreshing)
    assert job.status == Job.Status.FAILED
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Oppgaven kan ikke prøves igjen" in page
    assert "Prøv igjen</button>" not in page
    assert "Nytt utkast fra budsjettet" in page  # the task's type says what it did


def test_an_actions_task_names_what_it_does(client: Client, secretariat: Any) -> None:
    run = _draft(secretariat)
    login(client, secretariat)
    job = finish(_act(client, run, "approve"))
    page = client.get(job.get_absolute_url()).content.decode()
    assert "<dd>Godkjenning av fakturakjøring</dd>" in page
    english = client.get(job.get_absolute_url() + "?lang=en").content.decode()
    assert "<dd>Approval of an invoice run</dd>" in english


def test_a_waiting_action_keeps_the_run_from_deletion_and_change(
    client: Client, secretariat: Any
) -> None:
    """A second trial deleted the draft while its approval waited, and the approval failed:
    while an action waits, the delete page and the account form refuse with the reason, and
    so do the services (the API's delete too)."""
    run = _draft(secretariat)
    login(client, secretariat)
    assert _act(client, run, "approve").status_code == 302
    run.refresh_from_db()
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Lagre kontonummeret" not in page

    confirm = client.get(reverse("finance:run_delete", args=[run.pk])).content.decode()
    assert "En annen handling på kjøringen venter eller kjører" in confirm
    client.post(reverse("finance:run_delete", args=[run.pk]), {"version": run.version})
    account = client.post(
        reverse("finance:run_account", args=[run.pk]),
        {"version": run.version, "seller_account": "12345678903"},
    )
    assert account.status_code == 422  # the run page, which says an action waits
    assert "En handling på kjøringen venter eller kjører." in account.content.decode()
    api = client.delete(
        f"/api/v1/finance/runs/{run.pk}?version={run.version}", headers=bearer(secretariat)
    )
    assert api.status_code == 422, api.content
    assert InvoiceRun.objects.filter(pk=run.pk, seller_account=h.ACCOUNT).exists()

    run_worker()
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.APPROVED
