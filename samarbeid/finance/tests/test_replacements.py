"""Corrected invoices ("ny faktura etter kreditering"): after a credit note, a new invoice for
the same buyer in the same run; the service, the page, the API and the files."""

from __future__ import annotations

import contextlib
import json
import threading
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import api_call, login, problem_of
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.finance import corrections
from samarbeid.finance.corrections import (
    _replacement_number,
    credit_invoice,
    issue_replacement,
    replacement_refusal,
)
from samarbeid.finance.figures import arena_costs, municipality_payments
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import Invoice, InvoiceRun
from samarbeid.finance.outputs import ehf_problems, render_ehf
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.issued_invoices import (
    BASE,
    LINE_1_TWICE,
    PROJECT,
    assert_only_the_secretariat_opens,
    assert_refused_on_page,
    assert_refused_writes_nothing,
    counts,
    larvik_net,
    race_on_larviks_invoice,
    vestfold_arena,
)
from samarbeid.finance.tests.issued_invoices import arena as arena
from samarbeid.finance.tests.issued_invoices import invoice as invoice
from samarbeid.finance.tests.test_services import VESTFOLD_NOW
from samarbeid.lib.ehf import validate_ehf
from samarbeid.lib.kid import is_valid_kid

pytestmark = pytest.mark.django_db
JSON = "application/json"


def credit_all(invoice: Invoice, actor: Any) -> Invoice:
    return credit_invoice(invoice, "Feil folketall", actor=actor)


# The service --------------------------------------------------------------------------------


def test_corrected_invoice_after_a_full_credit(invoice: Invoice, secretariat: Any) -> None:
    credit_all(invoice, secretariat)
    new = issue_replacement(
        invoice,
        {1: Decimal("98765.43"), 2: Decimal("15000.00")},
        "  Riktig folketall  ",
        actor=secretariat,
    )
    assert new.number == f"{invoice.number}-2"
    assert new.kind == Invoice.Kind.INVOICE
    assert new.replaces == invoice
    assert new.credited is None
    assert new.issued_at is not None
    assert new.reason == "Riktig folketall"
    assert new.run == invoice.run
    assert new.buyer == invoice.buyer
    parties = ["buyer_name", "buyer_organisation_number", "seller_name"]
    assert [getattr(new, f) for f in parties] == [getattr(invoice, f) for f in parties]
    today = timezone.localdate()
    run = invoice.run
    assert run.due_date - run.issue_date == timedelta(days=30)
    assert new.issue_date == today
    assert new.due_date == today + timedelta(days=30)
    assert new.total == Decimal("113765.43")
    # its own KID: valid, and unlike every other in the run
    assert is_valid_kid(new.kid)
    assert new.kid != invoice.kid
    assert new.kid not in set(run.invoices.exclude(pk=new.pk).values_list("kid", flat=True))
    # the lines are copies of the original's, with the new amounts and the same positions
    fields = [
        "position",
        "kind",
        "budget_line_id",
        "project_id",
        "share_of_id",
        "description",
        "note",
    ]
    copied = list(new.lines.order_by("position"))
    originals = list(invoice.lines.order_by("position"))
    assert [[getattr(line, f) for f in fields] for line in copied] == [
        [getattr(line, f) for f in fields] for line in originals
    ]
    assert [line.amount for line in copied] == [Decimal("98765.43"), Decimal("15000.00")]
    assert ehf_problems(new) == []
    xml = render_ehf(new)
    assert validate_ehf(xml) == []
    # the EHF document refers to the invoice it replaces (BT-25, preceding invoice)
    assert f"<cbc:ID>{invoice.number}</cbc:ID>" in xml.decode()
    assert b"<Invoice" in xml
    assert b"CreditNote" not in xml
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Invoice),
        object_id=str(new.pk),
        action=AuditEntry.Action.CREATE,
    )
    assert entry.actor_id == secretariat.pk
    assert entry.channel == Channel.PAGE


