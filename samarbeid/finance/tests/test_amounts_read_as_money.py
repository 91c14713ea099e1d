"""An amount typed "2000000" reads "2 000 000,00" when the form is shown again, and every way
a clerk writes an amount is taken (clerk's trial)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.core.forms import AmountField, PercentField
from samarbeid.finance.forms import PreviewForm
from samarbeid.finance.tests import helpers as h
from samarbeid.lib.money import NBSP

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("2 000 000", "2000000.00"),
        ("2000000", "2000000.00"),
        ("2 000 000,50", "2000000.50"),
        ("2000000.50", "2000000.50"),
        (f"2{NBSP}000{NBSP}000,50", "2000000.50"),
    ],
)
def test_every_way_of_writing_an_amount_is_taken(typed: str, amount: str) -> None:
    form = PreviewForm(data={"total": typed, "year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["total"] == Decimal(amount)


def test_a_typed_amount_is_shown_again_as_money(client: Client, secretariat: Any) -> None:
    arena = h.arena(["3909"], date(2025, 1, 1))
    key = h.key(arena, 100, 0, name="Likt")
    login(client, secretariat)
    content = client.get(key.get_absolute_url(), {"total": "2000000", "year": "ikke et år"})
    text = content.content.decode()
    assert f'value="2{NBSP}000{NBSP}000,00"' in text
    assert 'value="2000000"' not in text


def test_an_amount_it_cannot_read_stays_as_typed() -> None:
    field = AmountField()
    assert field.prepare_value("2 000 000,505") == "2 000 000,505"
    assert field.prepare_value("") == ""
    assert field.prepare_value("2000000.5") == f"2{NBSP}000{NBSP}000,50"
    assert PercentField().prepare_value("33.50") == "33,5"
