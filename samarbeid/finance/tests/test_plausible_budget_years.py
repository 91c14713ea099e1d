"""Plausible budget years (issue 19, point 2): within the typing-error bound (1900–2100), a
budget, an invoice run or a year's usage is for a year from 1990 to ten years ahead
(`samarbeid.core.dates.budget_years`); outside it the page and the API refuse it in words."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import bearer, login
from samarbeid.core import dates
from samarbeid.finance.forms import RunForm
from samarbeid.finance.models import Budget, InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")


def test_the_window_moves_with_today() -> None:
    today = timezone.localdate()
    assert dates.budget_years() == (1990, today.year + 10)


def test_the_budget_page_takes_the_boundary_years_and_refuses_one_outside(
    client: Client, arena: Any, secretariat: Any
) -> None:
    login(client, secretariat)
    url = reverse("finance:budget_create", args=[arena.pk])
    first, last = dates.budget_years()
    for year in (first - 1, last + 1):
        response = client.post(url, {"year": year, "administration_cost": "0", "note": ""})
        assert response.status_code in (200, 422)
        refused = str(response.context["form"].errors["year"])
        assert f"Året {year} er utenfor det som er rimelig for et budsjettår" in refused
        assert f"({first}–{last})" in refused
    assert not Budget.objects.exists()
    for year in (first, last):
        response = client.post(url, {"year": year, "administration_cost": "0", "note": ""})
        assert response.status_code == 302, response.content[-500:]
    assert sorted(Budget.objects.values_list("year", flat=True)) == [first, last]


def test_the_api_refuses_a_budget_or_run_for_an_implausible_year(
    client: Client, arena: Any, secretariat: Any
) -> None:
    headers = bearer(secretariat)
    first, last = dates.budget_years()
    for year in (first - 1, last + 1):
        budget = client.post(
            "/api/v1/finance/budgets",
            {"arena": arena.pk, "year": year, "administration_cost": "0.00", "lines": []},
            content_type=JSON,
            headers=headers,
        )
        assert budget.status_code == 422, budget.content
        assert budget.json()["errors"][0]["loc"] == ["year"]
        assert "et budsjettår" in budget.json()["errors"][0]["msg"]
        run = client.post(
            "/api/v1/finance/runs",
            {"arena": arena.pk, "year": year},
            content_type=JSON,
            headers=headers,
        )
        assert run.status_code == 422, run.content
        assert run.json()["errors"][0]["loc"] == ["year"]
    assert not Budget.objects.exists()
    assert not InvoiceRun.objects.exists()


def test_a_budget_year_is_refused_once_with_its_window(client: Any, secretariat: Any) -> None:
    """A clerk's trial read two messages for year 1800 ("Verdien må være større enn eller lik
    1900." and the window): one rule, one message."""
    form = RunForm({"year": "1800"})
    assert not form.is_valid()
    assert len(form.errors["year"]) == 1
    assert "1800" in form.errors["year"][0]
