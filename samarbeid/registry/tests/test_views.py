from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_municipality_list_search_and_filters(client: Client) -> None:
    page = client.get("/kommuner/?q=Færder&period=all")
    text = page.content.decode()
    assert page.status_code == 200
    assert "3911" in text
    assert "3811" in text
    vestfold_2008 = client.get("/kommuner/?county=07&period=historical").content.decode()
    assert "Nøtterøy" in vestfold_2008
    assert "Larvik" in client.get("/kommuner/?q=3909").content.decode()


def test_municipality_page_shows_history_and_population(client: Client) -> None:
    from samarbeid.registry.models import Municipality, Population

    faerder = Municipality.objects.get(code="3911")
    Population.objects.create(municipality=faerder, year=2024, count=27300)
    text = client.get("/kommuner/3911/").content.decode()
    assert "Færder" in text
    assert "27" in text
    assert "3811" in text  # predecessor
    old = client.get("/kommuner/0722/").content.decode()
    assert "31.12.2017" in old
    assert "0729" in old


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


def test_municipality_page_pages_its_memberships(client: Client) -> None:
    from datetime import date, timedelta

    from samarbeid.arenas.tests.factories import ArenaFactory, MembershipFactory, current

    larvik = current("3909")
    hidden = ArenaFactory(name="Lukket arena", published=False)
    MembershipFactory(arena=hidden, municipality=larvik, joined=date(2024, 1, 1))
    for day in range(30):  # newest first: arena 29 joined last
        MembershipFactory(
            arena=ArenaFactory(name=f"Arena nr {day:02}"),
            municipality=larvik,
            joined=date(2020, 1, 1) + timedelta(days=day),
        )
    first = client.get("/kommuner/3909/").content.decode()
    assert "Arena nr 29" in first
    assert "Arena nr 05" in first
    assert "Arena nr 04" not in first
    assert "Side 1 av 2" in first
    assert "page=2#arenas" in first
    second = client.get("/kommuner/3909/?page=2").content.decode()
    assert "Arena nr 04" in second
    assert "Arena nr 00" in second
    assert "Arena nr 29" not in second
    assert "Lukket arena" not in first + second  # unpublished: not for the public


def test_municipality_page_lists_the_arenas_of_the_municipalities_it_took_over(
    client: Client,
) -> None:
    """Færder (3911) sat in 9K as Nøtterøy (0722) and Tjøme (0723) before the merger: its
    page tells that history, each row as the municipality it was."""
    from datetime import date

    from samarbeid.arenas.tests.factories import ArenaFactory, MembershipFactory
    from samarbeid.registry.models import Municipality

    nine_k = ArenaFactory(name="9-kommunesamarbeidet")
    for code in ("0722", "0723"):
        MembershipFactory(
            arena=nine_k,
            municipality=Municipality.objects.get(code=code),
            joined=date(2002, 3, 1),
            left=date(2005, 12, 31),
        )
    elsewhere = ArenaFactory(name="Arena i Troms")
    MembershipFactory(
        arena=elsewhere, municipality=Municipality.objects.get(code="5501"), joined=date(2024, 1, 1)
    )
    text = client.get("/kommuner/3911/").content.decode()
    assert "som Nøtterøy, 0722" in text
    assert "som Tjøme, 0723" in text
    assert "Arena i Troms" not in text
    # the predecessor's own page shows its record as its own
    assert "som Nøtterøy" not in client.get("/kommuner/0722/").content.decode()
