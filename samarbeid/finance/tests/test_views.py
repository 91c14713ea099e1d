from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login
from samarbeid.arenas.models import Membership
from samarbeid.arenas.tests.factories import DecisionFactory
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.finance.budgets import update_budget, update_line
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.keys import set_usage
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine, InvoiceRun, KeyUsage
from samarbeid.finance.run_steps import approve_run, issue_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")


def issued(arena: Any, secretariat: Any) -> InvoiceRun:
    run = run_2026(arena, secretariat)
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    issue_run(run, expected_version=None, actor=secretariat)
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
    assert response.status_code == 302
    assert key.equal == 100
    content = h.page_text(client, key.get_absolute_url(), {"total": "1 000,00", "year": "2026"})
    assert "250,00" in content
    # per capita without figures: the reason names the municipality and the year
    key2 = h.key(arena, 0, 100, name="Folketall")
    page = client.get(key2.get_absolute_url(), {"total": "1000", "year": "2026"})
    # (a preview speaks of itself, and names every municipality lacking it: clerk's trial)
    content = page.content.decode()
    assert "I forhåndsvisningen mangler folketall for Horten (3901), " in content
    assert "per 1. januar 2025" in content


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
    assert response.status_code == 422
    assert not BudgetLine.objects.exists()
    assert "ds-error-summary" in response.content.decode()
    assert client.post(budget.get_absolute_url(), {}).status_code == 405
    response = client.post(
        add,
        {
            "line-kind": "base",
            "line-description": "Basis",
            "line-amount": "4 000,00",  # typed the Norwegian way
            "line-key": key.pk,
        },
    )
    assert response.status_code == 302
    page = client.get(budget.get_absolute_url()).content.decode()
    assert "1\xa0000,00" in page
    assert "4\xa0000,00" in page
    line = BudgetLine.objects.get()
    response = client.post(
        reverse("finance:line_edit", args=[line.pk]),
        {
            "kind": "base",
            "description": "Basis",
            "amount": "4000",
            "actual": "3 899,5",
            "key": key.pk,
            "version": line.version,
        },
    )
    line.refresh_from_db()
    assert response.status_code == 302
    assert line.actual == Decimal("3899.50")


