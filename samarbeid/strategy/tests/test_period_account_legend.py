"""The period account says what "Administrasjon" holds (a clerk's trial: it is the invoiced
base contribution after credit notes, which the page did not say)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samarbeid.strategy.tests.helpers import admin_cost, arena_of, money, on, project

pytestmark = pytest.mark.django_db

LEGEND = (
    "Administrasjon: grunnbidraget kommunen er fakturert for årene i perioden, etter kreditnotaer"
)


def _arena() -> Any:
    arena = arena_of(["3909"])
    money(project(arena), "1234.50", 2024, municipality=on("3909", date(2024, 6, 1)))
    admin_cost(arena, "200.00", 2024, 2024)
    return arena


def test_the_period_account_explains_administration(client: Client) -> None:
    arena = _arena()
    url = reverse("strategy:period_account", args=[arena.pk])
    page = client.get(url, {"first_year": 2024, "last_year": 2024}).content.decode()
    assert LEGEND in page
    assert "registrerte administrasjonskostnader som ikke er fordelt" in page
    # and the project costs, which hold what the budget plans for years not yet invoiced
    assert "Prosjektkostnader: det samme for prosjektlinjene" in page
    client.cookies["django_language"] = "en"
    english = client.get(url, {"first_year": 2024, "last_year": 2024}).content.decode()
    assert "the base contribution invoiced to the municipality" in english


def test_the_annual_report_explains_it_too(client: Client) -> None:
    arena = _arena()
    url = reverse("reports:annual", args=[arena.pk, 2024])
    assert LEGEND in client.get(url).content.decode()
