"""What the tests of credit notes and corrected invoices start from: an issued run of a
Vestfold arena, Larvik's invoice in it, and the checks they share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from conftest import login, race_secretariat
from samarbeid.audit.models import AuditEntry
from samarbeid.finance.figures import run_totals
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import BudgetLine, Invoice, InvoiceLine, InvoiceRun
from samarbeid.finance.run_steps import approve_run, issue_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026

BASE = Decimal("100000.00")  # Larvik's quarter of the 400 000,00 base contribution
PROJECT = Decimal("15000.00")  # Larvik's half of the 30 000,01 project line


def vestfold_arena(short_name: str = "VF") -> Any:
    """An arena of the four Vestfold members in 2026, hosted by Tønsberg (3905)."""
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name=short_name)


def issued_run(arena: Any, actor: Any) -> InvoiceRun:
    """A 2026 run, issued: a base contribution split equally over the four members, and a
    project of Larvik and Horten (Horten, the lower number, gets the odd øre)."""
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, "400000.00", key)
    project = h.project(arena, "P1", ["3909", "3901"], date(2025, 1, 1))
    h.project_line(budget, project, "30000.01", key)
    run = create_run(arena, 2026, actor=actor, issue_date=date(2026, 3, 2))
    h.ready(run)
    approve_run(run, expected_version=None, actor=actor)
    issue_run(run, expected_version=None, actor=actor)
    return run


@pytest.fixture
def arena() -> Any:
    return vestfold_arena()


@pytest.fixture
def invoice(arena: Any, secretariat: Any) -> Invoice:
    """Larvik's invoice: line 1 the base contribution (BASE), line 2 its share of the project
    (PROJECT)."""
    result = issued_run(arena, secretariat).invoices.get(buyer__number="3909")
    lines = list(result.lines.order_by("position").values_list("position", "kind", "amount"))
    assert lines == [
        (1, BudgetLine.Kind.BASE, BASE),
        (2, BudgetLine.Kind.PROJECT, PROJECT),
    ]
    return result


def counts() -> tuple[int, int, int]:
    return Invoice.objects.count(), InvoiceLine.objects.count(), AuditEntry.objects.count()


def assert_refused_on_page(response: Any, message: str, field: str | None) -> None:
    """The form came back (422) with `message` in its error summary; with `field`, the
    error is tied to that field and the summary links to it."""
    content = response.content.decode()
    assert response.status_code == 422
    assert "ds-error-summary" in content
    assert message in content
    if field is not None:
        assert f'id="id_{field}_error"' in content
        assert f'aria-describedby="id_{field}_error"' in content
        assert 'aria-invalid="true"' in content
        assert f'href="#id_{field}"' in content


def assert_refused_writes_nothing(
    client: Any, url: str, data: dict[str, str], message: str, field: str | None
) -> None:
    """Posting `data` to the form at `url` is refused as `assert_refused_on_page` checks,
    and nothing is written."""
    before = counts()
    assert_refused_on_page(client.post(url, data), message, field)
    assert counts() == before


def assert_only_the_secretariat_opens(
    client: Any, url: str, data: dict[str, str], invoice: Invoice, users: tuple[Any, ...]
) -> None:
    """The invoice's form page at `url`: the public is sent to log in; each of `users` is
    refused (403) both the page and posting `data`, and the invoice's page does not link
    to it for them."""
    assert "/logg-inn/" in client.get(url)["Location"]
    for user in users:
        login(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
        assert url not in client.get(invoice.get_absolute_url()).content.decode()


# A body for the API's credit and corrected invoice: line 1 named twice.
LINE_1_TWICE = {
    "reason": "x",
    "lines": [{"position": 1, "amount": "1.00"}, {"position": 1, "amount": "2.00"}],
}


def larvik_net(run: InvoiceRun) -> Decimal:
    return {t.municipality.number: t.amount for t in run_totals(run)}["3909"]


def race_on_larviks_invoice(short_name: str) -> tuple[Invoice, Any]:
    """For a PostgreSQL race test (skipped elsewhere: SQLite ignores row locks): a clerk of
    the secretariat, and Larvik's invoice in an issued run of a new arena `short_name`."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL=postgres://…)")
    clerk = race_secretariat(f"samtidig-{short_name}")
    return issued_run(vestfold_arena(short_name), clerk).invoices.get(buyer__number="3909"), clerk
