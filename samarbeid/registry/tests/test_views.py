from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_municipality_list_search_and_filters(client: Client) -> None:
    page = client.get("/kommuner/?q=Færder&period=all")
    text = page.content.decode()
    assert page.status_code == 200
    assert "3911" in text and "3811" in text
    vestfold_2008 = client.get("/kommuner/?county=07&period=historical").content.decode()
    assert "Nøtterøy" in vestfold_2008
    assert "Larvik" in client.get("/kommuner/?q=3909").content.decode()


def test_municipality_page_shows_history_and_population(client: Client) -> None:
    from samarbeid.registry.models import Municipality, Population

    faerder = Municipality.objects.get(code="3911")
    Population.objects.create(municipality=faerder, year=2024, count=27300)
    text = client.get("/kommuner/3911/").content.decode()
    assert "Færder" in text and "27" in text
    assert "3811" in text  # predecessor
    old = client.get("/kommuner/0722/").content.decode()
    assert "31.12.2017" in old and "0729" in old


def test_unknown_municipality_is_404(client: Client) -> None:
    assert client.get("/kommuner/9876/").status_code == 404


def test_english_on_request(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/kommuner/")
    assert page.status_code == 200
    assert 'lang="en"' in page.content.decode()


def test_bokmal_by_default_even_for_english_browsers(client: Client) -> None:
    page = client.get("/kommuner/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="nb"' in page.content.decode()
    assert 'lang="en"' in client.get("/kommuner/?lang=en").content.decode()
