"""The invoice runs' and invoices' API answers, key by key, on an issued run with a credit
note and a corrected invoice: the output schemas that read the records must write what the
hand-written dictionaries wrote (issue 18: the API's shapes do not change), in no more
queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from samarbeid.finance.models import Invoice, InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.issued_invoices import issued_run, vestfold_arena
from samarbeid.registry.models import LegalEntity

pytestmark = pytest.mark.django_db
JSON = "application/json"

# What the public may read of the arena's run as well as the secretariat (it is issued).
RUN = {
    "version": 3,
    "year": 2026,
    "status": "issued",
    "issue_date": "2026-03-02",
    "due_date": "2026-04-01",
    "seller": "3905",
    "invoices": 4,
    "total": "342499.91",
    "credit_notes": 1,
    "credited": "2500.10",
    "net": "339999.81",
    "host_share": "100000.00",
    "seller_account": "86011117947",
    "is_example_data": False,
}
LARVIK_ADDRESS = {
    "street": "Postboks 2020",
    "postal_code": "3255",
    "city": "LARVIK",
    "country": "NO",
}
TONSBERG_ADDRESS = {
    "street": "Postboks 2410",
    "postal_code": "3104",
    "city": "TØNSBERG",
    "country": "NO",
}
PARTIES = {
    "buyer": "3909",
    "buyer_name": "Larvik",
    "buyer_organisation_number": "918082956",
    "seller_name": "Tønsberg",
    "seller_organisation_number": "921383681",
    "buyer_reference": "3909-okonomi",
    "buyer_registered_name": "LARVIK KOMMUNE",
    "buyer_address": LARVIK_ADDRESS,
    "seller_registered_name": "TØNSBERG KOMMUNE",
    "seller_address": TONSBERG_ADDRESS,
}


def _line(position: int, amount: str, project: int | None) -> dict[str, Any]:
    kind, description = (
        ("base", "Basisbidrag 2026")
        if project is None
        else ("project", "Prosjekt P1 Prosjekt P1 2026")
    )
    return {
        "position": position,
        "kind": kind,
        "project": project,
        "share_of": "3909",
        "description": description,
        "amount": amount,
        "note": "",
    }


def _entity(number: str, name: str, address: dict[str, str], municipality: str) -> None:
    LegalEntity.objects.create(
        organisation_number=number,
        name=name,
        **{f"postal_{part}": value for part, value in address.items()},
        postal_municipality_number=municipality,
    )


@pytest.fixture
def corrected(client: Client, secretariat: Any) -> tuple[InvoiceRun, Invoice, int, int]:
    """An issued run; Larvik's invoice credited 2 500,10 on its project line and corrected
    by a new invoice of 12 499,90 for that line. The caller signed in as the secretariat."""
    _entity("918082956", "LARVIK KOMMUNE", LARVIK_ADDRESS, "3909")
    _entity("921383681", "TØNSBERG KOMMUNE", TONSBERG_ADDRESS, "3905")
    run = issued_run(vestfold_arena(), secretariat)
    invoice = run.invoices.get(buyer__number="3909")
    client.force_login(secretariat)
    base = f"/api/v1/finance/invoices/{invoice.pk}"
    note = client.post(
        f"{base}/credit",
        {"reason": "Feil andel", "lines": [{"position": 2, "amount": "2500.10"}]},
        content_type=JSON,
    )
    assert note.status_code == 201, note.content
    replacement = client.post(
        f"{base}/replacement",
        {"reason": "Riktig andel", "lines": [{"position": 2, "amount": "12499.90"}]},
        content_type=JSON,
    )
    assert replacement.status_code == 201, replacement.content
    return run, invoice, note.json()["id"], replacement.json()["id"]


def test_a_run_with_its_sums(
    client: Client, corrected: Any, django_assert_max_num_queries: Any
) -> None:
    run = corrected[0]
    expected = {"id": run.pk, "arena": run.arena_id, **RUN}
    with django_assert_max_num_queries(QUERIES["run"]):
        assert client.get(f"/api/v1/finance/runs/{run.pk}").json() == expected
    with django_assert_max_num_queries(QUERIES["runs"]):
        assert client.get("/api/v1/finance/runs").json() == {"items": [expected], "count": 1}
    assert Client().get(f"/api/v1/finance/runs/{run.pk}").json() == expected


def test_a_new_run_before_it_has_sums(client: Client, corrected: Any) -> None:
    run = corrected[0]
    h.budget(run.arena, 2027, "80000.00", run.arena.allocation_keys.get())
    made = client.post(
        "/api/v1/finance/runs",
        {
            "arena": run.arena_id,
            "year": 2027,
            "issue_date": "2027-01-15",
            "seller_account": "86011117947",
        },
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    data = made.json()
    assert data == client.get(f"/api/v1/finance/runs/{data['id']}").json()
    assert (data["status"], data["version"], data["due_date"]) == ("draft", 1, "2027-02-14")
    assert (data["credit_notes"], data["credited"]) == (0, "0.00")
    assert data["total"] == data["net"]
    approved = client.post(
        f"/api/v1/finance/runs/{data['id']}/approve",
        {"version": 1},
        content_type=JSON,
    )
    assert approved.json() == {**data, "status": "approved", "version": 2}


def test_an_invoice_credited_and_corrected(
    client: Client, corrected: Any, django_assert_max_num_queries: Any
) -> None:
    run, invoice, note, replacement = corrected
    today = timezone.localdate().isoformat()
    original = {
        "id": invoice.pk,
        "run": run.pk,
        "kind": "invoice",
        "number": f"2026-{run.pk}-3909",
        "kid": invoice.kid,
        **PARTIES,
        "issue_date": "2026-03-02",
        "due_date": "2026-04-01",
        "total": "115000.00",
        "credited": None,
        "replaces": None,
        "issued": True,
        "credit_notes": [note],
        "left_to_credit": "112499.90",
        "lines": [
            _line(1, "100000.00", None),
            _line(2, "15000.00", invoice.lines.get(position=2).project_id),
        ],
    }
    with django_assert_max_num_queries(QUERIES["invoice"]):
        assert client.get(f"/api/v1/finance/invoices/{invoice.pk}").json() == original
    project = original["lines"][1]["project"]
    credit_note = client.get(f"/api/v1/finance/invoices/{note}").json()
    assert credit_note == {
        **original,
        "id": note,
        "kind": "credit_note",
        "number": f"2026-{run.pk}-3909-K",
        "issue_date": today,
        "due_date": today,
        "total": "2500.10",
        "credited": invoice.pk,
        "credit_notes": [],
        "left_to_credit": None,
        "lines": [_line(2, "2500.10", project)],
    }
    new = client.get(f"/api/v1/finance/invoices/{replacement}").json()
    assert new["kid"] != invoice.kid
    assert new == {
        **original,
        "id": replacement,
        "number": f"2026-{run.pk}-3909-2",
        "kid": new["kid"],
        "issue_date": today,
        "due_date": new["due_date"],
        "total": "12499.90",
        "replaces": invoice.pk,
        "credit_notes": [],
        "left_to_credit": "12499.90",
        "lines": [_line(2, "12499.90", project)],
    }
    with django_assert_max_num_queries(QUERIES["invoices"]):
        page = client.get(f"/api/v1/finance/invoices?run={run.pk}&buyer=3909").json()
    assert page == {"items": [original, new, credit_note], "count": 3}


# The queries each read ran before its output became a schema (measured on the hand-written
# dictionaries): a schema must not add any.
QUERIES = {"run": 4, "runs": 5, "invoice": 7, "invoices": 8}
