"""From an integrator's trial: a corrected invoice charges only lines that were credited,
refusals are said on their field (page and API alike), and the run list's filters have
their API twin."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import login, problem_of
from samarbeid.finance.corrections import credit_invoice, issue_replacement
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import BudgetLine, Invoice
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.issued_invoices import (
    PROJECT,
    assert_refused_on_page,
    counts,
)
from samarbeid.finance.tests.issued_invoices import arena as arena
from samarbeid.finance.tests.issued_invoices import invoice as invoice

pytestmark = pytest.mark.django_db
JSON = "application/json"
NOT_CREDITED = "Ingenting er kreditert på linjen."


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type=JSON)


def _credit_100_on_line_1(invoice: Invoice, actor: Any) -> None:
    credit_invoice(invoice, "Feil sats", amounts={1: Decimal("100.00")}, actor=actor)


def _assert_refused_as_not_credited(
    invoice: Invoice, amounts: dict[int, Decimal], field: str, actor: Any
) -> None:
    """A corrected invoice of `amounts` is refused on `field` alone, a line with nothing
    (more) credited to replace, and nothing is written."""
    before = counts()
    with pytest.raises(ValidationError) as caught:
        issue_replacement(invoice, amounts, "Rett", actor=actor)
    assert list(caught.value.message_dict) == [field]
    assert NOT_CREDITED in caught.value.message_dict[field][0]
    assert counts() == before


# 1. A corrected invoice replaces what was credited, no more lines -------------------------------


def test_the_service_refuses_a_line_never_credited(invoice: Invoice, secretariat: Any) -> None:
    _credit_100_on_line_1(invoice, secretariat)
    amounts = {1: Decimal("90.00"), 2: Decimal("5000.00")}
    _assert_refused_as_not_credited(invoice, amounts, "line_2", secretariat)
    # a credited line may still go up (a correction may), and an uncredited one left at 0
    new = issue_replacement(
        invoice, {1: Decimal("150.00"), 2: Decimal("0")}, "Rett", actor=secretariat
    )
    assert [(line.position, line.amount) for line in new.lines.all()] == [(1, Decimal("150.00"))]


def test_the_api_refuses_a_line_never_credited_by_its_place(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    _credit_100_on_line_1(invoice, secretariat)
    client.force_login(secretariat)
    before = counts()
    refused = problem_of(
        _post(
            client,
            f"/api/v1/finance/invoices/{invoice.pk}/replacement",
            {"reason": "Rett", "lines": [{"position": 2, "amount": "5000.00"}]},
        ),
        422,
    )
    assert [error["loc"] for error in refused["errors"]] == [["lines.0"]]
    assert refused["errors"][0]["msg"].startswith(f"Linje 2: {NOT_CREDITED}")
    assert counts() == before


def test_the_page_refuses_a_line_never_credited_at_its_field(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    _credit_100_on_line_1(invoice, secretariat)
    login(client, secretariat)
    before = counts()
    response = client.post(
        reverse("finance:replacement_create", args=[invoice.pk]),
        {"line_1": "100", "line_2": "5 000", "reason": "Rett"},
    )
    assert_refused_on_page(response, NOT_CREDITED, "line_2")
    assert counts() == before
    # the whole credit is what may be re-invoiced on every line
    credit_invoice(invoice, "Resten", amounts={2: PROJECT}, actor=secretariat)
    response = client.post(
        reverse("finance:replacement_create", args=[invoice.pk]),
        {"line_1": "100", "line_2": "5 000", "reason": "Rett"},
    )
    assert response.status_code == 302
    assert invoice.replacements.get().total == Decimal("5100.00")


# 2. Refusals on their field --------------------------------------------------------------------


def test_a_replacement_without_amounts_is_refused_on_lines(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    _credit_100_on_line_1(invoice, secretariat)
    client.force_login(secretariat)
    refused = problem_of(
        _post(
            client,
            f"/api/v1/finance/invoices/{invoice.pk}/replacement",
            {"reason": "Rett", "lines": []},
        ),
        422,
    )
    assert refused["errors"] == [{"loc": ["lines"], "msg": "Skriv et beløp på minst én linje."}]
    # the page says it at the first line's amount field
    page = client.post(
        reverse("finance:replacement_create", args=[invoice.pk]),
        {"line_1": "0", "line_2": "", "reason": "Rett"},
    )
    assert_refused_on_page(page, "Skriv et beløp på minst én linje.", "line_1")
    assert not invoice.replacements.exists()


def test_a_credit_without_amounts_is_refused_on_lines(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    client.force_login(secretariat)
    refused = problem_of(
        _post(
            client,
            f"/api/v1/finance/invoices/{invoice.pk}/credit",
            {"reason": "Feil", "lines": []},
        ),
        422,
    )
    assert refused["errors"] == [
        {"loc": ["lines"], "msg": "Skriv et beløp å kreditere på minst én linje."}
    ]
    assert not invoice.credit_notes.exists()


def test_a_project_line_without_a_project_is_refused_on_project(
    client: Client, arena: Any, secretariat: Any
) -> None:
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2027, None, key)
    client.force_login(secretariat)
    body = {"kind": "project", "description": "Prosjekt", "amount": "1000", "key": key.pk}
    refused = problem_of(_post(client, f"/api/v1/finance/budgets/{budget.pk}/lines", body), 422)
    assert refused["errors"] == [{"loc": ["project"], "msg": "Velg prosjektet."}]
    page = client.post(
        reverse("finance:line_add", args=[budget.pk]),
        {f"line-{name}": value for name, value in body.items()},
    )
    assert page.status_code == 422
    content = page.content.decode()
    assert 'id="id_line-project_error"' in content
    assert "Velg prosjektet." in content
    # and a base line with a project on project too
    project = h.project(arena, "P9", ["3909"], date(2026, 1, 1))
    based = problem_of(
        _post(
            client,
            f"/api/v1/finance/budgets/{budget.pk}/lines",
            {**body, "kind": "base", "project": project.pk},
        ),
        422,
    )
    assert based["errors"] == [
        {"loc": ["project"], "msg": "Et basisbidrag gjelder ikke et prosjekt."}
    ]
    assert not BudgetLine.objects.filter(budget=budget).exists()


# 3. The run list's filters in the API -----------------------------------------------------------


def test_the_runs_endpoint_filters_as_the_run_list_page(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    """`invoice`'s run is issued; a draft of another arena and year beside it."""
    issued = invoice.run
    other = h.arena(["3901", "3905"], date(2024, 1, 1), host="3905", short_name="UTK")
    h.equal_budget(other, 2025, "1000.00")
    draft = create_run(other, 2025, actor=secretariat, issue_date=date(2025, 3, 2))
    client.force_login(secretariat)

    def ids(**query: Any) -> list[int]:
        response = client.get("/api/v1/finance/runs", query)
        assert response.status_code == 200, response.content
        return [run["id"] for run in response.json()["items"]]

    assert sorted(ids()) == sorted([issued.pk, draft.pk])
    assert ids(status="draft") == [draft.pk]
    assert ids(status="issued") == [issued.pk]
    assert ids(status="approved") == []
    assert ids(status="draft", year=2026) == []
    assert ids(year=2026) == [issued.pk]
    # the same as the page lists
    login(client, secretariat)
    page = client.get(reverse("finance:run_list"), {"status": "draft"}).content.decode()
    assert draft.get_absolute_url() in page
    assert issued.get_absolute_url() not in page