def test_run_create_approve_issue_downloads(client: Client, arena: Any, secretariat: Any) -> None:
    login(client, secretariat)
    h.equal_budget(arena, 2026, "400000.00")
    response = client.post(
        reverse("finance:run_create", args=[arena.pk]),
        {"year": "2026", "issue_date": "2026-03-01", "due_days": "30", "seller_account": ""},
    )
    job = finish(response)  # drafted by a background task; its page links to the run
    run = InvoiceRun.objects.get()
    assert job.status == Job.Status.DONE
    assert job.link == run.get_absolute_url()
    assert run.get_absolute_url() in client.get(job.get_absolute_url()).content.decode()
    page = client.get(run.get_absolute_url())
    content = page.content.decode()
    assert page.status_code == 200
    assert "100\xa0000,00" in content
    assert "<img" in content
    chart = client.get(reverse("finance:run_chart", args=[run.pk]))
    svg = chart.content.decode()
    assert chart["Content-Type"].startswith("image/svg+xml")
    assert "<svg" in svg
    assert "style=" not in svg
    assert "<style" not in svg
    # before approval the page says what is missing: the bank account, the references
    assert "Må rettes før kjøringen kan godkjennes" in content
    assert "mangler selgerens kontonummer" in content
    assert "Horten (3901), Larvik (3909), Færder (3911)" in content
    action = reverse("finance:run_action", args=[run.pk, "approve"])
    # not offered, and refused at once by URL, with the reasons and nothing queued
    assert action not in content
    refused = client.post(action, {"version": run.version}, follow=True).content.decode()
    assert "mangler selgerens kontonummer" in refused
    assert "mangler fakturareferanse" in refused
    assert Job.objects.count() == 1  # the draft's task only
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.DRAFT
    account = reverse("finance:run_account", args=[run.pk])
    bad = client.post(account, {"version": run.version, "seller_account": "86011117948"})
    assert bad.status_code == 422
    assert "kontrollsifferet (det siste sifferet, MOD11)" in bad.content.decode()
    assert (
        client.post(
            account, {"version": run.version, "seller_account": "8601 11 17947"}
        ).status_code
        == 302
    )
    run.refresh_from_db()
    assert run.seller_account == "86011117947"
    for number in ("3901", "3909", "3911"):
        municipality = Municipality.objects.current().get(number=number)
        response = client.post(
            reverse("finance:reference_set"),
            {"municipality": municipality.pk, "arena": "", "reference": f"R-{number}"},
        )
        assert response.status_code == 302
    assert "Må rettes" not in client.get(run.get_absolute_url()).content.decode()
    assert finish(client.post(action, {"version": run.version})).status == Job.Status.DONE
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.APPROVED
    again = client.post(action, {"version": run.version}, follow=True).content.decode()
    assert "allerede godkjent" in again
    issue = reverse("finance:run_action", args=[run.pk, "issue"])
    # its due date (31.03.2026) has passed: the secretariat confirms keeping it
    assert (
        finish(client.post(issue, {"version": run.version, "keep_due_date": "on"})).status
        == Job.Status.DONE
    )
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.ISSUED
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("finance:run_csv", args=[run.pk])).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[0] == ["municipality", "name", "amount", "kind", "gross"]
    assert rows[1][2] == "100000.00"
    xlsx = client.get(reverse("finance:run_xlsx", args=[run.pk])).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    assert sheet.cell(row=2, column=1).value == "3901"
    assert (
        "<cbc:BuyerReference>R-3901</cbc:BuyerReference>"
        in client.get(
            reverse("finance:invoice_xml", args=[run.invoices.get(buyer__number="3901").pk])
        ).content.decode()
    )
    invoice = run.invoices.first()
    assert invoice is not None
    xml = client.get(reverse("finance:invoice_xml", args=[invoice.pk]))
    assert xml.status_code == 200
    assert b"<Invoice" in xml.content
    pdf = client.get(reverse("finance:invoice_pdf", args=[invoice.pk]))
    assert pdf.content.startswith(b"%PDF")
    # A credit note from the credit page, linked from the invoice page.
    credit = reverse("finance:credit_create", args=[invoice.pk])
    assert credit in client.get(invoice.get_absolute_url()).content.decode()
    response = client.post(credit, {"mode": "all", "reason": ""})
    assert response.status_code == 422
    assert not invoice.credit_notes.exists()
    response = client.post(credit, {"mode": "all", "reason": "Feil"})
    assert response.status_code == 302
    assert invoice.credit_notes.count() == 1
    note = invoice.credit_notes.get()
    assert note.total == invoice.total
    xml = client.get(reverse("finance:invoice_xml", args=[note.pk]))
    assert xml.status_code == 200
    assert b"<CreditNote" in xml.content
    pdf = client.get(reverse("finance:invoice_pdf", args=[note.pk]))
    assert pdf.content.startswith(b"%PDF")
    # credited in full: the page says so and links to the note, no credit link any more
    shown = client.get(invoice.get_absolute_url()).content.decode()
    assert note.number in shown
    assert "kreditert i sin helhet" in shown
    assert credit not in shown


def test_run_create_refused_for_year_without_budget(
    client: Client, arena: Any, secretariat: Any
) -> None:
    login(client, secretariat)
    response = client.post(
        reverse("finance:run_create", args=[arena.pk]),
        {"year": "2031", "due_days": "30"},
    )
    # refused at once on the form (issue 20's trial), nothing queued
    assert response.status_code == 422
    assert "ikke noe budsjett" in response.content.decode()
    assert not Job.objects.exists()
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
    content = h.page_text(client, reverse("finance:municipality", args=["3909"]))
    assert "100\xa0000,00" in content
    assert "fakturert" in content
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
    assert bad.status_code == 422
    assert "negativt" in bad.content.decode()
    assert client.post(usage_url, usage).status_code == 302
    assert key.usages.get().units == Decimal("12.50")
    bad = client.post(fixed_url, {**fixed, "fixed-percent": "140"})
    assert bad.status_code == 422
    assert not key.fixed_percents.exists()
    assert client.post(fixed_url, fixed).status_code == 302
    assert key.fixed_percents.get().percent == Decimal("40")


