"""The 403 page says "Ingenting er lagret" only for a refused write: a refused look (GET)
would have saved nothing (clerk's trial). Required fields read "påkrevd" everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.finance.forms import PreviewForm

pytestmark = pytest.mark.django_db


def test_a_refused_look_says_nothing_of_saving(client: Client, coordinator: Any) -> None:
    arena: Any = ArenaFactory()
    login(client, coordinator)
    response = client.get(f"/arenaer/{arena.pk}/endre/")
    assert response.status_code == 403
    page = response.content.decode()
    # the general sentence claims nothing of who may (issue 20's trial)
    assert "Rollen din gir ikke tilgang til dette." in page
    assert "Ingenting er lagret" not in page


def test_a_refused_write_says_nothing_was_saved(client: Client, coordinator: Any) -> None:
    arena: Any = ArenaFactory()
    login(client, coordinator)
    response = client.post(f"/arenaer/{arena.pk}/endre/", {"name": "Nytt navn"})
    assert response.status_code == 403
    assert "Ingenting er lagret." in response.content.decode()
    client.cookies["django_language"] = "en"
    english = client.post(f"/arenaer/{arena.pk}/endre/", {"name": "Nytt navn"}).content.decode()
    assert "Nothing was saved." in english


def test_a_required_field_says_pakrevd(client: Client, secretariat: Any) -> None:
    form = PreviewForm(data={"total": "", "year": "2026"})
    assert form.errors["total"] == ["Feltet er påkrevd."]
    login(client, secretariat)
    page = client.get("/arenaer/ny/").content.decode()
    assert "(påkrevd)" in page
    assert "påkrevet" not in page


def test_the_general_refusal_reads_the_same_on_the_page_and_in_the_api(
    client: Client, coordinator: Any
) -> None:
    """`require` refuses without a message of its own: the page and the API's problem say
    the general refusal (claiming nothing of who may), each in the reader's language."""
    arena: Any = ArenaFactory()
    login(client, coordinator)
    page = client.get(f"/arenaer/{arena.pk}/endre/").content.decode()
    assert "Rollen din gir ikke tilgang til dette." in page
    assert "eller koordinatoren" not in page
    refused = client.patch(
        f"/api/v1/arenas/{arena.pk}",
        {"name": "Nytt navn", "version": arena.version},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Du har ikke tilgang til å gjøre dette."
    english = client.patch(
        f"/api/v1/arenas/{arena.pk}?lang=en",
        {"name": "Nytt navn", "version": arena.version},
        content_type="application/json",
    )
    assert english.json()["detail"] == "You do not have permission to do this."
