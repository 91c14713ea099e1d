"""The last findings of a clerk's trial of external funding (issue 24): the run's CSV (a
gross column per line, a UTF-8 BOM), `invoice_run --preview`, account numbers typed with
dots or spaces, grant errors on their fields, grants on an invoiced budget, the run page's
funding totals, and the grant schema's required status."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import api_call, bearer, problem_of
from samarbeid.finance.forms import GrantForm, RunAccountForm, RunForm
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import BudgetLine, Grant, InvoiceRun
from samarbeid.finance.run_steps import approve_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_grants import FORM, MEMBERS, Y2026, api_body, arena, grant
from samarbeid.finance.tests.test_grants import line as line
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db
__all__ = ["arena", "line"]  # the fixtures of test_grants: the 12K arena and its project line

BOM = b"\xef\xbb\xbf"


@pytest.fixture
def second_line(line: BudgetLine) -> BudgetLine:
    """A second project line of 500 000,50 kr on the same budget."""
    key = line.key
    project = h.project(line.budget.arena, "P-2", MEMBERS, Y2026)
    return h.project_line(line.budget, project, "500000.50", key)


@pytest.fixture
def run(line: BudgetLine, second_line: BudgetLine, secretariat: Any) -> InvoiceRun:
    """Two funded lines: 1 000 000 less 300 000,01 and 500 000,50 less 100 000,25."""
    grant(line, amount_received=Decimal("300000.01"))
    grant(second_line, amount_received=Decimal("100000.25"), purpose="Hovedprosjekt")
    return create_run(line.budget.arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))


# 1. The CSV ---------------------------------------------------------------------------------


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_has_a_gross_column_per_line_and_a_bom(
    client: Client, secretariat: Any, run: InvoiceRun, tmp_path: Path
) -> None:
    client.force_login(secretariat)
    content = client.get(reverse("finance:run_csv", args=[run.pk])).content
    assert content.startswith(BOM)  # Norwegian Excel reads "Færder", not "FÃ¦rder"
    rows = _rows(content)
    assert list(rows[0]) == ["municipality", "name", "amount", "kind", "gross"]
    funded = [r for r in rows if r["kind"] == "external_funding"]
    assert [(r["gross"], r["amount"]) for r in funded] == [
        ("1000000.00", "300000.01"),
        ("500000.50", "100000.25"),
    ]
    # gross − external = the net per line, and the nets are what the members share
    nets = [Decimal(r["gross"]) - Decimal(r["amount"]) for r in funded]
    assert nets == [Decimal("699999.99"), Decimal("400000.25")]
    shared = sum(Decimal(r["amount"]) for r in rows if r["kind"] != "external_funding")
    assert shared == sum(nets)
    assert all(r["gross"] == "" for r in rows if r["kind"] != "external_funding")
    # the command writes the same file
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    call_command("invoice_run", "12K", "2026", "--out", str(tmp_path), stdout=StringIO())
    assert (tmp_path / "summary.csv").read_bytes() == content


# 2. --preview ---------------------------------------------------------------------------------


def test_preview_prints_without_out_and_counts_municipalities_only(run: InvoiceRun) -> None:
    out = StringIO()
    call_command("invoice_run", "12K", "2026", "--preview", stdout=out)
    printed = out.getvalue().replace("\xa0", " ")
    assert "(shared over 4 municipalities: 3 invoiced + the host's own share)" in printed
    assert "Total: 1 100 000,24" in printed  # what the members share
    assert "External funding: 400 000,26" in printed
    assert "Gross cost: 1 500 000,50" in printed
    assert "nothing was written" in printed


# 3. Account numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["9710.12.34561", "9710 12 34561", " 97101234561 "])
def test_account_numbers_in_the_usual_groupings_are_accepted(typed: str) -> None:
    run_form = RunForm({"year": "2026", "due_days": "30", "seller_account": typed})
    assert run_form.is_valid(), run_form.errors
    assert run_form.options()["seller_account"] == "97101234561"
    account_form = RunAccountForm({"version": "1", "seller_account": typed})
    assert account_form.is_valid(), account_form.errors
    assert account_form.cleaned_data["seller_account"] == "97101234561"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("9710.12.3456", "har 10 siffer"),
        ("9710.12.345612", "har 12 siffer"),
        ("9710.12.34562", "kontrollsifferet"),
        ("9710-12-3456x", "bare ha siffer"),
    ],
)
def test_a_bad_account_number_is_told_what_is_wrong(typed: str, says: str) -> None:
    for form in (
        RunForm({"year": "2026", "due_days": "30", "seller_account": typed}),
        RunAccountForm({"version": "1", "seller_account": typed}),
    ):
        assert not form.is_valid()
        assert says in form.errors["seller_account"][0]


def test_the_api_accepts_an_account_number_with_dots(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    body = {"arena": line.budget.arena_id, "year": 2026, "seller_account": "9710.12.34561"}
    made = api_call(client, "POST", "/api/v1/finance/runs", body, headers=bearer(secretariat))
    assert made.status_code == 201, made.content
    assert made.json()["seller_account"] == "97101234561"
    bad = {**body, "seller_account": "9710.12.34562"}
    refused = api_call(client, "POST", "/api/v1/finance/runs", bad, headers=bearer(secretariat))
    problem = problem_of(refused, 422)
    assert [e["loc"] for e in problem["errors"]] == [["seller_account"]]
    assert "kontrollsifferet" in problem["errors"][0]["msg"]


# 4. Grant errors on their fields --------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount_applied": "-5"}, "amount_applied"),
        ({"amount_applied": "0"}, "amount_applied"),
        ({"amount_granted": "-5"}, "amount_granted"),
        ({"amount_granted": "0", "amount_received": ""}, "amount_granted"),
        ({"amount_received": "-5"}, "amount_received"),
        ({"decided_on": "2026-01-01"}, "decided_on"),
    ],
)
def test_every_grant_error_is_on_its_field_on_the_page_and_in_the_api(
    client: Client, secretariat: Any, line: BudgetLine, changes: dict[str, str], field: str
) -> None:
    client.force_login(secretariat)
    page = client.post(reverse("finance:grant_create", args=[line.pk]), {**FORM, **changes})
    errors = page.context["form"].errors
    assert list(errors) == [field], errors
    body = {**api_body(line), "amount_received": FORM["amount_received"].replace(" ", "")}
    body.update({k: v.replace(" ", "") for k, v in changes.items()})
    body = {k: v for k, v in body.items() if v != ""}
    answer = api_call(client, "POST", "/api/v1/finance/grants", body, headers=bearer(secretariat))
    problem = problem_of(answer, 422)
    assert [e["loc"] for e in problem["errors"]] == [[field]], problem
    assert not Grant.objects.exists()


# 5. Grants on an invoiced budget --------------------------------------------------------------


@pytest.fixture
def invoiced(line: BudgetLine, larvik: Municipality) -> Grant:
    """A grant of 300 000 received on the line, and the year's run issued."""
    made = h.received_grant(line, "400000.00", "300000.00", date(2026, 3, 1))
    h.invoiced(line, larvik, due_date=date(2026, 3, 1))
    return made


