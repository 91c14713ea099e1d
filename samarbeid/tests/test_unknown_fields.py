"""A misspelt field in an API body is refused, never ignored (found in a clerk's trial:
`POST …/credit` with `{"amount": "mye", "reason": "test"}` answered 201 and credited the whole
invoice, because `amount` is no field and leaving out `lines` credits everything)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import bearer, login, problem_of
from samarbeid.arenas.models import Arena
from samarbeid.finance.models import Invoice
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_api_writes import issue
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_credit_note_asked_for_with_an_unknown_field_is_refused(
    client: Client, secretariat: Any
) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    invoice = issue(run_2026(arena, secretariat), secretariat).invoices.order_by("pk").first()
    assert invoice is not None
    login(client, secretariat)
    refused = problem_of(
        client.post(
            f"/api/v1/finance/invoices/{invoice.pk}/credit",
            json.dumps({"amount": "mye", "reason": "test"}),
            content_type=JSON,
        ),
        422,
    )
    assert [e["loc"] for e in refused["errors"]] == [["body", "payload", "amount"]]
    assert refused["errors"][0]["msg"] == "Ukjent felt."
    assert not Invoice.objects.filter(credited=invoice).exists()


def test_an_arena_with_a_misspelt_field_is_not_made(client: Client, secretariat: Any) -> None:
    body = {"name": "Testarena", "short_name": "TA", "kind": "strategic", "publised": True}
    refused = problem_of(
        client.post(
            "/api/v1/arenas", json.dumps(body), content_type=JSON, headers=bearer(secretariat)
        ),
        422,
    )
    assert [e["loc"] for e in refused["errors"]] == [["body", "payload", "publised"]]
    assert not Arena.objects.filter(short_name="TA").exists()
