"""Credit notes: in full or in part, several per invoice until nothing is left; the service,
the credit page and the API."""

from __future__ import annotations

import contextlib
import json
import threading
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import api_call, login, problem_of
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.finance import corrections
from samarbeid.finance.corrections import (
    credit_invoice,
    credit_lines,
    credit_refusal,
    left_to_credit,
)
from samarbeid.finance.figures import arena_costs, municipality_payments
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import Invoice
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
from samarbeid.finance.tests.test_services import Y2026
from samarbeid.lib.ehf import validate_ehf
from samarbeid.portal.opendata import invoice_totals

pytestmark = pytest.mark.django_db
JSON = "application/json"


def left(invoice: Invoice) -> dict[int, Decimal]:
    return {line.position: line.left for line in credit_lines(invoice)}


# The service --------------------------------------------------------------------------------


def test_partial_credit_of_one_line(invoice: Invoice, secretariat: Any) -> None:
    note = credit_invoice(invoice, "Feil andel", amounts={1: Decimal("1234.50")}, actor=secretariat)
    assert note.number == f"{invoice.number}-K"
    assert note.is_credit_note
    assert note.credited == invoice
    assert note.issued_at is not None
    assert note.total == Decimal("1234.50")
    assert note.reason == "Feil andel"
    # the note carries the credited line only, as it stands on the invoice, with the amount
    original = invoice.lines.get(position=1)
    credited = note.lines.get()
    fields = ["position", "kind", "budget_line_id", "project_id", "share_of_id", "description"]
    assert [getattr(credited, f) for f in fields] == [getattr(original, f) for f in fields]
    assert credited.amount == Decimal("1234.50")
    assert ehf_problems(note) == []
    assert validate_ehf(render_ehf(note)) == []
    assert left(invoice) == {1: BASE - Decimal("1234.50"), 2: PROJECT}
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Invoice),
        object_id=str(note.pk),
        action=AuditEntry.Action.CREATE,
    )
    assert entry.actor_id == secretariat.pk
    assert entry.channel == Channel.PAGE
    assert larvik_net(invoice.run) == BASE + PROJECT - Decimal("1234.50")


def test_repeated_partial_credits_up_to_full(
    arena: Any, invoice: Invoice, secretariat: Any
) -> None:
    larvik = h.municipality("3909", Y2026)
    first = credit_invoice(
        invoice, "Første", amounts={1: Decimal("1000.00"), 2: Decimal("0")}, actor=secretariat
    )
    second = credit_invoice(invoice, "Andre", amounts={2: Decimal("0.01")}, actor=secretariat)
    assert (first.number, second.number) == (f"{invoice.number}-K", f"{invoice.number}-K2")
    assert [line.position for line in first.lines.all()] == [1]  # 0: not this line
    assert left(invoice) == {1: BASE - Decimal("1000.00"), 2: PROJECT - Decimal("0.01")}
    # what is paid and what the arena costs follow the credit notes, per line kind
    costs = {c.municipality_id: c for c in arena_costs(arena, 2026, 2026)}
    assert costs[larvik.pk].administration == BASE - Decimal("1000.00")
    assert costs[larvik.pk].projects == PROJECT - Decimal("0.01")
    payments = municipality_payments(larvik)
    assert [(r.year, r.amount) for r in payments] == [(2026, BASE + PROJECT - Decimal("1000.01"))]
    # without amounts: everything that is left, line by line
    rest = credit_invoice(invoice, "Resten", actor=secretariat)
    assert rest.number == f"{invoice.number}-K3"
    assert {line.position: line.amount for line in rest.lines.all()} == {
        1: BASE - Decimal("1000.00"),
        2: PROJECT - Decimal("0.01"),
    }
    assert rest.total == BASE + PROJECT - Decimal("1000.01")
    assert ehf_problems(rest) == []
    assert left(invoice) == {1: Decimal("0.00"), 2: Decimal("0.00")}
    assert larvik_net(invoice.run) == Decimal("0.00")
    costs = {c.municipality_id: c for c in arena_costs(arena, 2026, 2026)}
    assert (costs[larvik.pk].administration, costs[larvik.pk].projects) == (0, 0)
    assert municipality_payments(larvik)[0].amount == Decimal("0.00")
    assert credit_refusal(invoice) == "Fakturaen er allerede kreditert i sin helhet."
    before = counts()
    for amounts in (None, {1: Decimal("0.01")}):
        with pytest.raises(ValidationError, match="allerede kreditert i sin helhet"):
            credit_invoice(invoice, "Igjen", amounts=amounts, actor=secretariat)
    assert counts() == before


