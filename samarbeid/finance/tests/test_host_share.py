"""Issue 17, points 3 and 4: the host municipality does not invoice itself; invoices carry
the buyers' references, the parties' registered names and addresses; approval needs the
seller's bank account and every buyer's reference."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import login
from samarbeid.finance.corrections import credit_invoice
from samarbeid.finance.figures import arena_costs, municipality_payments, run_summary
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import BudgetLine, InvoiceRun
from samarbeid.finance.outputs import render_ehf
from samarbeid.finance.references import set_invoice_reference
from samarbeid.finance.run_steps import approval_problems, approve_run, issue_run, set_run_account
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026
from samarbeid.jobs.models import Job
from samarbeid.lib.money import format_nok
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import DEFAULT_LEGAL_ENTITIES, import_legal_entities

pytestmark = pytest.mark.django_db


@pytest.fixture
def arena() -> Any:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")
    h.populations(2025, {"3901": 27800, "3905": 58000, "3909": 48300, "3911": 27300})
    return arena


def _issued(arena: Any, secretariat: Any, base: str = "400000.00") -> InvoiceRun:
    run = run_2026(arena, secretariat, base)
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    issue_run(run, expected_version=None, actor=secretariat)
    return run


def test_host_is_not_invoiced_and_its_share_shows_on_the_run_page(
    client: Client, arena: Any, secretariat: Any
) -> None:
    run = run_2026(arena, secretariat, "400000.01")
    assert sorted(run.invoices.values_list("buyer__number", flat=True)) == ["3901", "3909", "3911"]
    assert not run.invoices.filter(buyer__number="3905").exists()
    login(client, secretariat)
    page = client.get(run.get_absolute_url()).content.decode()
    # as a clerk reads it: three invoices, Tønsberg's own share, and the budget
    assert "3905 Tønsberg (egen andel som vertskommune, ikke fakturert)" in page
    summary = run_summary(run)
    assert summary.total == Decimal("400000.01")  # invoiced + own share = budget, to the øre
    for amount in (summary.invoiced, summary.host_share, summary.total):
        assert format_nok(amount) in page
    assert "Tønsberg er selger og fakturerer ikke seg selv" in page


def test_csv_and_excel_show_the_own_share_and_add_up_to_the_budget(
    client: Client, arena: Any, secretariat: Any
) -> None:
    run = _issued(arena, secretariat, "400000.01")
    login(client, secretariat)
    text = client.get(reverse("finance:run_csv", args=[run.pk])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["municipality", "name", "amount", "kind", "gross"]
    assert [r[3] for r in rows[1:]] == ["invoiced"] * 3 + ["own_share"]
    assert rows[-1][:2] == ["3905", "Tønsberg"]
    assert sum(Decimal(r[2]) for r in rows[1:]) == Decimal("400000.01")
    book = load_workbook(io.BytesIO(client.get(reverse("finance:run_xlsx", args=[run.pk])).content))
    sheet = book.active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    own = [v for v in values if v[3] == "egen andel (ikke fakturert)"]
    assert len(own) == 1
    assert own[0][0] == "3905"
    assert values[-1][1] == "Sum"
    assert Decimal(str(values[-1][2])) == Decimal("400000.01")
    labels = {v[1]: Decimal(str(v[2])) for v in values if not v[0]}
    assert labels["Fakturert"] + labels["Egen andel"] == labels["Sum"]


def test_host_pays_its_own_share_on_its_payments_page(
    client: Client, arena: Any, secretariat: Any
) -> None:
    _issued(arena, secretariat)
    tonsberg = Municipality.objects.current().get(number="3905")
    rows = municipality_payments(tonsberg)
    assert [(r.year, r.amount, r.own_share) for r in rows] == [
        (2026, Decimal("100000.00"), Decimal("100000.00"))
    ]
    page = client.get(reverse("finance:municipality", args=[tonsberg.code])).content.decode()
    assert "egen andel som vertskommune (ikke fakturert)" in page
    assert "100\xa0000,00" in page
    costs = {c.municipality_id: c for c in arena_costs(arena, 2026, 2026)}
    assert costs[tonsberg.pk].administration == Decimal("100000.00")
    assert sum(c.administration for c in costs.values()) == Decimal("400000.00")


def test_credit_notes_leave_the_own_share_alone(arena: Any, secretariat: Any) -> None:
    run = _issued(arena, secretariat)
    invoice = run.invoices.get(buyer__number="3909")
    credit_invoice(invoice, "Feil", actor=secretariat)
    summary = run_summary(run)
    assert (summary.invoiced, summary.host_share) == (Decimal("200000.00"), Decimal("100000.00"))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    base=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2),
    project=st.decimals(min_value=Decimal("0.00"), max_value=Decimal("999999.99"), places=2),
    equal=st.integers(min_value=0, max_value=100),
)
def test_invoiced_plus_own_share_is_the_budget(
    arena: Any, secretariat: Any, base: Decimal, project: Decimal, equal: int
) -> None:
    with transaction.atomic():
        key = h.key(arena, equal, 100 - equal, name=f"k{equal}")
        budget = h.budget(arena, 2026, str(base), key)
        participants = h.project(arena, f"P{equal}", ["3905", "3909"], Y2026)
        h.project_line(budget, participants, str(project), key)
        run = create_run(arena, 2026, actor=secretariat)
        planned = sum(line.amount for line in BudgetLine.objects.filter(budget=budget))
        summary = run_summary(run)
        assert summary.invoiced + summary.host_share == planned
        assert all(t.municipality.number != "3905" for t in summary.totals)
        transaction.set_rollback(True)


def test_invoices_carry_registered_names_addresses_and_references(
    arena: Any, secretariat: Any
) -> None:
    import_legal_entities(DEFAULT_LEGAL_ENTITIES, example=True)
    larvik = Municipality.objects.current().get(number="3909")
    set_invoice_reference(larvik, None, "LARVIK-OKONOMI", actor=secretariat)
    set_invoice_reference(larvik, arena, "4410 Vestfold", actor=secretariat)
    run = _issued(arena, secretariat)
    invoice = run.invoices.get(buyer__number="3909")
    xml = render_ehf(invoice).decode()
    # the arena's own reference wins over the general one
    assert "<cbc:BuyerReference>4410 Vestfold</cbc:BuyerReference>" in xml
    assert "<cbc:Name>TØNSBERG KOMMUNE</cbc:Name>" in xml
    assert "<cbc:RegistrationName>LARVIK KOMMUNE</cbc:RegistrationName>" in xml
    assert "<cbc:StreetName>Postboks 2410</cbc:StreetName>" in xml
    assert "<cbc:PostalZone>3104</cbc:PostalZone>" in xml
    assert "<cbc:CityName>TØNSBERG</cbc:CityName>" in xml
    assert "<cbc:BuyerReference>VF 2026</cbc:BuyerReference>" not in xml


def test_approval_refused_without_account_or_references(arena: Any, secretariat: Any) -> None:
    run = run_2026(arena, secretariat)
    with pytest.raises(ValidationError) as caught:
        approve_run(run, expected_version=None, actor=secretariat)
    problems = caught.value.message_dict
    assert "kontonummer" in problems["seller_account"][0]
    assert "Horten (3901), Larvik (3909), Færder (3911)" in problems["references"][0]
    # any 11 digits no longer pass: the check digit must hold
    for bad in ("86011117948", "1234567890", "abcdefghijk"):
        with pytest.raises(ValidationError, match=r"kontonummer|Kontonummer"):
            set_run_account(run, bad, expected_version=None, actor=secretariat)
    set_run_account(run, "8601.11.17947", expected_version=None, actor=secretariat)
    assert run.seller_account == "86011117947"
    assert list(approval_problems(run)) == ["references"]
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    assert run.status == InvoiceRun.Status.APPROVED


def test_run_form_refuses_an_account_failing_its_check_digit(
    client: Client, arena: Any, secretariat: Any
) -> None:
    h.equal_budget(arena, 2026, "1000.00")
    login(client, secretariat)
    response = client.post(
        reverse("finance:run_create", args=[arena.pk]),
        {"year": "2026", "due_days": "30", "seller_account": "86011117948"},
    )
    # the form refuses it at once, saying what is wrong (no task is queued to fail)
    assert response.status_code == 422
    assert "Kontonummeret 86011117948 er ikke gyldig: kontrollsifferet" in (
        response.content.decode()
    )
    assert not Job.objects.exists()
    assert not InvoiceRun.objects.exists()


def test_who_may_set_a_reference(
    arena: Any, secretariat: Any, coordinator: Any, other_coordinator: Any, client: Client
) -> None:
    larvik = Municipality.objects.current().get(number="3909")
    set_invoice_reference(larvik, None, "L-1", actor=coordinator)
    with pytest.raises(PermissionDenied):
        set_invoice_reference(larvik, None, "H-1", actor=other_coordinator)
    with pytest.raises(ValidationError, match="Skriv fakturareferansen"):
        set_invoice_reference(larvik, None, "  ", actor=secretariat)
    set_invoice_reference(larvik, None, "L-2", actor=secretariat)
    assert list(larvik.invoice_references.values_list("reference", flat=True)) == ["L-2"]
    login(client, coordinator)
    page = client.get(reverse("finance:references")).content.decode()
    assert "L-2" in page
    assert "3909 Larvik" in page
    body = {"municipality": "3901", "reference": "H"}
    response = client.put(
        "/api/v1/finance/invoice-references", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 403
    client.logout()
    assert client.get("/api/v1/finance/invoice-references").json()["count"] == 0


def test_a_run_not_yet_issued_says_to_be_invoiced_not_invoiced(
    client: Client, arena: Any, secretariat: Any
) -> None:
    """A clerk's trial: an approved run not issued showed «Fakturert 1 461 832,61»; nothing
    is invoiced before the run is issued."""
    run = _issued(arena, secretariat, "400000.01")
    InvoiceRun.objects.filter(pk=run.pk).update(status=InvoiceRun.Status.APPROVED)
    login(client, secretariat)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Å fakturere</th>" in page
    assert "Fakturert</th>" not in page
    book = load_workbook(io.BytesIO(client.get(reverse("finance:run_xlsx", args=[run.pk])).content))
    sheet = book.active
    assert sheet is not None
    labels = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if not row[0]]
    assert "Å fakturere" in labels
    assert "Fakturert" not in labels
