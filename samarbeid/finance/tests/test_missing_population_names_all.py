"""A budget that cannot be split for want of population names every municipality lacking
it, each linking to its population page, and that page leads back to the budget (clerk's
trial: only the first was named, and the population page had no way back)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import login
from samarbeid.core.api_forms import errors_by_field
from samarbeid.finance.planning import Planner
from samarbeid.finance.tests import helpers as h
from samarbeid.registry.models import Population

pytestmark = pytest.mark.django_db

DAY = date(2025, 1, 1)


def _budget_lacking(numbers: list[str], having: dict[str, int]) -> Any:
    arena = h.arena(numbers, DAY)
    for number, count in having.items():
        Population.objects.create(municipality=h.municipality(number, DAY), year=2025, count=count)
    return h.budget(arena, 2026, "100000", h.key(arena, 50, 50))


def test_the_budget_names_every_municipality_lacking_population(
    client: Client, secretariat: Any
) -> None:
    budget = _budget_lacking(["3901", "3905", "3909"], {"3905": 58000})
    login(client, secretariat)
    content = client.get(budget.get_absolute_url()).content.decode()
    assert "Mangler folketall for Horten (3901), Larvik (3909) per 1. januar 2025" in content
    assert "Tønsberg (3905)" not in content.split("Mangler folketall", 1)[1].split("</li>")[0]
    back = f"neste=%2Fokonomi%2Fbudsjett%2F{budget.pk}%2F"
    for code, name in ((h.municipality(n, DAY).code, n) for n in ("3901", "3909")):
        assert f'href="/kommuner/{code}/folketall/?year=2025&amp;{back}#entry"' in content, name
    assert "Registrer folketallet for Horten" in content
    assert "Registrer folketallet for Larvik" in content


def test_the_api_names_every_one_in_words_only() -> None:
    budget = _budget_lacking(["3901", "3909"], {})
    with pytest.raises(ValidationError) as refused:
        Planner([budget]).charges()
    message = refused.value.messages[0]
    assert "Mangler folketall for Horten (3901), Larvik (3909)" in message
    assert json.dumps(errors_by_field(refused.value)).count("<a") == 0


def test_the_population_page_leads_back_to_the_budget(client: Client, secretariat: Any) -> None:
    budget = _budget_lacking(["3909"], {})
    larvik = h.municipality("3909", DAY)
    login(client, secretariat)
    path = budget.get_absolute_url()
    page = client.get(f"/kommuner/{larvik.code}/folketall/", {"year": 2025, "neste": path})
    content = page.content.decode()
    assert f'<a class="ds-link" href="{path}">Tilbake til budsjettet</a>' in content
    assert f'<input type="hidden" name="neste" value="{path}">' in content
    saved = client.post(
        f"/kommuner/{larvik.code}/folketall/lagre/",
        {"year": "2025", "count": "48000", "version": "0", "neste": path},
    )
    assert saved.status_code == 302
    again = client.get(saved["Location"]).content.decode()
    assert f'href="{path}">Tilbake til budsjettet</a>' in again
    assert "Mangler folketall" not in client.get(path).content.decode()


@pytest.mark.parametrize(
    "where",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_the_way_back_is_only_a_local_path(client: Client, secretariat: Any, where: str) -> None:
    larvik = h.municipality("3909", DAY)
    login(client, secretariat)
    content = client.get(f"/kommuner/{larvik.code}/folketall/", {"neste": where}).content
    assert b"Tilbake til budsjettet" not in content
    saved = client.post(
        f"/kommuner/{larvik.code}/folketall/lagre/",
        {"year": "2025", "count": "48000", "version": "0", "neste": where},
    )
    assert saved["Location"] == f"/kommuner/{larvik.code}/folketall/"
