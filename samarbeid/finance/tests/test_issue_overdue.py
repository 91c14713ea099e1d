"""Issuing a run whose due date has passed (a clerk's trial: one click issued invoices that
reached their buyers overdue). issue_run refuses it, on `due_date`, unless the secretariat
sets a new due date or confirms keeping the one that has passed; the run page's issue
button asks for either, the page's task and the API give what was said to the service. A
new due date is the run's and its invoices'; invoices already issued are never changed."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import problem_of
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.jobs import start_run_action
from samarbeid.finance.models import InvoiceRun
from samarbeid.finance.outputs import render_ehf
from samarbeid.finance.run_steps import DueDate, approve_run, issue_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.issued_invoices import vestfold_arena
from samarbeid.jobs.kinds import retry_refusals
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish, run_worker

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


def approved_run(actor: Any, issue_date: date) -> InvoiceRun:
    """A 2026 run of the Vestfold arena (400 000 kr over four, Tønsberg hosts), approved,
    invoiced on `issue_date` with 30 days to pay."""
    arena = vestfold_arena()
    h.equal_budget(arena, 2026, "400000.00")
    run = create_run(arena, 2026, actor=actor, issue_date=issue_date)
    h.ready(run)
    return approve_run(run, expected_version=None, actor=actor)


@pytest.fixture
def overdue(secretariat: Any) -> InvoiceRun:
    """Invoiced 60 days ago: its due date passed 30 days ago."""
    run = approved_run(secretariat, today() - timedelta(days=60))
    assert run.due_date == today() - timedelta(days=30)
    return run


def due_dates(run: InvoiceRun) -> set[date]:
    return set(run.invoices.values_list("due_date", flat=True))


def unchanged(run: InvoiceRun, due: date) -> None:
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.APPROVED
    assert run.due_date == due
    assert not run.invoices.filter(issued_at__isnull=False).exists()
    assert due_dates(run) == {due}


# The service ---------------------------------------------------------------------------------


def test_an_overdue_run_is_refused_without_a_word_on_its_due_date(
    overdue: InvoiceRun, secretariat: Any
) -> None:
    passed = overdue.due_date
    with pytest.raises(ValidationError) as refused:
        issue_run(overdue, expected_version=None, actor=secretariat, due=DueDate())
    message = refused.value.message_dict["due_date"][0]
    assert f"Forfallsdatoen {passed:%d.%m.%Y} er passert" in message
    assert "Sett en ny forfallsdato" in message
    unchanged(overdue, passed)


def test_kept_explicitly_it_is_issued_with_the_date_that_passed(
    overdue: InvoiceRun, secretariat: Any
) -> None:
    passed = overdue.due_date
    issue_run(overdue, expected_version=None, actor=secretariat, due=DueDate(keep_passed=True))
    overdue.refresh_from_db()
    assert overdue.status == InvoiceRun.Status.ISSUED
    assert (overdue.due_date, due_dates(overdue)) == (passed, {passed})


def test_a_new_due_date_is_the_runs_and_its_invoices(overdue: InvoiceRun, secretariat: Any) -> None:
    new = today() + timedelta(days=14)
    issue_run(overdue, expected_version=None, actor=secretariat, due=DueDate(new=new))
    overdue.refresh_from_db()
    assert overdue.status == InvoiceRun.Status.ISSUED
    assert overdue.due_date == new
    assert due_dates(overdue) == {new}
    assert overdue.invoices.filter(issued_at__isnull=True).count() == 0
    # the EHF document the buyer gets says it (cbc:DueDate)
    invoice = overdue.invoices.first()
    assert invoice is not None
    assert f"<cbc:DueDate>{new.isoformat()}</cbc:DueDate>" in render_ehf(invoice).decode()
    # issued invoices are never changed: issuing again is refused, the dates stay
    with pytest.raises(ValidationError, match="allerede utstedt"):
        issue_run(
            overdue,
            expected_version=None,
            actor=secretariat,
            due=DueDate(new=new + timedelta(days=1)),
        )
    overdue.refresh_from_db()
    assert (overdue.due_date, due_dates(overdue)) == (new, {new})


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (-1, "Den nye forfallsdatoen kan ikke være passert."),
        (5, "Forfall kan ikke være før fakturadato."),  # invoiced in ten days
    ],
)
def test_a_new_due_date_that_passed_or_precedes_the_invoice_date_is_refused(
    secretariat: Any, days: int, words: str
) -> None:
    run = approved_run(secretariat, today() + timedelta(days=10))
    due = run.due_date
    with pytest.raises(ValidationError) as refused:
        issue_run(
            run,
            expected_version=None,
            actor=secretariat,
            due=DueDate(new=today() + timedelta(days=days)),
        )
    assert refused.value.message_dict == {"due_date": [words]}
    unchanged(run, due)


def test_a_run_not_yet_due_is_issued_without_a_question(secretariat: Any) -> None:
    run = approved_run(secretariat, today())
    issue_run(run, expected_version=None, actor=secretariat, due=DueDate())
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.ISSUED
    assert run.due_date == today() + timedelta(days=30)


# The page ------------------------------------------------------------------------------------


def test_the_issue_button_asks_for_a_new_due_date_and_refuses_one_click(
    client: Client, overdue: InvoiceRun, secretariat: Any
) -> None:
    client.force_login(secretariat)
    passed = overdue.due_date
    page = client.get(overdue.get_absolute_url()).content.decode()
    assert (
        f"Forfallsdatoen {passed:%d.%m.%Y} er passert. Sett en ny forfallsdato for fakturaene "
        "før de utstedes" in page
    )
    assert 'name="due_date"' in page
    assert 'type="date"' in page
    assert 'name="keep_due_date"' in page
    issue = reverse("finance:run_action", args=[overdue.pk, "issue"])
    refused = client.post(issue, {"version": overdue.version}, follow=True)
    assert f"Forfallsdatoen {passed:%d.%m.%Y} er passert. Sett en ny forfallsdato, eller" in (
        refused.content.decode()
    )
    assert not Job.objects.exists()  # refused at once, nothing queued
    unchanged(overdue, passed)
    bad = client.post(issue, {"version": overdue.version, "due_date": "31.02.2027"}, follow=True)
    assert "Ny forfallsdato: " in bad.content.decode()
    assert not Job.objects.exists()
    new = today() + timedelta(days=20)
    job = finish(client.post(issue, {"version": overdue.version, "due_date": new.isoformat()}))
    assert job.status == Job.Status.DONE
    overdue.refresh_from_db()
    assert overdue.status == InvoiceRun.Status.ISSUED
    assert (overdue.due_date, due_dates(overdue)) == (new, {new})


def test_a_run_not_yet_due_has_the_plain_issue_button(client: Client, secretariat: Any) -> None:
    run = approved_run(secretariat, today())
    client.force_login(secretariat)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Utsted fakturaene (EHF kontrolleres)" in page
    assert 'name="due_date"' not in page
    issue = reverse("finance:run_action", args=[run.pk, "issue"])
    assert finish(client.post(issue, {"version": run.version})).status == Job.Status.DONE


def test_a_queued_task_whose_new_due_date_passed_before_it_ran_is_refused(
    overdue: InvoiceRun, secretariat: Any
) -> None:
    """The task checks what was said again (the service), and a retry is not offered."""
    new = today() + timedelta(days=1)
    job = start_run_action(
        overdue, "issue", overdue.version, actor=secretariat, due=DueDate(new=new)
    )
    later = today() + timedelta(days=2)
    with mock.patch("samarbeid.finance.run_steps.timezone.localdate", return_value=later):
        run_worker()
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED
        assert retry_refusals(job) == ["Den nye forfallsdatoen kan ikke være passert."]
    unchanged(overdue, overdue.due_date)


# The API -------------------------------------------------------------------------------------


def post(client: Client, run: InvoiceRun, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/finance/runs/{run.pk}/issue", json.dumps(body), content_type="application/json"
    )


def test_the_api_refuses_an_overdue_run_on_due_date(
    client: Client, overdue: InvoiceRun, secretariat: Any
) -> None:
    client.force_login(secretariat)
    passed = overdue.due_date
    body = problem_of(post(client, overdue, {"version": overdue.version}), 422)
    assert [e["loc"] for e in body["errors"]] == [["due_date"]]
    assert f"Forfallsdatoen {passed:%d.%m.%Y} er passert" in body["errors"][0]["msg"]
    unchanged(overdue, passed)
    past = problem_of(
        post(client, overdue, {"version": overdue.version, "due_date": passed.isoformat()}), 422
    )
    assert past["errors"] == [
        {"loc": ["due_date"], "msg": "Den nye forfallsdatoen kan ikke være passert."}
    ]
    new = today() + timedelta(days=10)
    issued = post(client, overdue, {"version": overdue.version, "due_date": new.isoformat()})
    assert issued.status_code == 200, issued.content
    assert (issued.json()["status"], issued.json()["due_date"]) == ("issued", new.isoformat())
    assert due_dates(overdue) == {new}


def test_the_api_issues_an_overdue_run_kept_explicitly(
    client: Client, overdue: InvoiceRun, secretariat: Any
) -> None:
    client.force_login(secretariat)
    issued = post(client, overdue, {"version": overdue.version, "keep_due_date": True})
    assert issued.status_code == 200, issued.content
    assert issued.json()["due_date"] == overdue.due_date.isoformat()


BOTH = "Sett en ny forfallsdato eller behold den passerte, ikke begge."


def test_a_new_due_date_and_keeping_the_passed_one_contradict_each_other(
    client: Client, overdue: InvoiceRun, secretariat: Any
) -> None:
    """A clerk's trial: the API took both and issued with the new date, as if the
    confirmation to keep the passed one had not been given."""
    passed = overdue.due_date
    new = today() + timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        issue_run(
            overdue,
            expected_version=None,
            actor=secretariat,
            due=DueDate(new=new, keep_passed=True),
        )
    assert refused.value.message_dict == {"due_date": [BOTH]}
    client.force_login(secretariat)
    body = {"version": overdue.version, "due_date": new.isoformat(), "keep_due_date": True}
    assert problem_of(post(client, overdue, body), 422)["errors"] == [
        {"loc": ["due_date"], "msg": BOTH}
    ]
    unchanged(overdue, passed)
