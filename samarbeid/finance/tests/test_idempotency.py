"""Idempotency-Key on the API's POSTs that make money documents (issue 18, point 2): an
invoice run, a credit note, a corrected invoice. A client that sends the request again
with the same key gets the first answer and nothing is written twice, also when both are
sent at the same moment (SQLite and PostgreSQL)."""

from __future__ import annotations

import contextlib
import json
import threading
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from conftest import bearer, problem_of
from samarbeid.core.models import IdempotentRequest
from samarbeid.finance import corrections
from samarbeid.finance.models import Invoice, InvoiceRun
from samarbeid.finance.tests.issued_invoices import issued_run
from samarbeid.finance.tests.test_races import clerk_and_arena
from samarbeid.tests.concurrency import concurrent_database, together

JSON = "application/json"


def post(url: str, body: dict[str, Any], headers: dict[str, str], key: str | None) -> Any:
    if key is not None:
        headers = {**headers, "Idempotency-Key": key}
    return Client().post(url, json.dumps(body), content_type=JSON, headers=headers)


# Sequential: the same key again ----------------------------------------------------------------


@pytest.mark.django_db
def test_an_invoice_run_posted_again_with_the_same_key_is_answered_as_first() -> None:
    clerk, arena = clerk_and_arena("IDR")
    headers = bearer(clerk)
    body = {"arena": arena.pk, "year": 2026}
    first = post("/api/v1/finance/runs", body, headers, "run-2026-1")
    assert first.status_code == 201, first.content
    again = post("/api/v1/finance/runs", body, headers, "run-2026-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert InvoiceRun.objects.filter(arena=arena).count() == 1
    assert IdempotentRequest.objects.get().status == 201
    # Without the key, the request is made anew, as before: refused, a run exists.
    assert post("/api/v1/finance/runs", body, headers, None).status_code == 422


@pytest.mark.django_db
def test_a_credit_note_and_a_corrected_invoice_posted_again_are_made_once() -> None:
    clerk, arena = clerk_and_arena("IDK", budget=False)
    invoice = issued_run(arena, clerk).invoices.get(buyer__number="3909")
    headers = bearer(clerk)
    credit_url = f"/api/v1/finance/invoices/{invoice.pk}/credit"
    credit = {"reason": "Feil beløp", "lines": [{"position": 1, "amount": "100.00"}]}
    first = post(credit_url, credit, headers, "kreditt-1")
    assert first.status_code == 201, first.content
    again = post(credit_url, credit, headers, "kreditt-1")
    assert (again.status_code, again.json()) == (201, first.json())
    assert Invoice.objects.filter(credited=invoice).count() == 1
    new_url = f"/api/v1/finance/invoices/{invoice.pk}/replacement"
    new = {"reason": "Riktig beløp", "lines": [{"position": 1, "amount": "50.00"}]}
    made = post(new_url, new, headers, "ny-1")
    assert made.status_code == 201, made.content
    assert post(new_url, new, headers, "ny-1").json() == made.json()
    assert Invoice.objects.filter(replaces=invoice).count() == 1


@pytest.mark.django_db
def test_the_same_key_for_another_request_is_refused_and_does_nothing() -> None:
    clerk, arena = clerk_and_arena("IDA", budget=False)
    invoice = issued_run(arena, clerk).invoices.get(buyer__number="3909")
    headers = bearer(clerk)
    url = f"/api/v1/finance/invoices/{invoice.pk}/credit"
    line_1 = {"reason": "Feil", "lines": [{"position": 1, "amount": "100.00"}]}
    assert post(url, line_1, headers, "k").status_code == 201
    other_body = {"reason": "Feil", "lines": [{"position": 1, "amount": "200.00"}]}
    problem = problem_of(post(url, other_body, headers, "k"), 422)
    assert "Idempotency-Key" in problem["detail"]
    assert problem["errors"][0]["loc"] == ["Idempotency-Key"]
    other_path = {"arena": arena.pk, "year": 2026}
    problem_of(post("/api/v1/finance/runs", other_path, headers, "k"), 422)
    assert Invoice.objects.filter(credited=invoice).count() == 1
    assert not InvoiceRun.objects.filter(arena=arena, year=2026).exclude(pk=invoice.run_id)
    # The same body written another way is the same request.
    spaced = json.dumps(line_1, indent=2)
    replay = Client().post(
        url, spaced, content_type=JSON, headers={**headers, "Idempotency-Key": "k"}
    )
    assert replay.status_code == 201
    assert Invoice.objects.filter(credited=invoice).count() == 1


@pytest.mark.django_db
def test_a_key_is_the_users_own_and_a_refusal_is_not_kept() -> None:
    clerk, arena = clerk_and_arena("IDU", budget=False)
    other, _ = clerk_and_arena("IDV", budget=False)
    invoice = issued_run(arena, clerk).invoices.get(buyer__number="3909")
    url = f"/api/v1/finance/invoices/{invoice.pk}/credit"
    too_much = {"reason": "Feil", "lines": [{"position": 1, "amount": "99999999.00"}]}
    problem_of(post(url, too_much, bearer(clerk), "same"), 422)
    assert not IdempotentRequest.objects.exists()
    fixed = {"reason": "Feil", "lines": [{"position": 1, "amount": "1.00"}]}
    assert post(url, fixed, bearer(clerk), "same").status_code == 201
    # Another clerk's "same" is another key: a request of its own.
    assert post(url, fixed, bearer(other), "same").status_code == 201
    assert Invoice.objects.filter(credited=invoice).count() == 2
    too_long = post(url, fixed, bearer(clerk), "x" * 256)
    assert "Idempotency-Key" in problem_of(too_long, 422)["detail"]


# At the same moment ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_same_key_twice_at_once_makes_one_credit_note() -> None:
    """The first request holds (up to 1 s) after reading what is left to credit, with its
    key taken; the second waits at the key's unique constraint and, once the first is
    saved, gets its answer: both 201 with the same note, one note written."""
    clerk, arena = clerk_and_arena("IDS", budget=False)
    invoice = issued_run(arena, clerk).invoices.get(buyer__number="3909")
    headers = bearer(clerk)
    url = f"/api/v1/finance/invoices/{invoice.pk}/credit"
    body = {"reason": "Sendt to ganger"}
    both = threading.Barrier(2, timeout=1)
    read = corrections.credit_lines

    def holding(invoice: Invoice) -> Any:
        lines = read(invoice)
        with contextlib.suppress(threading.BrokenBarrierError):
            both.wait()  # the second never comes: it waits for the key
        return lines

    def credit(_n: int) -> str:
        response = post(url, body, headers, "dobbeltklikk")
        return f"{response.status_code} {response.json().get('number')}"

    with concurrent_database(), mock.patch.object(corrections, "credit_lines", holding):
        results = together(credit, 2)
        notes = list(Invoice.objects.filter(credited=invoice).values_list("number", flat=True))
        kept = IdempotentRequest.objects.count()
    assert notes == [f"{invoice.number}-K"]
    assert results == [f"201 {invoice.number}-K"] * 2
    assert kept == 1
