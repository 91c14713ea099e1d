"""Refusals and missing pages speak to the clerk in Norwegian with the site around them
(a clerk's trial met a bare English "403 Forbidden" on every refused page)."""

from __future__ import annotations

from typing import Any

import pytest
from django.template.loader import get_template
from django.test import Client

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory

pytestmark = pytest.mark.django_db


def test_a_refused_page_says_so_in_norwegian(client: Client, coordinator: Any) -> None:
    arena: Any = ArenaFactory()
    login(client, coordinator)
    response = client.get(f"/arenaer/{arena.pk}/endre/")
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="nb"' in page
    assert "Du har ikke tilgang til dette" in page
    # a page only looked at saved nothing, so nothing is said of saving (clerk's trial)
    assert "Ingenting er lagret." not in page
    assert 'href="/"' in page  # a way back
    client.cookies["django_language"] = "en"
    english = client.get(f"/arenaer/{arena.pk}/endre/")
    assert "You do not have access to this" in english.content.decode()


def test_a_missing_page_says_so_in_norwegian(client: Client) -> None:
    response = client.get("/arenaer/999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Fant ikke siden" in page
    assert "site-header" in page


def test_the_server_error_page_stands_alone() -> None:
    """500.html is rendered without a request or context processors: plain HTML, both
    languages, a way back."""
    html = get_template("500.html").render()
    assert "Noe gikk galt" in html
    assert "Something went wrong" in html
    assert 'href="/"' in html


def test_the_log_in_page_is_titled_with_the_product_not_the_host(client: Client) -> None:
    page = client.get("/logg-inn/", HTTP_HOST="127.0.0.1").content.decode()
    assert "<title>Logg inn – Samarbeid</title>" in page
    assert "127.0.0.1" not in page.split("</header>")[0]


def test_a_stale_form_is_explained_in_norwegian(secretariat: Any) -> None:
    """A form sent without its CSRF token (a page left open over a log-out) answers with a
    page in the product's look saying what to do."""
    browser = login(Client(enforce_csrf_checks=True), secretariat)
    response = browser.post("/arenaer/ny/", {"name": "X"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Skjemaet er for gammelt" in page
    assert "Ingenting er lagret" in page
    assert 'href="/"' in page


def test_a_mistyped_api_path_answers_problem_json(client: Client) -> None:
    response = client.get("/api/v1/prosjekter-som-ikke-finnes")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["instance"]) == (404, "/api/v1/prosjekter-som-ikke-finnes")


def test_a_mistyped_page_path_still_answers_the_page(client: Client) -> None:
    response = client.get("/prosjekter-som-ikke-finnes/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