def test_numbers_go_on_and_kids_stay_unique(invoice: Invoice, secretariat: Any) -> None:
    credit_invoice(invoice, "Del", amounts={1: Decimal("100.00")}, actor=secretariat)
    second = issue_replacement(invoice, {1: Decimal("1.00")}, "Første rettelse", actor=secretariat)
    credit_invoice(invoice, "Del 2", amounts={2: Decimal("2.00")}, actor=secretariat)
    third = issue_replacement(invoice, {2: Decimal("2.00")}, "Andre rettelse", actor=secretariat)
    assert [second.number, third.number] == [f"{invoice.number}-2", f"{invoice.number}-3"]
    # a corrected invoice, once credited, may be corrected too: numbered after the first
    credit_invoice(second, "Feil igjen", actor=secretariat)
    fourth = issue_replacement(second, {1: Decimal("3.00")}, "Tredje", actor=secretariat)
    assert fourth.number == f"{invoice.number}-4"
    assert fourth.replaces == second
    assert [line.position for line in third.lines.all()] == [2]  # positions kept
    kids = list(
        invoice.run.invoices.filter(kind=Invoice.Kind.INVOICE).values_list("kid", flat=True)
    )
    # one invoice per member but the host (3905), and three corrected invoices
    assert len(kids) == len(set(kids)) == len(VESTFOLD_NOW) - 1 + 3
    assert all(is_valid_kid(kid) for kid in kids)
    assert list(invoice.replacements.order_by("pk")) == [second, third]


