"""A clerk's trial of grants (trial A): dates out of order, the follow-up form on an invoiced
budget, and the API's errors in the page's words."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import api_call, bearer, problem_of
from samarbeid.core.forms import AmountField
from samarbeid.finance.models import Budget, BudgetLine, Grant, InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_grants import FORM, api_body, arena
from samarbeid.finance.tests.test_grants import line as line
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db
__all__ = ["arena", "line"]

# 1. Dates out of order ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("reported_on", "Rapporten kan ikke være levert før vedtaket."),
        ("report_due", "Fristen for rapportering kan ikke være før vedtaket."),
    ],
)
def test_report_dates_before_the_decision_are_refused_on_their_field(
    client: Client, secretariat: Any, line: BudgetLine, field: str, says: str
) -> None:
    client.force_login(secretariat)
    form = FORM | {field: "2026-02-01"}  # decided 2026-03-01
    response = client.post(reverse("finance:grant_create", args=[line.pk]), form)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [says]
    body = api_body(line) | {field: "2026-02-01"}
    answer = api_call(client, "POST", "/api/v1/finance/grants", body, headers=bearer(secretariat))
    problem = problem_of(answer, 422)
    assert [(e["loc"], e["msg"]) for e in problem["errors"]] == [([field], says)]
    assert not Grant.objects.exists()


def test_report_dates_on_the_decision_day_are_taken(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    client.force_login(secretariat)
    form = FORM | {"reported_on": "2026-03-01", "report_due": "2026-03-01"}
    response = client.post(reverse("finance:grant_create", args=[line.pk]), form)
    assert response.status_code == 302


# 3. The API's grant errors in the page's words ----------------------------------------------


def _post(client: Client, secretariat: Any, body: dict[str, Any]) -> dict[str, Any]:
    answer = api_call(client, "POST", "/api/v1/finance/grants", body, headers=bearer(secretariat))
    return problem_of(answer, 422)


def test_letters_in_an_amount_are_told_as_the_page_tells_them(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    problem = _post(client, secretariat, api_body(line) | {"amount_applied": "abc"})
    assert [(e["loc"][-1], e["msg"]) for e in problem["errors"]] == [
        ("amount_applied", str(AmountField.default_message))
    ]


def test_a_bad_status_lists_the_choices_in_bokmal(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    problem = _post(client, secretariat, api_body(line) | {"status": "maybe"})
    (words,) = [e["msg"] for e in problem["errors"]]
    assert words.startswith("Skal være en av: 'applied', ")
    assert " eller 'withdrawn'." in words
    assert " or " not in words


def test_a_refusal_on_two_fields_is_said_once_in_the_detail(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    body = api_body(line) | {"amount_granted": "1000000.01", "amount_received": "1000000.01"}
    problem = _post(client, secretariat, body)
    assert len(problem["errors"]) == 2
    assert problem["detail"].count("mer enn linjens kostnad") == 1
    assert ".;" not in problem["detail"]


def test_a_new_grant_on_an_invoiced_line_is_refused_on_the_line(
    client: Client, secretariat: Any, line: BudgetLine, larvik: Municipality
) -> None:
    h.invoiced(line, larvik)
    problem = _post(client, secretariat, api_body(line))
    assert [e["loc"] for e in problem["errors"]] == [["line"]]
    assert "er fakturert" in problem["errors"][0]["msg"]


# 2. The follow-up form on an invoiced budget ------------------------------------------------


@pytest.fixture
def invoiced(line: BudgetLine, larvik: Municipality) -> Grant:
    """A grant of 300 000 received (the budget counts what is received), the run issued."""
    made = h.received_grant(
        line, "400000.00", "300000.00", date(2026, 3, 1), grantor_name="Statsforvalteren"
    )
    h.invoiced(line, larvik)
    return made


def test_the_follow_up_form_shows_the_counted_amount_read_only_and_says_why(
    client: Client, secretariat: Any, invoiced: Grant
) -> None:
    client.force_login(secretariat)
    url = reverse("finance:grant_edit", args=[invoiced.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "Følg opp tilskudd" in html
    assert "Endre tilskudd" not in html
    form = page.context["form"]
    assert form.fields["amount_received"].disabled
    assert not form.fields["reported_on"].disabled
    assert "fakturert" in str(form.fields["amount_received"].help_text)
    posted = FORM | {
        "amount_received": "250 000",  # a disabled field's post is not read
        "reported_on": "2026-11-20",
        "version": str(invoiced.version),
    }
    assert client.post(url, posted).status_code == 302
    invoiced.refresh_from_db()
    assert (invoiced.amount_received, invoiced.reported_on) == (
        Decimal("300000.00"),
        date(2026, 11, 20),
    )


def test_on_a_budget_counting_what_is_granted_the_status_and_granted_amount_are_locked(
    client: Client, secretariat: Any, invoiced: Grant
) -> None:
    budget = invoiced.line.budget
    budget.external_basis = Budget.ExternalBasis.GRANTED
    budget.save()
    client.force_login(secretariat)
    form = client.get(reverse("finance:grant_edit", args=[invoiced.pk])).context["form"]
    assert [n for n, f in form.fields.items() if f.disabled] == ["status", "amount_granted"]


# 5. The account number grouped --------------------------------------------------------------


def test_the_run_page_shows_the_account_number_grouped(
    client: Client, secretariat: Any, line: BudgetLine, larvik: Municipality
) -> None:
    run = InvoiceRun.objects.create(
        arena=line.budget.arena,
        year=line.budget.year,
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        seller=larvik,
        seller_account="86011117947",
    )
    client.force_login(secretariat)
    html = client.get(reverse("finance:run_detail", args=[run.pk])).content.decode()
    assert "<dd>8601.11.17947</dd>" in html
    run.refresh_from_db()
    assert run.seller_account == "86011117947"


# 8. The run page on a phone -----------------------------------------------------------------


def test_the_run_page_tables_stack_on_a_phone_with_labels(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    from samarbeid.finance.invoicing import create_run
    from samarbeid.finance.tests.test_grants import grant

    grant(line, status=Grant.Status.GRANTED, decided_on=date(2026, 3, 1),
          amount_granted=Decimal("300000.00"), amount_received=Decimal("300000.00"))  # fmt: skip
    run = create_run(line.budget.arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    client.force_login(secretariat)
    html = client.get(reverse("finance:run_detail", args=[run.pk])).content.decode()
    tables = re.findall(r"<table[^>]*>.*?</table>", html, re.S)
    funding = [t for t in tables if 'aria-labelledby="funding"' in t]
    invoices = [t for t in tables if "KID" in t]
    assert funding
    assert invoices
    for table in (funding[0], invoices[0]):
        assert "stack-on-phone" in table.split(">", 1)[0]
        assert "<td>" not in table  # every cell says its column's name on a phone


# 4. invoice_run --preview in one language ---------------------------------------------------


def test_the_preview_header_is_in_one_language(
    line: BudgetLine, secretariat: Any, larvik: Municipality
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from samarbeid.finance.invoicing import create_run

    create_run(line.budget.arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    out = StringIO()
    call_command("invoice_run", "12K", "2026", "--preview", stdout=out)
    header = out.getvalue().splitlines()[0]
    assert header == "12K 2026: run draft", header  # not "run utkast"
