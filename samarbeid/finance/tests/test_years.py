"""Years outside 1900–2100 are typing errors: refused on the page, in the API and in the
database, so no page that lists what a municipality pays can break on them (a clerk's trial
saved a budget for year 0 and every municipality's payment page answered 500)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import bearer, login
from samarbeid.finance.models import Budget, InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026

pytestmark = pytest.mark.django_db


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")


@pytest.mark.parametrize("year", ["0", "1899", "2101", "99999"])
def test_the_budget_page_refuses_a_year_out_of_range(
    client: Client, arena: Any, secretariat: Any, year: str
) -> None:
    login(client, secretariat)
    response = client.post(
        reverse("finance:budget_create", args=[arena.pk]),
        {"year": year, "administration_cost": "0", "note": ""},
    )
    assert response.status_code in (200, 422)
    page = response.content.decode()
    # the field's error names the plausible window of a budget year (core.dates)
    assert f"(1990–{timezone.localdate().year + 10})" in page
    assert not Budget.objects.exists()
    assert client.get("/okonomi/kommune/3909/").status_code == 200


@pytest.mark.parametrize("year", [0, 1899, 2101, 99999])
def test_the_api_refuses_a_run_or_budget_for_a_year_out_of_range(
    client: Client, arena: Any, secretariat: Any, year: int
) -> None:
    headers = bearer(secretariat)
    run = client.post(
        "/api/v1/finance/runs",
        {"arena": arena.pk, "year": year},
        content_type="application/json",
        headers=headers,
    )
    assert run.status_code == 422, run.content
    assert run["Content-Type"] == "application/problem+json"
    assert not InvoiceRun.objects.exists()


def test_the_database_refuses_a_year_out_of_range_in_words(arena: Any) -> None:
    budget = Budget(arena=arena, year=0)
    with pytest.raises(ValidationError) as refused:
        budget.full_clean()
    assert "year" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.create(arena=arena, year=0)