def test_one_corrected_invoice_per_credit_note(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    """A correction form sent twice (a double click) or a second clerk too late does not
    invoice the credited amounts again: each credit note is followed by one correction."""
    credit_all(invoice, secretariat)
    issue_replacement(invoice, {1: Decimal("10.00")}, "Rettet", actor=secretariat)
    before = counts()
    refused = "Hver kreditnota på fakturaen har alt fått sin korrigerte faktura."
    with pytest.raises(ValidationError, match=refused):
        issue_replacement(invoice, {1: Decimal("10.00")}, "Igjen", actor=secretariat)
    login(client, secretariat)
    url = reverse("finance:replacement_create", args=[invoice.pk])
    sent_again = client.post(url, {"line_1": "10", "reason": "Igjen"})
    assert sent_again.status_code == 422
    assert refused in sent_again.content.decode()
    page = client.get(reverse("finance:invoice_detail", args=[invoice.pk])).content.decode()
    assert url not in page  # no link to make another
    assert counts() == before
    # A wrong correction is credited and corrected in its turn; the original stays done.
    corrected = invoice.replacements.get()
    credit_invoice(corrected, "Feil", actor=secretariat)
    assert replacement_refusal(corrected) is None
    assert replacement_refusal(invoice) is not None


@pytest.mark.django_db(transaction=True)
def test_two_clerks_correcting_the_same_credit_note_at_once() -> None:
    """On PostgreSQL, for real: after one credit note, two clerks issue a corrected invoice
    at the same moment. Both pass the first check together (a barrier holds each until the
    other has checked too); the first then locks the invoice and its run, the second waits
    at the lock, checks again once the first correction is written, and is refused.
    (SQLite ignores row locks: skipped there.)"""
    invoice, clerk = race_on_larviks_invoice("SAMR")
    credit_all(invoice, clerk)
    both_checked = threading.Barrier(2, timeout=3)
    first_check = threading.local()
    check = replacement_refusal

    def checking(invoice: Invoice, *args: Any) -> str | None:
        refusal = check(invoice, *args)
        if not getattr(first_check, "done", False):
            first_check.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                both_checked.wait()
        return refusal

    def correct() -> str:
        return issue_replacement(
            Invoice.objects.get(pk=invoice.pk), {1: Decimal("99000.00")}, "Samtidig", actor=clerk
        ).number

    with mock.patch.object(corrections, "replacement_refusal", checking):
        results = h.at_once(correct)
    assert results == [
        f"{invoice.number}-2",
        "Hver kreditnota på fakturaen har alt fått sin korrigerte faktura. Krediter "
        "fakturaen igjen før du lager en ny.",
    ]
    assert invoice.replacements.count() == 1


def test_a_number_taken_is_skipped(invoice: Invoice, secretariat: Any) -> None:
    def credit_and_correct(part: str) -> Invoice:
        credit_invoice(invoice, part, amounts={1: Decimal("1.00")}, actor=secretariat)
        return issue_replacement(invoice, {1: Decimal("1.00")}, part, actor=secretariat)

    first = credit_and_correct("A")
    # -3 taken by something else (here: the first correction renumbered behind the app's back)
    Invoice.objects.filter(pk=first.pk).update(number=f"{invoice.number}-3")
    free = credit_and_correct("B")
    after = credit_and_correct("C")
    assert [free.number, after.number] == [f"{invoice.number}-2", f"{invoice.number}-4"]


def test_an_amount_above_the_original_is_allowed(invoice: Invoice, secretariat: Any) -> None:
    credit_all(invoice, secretariat)
    new = issue_replacement(invoice, {1: BASE + Decimal("0.01")}, "Opp", actor=secretariat)
    assert new.total == BASE + Decimal("0.01")


def test_net_figures_are_original_minus_credit_plus_correction(
    invoice: Invoice, secretariat: Any, larvik: Any
) -> None:
    credit_invoice(invoice, "Feil", amounts={1: Decimal("10000.00")}, actor=secretariat)
    assert larvik_net(invoice.run) == BASE + PROJECT - Decimal("10000.00")
    issue_replacement(invoice, {1: Decimal("9000.00")}, "Rett", actor=secretariat)
    expected = BASE + PROJECT - Decimal("10000.00") + Decimal("9000.00")
    assert larvik_net(invoice.run) == expected
    payments = {
        (row.arena_id, row.year): row.amount for row in municipality_payments(invoice.buyer)
    }
    assert payments[(invoice.run.arena_id, 2026)] == expected
    costs = [
        row
        for row in arena_costs(invoice.run.arena, 2026, 2026)
        if row.municipality_id == invoice.buyer_id
    ]
    assert [(c.administration, c.projects) for c in costs] == [(BASE - Decimal("1000.00"), PROJECT)]


@pytest.mark.parametrize(
    ("amounts", "reason", "message"),
    [
        ({1: Decimal("0"), 2: Decimal("0")}, "Feil", "Skriv et beløp på minst én linje."),
        ({}, "Feil", "Skriv et beløp på minst én linje."),
        ({1: Decimal("-1.00")}, "Feil", "Beløpet kan ikke være negativt."),
        ({2: Decimal("1.005")}, "Feil", "Skriv beløpet med høyst to desimaler."),
        ({9: Decimal("1.00")}, "Feil", "Fakturaen har ingen slik linje."),
        ({1: Decimal("1.00")}, "  ", "Skriv hvorfor fakturaen korrigeres."),
    ],
)
def test_refused_amounts_and_reason_write_nothing(
    invoice: Invoice,
    secretariat: Any,
    amounts: dict[int, Decimal],
    reason: str,
    message: str,
) -> None:
    credit_all(invoice, secretariat)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        issue_replacement(invoice, amounts, reason, actor=secretariat)
    assert message in caught.value.messages
    assert counts() == before


def test_refusals_of_the_invoice_write_nothing(
    invoice: Invoice, secretariat: Any, coordinator: Any
) -> None:
    before = counts()
    # not credited
    with pytest.raises(ValidationError, match="Krediter fakturaen først"):
        issue_replacement(invoice, {1: Decimal("1.00")}, "Feil", actor=secretariat)
    assert replacement_refusal(invoice) == "Krediter fakturaen først."
    assert counts() == before
    note = credit_all(invoice, secretariat)
    assert replacement_refusal(invoice) is None
    before = counts()
    # a credit note
    with pytest.raises(ValidationError, match="En kreditnota kan ikke erstattes"):
        issue_replacement(note, {1: Decimal("1.00")}, "Feil", actor=secretariat)
    # not the arena's secretariat
    with pytest.raises(PermissionDenied):
        issue_replacement(invoice, {1: Decimal("1.00")}, "Feil", actor=coordinator)
    assert counts() == before
    # a draft
    draft_arena = vestfold_arena("UT")
    h.equal_budget(draft_arena, 2026, "1000.00")
    draft = create_run(draft_arena, 2026, actor=secretariat).invoices.first()
    assert draft is not None
    before = counts()
    with pytest.raises(ValidationError, match="Bare utstedte fakturaer kan erstattes"):
        issue_replacement(draft, {1: Decimal("1.00")}, "Feil", actor=secretariat)
    assert counts() == before


def test_an_invalid_ehf_document_writes_nothing(invoice: Invoice, secretariat: Any) -> None:
    credit_all(invoice, secretariat)
    before = counts()
    with (
        mock.patch("samarbeid.finance.outputs.ehf_problems", return_value=["BR-CO-15"]),
        pytest.raises(ValidationError, match="BR-CO-15"),
    ):
        issue_replacement(invoice, {1: Decimal(1)}, "Feil", actor=secretariat)
    assert counts() == before


def test_a_credit_note_never_replaces(invoice: Invoice, secretariat: Any) -> None:
    note = credit_all(invoice, secretariat)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=note.pk).update(replaces=invoice)


