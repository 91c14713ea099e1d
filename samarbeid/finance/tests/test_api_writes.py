"""The finance write API: keys, budgets and lines, run actions, credit notes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from conftest import api_call, bearer, problem_of
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.keys import set_usage
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    BudgetLine,
    Invoice,
    InvoiceRun,
    KeyFixedPercent,
    KeyUsage,
)
from samarbeid.finance.run_steps import approve_run, delete_run, issue_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026

pytestmark = pytest.mark.django_db
JSON = "application/json"


def api_entries(record: Any, action: str) -> Any:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        action=action,
        channel=Channel.API,
    ).order_by("pk")


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905")


@pytest.fixture
def staff(client: Client, secretariat: Any) -> Client:
    client.force_login(secretariat)
    return client


def issue(run: InvoiceRun, actor: Any) -> InvoiceRun:
    h.ready(run)
    approve_run(run, expected_version=None, actor=actor)
    issue_run(run, expected_version=None, actor=actor)
    return run


# Keys -----------------------------------------------------------------------------------------


def test_patch_key(client: Client, arena: Any, secretariat: Any, coordinator: Any) -> None:
    key = h.key(arena, 50, 50)
    url = f"/api/v1/finance/keys/{key.pk}"
    body = {"version": key.version, "equal": "30", "per_capita": "70", "name": "30/70"}
    assert api_call(client, "PATCH", url, body).status_code == 401
    client.force_login(coordinator)
    refused = api_call(client, "PATCH", url, body)
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    client.force_login(secretariat)
    bad = api_call(client, "PATCH", url, {**body, "equal": "20"})
    assert bad.status_code == 422
    assert "100" in bad.json()["detail"]
    response = api_call(client, "PATCH", url, body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["equal"], data["per_capita"], data["name"]) == ("30.00", "70.00", "30/70")
    key.refresh_from_db()
    assert (key.equal, key.per_capita, key.version) == (Decimal(30), Decimal(70), 2)
    entry = api_entries(key, AuditEntry.Action.UPDATE).get()
    assert entry.actor_id == secretariat.pk
    stale = api_call(client, "PATCH", url, {**body, "name": "Gammel", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    key.refresh_from_db()
    assert key.name == "30/70"
    assert api_call(client, "PATCH", "/api/v1/finance/keys/999999", body).status_code == 404


def test_key_weights_are_locked_once_invoiced(staff: Client, arena: Any, secretariat: Any) -> None:
    run = issue(run_2026(arena, secretariat), secretariat)
    key = AllocationKey.objects.get(arena=run.arena)
    url = f"/api/v1/finance/keys/{key.pk}"
    locked = api_call(staff, "PATCH", url, {"version": key.version, "equal": 50, "per_capita": 50})
    assert locked.status_code == 422
    assert "fakturert" in locked.json()["detail"]
    assert locked.json()["errors"][0]["loc"] == ["equal"]
    key.refresh_from_db()
    assert key.equal == Decimal(100)
    renamed = api_call(staff, "PATCH", url, {"version": key.version, "description": "Brukt 2026"})
    assert renamed.status_code == 200
    assert renamed.json()["description"] == "Brukt 2026"


def test_delete_key(staff: Client, arena: Any, secretariat: Any) -> None:
    used = h.key(arena, 100, 0, name="Brukt")
    h.budget(arena, 2026, "1000.00", used)
    refused = api_call(staff, "DELETE", f"/api/v1/finance/keys/{used.pk}?version=1")
    assert refused.status_code == 422
    assert "budsjettlinjer" in refused.json()["detail"]
    assert AllocationKey.objects.filter(pk=used.pk).exists()
    unused = h.key(arena, 0, 0, usage=Decimal(100), name="Ubrukt")
    set_usage(unused, h.municipality("3909", Y2026), 2025, Decimal(3), actor=secretariat)
    stale = api_call(staff, "DELETE", f"/api/v1/finance/keys/{unused.pk}?version=7")
    assert stale.status_code == 409
    response = api_call(staff, "DELETE", f"/api/v1/finance/keys/{unused.pk}?version=1")
    assert response.status_code == 204
    assert not AllocationKey.objects.filter(pk=unused.pk).exists()
    assert not KeyUsage.objects.exists()
    assert api_entries(unused, AuditEntry.Action.DELETE).count() == 1


def test_usage_and_fixed_percent(
    client: Client, arena: Any, secretariat: Any, coordinator: Any
) -> None:
    key = h.key(arena, 0, 0, usage=Decimal(100))
    usages = f"/api/v1/finance/keys/{key.pk}/usages"
    fixed = f"/api/v1/finance/keys/{key.pk}/fixed-percents"
    client.force_login(coordinator)
    body = {"municipality": "3909", "year": 2025, "units": "12.5"}
    assert api_call(client, "POST", usages, body).status_code == 403
    client.force_login(secretariat)
    assert api_call(client, "POST", usages, {**body, "units": "-1"}).status_code == 422
    assert api_call(client, "POST", usages, {**body, "units": "1.234"}).status_code == 422
    outsider = api_call(client, "POST", usages, {**body, "municipality": "0301"})
    assert outsider.status_code == 422
    assert "medlem" in outsider.json()["detail"]
    response = api_call(client, "POST", usages, body)
    assert response.status_code == 201
    assert response.json() == {
        "key": key.pk,
        "municipality": "3909",
        "year": 2025,
        "units": "12.50",
    }
    again = api_call(client, "POST", usages, {**body, "units": "13"})
    assert again.status_code == 201
    assert KeyUsage.objects.get().units == Decimal("13.00")
    assert (
        api_call(client, "POST", fixed, {"municipality": "3909", "percent": 140}).status_code == 422
    )
    response = api_call(client, "POST", fixed, {"municipality": "3909", "percent": "40.5"})
    assert response.status_code == 201
    assert response.json()["percent"] == "40.5000"
    stored = KeyFixedPercent.objects.get()
    assert stored.percent == Decimal("40.5")
    assert api_entries(stored, AuditEntry.Action.CREATE).count() == 1


# Budgets and lines ----------------------------------------------------------------------------


def test_create_budget_with_lines(
    client: Client, arena: Any, secretariat: Any, coordinator: Any
) -> None:
    key = h.key(arena, 100, 0)
    body = {
        "arena": arena.pk,
        "year": 2026,
        "administration_cost": "1000.1",
        "note": "Vedtatt",
        "lines": [
            {"kind": "base", "description": "Basis", "amount": "400000.01", "key": key.pk},
            {"kind": "base", "description": "Drift", "amount": "5", "actual": "4.5", "key": key.pk},
        ],
    }
    client.force_login(coordinator)
    assert api_call(client, "POST", "/api/v1/finance/budgets", body).status_code == 403
    client.force_login(secretariat)
    bad = dict(body, lines=[body["lines"][0], {**body["lines"][1], "amount": "-5"}])
    response = api_call(client, "POST", "/api/v1/finance/budgets", bad)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["lines.1.amount"]
    assert not Budget.objects.exists()
    assert not BudgetLine.objects.exists()
    project_line = {"kind": "project", "description": "P", "amount": "1", "key": key.pk}
    response = api_call(
        client, "POST", "/api/v1/finance/budgets", {**body, "lines": [project_line]}
    )
    assert response.status_code == 422
    assert not Budget.objects.exists()
    response = api_call(client, "POST", "/api/v1/finance/budgets", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["administration_cost"] == "1000.10"
    assert [(line["amount"], line["actual"]) for line in data["lines"]] == [
        ("400000.01", None),
        ("5.00", "4.50"),
    ]
    budget = Budget.objects.get()
    assert budget.lines.count() == 2
    assert api_entries(budget, AuditEntry.Action.CREATE).count() == 1
    again = api_call(client, "POST", "/api/v1/finance/budgets", body)
    assert again.status_code == 422
    assert "allerede" in again.json()["detail"]


def test_patch_budget_and_lock(staff: Client, arena: Any, secretariat: Any) -> None:
    budget = h.equal_budget(arena, 2026, "400000.00")
    url = f"/api/v1/finance/budgets/{budget.pk}"
    bad = api_call(staff, "PATCH", url, {"version": 1, "administration_cost": "-1"})
    assert bad.status_code == 422
    response = api_call(staff, "PATCH", url, {"version": 1, "administration_cost": "1234.5"})
    assert response.status_code == 200
    assert response.json()["administration_cost"] == "1234.50"
    budget.refresh_from_db()
    assert budget.administration_cost == Decimal("1234.50")
    assert budget.version == 2
    assert api_entries(budget, AuditEntry.Action.UPDATE).count() == 1
    assert api_call(staff, "PATCH", url, {"version": 1, "note": "x"}).status_code == 409
    issue(create_run(arena, 2026, actor=secretariat), secretariat)
    locked = api_call(staff, "PATCH", url, {"version": 2, "note": "Etterpå"})
    assert locked.status_code == 422
    assert "fakturert" in locked.json()["detail"]
    budget.refresh_from_db()
    assert budget.note == ""


def test_delete_budget(
    client: Client, arena: Any, secretariat: Any, coordinator: Any, reader: Any
) -> None:
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, "400000.00", key)
    line = budget.lines.get()
    url = f"/api/v1/finance/budgets/{budget.pk}"
    problem_of(client.delete(url), 401)
    for outsider in (coordinator, reader):
        problem_of(client.delete(f"{url}?version=1", headers=bearer(outsider)), 403)
    headers = bearer(secretariat)
    stale = problem_of(client.delete(f"{url}?version=7", headers=headers), 409)
    assert stale["current_version"] == 1
    assert Budget.objects.filter(pk=budget.pk).exists()
    assert BudgetLine.objects.count() == 1
    response = client.delete(f"{url}?version=1", headers=headers)
    assert response.status_code == 204
    assert not response.content
    assert not Budget.objects.exists()
    assert not BudgetLine.objects.exists()
    assert AllocationKey.objects.filter(pk=key.pk).exists()
    assert api_entries(budget, AuditEntry.Action.DELETE).get().actor_id == secretariat.pk
    assert api_entries(line, AuditEntry.Action.DELETE).count() == 1
    problem_of(client.delete(f"{url}?version=1", headers=headers), 404)


def test_delete_budget_refused_while_invoiced(client: Client, arena: Any, secretariat: Any) -> None:
    run = run_2026(arena, secretariat)
    budget = Budget.objects.get()
    url = f"/api/v1/finance/budgets/{budget.pk}"
    headers = bearer(secretariat)
    draft = problem_of(client.delete(f"{url}?version=1", headers=headers), 422)
    assert "utkast" in draft["detail"]
    issue(run, secretariat)
    invoiced = problem_of(client.delete(f"{url}?version=1", headers=headers), 422)
    assert "2026 er fakturert" in invoiced["detail"]
    assert Budget.objects.filter(pk=budget.pk).exists()
    assert BudgetLine.objects.count() == 1
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_lines(client: Client, arena: Any, secretariat: Any, coordinator: Any) -> None:
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, None, key)
    url = f"/api/v1/finance/budgets/{budget.pk}/lines"
    body = {"kind": "base", "description": "Basis", "amount": "1000.5", "key": key.pk}
    client.force_login(coordinator)
    assert api_call(client, "POST", url, body).status_code == 403
    client.force_login(secretariat)
    assert api_call(client, "POST", url, {**body, "key": 999999}).status_code == 422
    # an amount as the page writes it ("1,5") is read since a clerk's trial; three
    # decimals are not an amount on either
    assert api_call(client, "POST", url, {**body, "amount": "1,555"}).status_code == 422
    response = api_call(client, "POST", url, body)
    assert response.status_code == 201
    assert response.json()["amount"] == "1000.50"
    line = BudgetLine.objects.get()
    assert api_entries(line, AuditEntry.Action.CREATE).count() == 1
    line_url = f"/api/v1/finance/budget-lines/{line.pk}"
    client.force_login(coordinator)
    assert api_call(client, "PATCH", line_url, {"version": 1, "amount": "1"}).status_code == 403
    client.force_login(secretariat)
    response = api_call(client, "PATCH", line_url, {"version": 1, "amount": "2000"})
    assert response.status_code == 200
    assert response.json()["amount"] == "2000.00"
    assert response.json()["version"] == 2
    stale = api_call(client, "PATCH", line_url, {"version": 1, "amount": "3000"})
    assert stale.status_code == 409
    line.refresh_from_db()
    assert line.amount == Decimal("2000.00")
    assert api_call(client, "PATCH", line_url, {"version": 2, "actual": "-3"}).status_code == 422
    # While a draft run's invoices use the line, it cannot be deleted.
    run = create_run(arena, 2026, actor=secretariat)
    used = api_call(client, "DELETE", f"{line_url}?version=2")
    assert used.status_code == 422
    assert "utkast" in used.json()["detail"]
    delete_run(run, actor=secretariat)
    assert api_call(client, "DELETE", f"{line_url}?version=1").status_code == 409
    assert api_call(client, "DELETE", f"{line_url}?version=2").status_code == 204
    assert not BudgetLine.objects.exists()
    assert api_entries(line, AuditEntry.Action.DELETE).count() == 1


def test_lines_of_an_invoiced_budget_only_take_the_accounts(
    staff: Client, arena: Any, secretariat: Any
) -> None:
    run = issue(run_2026(arena, secretariat), secretariat)
    line = BudgetLine.objects.get()
    key = line.key
    url = f"/api/v1/finance/budget-lines/{line.pk}"
    locked = api_call(staff, "PATCH", url, {"version": 1, "amount": "1.00"})
    assert locked.status_code == 422
    assert "fakturert" in locked.json()["detail"]
    response = api_call(staff, "PATCH", url, {"version": 1, "amount": "400000", "actual": "398000"})
    assert response.status_code == 200
    assert response.json()["actual"] == "398000.00"
    line.refresh_from_db()
    assert (line.amount, line.actual) == (Decimal("400000.00"), Decimal("398000.00"))
    added = api_call(
        staff,
        "POST",
        f"/api/v1/finance/budgets/{line.budget_id}/lines",
        {"kind": "base", "description": "Mer", "amount": "1", "key": key.pk},
    )
    assert added.status_code == 422
    assert BudgetLine.objects.count() == 1
    assert api_call(staff, "DELETE", f"{url}?version=2").status_code == 422
    assert run.invoices.count() == 3  # the host 3905 is not invoiced


# Runs and credit notes ------------------------------------------------------------------------


def test_refresh_and_discard_a_draft(
    client: Client, arena: Any, secretariat: Any, coordinator: Any
) -> None:
    run = run_2026(arena, secretariat)
    BudgetLine.objects.update(amount=Decimal("800000.00"))
    url = f"/api/v1/finance/runs/{run.pk}"
    client.force_login(coordinator)
    assert api_call(client, "POST", f"{url}/refresh", {"version": run.version}).status_code == 403
    assert api_call(client, "DELETE", f"{url}?version=1").status_code == 403
    client.force_login(secretariat)
    stale = api_call(client, "POST", f"{url}/refresh", {"version": 5})
    assert stale.status_code == 409
    response = api_call(client, "POST", f"{url}/refresh", {"version": run.version})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["total"], data["host_share"], data["version"]) == ("600000.00", "200000.00", 2)
    assert api_entries(run, AuditEntry.Action.UPDATE).count() == 1
    assert api_call(client, "DELETE", f"{url}?version=1").status_code == 409
    assert api_call(client, "DELETE", f"{url}?version=2").status_code == 204
    assert not InvoiceRun.objects.exists()
    assert not Invoice.objects.exists()
    assert api_entries(run, AuditEntry.Action.DELETE).count() == 1


def test_approved_and_issued_runs_are_locked(staff: Client, arena: Any, secretariat: Any) -> None:
    run = run_2026(arena, secretariat)
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    url = f"/api/v1/finance/runs/{run.pk}"
    refused = api_call(staff, "DELETE", f"{url}?version=2")
    assert refused.status_code == 422
    assert "godkjent" in refused.json()["detail"]
    # its due date has passed: kept, as confirmed
    issue_response = api_call(staff, "POST", f"{url}/issue", {"version": 2, "keep_due_date": True})
    assert issue_response.status_code == 200
    version = InvoiceRun.objects.get().version
    for method, path in (
        ("DELETE", f"{url}?version={version}"),
        ("POST", f"{url}/refresh"),
        ("POST", f"{url}/approve"),
    ):
        response = api_call(staff, method, path, {"version": version})
        assert response.status_code == 422, (method, path)
        assert response["Content-Type"] == "application/problem+json"
    assert InvoiceRun.objects.get().status == InvoiceRun.Status.ISSUED


def test_credit_invoice(client: Client, arena: Any, secretariat: Any, coordinator: Any) -> None:
    run = run_2026(arena, secretariat, base="400000.04")
    draft = run.invoices.order_by("number").first()
    assert draft is not None
    client.force_login(secretariat)
    url = f"/api/v1/finance/invoices/{draft.pk}/credit"
    not_issued = api_call(client, "POST", url, {"reason": "Feil"})
    assert not_issued.status_code == 422
    assert "utstedte" in not_issued.json()["detail"]
    issue(run, secretariat)
    client.force_login(coordinator)
    assert api_call(client, "POST", url, {"reason": "Feil"}).status_code == 403
    client.force_login(secretariat)
    assert api_call(client, "POST", url, {"reason": "  "}).status_code == 422
    response = api_call(client, "POST", url, {"reason": "Feil beløp"})
    assert response.status_code == 201, response.content
    data = response.json()
    draft.refresh_from_db()
    assert data["kind"] == "credit_note"
    assert data["credited"] == draft.pk
    assert data["total"] == f"{draft.total:.2f}"
    assert data["issued"] is True
    note = Invoice.objects.get(pk=data["id"])
    assert note.reason == "Feil beløp"
    assert api_entries(note, AuditEntry.Action.CREATE).count() == 1
    assert data["number"] == f"{draft.number}-K"
    # credited in full (no `lines`: everything left): nothing is left for another note
    twice = api_call(client, "POST", url, {"reason": "Igjen"})
    assert twice.status_code == 422
    assert "kreditert i sin helhet" in twice.json()["detail"]
    partial = api_call(client, "POST", url, {"reason": "Igjen", "lines": []})
    assert partial.status_code == 422
    assert "kreditert i sin helhet" in partial.json()["detail"]
    on_note = api_call(
        client, "POST", f"/api/v1/finance/invoices/{note.pk}/credit", {"reason": "x"}
    )
    assert on_note.status_code == 422
    assert timezone.localdate()