def test_an_unknown_status_is_refused_on_the_parameter(client: Client, secretariat: Any) -> None:
    client.force_login(secretariat)
    refused = problem_of(client.get("/api/v1/finance/runs", {"status": "utkast"}), 422)
    assert [error["loc"] for error in refused["errors"]] == [["status"]]
    assert "utkast" in refused["errors"][0]["msg"]  # the page form's words: not a choice
    page = client.get(reverse("finance:run_list"), {"status": "utkast"}).content.decode()
    assert refused["errors"][0]["msg"] in page


def test_a_second_correction_replaces_only_what_was_credited_since_the_first(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    """100 kr credited on line 1 and re-invoiced by the first corrected invoice; then 50 kr
    credited on line 2. The second corrected invoice replaces those 50 kr: line 1 again
    would invoice its 100 kr a second time (the page prefilled it, and the service took it)."""
    _credit_100_on_line_1(invoice, secretariat)
    issue_replacement(invoice, {1: Decimal("100.00")}, "Rett", actor=secretariat)
    credit_invoice(invoice, "Feil linje 2", amounts={2: Decimal("50.00")}, actor=secretariat)
    amounts = {1: Decimal("100.00"), 2: Decimal("50.00")}
    _assert_refused_as_not_credited(invoice, amounts, "line_1", secretariat)
    login(client, secretariat)
    response = client.get(reverse("finance:replacement_create", args=[invoice.pk]))
    # the column says what its figures are: line 1's 100 kr is re-invoiced already
    assert "Kreditert siden forrige korrigerte faktura (kr)" in response.content.decode()
    form = response.context["form"]
    assert form["line_1"].value() in (None, "")
    assert form["line_2"].value() == "50,00"
    second = issue_replacement(invoice, {2: Decimal("50.00")}, "Rett igjen", actor=secretariat)
    assert [(line.position, line.amount) for line in second.lines.all()] == [(2, Decimal("50.00"))]