def test_the_invoice_and_run_are_locked_before_numbering(
    invoice: Invoice, secretariat: Any
) -> None:
    """Two clerks correcting at once: the second waits for the first (the row locks;
    PostgreSQL honours them) and then gets the next number and KID."""
    credit_all(invoice, secretariat)
    order: list[str] = []
    lock = QuerySet.select_for_update
    number = _replacement_number

    def locking(queryset: QuerySet[Any], *args: Any, **kwargs: Any) -> Any:
        assert connection.in_atomic_block
        order.append(f"lock {queryset.model.__name__}")
        return lock(queryset, *args, **kwargs)

    def numbering(invoice: Invoice) -> str:
        order.append("number")
        return number(invoice)

    with (
        mock.patch.object(QuerySet, "select_for_update", locking),
        mock.patch.object(corrections, "_replacement_number", numbering),
    ):
        issue_replacement(invoice, {1: Decimal("1.00")}, "Feil", actor=secretariat)
    assert order[:3] == ["lock Invoice", "lock InvoiceRun", "number"]


# The page -------------------------------------------------------------------------------------


def replacement_url(invoice: Invoice) -> str:
    return reverse("finance:replacement_create", args=[invoice.pk])


def test_invoice_page_links_to_the_correction_once_credited(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    login(client, secretariat)
    assert replacement_url(invoice) not in client.get(invoice.get_absolute_url()).content.decode()
    credit_all(invoice, secretariat)
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert replacement_url(invoice) in page
    assert "Lag korrigert faktura" in page


def test_page_prefills_the_original_amounts(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    credit_all(invoice, secretariat)
    login(client, secretariat)
    content = h.page_text(client, replacement_url(invoice))
    assert content.count("<h1") == 1
    assert f"Korrigert faktura for {invoice.number}" in content
    for position, amount in ((1, "100\xa0000,00"), (2, "15\xa0000,00")):
        assert f'<label class="ds-label ds-sr-only" for="id_line_{position}">' in content
        assert f'name="line_{position}" value="{amount}"' in content
    assert 'for="id_reason"' in content


def test_page_prefills_what_was_credited_so_nothing_is_invoiced_twice(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    """After a partial credit the corrected invoice replaces only what was credited: issued
    as prefilled, the buyer owes what it owed before."""
    credit_invoice(invoice, "Feil andel", amounts={2: Decimal("2500.10")}, actor=secretariat)
    login(client, secretariat)
    content = client.get(replacement_url(invoice)).content.decode()
    assert 'name="line_2" value="2\xa0500,10"' in content
    assert 'name="line_1" value=' not in content  # nothing credited: not on the correction
    posted = client.post(
        replacement_url(invoice), {"line_1": "", "line_2": "2\xa0500,10", "reason": "Samme"}
    )
    assert posted.status_code == 302
    corrected = invoice.replacements.get()
    assert corrected.total == Decimal("2500.10")
    assert [line.position for line in corrected.lines.all()] == [2]


def test_page_issues_the_corrected_invoice(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    credit_all(invoice, secretariat)
    login(client, secretariat)
    response = client.post(
        replacement_url(invoice),
        {"line_1": "98 765,43", "line_2": "", "reason": "Riktig folketall"},
        follow=True,
    )
    new = invoice.replacements.get()
    assert response.redirect_chain == [(new.get_absolute_url(), 302)]
    content = response.content.decode()
    assert f"Faktura {new.number} er utstedt." in content
    # the new invoice says what it replaces, with a link
    assert "Erstatter" in content
    assert invoice.get_absolute_url() in content
    assert [(line.position, line.amount) for line in new.lines.all()] == [(1, Decimal("98765.43"))]
    # the original lists its corrections
    original = client.get(invoice.get_absolute_url()).content.decode()
    assert new.number in original
    assert new.get_absolute_url() in original
    assert "Korrigerte fakturaer" in original
    # the run lists it, marked; its PDF names the invoice it replaces
    run_page = client.get(invoice.run.get_absolute_url()).content.decode()
    assert f"{new.number}</a> (korrigert faktura)" in run_page
    pdf_html = render_to_string(
        "finance/invoice_pdf.html", {"invoice": new, "lines": [], "run": new.run}
    )
    assert f"Erstatter faktura {invoice.number}: Riktig folketall" in pdf_html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"line_1": "-5"}, "line_1", "Beløpet kan ikke være negativt."),
        ({"line_2": "1,005"}, "line_2", "høyst to desimaler"),
        ({"line_1": "0", "line_2": ""}, None, "Skriv et beløp på minst én linje."),
        ({"line_1": "100", "reason": ""}, "reason", ""),
    ],
)
def test_page_field_errors(
    client: Client,
    invoice: Invoice,
    secretariat: Any,
    data: dict[str, str],
    field: str | None,
    message: str,
) -> None:
    credit_all(invoice, secretariat)
    login(client, secretariat)
    form = {"reason": "Feil", **data}
    assert_refused_writes_nothing(client, replacement_url(invoice), form, message, field)


