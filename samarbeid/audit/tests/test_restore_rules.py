"""A restore keeps the business rules (issue 23, point 2): it goes through the record's own
edit service, so what an edit may not do (un-issue a run, unlock an invoiced year, move
money, change a status behind its action), a restore may not do; the page says why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.audit.models import AuditEntry
from samarbeid.audit.services import history
from samarbeid.finance import budgets, invoicing, run_steps
from samarbeid.finance.models import BudgetLine, InvoiceRun
from samarbeid.finance.tests import helpers
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.services import change_status, create_project

pytestmark = pytest.mark.django_db

YEAR = 2025


def _issued_run(actor: Any) -> InvoiceRun:
    arena = helpers.arena(["3909", "3901"], date(2024, 1, 1))
    helpers.budget(arena, YEAR, "10000.00", helpers.key(arena, equal=100, per_capita=0))
    run = invoicing.create_run(arena, YEAR, actor=actor, issue_date=date(2025, 3, 3))
    run_steps.approve_run(helpers.ready(run), expected_version=run.version, actor=actor)
    run_steps.issue_run(run, expected_version=run.version, actor=actor)
    run.refresh_from_db()
    return run


def _restore(client: Client, obj: Any, entry: AuditEntry) -> Any:
    label = obj._meta.label_lower
    return client.post(
        reverse("audit:restore", args=[label, obj.pk, entry.pk]),
        {"version": getattr(obj, "version", "")},
        follow=True,
    )


def _restores() -> int:
    return AuditEntry.objects.filter(action=AuditEntry.Action.RESTORE).count()


def test_restoring_an_issued_runs_creation_is_refused(client: Client, secretariat: Any) -> None:
    run = _issued_run(secretariat)
    created = history(run).get(action=AuditEntry.Action.CREATE)
    response = _restore(login(client, secretariat), run, created)
    page = response.content.decode()
    assert "kan ikke gjenopprettes" in page
    assert "tidligere versjon kan ikke settes tilbake" in page
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.ISSUED
    assert run.invoices.exists()
    assert _restores() == 0
    # still in the public API, and it cannot be issued a second time
    public = Client().get(f"/api/v1/finance/runs/{run.pk}")
    assert public.status_code == 200


def test_restoring_a_line_of_an_invoiced_year_is_refused(client: Client, secretariat: Any) -> None:
    """Money does not move after invoicing: the line's old amount stays in its history."""
    arena = helpers.arena(["3909", "3901"], date(2024, 1, 1))
    budget = helpers.budget(arena, YEAR, None, helpers.key(arena, equal=100, per_capita=0))
    line = budgets.add_line(
        BudgetLine(
            budget=budget,
            kind=BudgetLine.Kind.BASE,
            description="Drift",
            amount=Decimal("1000.00"),
            key=budget.arena.allocation_keys.get(),
        ),
        actor=secretariat,
    )
    first = history(line).get(action=AuditEntry.Action.CREATE)
    budgets.update_line(
        line, {"amount": Decimal("2000.00")}, expected_version=line.version, actor=secretariat
    )
    run = invoicing.create_run(arena, YEAR, actor=secretariat, issue_date=date(2025, 3, 3))
    run_steps.approve_run(helpers.ready(run), expected_version=run.version, actor=secretariat)
    run_steps.issue_run(run, expected_version=run.version, actor=secretariat)
    line.refresh_from_db()
    response = _restore(login(client, secretariat), line, first)
    assert "kan ikke gjenopprettes" in response.content.decode()
    line.refresh_from_db()
    assert line.amount == Decimal("2000.00")
    assert _restores() == 0


def test_restoring_a_projects_old_status_is_refused(client: Client, secretariat: Any) -> None:
    """A status changes only by its own action (with date, reason and history)."""
    arena = helpers.arena(["3909"], date(2024, 1, 1))
    project = create_project(
        Project(arena=arena, code="P1", title="Prosjekt"),
        changed_on=date(2024, 1, 1),
        actor=secretariat,
    )
    created = history(project).get(action=AuditEntry.Action.CREATE)
    change_status(
        project,
        Project.Status.PROPOSED,
        changed_on=date(2024, 6, 1),
        reason="Til styret",
        expected_version=project.version,
        actor=secretariat,
    )
    response = _restore(login(client, secretariat), project, created)
    assert "Status endres med statusskjemaet" in response.content.decode()
    project.refresh_from_db()
    assert project.status == Project.Status.PROPOSED
    assert _restores() == 0


def test_a_restore_through_the_edit_service_is_audited_as_a_restore(
    client: Client, secretariat: Any
) -> None:
    arena = helpers.arena(["3909"], date(2024, 1, 1))
    project = create_project(Project(arena=arena, code="P1", title="Først"), actor=secretariat)
    created = history(project).get(action=AuditEntry.Action.CREATE)
    from samarbeid.portfolio.services import update_project

    update_project(project, {"title": "Siden"}, expected_version=project.version, actor=secretariat)
    _restore(login(client, secretariat), project, created)
    project.refresh_from_db()
    assert project.title == "Først"
    latest = history(project).first()
    assert latest is not None
    assert latest.action == AuditEntry.Action.RESTORE


def test_a_restore_without_the_version_seen_is_refused(client: Client, secretariat: Any) -> None:
    arena = helpers.arena(["3909"], date(2024, 1, 1))
    project = create_project(Project(arena=arena, code="P1", title="Først"), actor=secretariat)
    created = history(project).get(action=AuditEntry.Action.CREATE)
    from samarbeid.portfolio.services import update_project

    update_project(project, {"title": "Siden"}, expected_version=project.version, actor=secretariat)
    response = login(client, secretariat).post(
        reverse("audit:restore", args=["portfolio.project", project.pk, created.pk]), follow=True
    )
    assert "Versjonen du så mangler" in response.content.decode()
    project.refresh_from_db()
    assert project.title == "Siden"
