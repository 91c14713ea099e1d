from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import login
from samarbeid.finance import services
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine, InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")


def issued(arena: Any, secretariat: Any) -> InvoiceRun:
    run = run_2026(arena, secretariat)
    services.approve_run(run, expected_version=None, actor=secretariat)
    services.issue_run(run, expected_version=None, actor=secretariat)
    return run


def test_index_and_arena_page(client: Client, arena: Any) -> None:
    assert client.get(reverse("finance:index")).status_code == 200
    page = client.get(reverse("finance:arena", args=[arena.pk]))
    assert page.status_code == 200
    assert "Ny fordelingsnøkkel" not in page.content.decode()


def test_key_create_with_preset_and_preview(client: Client, arena: Any, secretariat: Any) -> None:
    login(client, secretariat)
    url = reverse("finance:key_create", args=[arena.pk])
    response = client.post(url, {"name": "Likt", "preset": "equal"})
    key = AllocationKey.objects.get()
    assert response.status_code == 302 and key.equal == 100
    page = client.get(key.get_absolute_url(), {"total": "1 000,00", "year": "2026"})
    content = page.content.decode()
    assert page.status_code == 200 and "250,00" in content
    # per capita without figures: the reason names the municipality and the year
    key2 = h.key(arena, 0, 100, name="Folketall")
    page = client.get(key2.get_absolute_url(), {"total": "1000", "year": "2026"})
    assert "Mangler folketall for Horten (3901) per 1. januar 2025" in page.content.decode()


def test_key_create_refuses_bad_weights(client: Client, arena: Any, secretariat: Any) -> None:
    login(client, secretariat)
    url = reverse("finance:key_create", args=[arena.pk])
    response = client.post(
        url,
        {
            "name": "Feil",
            "preset": "",
            "equal": "60",
            "per_capita": "30",
            "usage": "0",
            "fixed": "0",
        },
    )
    assert response.status_code == 200
    assert "summere til 100" in response.content.decode()
    assert not AllocationKey.objects.exists()


def test_key_create_outsiders(client: Client, arena: Any, coordinator: Any) -> None:
    url = reverse("finance:key_create", args=[arena.pk])
    assert client.get(url).status_code == 302  # anonymous: to login
    login(client, coordinator)
    assert client.get(url).status_code == 403


def test_unpublished_arena_is_404_for_public(client: Client) -> None:
    hidden = h.arena(VESTFOLD_NOW, Y2026, host="3905", published=False)
    assert client.get(reverse("finance:arena", args=[hidden.pk])).status_code == 404


def test_budget_pages(client: Client, arena: Any, secretariat: Any) -> None:
    login(client, secretariat)
    response = client.post(
        reverse("finance:budget_create", args=[arena.pk]),
        {"year": "2026", "administration_cost": "50000", "note": ""},
    )
    budget = Budget.objects.get()
    assert response.status_code == 302
    key = h.key(arena, 100, 0)
    add = reverse("finance:line_add", args=[budget.pk])
    response = client.post(
        add,
        {"line-kind": "base", "line-description": "Basis", "line-amount": "-1", "line-key": key.pk},
    )
    assert response.status_code == 422 and not BudgetLine.objects.exists()
    assert "ds-error-summary" in response.content.decode()
    assert client.post(budget.get_absolute_url(), {}).status_code == 405
    response = client.post(
        add,
        {
            "line-kind": "base",
            "line-description": "Basis",
            "line-amount": "4000",
            "line-key": key.pk,
        },
    )
    assert response.status_code == 302
    page = client.get(budget.get_absolute_url()).content.decode()
    assert "1\xa0000,00" in page and "4\xa0000,00" in page
    line = BudgetLine.objects.get()
    response = client.post(
        reverse("finance:line_edit", args=[line.pk]),
        {
            "kind": "base",
            "description": "Basis",
            "amount": "4000",
            "actual": "3900",
            "key": key.pk,
            "version": line.version,
        },
    )
    line.refresh_from_db()
    assert response.status_code == 302 and line.actual == 3900