def test_page_of_an_invoice_not_credited_says_so(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    login(client, secretariat)
    content = client.get(replacement_url(invoice)).content.decode()
    assert "Krediter fakturaen først." in content
    assert "Utsted korrigert faktura" not in content
    before = counts()
    response = client.post(replacement_url(invoice), {"line_1": "1", "reason": "x"})
    assert response.status_code == 422
    assert "Krediter fakturaen først." in response.content.decode()
    assert counts() == before


def test_page_needs_the_arenas_secretariat(
    client: Client, invoice: Invoice, secretariat: Any, coordinator: Any, reader: Any
) -> None:
    credit_all(invoice, secretariat)
    form = {"line_1": "1", "reason": "Feil"}
    assert_only_the_secretariat_opens(
        client, replacement_url(invoice), form, invoice, (coordinator, reader)
    )
    assert not invoice.replacements.exists()


# The API --------------------------------------------------------------------------------------


def replace(client: Client, invoice: Invoice, body: dict[str, Any]) -> Any:
    return api_call(client, "POST", f"/api/v1/finance/invoices/{invoice.pk}/replacement", body)


def test_api_issues_the_corrected_invoice(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    credit_all(invoice, secretariat)
    client.force_login(secretariat)
    response = replace(
        client,
        invoice,
        {"reason": "Riktig folketall", "lines": [{"position": 2, "amount": "15500.10"}]},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == f"{invoice.number}-2"
    assert data["replaces"] == invoice.pk
    assert data["kind"] == "invoice"
    assert data["credited"] is None
    assert data["issued"] is True
    assert data["total"] == "15500.10"
    assert [(line["position"], line["amount"]) for line in data["lines"]] == [(2, "15500.10")]
    shown = client.get(f"/api/v1/finance/invoices/{invoice.pk}").json()
    assert shown["replaces"] is None
    entry = AuditEntry.objects.get(object_id=str(data["id"]), action=AuditEntry.Action.CREATE)
    assert entry.channel == Channel.API


def test_api_problems_name_the_line(client: Client, invoice: Invoice, secretariat: Any) -> None:
    client.force_login(secretariat)
    body = {"reason": "x", "lines": [{"position": 1, "amount": "1.00"}]}
    first = problem_of(replace(client, invoice, body), 422)
    assert "Krediter fakturaen først." in first["detail"]
    credit_all(invoice, secretariat)
    before = counts()
    negative = problem_of(
        replace(
            client,
            invoice,
            {
                "reason": "x",
                "lines": [{"position": 1, "amount": "1.00"}, {"position": 2, "amount": "-1.00"}],
            },
        ),
        422,
    )
    assert negative["errors"] == [
        {"loc": ["lines.1"], "msg": "Linje 2: Beløpet kan ikke være negativt."}
    ]
    twice = problem_of(replace(client, invoice, LINE_1_TWICE), 422)
    assert twice["errors"][0]["loc"] == ["lines.1.position"]
    zero = problem_of(replace(client, invoice, {"reason": "x", "lines": []}), 422)
    assert "minst én linje" in zero["detail"]
    no_reason = problem_of(
        replace(client, invoice, {"reason": " ", "lines": [{"position": 1, "amount": "1"}]}),
        422,
    )
    assert "Skriv hvorfor fakturaen korrigeres." in no_reason["detail"]
    assert counts() == before


def test_api_needs_the_arenas_secretariat(
    client: Client, invoice: Invoice, secretariat: Any, coordinator: Any
) -> None:
    credit_all(invoice, secretariat)
    body = {"reason": "x", "lines": [{"position": 1, "amount": "1.00"}]}
    problem_of(replace(client, invoice, body), 401)
    client.force_login(coordinator)
    problem_of(replace(client, invoice, body), 403)
    problem_of(
        client.post(
            "/api/v1/finance/invoices/999999/replacement", json.dumps(body), content_type=JSON
        ),
        404,
    )
    assert not invoice.replacements.exists()


def test_openapi_describes_corrected_invoices(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/finance/invoices/{invoice_id}/replacement"]["post"]
    assert "corrected invoice" in operation["summary"]
    assert "-2" in operation["description"]
    assert "replaces" in schema["components"]["schemas"]["InvoiceOut"]["properties"]


# The files ------------------------------------------------------------------------------------


def test_invoice_run_command_writes_the_correction_beside_the_original(
    invoice: Invoice, secretariat: Any, tmp_path: Path
) -> None:
    note = credit_all(invoice, secretariat)
    new = issue_replacement(invoice, {1: Decimal("5.00")}, "Rett", actor=secretariat)
    run = InvoiceRun.objects.get(pk=invoice.run_id)
    call_command("invoice_run", run.arena.short_name, "2026", "--out", str(tmp_path))
    names = {p.name for p in tmp_path.iterdir()}
    for name in ("3909", note.number, new.number):
        assert {f"{name}.xml", f"{name}.pdf"} <= names
    assert validate_ehf((tmp_path / f"{new.number}.xml").read_bytes()) == []
    # the buyer's file is still the first invoice, not the correction
    original = (tmp_path / "3909.xml").read_bytes()
    assert f"<cbc:ID>{invoice.number}</cbc:ID>".encode() in original
    assert f"<cbc:ID>{new.number}</cbc:ID>".encode() not in original


def test_one_corrected_invoice_answers_every_credit_note_before_it(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    """Found in a clerk's trial: two partial credit notes, then the correction form sent
    twice, gave two corrected invoices, each re-invoicing both credits. A corrected invoice
    answers every credit note before it; another needs a credit note after it."""
    credit_invoice(invoice, "Del 1", amounts={1: Decimal("100.00")}, actor=secretariat)
    credit_invoice(invoice, "Del 2", amounts={2: Decimal("200.00")}, actor=secretariat)
    login(client, secretariat)
    url = reverse("finance:replacement_create", args=[invoice.pk])
    form = {"line_1": "100", "line_2": "150", "reason": "Rettet"}
    assert client.post(url, form).status_code == 302
    before = counts()
    again = client.post(url, form)
    assert again.status_code == 422
    assert "Hver kreditnota på fakturaen har alt fått sin korrigerte faktura." in (
        again.content.decode()
    )
    api = client.post(
        f"/api/v1/finance/invoices/{invoice.pk}/replacement",
        {"lines": [{"position": 1, "amount": "100.00"}], "reason": "Igjen"},
        content_type="application/json",
    )
    assert api.status_code == 422, api.content
    assert counts() == before
    assert invoice.replacements.count() == 1
    # a later credit note opens the way for one more
    credit_invoice(invoice, "Del 3", amounts={1: Decimal("1.00")}, actor=secretariat)
    assert replacement_refusal(invoice) is None


# Every line's fault in one answer -------------------------------------------------------------

NOT_CREDITED = "Ingenting er kreditert på linjen."
MALFORMED = "Skriv beløpet som 1 000 000,50 (høyst to desimaler)."


def test_page_shows_every_lines_fault_at_once(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    """Found in a clerk's trial: line 1's amount mistyped and line 2 not credited showed
    only line 1's error; fixed and sent again, line 2's came next. Both come at once, each
    at its line's field, and nothing is written."""
    credit_invoice(invoice, "Feil andel", amounts={1: Decimal("2500.00")}, actor=secretariat)
    login(client, secretariat)
    before = counts()
    response = client.post(
        replacement_url(invoice),
        {"line_1": "2 500,005", "line_2": "15 000,00", "reason": "Riktig andel"},
    )
    assert_refused_on_page(response, MALFORMED, "line_1")
    assert_refused_on_page(response, NOT_CREDITED, "line_2")
    errors = response.context["form"].errors
    assert errors["line_1"] == [MALFORMED]
    assert [NOT_CREDITED in message for message in errors["line_2"]] == [True]
    assert counts() == before
    # a reason forgotten too: said beside the line's fault
    response = client.post(
        replacement_url(invoice), {"line_1": "2 500,00", "line_2": "-1", "reason": ""}
    )
    errors = response.context["form"].errors
    assert errors["reason"] == ["Skriv hvorfor fakturaen korrigeres."]
    assert errors["line_2"] == ["Beløpet kan ikke være negativt."]
    assert "line_1" not in errors
    assert counts() == before
    # mended, the same lines issue the corrected invoice
    assert (
        client.post(
            replacement_url(invoice), {"line_1": "2 500,00", "line_2": "", "reason": "Riktig"}
        ).status_code
        == 302
    )


def test_api_lists_every_lines_fault_at_once(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    credit_invoice(invoice, "Feil andel", amounts={1: Decimal("2500.00")}, actor=secretariat)
    client.force_login(secretariat)
    before = counts()
    body = {
        "reason": "",
        "lines": [{"position": 1, "amount": "2500.00"}, {"position": 2, "amount": "15000.00"}],
    }
    errors = {
        ".".join(error["loc"]): error["msg"]
        for error in problem_of(replace(client, invoice, body), 422)["errors"]
    }
    assert set(errors) == {"reason", "lines.1"}
    assert errors["reason"] == "Skriv hvorfor fakturaen korrigeres."
    assert errors["lines.1"].startswith(f"Linje 2: {NOT_CREDITED}")
    assert counts() == before