def test_a_full_credit_is_the_default(invoice: Invoice, secretariat: Any) -> None:
    note = credit_invoice(invoice, "Feil beløp", actor=secretariat)
    assert note.number == f"{invoice.number}-K"
    assert note.total == invoice.total
    assert [(line.position, line.amount) for line in note.lines.all()] == [
        (1, BASE),
        (2, PROJECT),
    ]
    assert validate_ehf(render_ehf(note)) == []


def test_credit_up_to_exactly_what_is_left(invoice: Invoice, secretariat: Any) -> None:
    credit_invoice(invoice, "Del", amounts={2: Decimal("5000.00")}, actor=secretariat)
    note = credit_invoice(
        invoice, "Resten", amounts={1: BASE, 2: Decimal("10000.00")}, actor=secretariat
    )
    assert note.total == BASE + Decimal("10000.00")
    assert credit_refusal(invoice) is not None
    assert left_to_credit(credit_lines(invoice)) == Decimal("0.00")


def test_credit_number_skips_a_number_taken(arena: Any, invoice: Invoice, secretariat: Any) -> None:
    other = Invoice.objects.filter(run=invoice.run).exclude(pk=invoice.pk).first()
    assert other is not None
    Invoice.objects.filter(pk=other.pk).update(number=f"{invoice.number}-K2")
    credit_invoice(invoice, "En", amounts={1: Decimal("1.00")}, actor=secretariat)
    note = credit_invoice(invoice, "To", amounts={1: Decimal("1.00")}, actor=secretariat)
    assert note.number == f"{invoice.number}-K3"