def test_run_create_approve_issue_downloads(client: Client, arena: Any, secretariat: Any) -> None:
    login(client, secretariat)
    key = h.key(arena, 100, 0)
    h.budget(arena, 2026, "400000.00", key)
    response = client.post(
        reverse("finance:run_create", args=[arena.pk]),
        {"year": "2026", "issue_date": "2026-03-01", "due_days": "30", "seller_account": ""},
    )
    run = InvoiceRun.objects.get()
    assert response.status_code == 302
    page = client.get(run.get_absolute_url())
    content = page.content.decode()
    assert page.status_code == 200 and "100\xa0000,00" in content and "<img" in content
    chart = client.get(reverse("finance:run_chart", args=[run.pk]))
    svg = chart.content.decode()
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert "<svg" in svg and "style=" not in svg and "<style" not in svg
    action = reverse("finance:run_action", args=[run.pk, "approve"])
    client.post(action, {"version": run.version})
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.APPROVED
    response = client.post(action, {}, follow=True)
    assert "allerede godkjent" in response.content.decode()
    client.post(reverse("finance:run_action", args=[run.pk, "issue"]), {})
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.ISSUED
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("finance:run_csv", args=[run.pk])).content.decode()),
            delimiter=";",
        )
    )
    assert rows[0] == ["municipality", "name", "amount"] and rows[1][2] == "100000.00"
    xlsx = client.get(reverse("finance:run_xlsx", args=[run.pk])).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None and sheet.cell(row=2, column=1).value == "3901"
    invoice = run.invoices.first()
    assert invoice is not None
    xml = client.get(reverse("finance:invoice_xml", args=[invoice.pk]))
    assert xml.status_code == 200 and b"<Invoice" in xml.content
    pdf = client.get(reverse("finance:invoice_pdf", args=[invoice.pk]))
    assert pdf.content.startswith(b"%PDF")
    # A credit note from the invoice page.
    credit = reverse("finance:credit_create", args=[invoice.pk])
    response = client.post(credit, {"reason": ""})
    assert response.status_code == 422 and not invoice.credit_notes.exists()
    response = client.post(credit, {"reason": "Feil"})
    assert response.status_code == 302 and invoice.credit_notes.count() == 1


def test_run_create_refused_for_year_without_budget(
    client: Client, arena: Any, secretariat: Any
) -> None:
    login(client, secretariat)
    response = client.post(
        reverse("finance:run_create", args=[arena.pk]),
        {"year": "2031", "due_days": "30"},
    )
    assert response.status_code == 422 and "ikke noe budsjett" in response.content.decode()
    assert not InvoiceRun.objects.exists()


def test_run_actions_need_secretariat(
    client: Client, arena: Any, secretariat: Any, coordinator: Any
) -> None:
    run = run_2026(arena, secretariat)
    login(client, coordinator)
    assert client.get(run.get_absolute_url()).status_code == 200  # readers see drafts
    action = reverse("finance:run_action", args=[run.pk, "approve"])
    assert client.post(action, {}).status_code == 403
    client.logout()
    assert client.get(run.get_absolute_url()).status_code == 404  # the public does not


def test_municipality_payments_page(client: Client, arena: Any, secretariat: Any) -> None:
    issued(arena, secretariat)
    page = client.get(reverse("finance:municipality", args=["3909"]))
    content = page.content.decode()
    assert page.status_code == 200 and "100\xa0000,00" in content and "fakturert" in content
    assert client.get(reverse("finance:municipality", args=["0000x"])).status_code == 404


def test_run_page_query_count_is_bounded(client: Client, secretariat: Any) -> None:
    small = h.arena(VESTFOLD_NOW[:2], Y2026, host="3905")
    large = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    runs = [issued(small, secretariat), issued(large, secretariat)]
    counts = []
    for run in runs:
        with CaptureQueriesContext(connection) as queries:
            client.get(run.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_key_edit(client: Client, arena: Any, secretariat: Any, coordinator: Any) -> None:
    key = h.key(arena, 50, 50)
    url = reverse("finance:key_edit", args=[key.pk])
    login(client, coordinator)
    assert client.get(url).status_code == 403
    login(client, secretariat)
    data = {"name": "30/70", "preset": "30/70", "version": key.version}
    assert client.post(url, data).status_code == 302
    key.refresh_from_db()
    assert (key.name, key.equal, key.per_capita) == ("30/70", 30, 70)
    stale = client.post(url, {**data, "name": "Gammel", "version": 1})
    assert stale.status_code == 200
    key.refresh_from_db()
    assert key.name == "30/70"


def test_key_usage_and_fixed_percent_forms(
    client: Client, arena: Any, secretariat: Any, coordinator: Any
) -> None:
    key = h.key(arena, 0, 0, usage=Decimal(100))
    larvik = h.municipality("3909", Y2026)
    usage_url = reverse("finance:key_usage_add", args=[key.pk])
    fixed_url = reverse("finance:key_fixed_add", args=[key.pk])
    usage = {"usage-municipality": larvik.pk, "usage-year": "2025", "usage-units": "12,5"}
    fixed = {"fixed-municipality": larvik.pk, "fixed-percent": "40"}
    assert client.post(usage_url, usage).status_code == 302  # to the log-in page
    login(client, coordinator)
    assert client.post(usage_url, usage).status_code == 403
    assert client.post(fixed_url, fixed).status_code == 403
    assert client.post(key.get_absolute_url(), usage).status_code == 405
    login(client, secretariat)
    bad = client.post(usage_url, {**usage, "usage-units": "-1"})
    assert bad.status_code == 422 and "negativt" in bad.content.decode()
    assert client.post(usage_url, usage).status_code == 302
    assert key.usages.get().units == Decimal("12.50")
    bad = client.post(fixed_url, {**fixed, "fixed-percent": "140"})
    assert bad.status_code == 422 and not key.fixed_percents.exists()
    assert client.post(fixed_url, fixed).status_code == 302
    assert key.fixed_percents.get().percent == Decimal("40")
