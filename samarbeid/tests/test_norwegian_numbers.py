"""Amounts and percentages are typed the Norwegian way and saved as typed.

Found in a clerk's trial: the project budget, economic results and benefits were browser
number fields, so "12 500,50" was saved as 1 250 050,00 kr and "35 000 000,00" as
3 500 000 000,00 kr; allocation weights refused "33,5". They are text fields read by one
rule (core.forms.AmountField) that takes "12 500,50", "12500.50" and "33,5", and refuses
what is not an amount with a field error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.finance.models import AllocationKey
from samarbeid.portfolio.models import Project
from samarbeid.strategy.models import EconomicResult
from samarbeid.strategy.tests.helpers import arena_of, project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("12 500,50", "12500.50"), ("12\u00a0500,50", "12500.50"), ("12500.50", "12500.50")],
)
def test_a_project_budget_is_saved_as_typed(
    client: Client, secretariat: Any, typed: str, saved: str
) -> None:
    arena = arena_of(["3909"])
    login(client, secretariat)
    response = client.post(
        reverse("portfolio:project_create"),
        {"arena": arena.pk, "code": "N1", "title": "Nytt prosjekt", "budget": typed},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(code="N1")
    assert project.budget == Decimal(saved)
    # the edit page shows it as it is typed, and the field is text (no browser rereads it)
    page = client.get(reverse("portfolio:project_edit", args=[project.pk])).content.decode()
    assert 'value="12\u00a0500,50"' in page
    assert 'inputmode="decimal"' in page


def test_an_amount_that_is_not_one_is_a_field_error(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    login(client, secretariat)
    response = client.post(
        reverse("portfolio:project_create"),
        {"arena": arena.pk, "code": "N1", "title": "Nytt prosjekt", "budget": "12,500.50"},
    )
    assert "Skriv beløpet som 1 000 000,50" in response.content.decode()
    assert not Project.objects.exists()


def test_an_economic_result_of_35_million_is_35_million(client: Client, secretariat: Any) -> None:
    proj = project(arena_of(["3909"]))
    login(client, secretariat)
    response = client.post(
        reverse("strategy:project_add", args=[proj.pk, "okonomi"]),
        {
            "kind": "saving",
            "basis": "realised",
            "amount": "35 000 000,00",
            "year": "2006",
            "source": "Regnskap",
        },
    )
    assert response.status_code == 302
    assert EconomicResult.objects.get().amount == Decimal("35000000.00")


def test_a_weight_with_a_decimal_comma(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909", "3901"])
    login(client, secretariat)
    response = client.post(
        reverse("finance:key_create", args=[arena.pk]),
        {"name": "Skjev", "equal": "33,5", "per_capita": "66,5", "usage": "", "fixed": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    key = AllocationKey.objects.get(name="Skjev")
    assert (key.equal, key.per_capita) == (Decimal("33.50"), Decimal("66.50"))
    wrong = client.post(
        reverse("finance:key_create", args=[arena.pk]),
        {"name": "Feil", "equal": "en tredel", "per_capita": "", "usage": "", "fixed": ""},
    )
    assert "Skriv prosenten som 33,5" in wrong.content.decode()
    assert not AllocationKey.objects.filter(name="Feil").exists()


def test_english_pages_take_amounts_as_they_show_them() -> None:
    """The English pages show "438,515.41"; a clerk copying it back is understood there. In
    bokmål the same text is refused (three decimals), never read as something else."""
    from django.core.exceptions import ValidationError as Invalid
    from django.utils import translation

    from samarbeid.core.forms import AmountField

    field = AmountField()
    with translation.override("en"):
        assert field.clean("438,515.41") == Decimal("438515.41")
        assert field.clean("1 234,50") == Decimal("1234.50")
    with translation.override("nb"), pytest.raises(Invalid):
        field.clean("438,515.41")