@pytest.mark.parametrize(
    ("amounts", "field", "message"),
    [
        ({1: Decimal("-1.00")}, "line_1", "Beløpet kan ikke være negativt."),
        ({2: Decimal("1.005")}, "line_2", "Skriv beløpet med høyst to desimaler."),
        ({2: Decimal("NaN")}, "line_2", "Skriv beløpet med høyst to desimaler."),
        (
            {1: Decimal("1.00"), 2: Decimal("15000.01")},
            "line_2",
            "Beløpet er større enn det som gjenstår å kreditere (15\xa0000,00 kr).",
        ),
        ({7: Decimal("1.00")}, "line_7", "Fakturaen har ingen slik linje."),
        ({1: Decimal("0"), 2: Decimal("0.00")}, None, "Skriv et beløp å kreditere på minst"),
        ({}, None, "Skriv et beløp å kreditere på minst"),
    ],
)
def test_refused_amounts_write_nothing(
    invoice: Invoice, secretariat: Any, amounts: Any, field: str | None, message: str
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        credit_invoice(invoice, "Feil", amounts=amounts, actor=secretariat)
    if field is None:
        assert message in caught.value.messages[0]
    else:
        assert caught.value.message_dict == {field: [message]}
    assert counts() == before


def test_over_credit_after_an_earlier_note_names_what_is_left(
    invoice: Invoice, secretariat: Any
) -> None:
    credit_invoice(invoice, "Del", amounts={1: Decimal("99999.99")}, actor=secretariat)
    before = counts()
    with pytest.raises(ValidationError) as caught:
        credit_invoice(invoice, "For mye", amounts={1: Decimal("0.02")}, actor=secretariat)
    assert caught.value.message_dict == {
        "line_1": ["Beløpet er større enn det som gjenstår å kreditere (0,01 kr)."]
    }
    assert counts() == before
    credit_invoice(invoice, "Siste øre", amounts={1: Decimal("0.01")}, actor=secretariat)
    assert left(invoice)[1] == Decimal("0.00")


def test_refusals_of_the_invoice_write_nothing(
    arena: Any, invoice: Invoice, secretariat: Any, coordinator: Any
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        credit_invoice(invoice, "  ", amounts={1: Decimal("1.00")}, actor=secretariat)
    assert caught.value.message_dict == {"reason": ["Skriv hvorfor fakturaen krediteres."]}
    with pytest.raises(PermissionDenied):
        credit_invoice(invoice, "Feil", actor=coordinator)
    assert counts() == before
    note = credit_invoice(invoice, "Del", amounts={1: Decimal("1.00")}, actor=secretariat)
    before = counts()
    with pytest.raises(ValidationError, match="En kreditnota kan ikke krediteres"):
        credit_invoice(note, "Feil", actor=secretariat)
    assert credit_refusal(note) == "En kreditnota kan ikke krediteres."
    draft_arena = vestfold_arena("UT")
    h.equal_budget(draft_arena, 2026, "1000.00")
    draft = create_run(draft_arena, 2026, actor=secretariat).invoices.first()
    assert draft is not None
    before = counts()
    with pytest.raises(ValidationError, match="Bare utstedte fakturaer"):
        credit_invoice(draft, "Feil", actor=secretariat)
    assert credit_refusal(draft) is not None
    assert counts() == before


def test_an_invalid_ehf_document_writes_nothing(invoice: Invoice, secretariat: Any) -> None:
    with mock.patch("samarbeid.finance.outputs.ehf_problems", return_value=["BR-CO-15"]):
        before = counts()
        with pytest.raises(ValidationError, match="BR-CO-15"):
            credit_invoice(invoice, "Feil", amounts={1: Decimal(1)}, actor=secretariat)
    assert counts() == before


def test_the_invoice_is_locked_before_what_is_left_is_read(
    invoice: Invoice, secretariat: Any
) -> None:
    """Two clerks crediting the same line at once: the second waits for the first (the row
    lock; PostgreSQL honours it) and then sees its note. Here: the lock is taken on the
    invoice, inside the transaction, before the credited amounts are read."""
    order: list[str] = []
    lock = QuerySet.select_for_update
    read = credit_lines

    def locking(queryset: QuerySet[Any], *args: Any, **kwargs: Any) -> Any:
        if queryset.model is Invoice:
            assert connection.in_atomic_block
            order.append("lock")
        return lock(queryset, *args, **kwargs)

    def reading(invoice: Invoice) -> Any:
        order.append("read")
        return read(invoice)

    with (
        mock.patch.object(QuerySet, "select_for_update", locking),
        mock.patch.object(corrections, "credit_lines", reading),
    ):
        credit_invoice(invoice, "Feil", amounts={1: Decimal(1)}, actor=secretariat)
    assert order[:2] == ["lock", "read"]


@pytest.mark.django_db(transaction=True)
def test_two_clerks_crediting_the_same_line_at_once() -> None:
    """On PostgreSQL, for real: both clerks credit all of line 1 at the same moment. The
    first locks the invoice and waits (up to 3 s) for the second to read what is left too;
    the second is held at the lock instead, and once the first note is written it is
    refused, naming the line. (SQLite ignores row locks: skipped there.)"""
    invoice, clerk = race_on_larviks_invoice("SAM")
    both_read = threading.Barrier(2, timeout=3)
    read = credit_lines

    def reading(invoice: Invoice) -> Any:
        lines = read(invoice)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return lines

    def credit_line_1() -> str:
        return credit_invoice(
            Invoice.objects.get(pk=invoice.pk), "Samtidig", amounts={1: BASE}, actor=clerk
        ).number

    with mock.patch.object(corrections, "credit_lines", reading):
        results = h.at_once(credit_line_1)
    assert results == [
        f"{invoice.number}-K",
        "Beløpet er større enn det som gjenstår å kreditere (0,00 kr).",
    ]
    assert left(invoice) == {1: Decimal("0.00"), 2: PROJECT}


# Property: credits never exceed a line; the net is what is left -------------------------------

# An amount for a line: øre, or (resolved when the step runs) exactly what is left on the
# line, or one øre more, so the edges are tried in every run.
amount = st.one_of(
    st.integers(min_value=0, max_value=int((PROJECT + 1) * 100)),
    st.sampled_from(["left", "over"]),
)
step = st.one_of(
    st.none(),  # everything that is left
    st.fixed_dictionaries({}, optional={1: amount, 2: amount}),
)


def test_property_credits_never_exceed_a_line_and_the_net_is_what_is_left(
    invoice: Invoice, secretariat: Any
) -> None:
    amounts = {line.position: line.amount for line in invoice.lines.all()}

    @given(steps=st.lists(step, min_size=1, max_size=5))
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(steps: list[dict[int, int | str] | None]) -> None:
        with transaction.atomic():
            expected = dict.fromkeys(amounts, Decimal("0.00"))  # credited per line, as modelled
            for wanted in steps:
                rest = {p: amounts[p] - expected[p] for p in amounts}
                asked = None
                if wanted is not None:
                    asked = {
                        p: Decimal(o) / 100
                        if isinstance(o, int)
                        else rest[p] + (Decimal("0.01") if o == "over" else 0)
                        for p, o in wanted.items()
                    }
                valid = (
                    any(v > 0 for v in rest.values())
                    if asked is None
                    else all(a <= rest[p] for p, a in asked.items())
                    and any(a > 0 for a in asked.values())
                )
                before = counts()
                try:
                    note = credit_invoice(invoice, "Egenskap", amounts=asked, actor=secretariat)
                except ValidationError:
                    assert not valid, (asked, rest)
                    assert counts() == before
                else:
                    assert valid, (asked, rest)
                    credited = rest if asked is None else asked
                    for p, a in credited.items():
                        expected[p] += a
                    assert note.total == sum(line.amount for line in note.lines.all())
                lines = credit_lines(invoice)
                for line in lines:
                    assert Decimal(0) <= line.credited <= line.line.amount
                    assert line.credited == expected[line.position]
                notes = sum(n.total for n in invoice.credit_notes.all())
                assert invoice.total - notes == sum(line.left for line in lines)
                assert larvik_net(invoice.run) == invoice.total - notes
            transaction.set_rollback(True)  # the next example starts from the invoice again

    check()


# Net figures for open data -------------------------------------------------------------------


def test_open_data_invoice_totals_subtract_credit_notes(invoice: Invoice, secretariat: Any) -> None:
    credit_invoice(invoice, "Del", amounts={2: Decimal("500.25")}, actor=secretariat)
    year = timezone.localdate().year  # the credit note's issue date
    rows = [r for r in invoice_totals() if r["municipality"] == "3909"]
    if year == 2026:
        assert [r["total"] for r in rows] == [f"{BASE + PROJECT - Decimal('500.25'):.2f}"]
    else:
        assert {r["year"]: r["total"] for r in rows} == {2026: "115000.00", year: "-500.25"}


# The credit page ------------------------------------------------------------------------------


def credit_url(invoice: Invoice) -> str:
    return reverse("finance:credit_create", args=[invoice.pk])


def test_credit_page_lists_lines_with_what_is_left(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    credit_invoice(invoice, "Del", amounts={1: Decimal("1000.00")}, actor=secretariat)
    login(client, secretariat)
    content = h.page_text(client, credit_url(invoice))
    assert content.count("<h1") == 1
    assert f"Krediter faktura {invoice.number}" in content
    # per line: invoiced, credited before, left, and a labelled amount field
    assert "100\xa0000,00" in content
    assert "1\xa0000,00" in content
    assert "99\xa0000,00" in content
    for position in (1, 2):
        assert f'<label class="ds-label ds-sr-only" for="id_line_{position}">' in content
        assert f'name="line_{position}"' in content
    assert 'value="all"' in content
    assert "checked" in content
    assert "Alt som gjenstår (114\xa0000,00 kr)" in content
    assert f"{invoice.number}-K" in content  # the earlier note


def test_credit_page_partial_credit_typed_the_norwegian_way(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    login(client, secretariat)
    response = client.post(
        credit_url(invoice),
        {"mode": "lines", "line_1": "1 234,50", "line_2": "", "reason": "Feil andel"},
    )
    note = invoice.credit_notes.get()
    assert response.status_code == 302
    assert response["Location"] == note.get_absolute_url()
    assert [(line.position, line.amount) for line in note.lines.all()] == [(1, Decimal("1234.50"))]
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert note.number in page
    assert "Feil andel" in page
    assert "Gjenstår å kreditere (kr): 113\xa0765,50" in page
    assert credit_url(invoice) in page  # something is left: the link stays
    entry = AuditEntry.objects.get(object_id=str(note.pk), action=AuditEntry.Action.CREATE)
    assert entry.channel == Channel.PAGE


def test_credit_page_everything_left_is_the_default(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    credit_invoice(invoice, "Del", amounts={2: Decimal("15000.00")}, actor=secretariat)
    login(client, secretariat)
    response = client.post(credit_url(invoice), {"mode": "all", "reason": "Resten"})
    assert response.status_code == 302
    rest = invoice.credit_notes.get(number=f"{invoice.number}-K2")
    assert [(line.position, line.amount) for line in rest.lines.all()] == [(1, BASE)]
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert "kreditert i sin helhet" in page
    assert credit_url(invoice) not in page
    refused = client.get(credit_url(invoice)).content.decode()
    assert "allerede kreditert i sin helhet" in refused
    assert 'name="line_1"' not in refused


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"line_1": "-5"}, "line_1", "Beløpet kan ikke være negativt."),
        ({"line_1": "1,005"}, "line_1", "høyst to desimaler"),
        ({"line_2": "15 000,01"}, "line_2", "større enn det som gjenstår"),
        ({"line_1": "0", "line_2": ""}, None, "Skriv et beløp å kreditere på minst én linje."),
    ],
)
def test_credit_page_field_errors(
    client: Client,
    invoice: Invoice,
    secretariat: Any,
    data: dict[str, str],
    field: str | None,
    message: str,
) -> None:
    login(client, secretariat)
    form = {"mode": "lines", "reason": "Feil", **data}
    assert_refused_writes_nothing(client, credit_url(invoice), form, message, field)


def test_credit_page_amounts_with_everything_chosen_is_an_error(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    login(client, secretariat)
    before = counts()
    response = client.post(credit_url(invoice), {"mode": "all", "line_1": "100", "reason": "Feil"})
    content = response.content.decode()
    assert response.status_code == 422
    assert "Du har skrevet beløp på linjene" in content
    assert 'aria-describedby="id_mode_error"' in content
    assert 'id="id_mode_error"' in content
    no_reason = client.post(credit_url(invoice), {"mode": "all", "reason": ""})
    assert no_reason.status_code == 422
    assert 'id="id_reason_error"' in no_reason.content.decode()
    assert counts() == before


def test_credit_page_shows_every_lines_fault_at_once(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    """Line 1's amount mistyped and line 2's above what is left: both said in one answer,
    each at its line's field, nothing written (the credit page shares the corrected
    invoice's form)."""
    login(client, secretariat)
    before = counts()
    response = client.post(
        credit_url(invoice),
        {"mode": "lines", "line_1": "1 234,567", "line_2": "15 000,01", "reason": "Feil"},
    )
    assert_refused_on_page(response, "høyst to desimaler", "line_1")
    assert_refused_on_page(response, "større enn det som gjenstår", "line_2")
    errors = response.context["form"].errors
    assert errors["line_1"] == ["Skriv beløpet som 1 000 000,50 (høyst to desimaler)."]
    assert errors["line_2"] == [
        "Beløpet er større enn det som gjenstår å kreditere (15\xa0000,00 kr)."
    ]
    # everything left chosen: the amounts typed are not read, so not judged line by line
    everything = client.post(
        credit_url(invoice), {"mode": "all", "line_2": "15 000,01", "reason": ""}
    )
    assert set(everything.context["form"].errors) == {"mode", "reason"}
    assert counts() == before


def test_credit_page_needs_the_arenas_secretariat(
    client: Client, invoice: Invoice, coordinator: Any, reader: Any
) -> None:
    form = {"mode": "all", "reason": "Feil"}
    assert_only_the_secretariat_opens(
        client, credit_url(invoice), form, invoice, (coordinator, reader)
    )
    assert not invoice.credit_notes.exists()


def test_credit_page_of_a_credit_note_says_it_cannot(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    note = credit_invoice(invoice, "Del", amounts={1: Decimal(1)}, actor=secretariat)
    login(client, secretariat)
    content = client.get(credit_url(note)).content.decode()
    assert "En kreditnota kan ikke krediteres." in content
    assert 'name="line_1"' not in content
    assert "Utsted kreditnota" not in content
    note_page = client.get(note.get_absolute_url()).content.decode()
    assert invoice.number in note_page
    assert credit_url(note) not in note_page


# The API --------------------------------------------------------------------------------------


def credit(client: Client, invoice: Invoice, body: dict[str, Any]) -> Any:
    return api_call(client, "POST", f"/api/v1/finance/invoices/{invoice.pk}/credit", body)


def test_api_partial_credit_by_line_position(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    client.force_login(secretariat)
    response = credit(
        client,
        invoice,
        {"reason": "Feil andel", "lines": [{"position": 2, "amount": "2500.10"}]},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == f"{invoice.number}-K"
    assert data["credited"] == invoice.pk
    assert data["total"] == "2500.10"
    assert data["issued"] is True
    assert [(line["position"], line["amount"]) for line in data["lines"]] == [(2, "2500.10")]
    assert data["left_to_credit"] is None  # a credit note is not credited
    shown = client.get(f"/api/v1/finance/invoices/{invoice.pk}").json()
    assert shown["credit_notes"] == [data["id"]]
    assert shown["left_to_credit"] == "112499.90"
    listed = client.get(f"/api/v1/finance/invoices?run={invoice.run_id}").json()["items"]
    assert {i["number"]: i["left_to_credit"] for i in listed}[invoice.number] == "112499.90"
    entry = AuditEntry.objects.get(object_id=str(data["id"]), action=AuditEntry.Action.CREATE)
    assert entry.channel == Channel.API
    # without lines: everything that is left
    rest = credit(client, invoice, {"reason": "Resten"})
    assert rest.status_code == 201, rest.content
    assert rest.json()["number"] == f"{invoice.number}-K2"
    assert [(line["position"], line["amount"]) for line in rest.json()["lines"]] == [
        (1, "100000.00"),
        (2, "12499.90"),
    ]
    shown = client.get(f"/api/v1/finance/invoices/{invoice.pk}").json()
    assert shown["left_to_credit"] == "0.00"
    assert len(shown["credit_notes"]) == 2
    done = problem_of(credit(client, invoice, {"reason": "Igjen"}), 422)
    assert "allerede kreditert i sin helhet" in done["detail"]


def test_api_over_credit_is_a_problem_naming_the_line(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    client.force_login(secretariat)
    before = counts()
    body = {
        "reason": "Feil",
        "lines": [{"position": 1, "amount": "10.00"}, {"position": 2, "amount": "15000.01"}],
    }
    problem = problem_of(credit(client, invoice, body), 422)
    assert problem["errors"] == [
        {
            "loc": ["lines.1"],
            "msg": "Linje 2: Beløpet er større enn det som gjenstår å kreditere (15\xa0000,00 kr).",
        }
    ]
    assert "Linje 2" in problem["detail"]
    negative = problem_of(
        credit(client, invoice, {"reason": "x", "lines": [{"position": 1, "amount": "-1.00"}]}),
        422,
    )
    assert negative["errors"][0]["loc"] == ["lines.0"]
    assert "Linje 1" in negative["detail"]
    unknown = problem_of(
        credit(client, invoice, {"reason": "x", "lines": [{"position": 9, "amount": "1.00"}]}),
        422,
    )
    assert "Linje 9" in unknown["detail"]
    twice = problem_of(credit(client, invoice, LINE_1_TWICE), 422)
    assert twice["errors"][0]["loc"] == ["lines.1.position"]
    assert "Linje 1" in twice["detail"]
    zero = problem_of(credit(client, invoice, {"reason": "x", "lines": []}), 422)
    assert "minst én linje" in zero["detail"]
    decimals = problem_of(
        credit(client, invoice, {"reason": "x", "lines": [{"position": 1, "amount": "1.005"}]}),
        422,
    )
    assert "lines" in json.dumps(decimals["errors"])
    assert counts() == before


def test_api_credit_needs_the_arenas_secretariat(
    client: Client, invoice: Invoice, coordinator: Any
) -> None:
    body = {"reason": "x", "lines": [{"position": 1, "amount": "1.00"}] * 2}
    problem_of(credit(client, invoice, body), 401)
    client.force_login(coordinator)
    problem_of(credit(client, invoice, body), 403)  # asked before the lines are read
    assert not invoice.credit_notes.exists()


def test_openapi_describes_partial_credits(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/finance/invoices/{invoice_id}/credit"]["post"]
    assert "in part" in operation["summary"]
    assert "-K2" in operation["description"]
    body = json.dumps(schema["components"]["schemas"])
    assert "everything not yet credited is credited" in body
    assert "position" in body


@pytest.mark.parametrize(("amount", "credited"), [("1 000,50", "1000.50"), ("12,5", "12.50")])
def test_api_amount_written_as_on_the_page_is_read(
    client: Client, invoice: Invoice, secretariat: Any, amount: str, credited: str
) -> None:
    """A clerk's trial: the credit API refused «1 000,50» asking for «1 000 000,50», the
    page's form; an amount written as on the page is read as the API's «1000.50»."""
    client.force_login(secretariat)
    response = credit(
        client, invoice, {"reason": "Feil", "lines": [{"position": 1, "amount": amount}]}
    )
    assert response.status_code == 201, response.content
    assert response.json()["total"] == credited


def test_api_amount_with_three_decimals_is_told_the_pages_words(
    client: Client, invoice: Invoice, secretariat: Any
) -> None:
    client.force_login(secretariat)
    response = credit(
        client, invoice, {"reason": "Feil", "lines": [{"position": 1, "amount": "1.005"}]}
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["msg"] == "Skriv beløpet som 1 000 000,50 (høyst to desimaler)."
    assert not invoice.credit_notes.exists()