# Editing a budget, deleting budgets, lines and keys ------------------------------------------


def page_entries(record: Any, action: str) -> Any:
    """The audit entries written through a page for `record` (deleted records keep their pk
    in the entry; pass the object as it was before the delete)."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        action=action,
        channel=Channel.PAGE,
    )


def test_budget_edit(client: Client, arena: Any, secretariat: Any) -> None:
    budget = h.equal_budget(arena, 2026, "400000.00")
    url = reverse("finance:budget_edit", args=[budget.pk])
    login(client, secretariat)
    content = h.page_text(client, url)
    assert content.count("<h1") == 1
    assert "Endre budsjett 2026 for VF" in content
    assert f'name="version" value="{budget.version}"' in content
    data = {"version": budget.version, "year": "2027", "administration_cost": "1 234,5"}
    response = client.post(url, {**data, "note": "Vedtatt i rådet"})
    assert response.status_code == 302
    assert response["Location"] == budget.get_absolute_url()
    budget.refresh_from_db()
    assert (budget.year, budget.administration_cost, budget.note, budget.version) == (
        2027,
        Decimal("1234.50"),
        "Vedtatt i rådet",
        2,
    )
    entry = page_entries(budget, AuditEntry.Action.UPDATE).get()
    assert entry.actor_id == secretariat.pk


def test_line_edit_stale_version_shows_both_values_by_name(
    client: Client, arena: Any, secretariat: Any
) -> None:
    """A conflict on a line shows what is stored and what the user chose side by side, the
    chosen key by its name (not its id). Both changed the key: a field only the user
    changed is the user's own change, not listed (a clerk's trial)."""
    equal = h.key(arena, 100, 0, name="Likt")
    per_capita = h.key(arena, 0, 100, name="Etter folketall")
    line = h.budget(arena, 2026, "4000.00", h.key(arena, 50, 50, name="Halvt")).lines.get()
    update_line(
        line,
        {"description": "Lagret av en annen", "key": equal},
        expected_version=1,
        actor=secretariat,
    )
    login(client, secretariat)
    response = client.post(
        reverse("finance:line_edit", args=[line.pk]),
        {
            "version": 1,
            "kind": "base",
            "description": "Mitt forslag",
            "amount": "4000",
            "key": per_capita.pk,
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Posten er endret av noen andre" in content  # in the error summary
    assert "Lagret av en annen" in content
    assert "Mitt forslag" in content
    assert "ditt forslag: Etter folketall" in content
    assert "lagret: Likt" in content
    line.refresh_from_db()
    assert (line.description, line.key_id, line.version) == ("Lagret av en annen", equal.pk, 2)


def test_budget_edit_stale_version_shows_both_values(
    client: Client, arena: Any, secretariat: Any
) -> None:
    budget = h.equal_budget(arena, 2026, None)
    update_budget(budget, {"note": "Lagret av en annen"}, expected_version=1, actor=secretariat)
    login(client, secretariat)
    response = client.post(
        reverse("finance:budget_edit", args=[budget.pk]),
        {"version": 1, "year": "2026", "administration_cost": "5", "note": "Mitt forslag"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "nyere versjon" in content
    assert "Lagret av en annen" in content
    assert "Mitt forslag" in content
    budget.refresh_from_db()
    assert (budget.note, budget.administration_cost, budget.version) == (
        "Lagret av en annen",
        Decimal("100000.00"),
        2,
    )


def test_budget_edit_invalid_input(client: Client, arena: Any, secretariat: Any) -> None:
    budget = h.equal_budget(arena, 2026, None)
    url = reverse("finance:budget_edit", args=[budget.pk])
    login(client, secretariat)
    negative = client.post(url, {"version": 1, "year": "2026", "administration_cost": "-1"})
    content = negative.content.decode()
    assert negative.status_code == 200
    assert "ds-error-summary" in content
    assert 'id="id_administration_cost_error"' in content
    assert "negativ" in content
    not_a_year = client.post(url, {"version": 1, "year": "neste", "administration_cost": "1"})
    assert 'id="id_year_error"' in not_a_year.content.decode()
    budget.refresh_from_db()
    assert (budget.year, budget.administration_cost, budget.version) == (
        2026,
        Decimal("100000.00"),
        1,
    )
    assert not page_entries(budget, AuditEntry.Action.UPDATE).exists()


def test_budget_edit_refused_once_invoiced(client: Client, arena: Any, secretariat: Any) -> None:
    issued(arena, secretariat)
    budget = Budget.objects.get()
    login(client, secretariat)
    response = client.post(
        reverse("finance:budget_edit", args=[budget.pk]),
        {"version": budget.version, "year": "2026", "administration_cost": "1", "note": "x"},
    )
    assert response.status_code == 200
    assert "er fakturert" in response.content.decode()
    budget.refresh_from_db()
    assert budget.note == ""


def confirm_delete(client: Client, url: str, record: Any, redirected_to: str) -> str:
    """Confirm the delete page at `url` with the version of `record` it showed: it must
    redirect to `redirected_to`; the page reached, as text."""
    response = client.post(url, {"version": record.version}, follow=True)
    assert response.redirect_chain == [(redirected_to, 302)]
    return response.content.decode()


def test_budget_delete(client: Client, arena: Any, secretariat: Any) -> None:
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, "400000.00", key)
    line = budget.lines.get()
    url = reverse("finance:budget_delete", args=[budget.pk])
    login(client, secretariat)
    content = h.page_text(client, url)
    assert content.count("<h1") == 1
    assert "Slett budsjett 2026 for VF?" in content
    assert "Basisbidrag" in content
    assert 'data-color="danger"' in content
    assert budget.get_absolute_url() in content
    confirmed = confirm_delete(client, url, budget, reverse("finance:arena", args=[arena.pk]))
    assert "Budsjettet er slettet." in confirmed
    assert not Budget.objects.exists()
    assert not BudgetLine.objects.exists()
    assert AllocationKey.objects.filter(pk=key.pk).exists()  # the key stays
    assert page_entries(budget, AuditEntry.Action.DELETE).get().actor_id == secretariat.pk
    assert page_entries(line, AuditEntry.Action.DELETE).count() == 1


def test_budget_delete_refused_for_an_invoiced_year(
    client: Client, arena: Any, secretariat: Any
) -> None:
    issued(arena, secretariat)
    budget = Budget.objects.get()
    login(client, secretariat)
    asked = client.get(reverse("finance:budget_delete", args=[budget.pk])).content.decode()
    # said before confirming, and nothing to confirm
    assert "Budsjettet for 2026 er fakturert" in asked
    assert 'data-color="danger"' not in asked
    response = client.post(
        reverse("finance:budget_delete", args=[budget.pk]), {"version": budget.version}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "ds-error-summary" in content
    assert "Budsjettet for 2026 er fakturert" in content
    assert "kan ikke slettes" in content
    assert Budget.objects.filter(pk=budget.pk).exists()
    assert BudgetLine.objects.count() == 1
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_budget_delete_refused_while_a_draft_run_uses_it(
    client: Client, arena: Any, secretariat: Any
) -> None:
    run_2026(arena, secretariat)
    budget = Budget.objects.get()
    login(client, secretariat)
    response = client.post(
        reverse("finance:budget_delete", args=[budget.pk]), {"version": budget.version}
    )
    assert response.status_code == 200
    assert "utkast" in response.content.decode()
    assert Budget.objects.filter(pk=budget.pk).exists()


def test_budget_delete_stale_version_asks_again(
    client: Client, arena: Any, secretariat: Any
) -> None:
    budget = h.equal_budget(arena, 2026, None)
    url = reverse("finance:budget_delete", args=[budget.pk])
    update_budget(budget, {"note": "Ny merknad"}, expected_version=1, actor=secretariat)
    login(client, secretariat)
    response = client.post(url, {"version": 1})
    content = response.content.decode()
    assert response.status_code == 200
    assert "endret dette etter at du åpnet siden" in content
    assert "Ny merknad" in content
    assert 'name="version" value="2"' in content
    assert Budget.objects.filter(pk=budget.pk).exists()
    assert client.post(url, {"version": 2}).status_code == 302
    assert not Budget.objects.exists()


def test_line_delete(client: Client, arena: Any, secretariat: Any) -> None:
    budget = h.equal_budget(arena, 2026, "400000.00")
    line = budget.lines.get()
    url = reverse("finance:line_delete", args=[line.pk])
    login(client, secretariat)
    content = h.page_text(client, url)
    assert "Slett budsjettlinjen «Basisbidrag»?" in content
    confirmed = confirm_delete(client, url, line, budget.get_absolute_url())
    assert "Linjen er slettet." in confirmed
    assert not BudgetLine.objects.exists()
    assert Budget.objects.filter(pk=budget.pk).exists()
    assert page_entries(line, AuditEntry.Action.DELETE).get().actor_id == secretariat.pk


def test_line_delete_refused_once_invoiced(client: Client, arena: Any, secretariat: Any) -> None:
    issued(arena, secretariat)
    line = BudgetLine.objects.get()
    login(client, secretariat)
    response = client.post(reverse("finance:line_delete", args=[line.pk]), {"version": 1})
    content = response.content.decode()
    assert response.status_code == 200
    assert "ds-error-summary" in content
    assert "er fakturert" in content
    assert BudgetLine.objects.filter(pk=line.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_key_delete(client: Client, arena: Any, secretariat: Any) -> None:
    key = h.key(arena, 0, 0, usage=Decimal(100), name="Forbruk")
    set_usage(key, h.municipality("3909", Y2026), 2025, Decimal(3), actor=secretariat)
    url = reverse("finance:key_delete", args=[key.pk])
    login(client, secretariat)
    content = h.page_text(client, url)
    assert "Slett fordelingsnøkkelen «Forbruk»?" in content
    assert "forbrukstallene (1)" in content
    assert key.get_absolute_url() in content
    confirmed = confirm_delete(client, url, key, reverse("finance:arena", args=[arena.pk]))
    assert "Fordelingsnøkkelen er slettet." in confirmed
    assert not AllocationKey.objects.exists()
    assert not KeyUsage.objects.exists()
    assert page_entries(key, AuditEntry.Action.DELETE).get().actor_id == secretariat.pk


def test_key_delete_refused_while_lines_use_it(
    client: Client, arena: Any, secretariat: Any
) -> None:
    key = h.key(arena, 100, 0)
    h.budget(arena, 2026, "1000.00", key)
    unused = h.key(arena, 100, 0, name="Ubrukt")
    login(client, secretariat)
    asked = client.get(reverse("finance:key_delete", args=[key.pk])).content.decode()
    assert "brukes i budsjettlinjer" in asked
    assert 'data-color="danger"' not in asked
    free = client.get(reverse("finance:key_delete", args=[unused.pk])).content.decode()
    assert "brukes i budsjettlinjer" not in free
    assert 'data-color="danger"' in free
    response = client.post(reverse("finance:key_delete", args=[key.pk]), {"version": 1})
    content = response.content.decode()
    assert response.status_code == 200
    assert "brukes i budsjettlinjer" in content
    assert AllocationKey.objects.filter(pk=key.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_edit_and_delete_pages_need_the_secretariat(
    client: Client, arena: Any, coordinator: Any, secretariat: Any
) -> None:
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, "1000.00", key)
    line = budget.lines.get()
    unused = h.key(arena, 100, 0, name="Ubrukt")
    urls = [
        reverse("finance:budget_edit", args=[budget.pk]),
        reverse("finance:budget_delete", args=[budget.pk]),
        reverse("finance:line_delete", args=[line.pk]),
        reverse("finance:key_delete", args=[unused.pk]),
    ]
    for url in urls:
        assert "/logg-inn/" in client.get(url)["Location"]  # anonymous: to log in
    login(client, coordinator)
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, {"version": 1}).status_code == 403
    assert Budget.objects.count() == 1
    assert BudgetLine.objects.count() == 1
    assert AllocationKey.objects.count() == 2
    # the links are shown to those who may use them, and only to them
    for page in (budget.get_absolute_url(), unused.get_absolute_url()):
        assert "/slett/" not in client.get(page).content.decode()
    login(client, secretariat)
    budget_page = client.get(budget.get_absolute_url()).content.decode()
    for url in urls[:3]:
        assert url in budget_page
    assert urls[3] in client.get(unused.get_absolute_url()).content.decode()


def test_an_invoiced_budget_today_unsplittable_shows_what_was_invoiced(
    client: Client, arena: Any, secretariat: Any
) -> None:
    """A clerk's trial: a member added to an invoiced year (no population yet) made the
    invoiced budget's page say «Budsjettet kan ikke fordeles ennå» and show no split at all;
    it says why today's figures cannot split it and shows what was invoiced."""
    h.populations(2025, {"3901": 27000, "3905": 58000, "3909": 48000, "3911": 27000})
    key = h.key(arena, 50, 50)
    budget = h.budget(arena, 2026, "400000.00", key)
    run = create_run(arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    issue_run(run, expected_version=None, actor=secretariat)
    sandefjord = h.municipality("3907", Y2026)
    Membership.objects.create(
        arena=arena,
        municipality=sandefjord,
        joined=date(2026, 6, 1),
        decision=DecisionFactory(municipality=sandefjord, meeting_date=date(2026, 5, 1)),
    )
    login(client, secretariat)
    page = client.get(budget.get_absolute_url()).content.decode()
    assert "Budsjettet kan ikke fordeles ennå" not in page
    assert "Med dagens tall kan budsjettet ikke fordeles:" in page
    assert "Sandefjord" in page
    assert "Fordelingen for 2026 slik den ble utstedt" in page
    assert "3905 Tønsberg (egen andel som vertskommune, ikke fakturert)" in page
    # the base line, 400 000, half equally (50 000 each of four) and half by 160 000
    # inhabitants: Tønsberg 50 000 + 200 000 × 58 000 / 160 000 = 50 000 + 72 500
    assert "ikke fakturert)</th><td>122\xa0500,00" in page
    assert "3901 Horten</th><td>83\xa0750,00" in page  # 50 000 + 33 750
    assert '<th scope="row">Sum</th><td>400\xa0000,00' in page


def test_a_run_whose_due_date_has_passed_says_so_before_it_is_issued(
    client: Client, arena: Any, secretariat: Any
) -> None:
    """A clerk's trial approved and issued the demo's draft of 02.02.2026 in December,
    due 04.03.2026, without a word: the invoices reached their buyers overdue."""
    run = run_2026(arena, secretariat)  # invoice date 02.03.2026, due 30 days later
    login(client, secretariat)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Forfallsdatoen 01.04.2026 er passert: fakturaene kommer fram som forfalt." in page
    assert (
        "Når kjøringen utstedes, setter du en ny forfallsdato. Skal fakturaene ha en ny "
        "fakturadato, sletter du utkastet og lager kjøringen på nytt."
    ) in page
    fresh = InvoiceRun.objects.filter(pk=run.pk)
    fresh.update(due_date=timezone.localdate() + timedelta(days=30))
    assert "er passert" not in client.get(run.get_absolute_url()).content.decode()
    fresh.update(due_date=date(2026, 4, 1))
    issued_run = issued(h.arena(["3909"], Y2026, short_name="LV"), secretariat)
    assert "er passert" not in client.get(issued_run.get_absolute_url()).content.decode()


def test_the_new_budget_form_offers_a_year_without_a_budget(
    client: Client, arena: Any, secretariat: Any
) -> None:
    """A clerk's trial: the form offered this year, which had its budget already (refused
    at once on saving); it offers the first year from this one without a budget."""
    this_year = timezone.localdate().year
    key = h.key(arena, 100, 0)
    h.budget(arena, this_year, "1000.00", key)
    h.budget(arena, this_year + 1, "1000.00", key)
    login(client, secretariat)
    form = client.get(reverse("finance:budget_create", args=[arena.pk])).context["form"]
    assert form["year"].value() == this_year + 2
