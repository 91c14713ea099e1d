"""The same request sent twice at once (a double click past the script, a client that
retries): one succeeds, the other is refused with a conflict or a refusal, never a 500 —
on SQLite (the default database) and on PostgreSQL (issue 23, point 5)."""

from __future__ import annotations

import contextlib
import json
import threading
from types import ModuleType
from typing import Any
from unittest import mock

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from conftest import bearer, race_secretariat
from samarbeid.finance import corrections, invoicing
from samarbeid.finance.models import Invoice, InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.issued_invoices import issued_run
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import run_worker
from samarbeid.tests.concurrency import concurrent_database, together

JSON = "application/json"


def clerk_and_arena(short_name: str, budget: bool = True) -> tuple[Any, Any]:
    """A clerk of the secretariat, and a new arena (with a 2026 budget to invoice)."""
    clerk = race_secretariat(f"rask-{short_name}")
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name=short_name)
    if budget:
        h.equal_budget(arena, 2026, "400000.00")
    return clerk, arena


def held_after(module: ModuleType, name: str) -> Any:
    """A stand-in for `module`.`name` that, after doing its work, waits (up to 5 s) for the
    other request to get as far: both have passed every check made before it."""
    both = threading.Barrier(2, timeout=5)
    real = getattr(module, name)

    def holding(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            both.wait()
        return result

    return mock.patch.object(module, name, holding)


def answer(response: Any) -> str:
    """The status, and a refusal's content type and detail, for the test to compare."""
    if response.status_code >= 400:
        return f"{response.status_code} {response['Content-Type']} {response.json()['detail']}"
    return str(response.status_code)


@pytest.mark.django_db(transaction=True)
def test_the_same_invoice_run_posted_twice_at_once_is_made_once() -> None:
    """Both requests pass the check that the arena has no run for the year (held there
    until both have), then both write: the database refuses the second run, and the API
    answers it 409 with a problem description, not 500."""
    clerk, arena = clerk_and_arena("DOB")
    headers = bearer(clerk)

    def post_run(_n: int) -> str:
        response = Client().post(
            "/api/v1/finance/runs",
            json.dumps({"arena": arena.pk, "year": 2026, "issue_date": "2026-03-02"}),
            content_type=JSON,
            headers=headers,
        )
        return answer(response)

    with concurrent_database(), held_after(invoicing, "plan_drafts"):
        results = together(post_run, 2)
        assert InvoiceRun.objects.filter(arena=arena, year=2026).count() == 1
        invoices = Invoice.objects.filter(run__arena=arena).count()
    assert results == [
        "201",
        "409 application/problem+json "
        "En fakturakjøring for 2026 ble laget av noen andre i samme øyeblikk.",
    ]
    assert invoices == 3  # one per member but the host, which pays its own share


@pytest.mark.django_db(transaction=True)
def test_the_same_invoice_run_made_twice_at_once_on_the_page() -> None:
    """The page queues a task per click (the second with other payment terms: the same
    task again would go to the one under way); two workers run both at once: the database
    refuses the second run, and its task fails saying so (not with an unexpected error)."""
    clerk, arena = clerk_and_arena("DOS")
    url = reverse("finance:run_create", args=[arena.pk])
    client = Client()
    client.force_login(clerk)

    def work(_n: int) -> str:
        run_worker(max_tasks=1, in_test_transaction=False)
        return "ran"

    with concurrent_database(), held_after(invoicing, "plan_drafts"):
        for click in range(2):
            response = client.post(
                url, {"year": "2026", "issue_date": "2026-03-02", "due_days": str(30 + click)}
            )
            assert response.status_code == 302
        assert together(work, 2) == ["ran", "ran"]
        assert InvoiceRun.objects.filter(arena=arena, year=2026).count() == 1
        ended = sorted(Job.objects.values_list("status", "error"))
    assert ended == [
        ("done", ""),
        ("failed", "En fakturakjøring for 2026 ble laget av noen andre i samme øyeblikk."),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_same_credit_note_posted_twice_at_once_is_written_once() -> None:
    """Both clerks credit the whole invoice at once. The second waits for the first (on
    PostgreSQL at the invoice's row lock, on SQLite at the start of its write transaction)
    and is then refused, as if it came a moment later: 422, not 500."""
    clerk, arena = clerk_and_arena("KRE", budget=False)
    invoice = issued_run(arena, clerk).invoices.get(buyer__number="3909")
    headers = bearer(clerk)

    def credit(_n: int) -> str:
        response = Client().post(
            f"/api/v1/finance/invoices/{invoice.pk}/credit",
            json.dumps({"reason": "Sendt to ganger"}),
            content_type=JSON,
            headers=headers,
        )
        return answer(response)

    with concurrent_database(), held_after(corrections, "credit_lines"):
        results = together(credit, 2)
        notes = list(Invoice.objects.filter(credited=invoice).values_list("number", flat=True))
    assert notes == [f"{invoice.number}-K"]
    assert results[0] == "201"
    assert results[1].startswith("422 application/problem+json ")


def test_an_unforeseen_clash_on_a_page_is_a_409_page_not_a_500(client: Client, db: None) -> None:
    """The safety net: an IntegrityError a service did not turn into a refusal."""
    clerk, arena = clerk_and_arena("NET")
    client.force_login(clerk)
    clash = IntegrityError("UNIQUE constraint failed: finance_invoicerun.arena_id")
    with mock.patch("samarbeid.finance.views.runs.start_draft", side_effect=clash):
        response = client.post(
            reverse("finance:run_create", args=[arena.pk]), {"year": "2026", "due_days": "30"}
        )
    assert response.status_code == 409
    assert "Noen andre lagret det samme i samme øyeblikk." in response.content.decode()


def test_an_unforeseen_clash_in_the_api_is_a_409_problem(client: Client, db: None) -> None:
    clerk, arena = clerk_and_arena("NEA")
    clash = IntegrityError("UNIQUE constraint failed: finance_invoicerun.arena_id")
    with mock.patch("samarbeid.finance.api.runs.create_run", side_effect=clash):
        response = client.post(
            "/api/v1/finance/runs",
            json.dumps({"arena": arena.pk, "year": 2026}),
            content_type=JSON,
            headers=bearer(clerk),
        )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Conflict"
    assert "samme øyeblikk" in response.json()["detail"]