def test_deleting_a_counted_grant_of_an_invoiced_budget_is_refused_up_front(
    client: Client, secretariat: Any, invoiced: Grant
) -> None:
    client.force_login(secretariat)
    page = h.words(client.get(reverse("finance:grant_delete", args=[invoiced.pk])))
    assert "er fakturert" in page
    assert "kan ikke slettes" in page
    assert "Slett tilskuddet</button>" not in page


def test_the_budget_page_offers_no_grant_changes_that_would_be_refused(
    client: Client, secretariat: Any, invoiced: Grant, line: BudgetLine
) -> None:
    refused = grant(line, status=Grant.Status.REFUSED, decided_on=date(2026, 3, 1))
    client.force_login(secretariat)
    page = client.get(line.budget.get_absolute_url()).content.decode()
    assert reverse("finance:grant_create", args=[line.pk]) not in page
    assert reverse("finance:grant_delete", args=[invoiced.pk]) not in page
    # a refused grant takes nothing off the split: it may still go
    assert reverse("finance:grant_delete", args=[refused.pk]) in page
    # the follow-up (report, conditions) stays open, offered as such
    assert reverse("finance:grant_edit", args=[invoiced.pk]) in page
    assert "Følg opp" in page
    assert "Registrer tilskudd" not in page
    # a new grant is refused by the same rule, page and service
    posted = client.post(reverse("finance:grant_create", args=[line.pk]), FORM)
    assert "er fakturert" in posted.content.decode()
    assert Grant.objects.count() == 2


def test_an_open_budget_offers_every_grant_change(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    made = grant(line)
    client.force_login(secretariat)
    page = client.get(line.budget.get_absolute_url()).content.decode()
    for url in (
        reverse("finance:grant_create", args=[line.pk]),
        reverse("finance:grant_edit", args=[made.pk]),
        reverse("finance:grant_delete", args=[made.pk]),
    ):
        assert url in page


# 6. The run page's funding totals agree with the Excel -----------------------------------------


def test_the_funding_table_has_totals_that_agree_with_the_workbook(
    client: Client, secretariat: Any, run: InvoiceRun
) -> None:
    client.force_login(secretariat)
    page = h.words(client.get(reverse("finance:run_detail", args=[run.pk]))).replace("> <", "><")
    foot = re.search(r'<table[^>]*aria-labelledby="funding".*?<tfoot>(.*?)</tfoot>', page)
    assert foot is not None, "the funding table has no <tfoot>"
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", foot.group(1))
    assert cells == ["1 500 000,50", "400 000,26", "1 100 000,24"]
    totals = h.workbook_totals(run)
    assert totals["Brutto kostnad"] == Decimal("1500000.50")
    assert totals["Eksterne midler"] == Decimal("400000.26")
    assert totals["Fordelt på medlemmene"] == Decimal("1100000.24")


def test_with_a_line_without_funding_the_last_total_is_the_workbooks(
    client: Client, secretariat: Any, line: BudgetLine, second_line: BudgetLine
) -> None:
    grant(line, amount_received=Decimal("300000.01"))
    run = create_run(line.budget.arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    client.force_login(secretariat)
    page = h.words(client.get(reverse("finance:run_detail", args=[run.pk]))).replace("> <", "><")
    foot = re.search(r'<table[^>]*aria-labelledby="funding".*?<tfoot>(.*?)</tfoot>', page)
    assert foot is not None
    rows = [
        re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in foot.group(1).split("</tr>") if row
    ]
    assert rows == [
        ["1 000 000,00", "300 000,01", "699 999,99"],  # the funded lines
        ["1 500 000,50", "300 000,01", "1 200 000,49"],  # the whole budget, as in the workbook
    ]
    assert "Hele budsjettet" in foot.group(1)
    assert h.workbook_totals(run)["Brutto kostnad"] == Decimal("1500000.50")


# 7. The grant schema's status -----------------------------------------------------------------


def test_the_api_requires_what_the_form_requires(client: Client, line: BudgetLine) -> None:
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["GrantIn"]
    form = GrantForm(line=line)
    needed = {name for name, f in form.fields.items() if f.required and name != "version"}
    assert "status" in needed
    assert set(schema["required"]) - {"line"} == needed
