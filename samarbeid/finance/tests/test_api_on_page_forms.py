"""The finance API writes on the pages' forms (issue 18 point 1): where a page and its API
twin told the same refusal differently, they now say it alike, on the same field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login, problem_of
from samarbeid.finance.corrections import credit_invoice
from samarbeid.finance.models import Budget, BudgetLine, Invoice, InvoiceReference
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_api_writes import issue
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905")


def _post(client: Client, url: str, body: dict[str, Any], method: str = "POST") -> Any:
    return client.generic(method, url, data=json.dumps(body), content_type=JSON)


def test_a_negative_amount_is_refused_on_its_field_on_the_page_as_in_the_api(
    client: Client, arena: Any, secretariat: Any
) -> None:
    """The budget page told a negative line amount as a problem of the whole line (the
    database constraint's words at the top of the form); the API named the field."""
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, None, key)
    login(client, secretariat)
    page = client.post(
        reverse("finance:line_add", args=[budget.pk]),
        {"line-kind": "base", "line-description": "Drift", "line-amount": "-5", "line-key": key.pk},
    )
    assert page.status_code == 422
    content = page.content.decode()
    assert 'id="id_line-amount_error"' in content
    assert "Beløpet kan ikke være negativt." in content
    api = problem_of(
        _post(
            client,
            f"/api/v1/finance/budgets/{budget.pk}/lines",
            {"kind": "base", "description": "Drift", "amount": "-5", "key": key.pk},
        ),
        422,
    )
    assert api["errors"] == [{"loc": ["amount"], "msg": "Beløpet kan ikke være negativt."}]
    assert not budget.lines.exists()


def test_a_line_of_the_budget_form_is_refused_by_its_place_in_the_request(
    client: Client, arena: Any, secretariat: Any
) -> None:
    """A budget made with lines: each line is checked by the page's line form, its errors
    named by the line's place; nothing is saved."""
    key = h.key(arena, 100, 0)
    login(client, secretariat)
    body = {
        "arena": arena.pk,
        "year": 2026,
        "lines": [
            {"kind": "base", "description": "Basis", "amount": "10", "key": key.pk},
            {"kind": "base", "description": "x" * 301, "amount": "10", "key": key.pk},
        ],
    }
    refused = problem_of(_post(client, "/api/v1/finance/budgets", body), 422)
    assert [error["loc"] for error in refused["errors"]] == [["lines.1.description"]]
    assert not Budget.objects.exists()
    assert not BudgetLine.objects.exists()


def test_a_credit_without_a_reason_is_refused_in_the_same_words_on_page_and_api(
    client: Client, arena: Any, secretariat: Any
) -> None:
    """The credit page said only that the field is required; the API said what to write."""
    invoice = issue(run_2026(arena, secretariat), secretariat).invoices.order_by("pk").first()
    assert invoice is not None
    login(client, secretariat)
    page = client.post(
        reverse("finance:credit_create", args=[invoice.pk]), {"mode": "all", "reason": " "}
    )
    assert page.status_code == 422
    assert "Skriv hvorfor fakturaen krediteres." in page.content.decode()
    api = problem_of(
        _post(client, f"/api/v1/finance/invoices/{invoice.pk}/credit", {"reason": " "}), 422
    )
    assert api["errors"] == [{"loc": ["reason"], "msg": "Skriv hvorfor fakturaen krediteres."}]
    assert not Invoice.objects.filter(credited=invoice).exists()


def test_a_correction_without_a_reason_is_refused_in_the_same_words_on_page_and_api(
    client: Client, arena: Any, secretariat: Any
) -> None:
    invoice = issue(run_2026(arena, secretariat), secretariat).invoices.order_by("pk").first()
    assert invoice is not None
    credit_invoice(invoice, "Feil", actor=secretariat)
    login(client, secretariat)
    page = client.post(
        reverse("finance:replacement_create", args=[invoice.pk]), {"line_1": "1", "reason": ""}
    )
    assert page.status_code == 422
    assert "Skriv hvorfor fakturaen korrigeres." in page.content.decode()
    assert not Invoice.objects.filter(replaces=invoice).exists()


def test_a_blank_invoice_reference_is_refused_in_the_same_words_on_page_and_api(
    client: Client, secretariat: Any, larvik: Any
) -> None:
    login(client, secretariat)
    page = client.post(
        reverse("finance:reference_set"),
        {"municipality": larvik.pk, "arena": "", "reference": "  "},
    )
    assert page.status_code == 422
    assert "Skriv fakturareferansen." in page.content.decode()
    api = problem_of(
        _post(
            client,
            "/api/v1/finance/invoice-references",
            {"municipality": larvik.number, "reference": "  "},
            "PUT",
        ),
        422,
    )
    assert api["errors"] == [{"loc": ["reference"], "msg": "Skriv fakturareferansen."}]
    assert not InvoiceReference.objects.exists()


def test_a_run_is_made_on_the_pages_run_form(client: Client, arena: Any, secretariat: Any) -> None:
    """The API's run takes the page's rules: payment terms not before the invoice date,
    an account of 11 digits, in the page's words, on the field."""
    h.equal_budget(arena, 2026, "1000.00")
    login(client, secretariat)
    body = {"arena": arena.pk, "year": 2026, "due_days": -1}
    refused = problem_of(_post(client, "/api/v1/finance/runs", body), 422)
    assert [error["loc"] for error in refused["errors"]] == [["due_days"]]
    page = client.post(
        reverse("finance:run_create", args=[arena.pk]),
        {"year": 2026, "issue_date": "", "due_days": "-1", "seller_account": ""},
    )
    assert page.status_code == 422
    assert refused["errors"][0]["msg"] in page.content.decode()
    made = _post(client, "/api/v1/finance/runs", {"arena": arena.pk, "year": 2026})
    assert made.status_code == 201, made.content


def test_payment_terms_beyond_the_calendar_are_refused_not_a_server_error(
    client: Client, arena: Any, secretariat: Any
) -> None:
    """A due date millions of days on is past any calendar: the page's run form bounds the
    payment terms (a year at most), for the page and the API alike (the API answered 500)."""
    h.equal_budget(arena, 2026, "1000.00")
    login(client, secretariat)
    body = {"arena": arena.pk, "year": 2026, "due_days": 3_000_000}
    refused = problem_of(_post(client, "/api/v1/finance/runs", body), 422)
    assert [error["loc"] for error in refused["errors"]] == [["due_days"]]
    page = client.post(
        reverse("finance:run_create", args=[arena.pk]),
        {"year": 2026, "issue_date": "", "due_days": "3000000", "seller_account": ""},
    )
    assert page.status_code == 422
    assert 'id="id_due_days_error"' in page.content.decode()
    made = _post(client, "/api/v1/finance/runs", {**body, "due_days": 365})
    assert made.status_code == 201, made.content
