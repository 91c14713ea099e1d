"""The links to the population page show only to those who may register there (a clerk's
trial: a reader followed "Registrer folketallet" on a budget and got 403)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.finance.tests import helpers as h
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def _budget_page(client: Client, user: Any) -> tuple[str, str, str]:
    day = date(2025, 1, 1)
    arena = h.arena(["3905", "3909"], day)
    budget = h.budget(arena, 2026, "100000", h.key(arena, 50, 50))
    login(client, user)
    content = client.get(budget.get_absolute_url()).content.decode()
    tonsberg = reverse("registry:population", args=[h.municipality("3905", day).code])
    larvik = reverse("registry:population", args=[h.municipality("3909", day).code])
    return content, tonsberg, larvik


def test_a_reader_sees_the_missing_figures_without_links(client: Client, reader: Any) -> None:
    content, tonsberg, larvik = _budget_page(client, reader)
    assert "Mangler folketall for Tønsberg (3905), Larvik (3909)" in content
    assert "Registrer folketallet" not in content
    assert tonsberg not in content
    assert larvik not in content


def test_a_coordinator_sees_the_link_for_its_own_municipality_only(
    client: Client, coordinator: Any
) -> None:
    content, tonsberg, larvik = _budget_page(client, coordinator)
    assert "Mangler folketall for Tønsberg (3905), Larvik (3909)" in content
    assert f'href="{larvik}?' in content
    assert tonsberg not in content


def test_the_secretariat_sees_every_link(client: Client, secretariat: Any) -> None:
    content, tonsberg, larvik = _budget_page(client, secretariat)
    assert f'href="{tonsberg}?' in content
    assert f'href="{larvik}?' in content


def test_the_municipality_page_links_only_for_those_who_may_register(
    client: Client, reader: Any, coordinator: Any, larvik: Municipality
) -> None:
    url = larvik.get_absolute_url()
    population = reverse("registry:population", args=[larvik.code])
    login(client, reader)
    assert population not in client.get(url).content.decode()
    assert client.get(population).status_code == 403
    login(client, coordinator)
    assert population in client.get(url).content.decode()
    assert client.get(population).status_code == 200
