"""Overlap finds the document's own pair: 9K (2002–2005, 9 members) was carried on as 12K
(2006–, 12 members, later renumbered and merged). Compared over their whole lives, with
members counted through the municipality changes, 9K–12K share 9 of 12 members, named."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import follow_successors
from samarbeid.arenas.tests.factories import ArenaFactory, DecisionFactory, MembershipFactory
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db

NINE = ["0701", "0702", "0704", "0714", "0716", "0719", "0720", "0722", "0723"]
TWELVE = [*NINE, "0706", "0709", "0728"]
NAMES = "Horten, Holmestrand, Tønsberg, Hof, Re, Andebu, Stokke, Nøtterøy, Tjøme"


def _arena(numbers: list[str], joined: date, left: date | None = None, **fields: Any) -> Any:
    arena = ArenaFactory(**fields)
    for number in numbers:
        place = Municipality.objects.valid_on(joined).get(number=number)
        MembershipFactory(
            arena=arena,
            municipality=place,
            joined=joined,
            left=left,
            decision=DecisionFactory(municipality=place, meeting_date=joined),
        )
    return arena


@pytest.fixture
def vestfold(secretariat: Any) -> tuple[Arena, Arena]:
    twelve_k = _arena(
        TWELVE,
        date(2006, 1, 1),
        name="12-kommunesamarbeidet i Vestfold",
        short_name="12K",
        established=date(2006, 1, 1),
        purpose="Utvikle, forbedre og effektivisere kommunenes tjenestetilbud.",
    )
    follow_successors(twelve_k, actor=secretariat)
    nine_k = _arena(
        NINE,
        date(2002, 3, 1),
        date(2005, 12, 31),
        name="9-kommunesamarbeidet i Vestfold",
        short_name="9K",
        established=date(2002, 1, 1),
        ended=date(2005, 12, 31),
        status=Arena.Status.TRANSFERRED,
        transferred_to=twelve_k,
        purpose="Stimulere regional tenkning og felles handling.",
    )
    # Today's arenas: two Vestfold municipalities in a coast route, Innherred's pair
    _arena(["3909", "3911"], date(2024, 1, 1), short_name="KYST", purpose="Kystled")
    _arena(["5037", "5038"], date(2024, 1, 1), short_name="INN", purpose="Barnevern")
    return nine_k, twelve_k


def test_page_shows_9k_12k_first_with_the_nine_by_name(
    client: Client, vestfold: tuple[Arena, Arena]
) -> None:
    nine_k, twelve_k = vestfold
    page = client.get(reverse("review:overlap")).content.decode()
    first = page.split("<tbody>")[1].split("</tr>")[0]
    assert nine_k.get_absolute_url() in first
    assert twelve_k.get_absolute_url() in first
    assert "9-kommunesamarbeidet i Vestfold" in first
    assert f"9: {NAMES}" in first
    assert "Alle medlemmene i 9K er også med i 12K" in first
    assert "0701" not in first


def test_api_shows_9k_12k_first_with_the_nine_by_name(
    client: Client, vestfold: tuple[Arena, Arena]
) -> None:
    nine_k, twelve_k = vestfold
    first = client.get("/api/v1/overlaps").json()["items"][0]
    assert {first["a"], first["b"]} == {nine_k.pk, twelve_k.pk}
    assert first["shared_member_count"] == 9
    assert first["shared_member_names"] == NAMES.split(", ")
    assert first["members_jaccard"] == 0.75
    assert first["member_relation"] == "a_within_b" if first["a"] == nine_k.pk else "b_within_a"
    assert sorted(first["shared_members"]) == sorted(NINE)


def test_date_and_period_filters(client: Client, vestfold: tuple[Arena, Arena]) -> None:
    nine_k, twelve_k = vestfold
    pair = {nine_k.pk, twelve_k.pk}

    def pairs(**params: str) -> list[set[int]]:
        response = client.get("/api/v1/overlaps", params)
        assert response.status_code == 200, response.content
        return [{i["a"], i["b"]} for i in response.json()["items"]]

    assert pair not in pairs(on="2004-06-01")  # 12K did not exist yet
    assert pair not in pairs(on="2010-06-01")  # 9K had ended
    today = pairs(on="2025-01-01")
    kyst = Arena.objects.get(short_name="KYST").pk
    assert {twelve_k.pk, kyst} in today
    assert not [p for p in today if nine_k.pk in p]
    assert pairs(start="2005-01-01", end="2006-12-31")[0] == pair
    page = client.get(reverse("review:overlap"), {"on": "2010-06-01"}).content.decode()
    assert "aktive 01.06.2010" in page
    assert "9-kommunesamarbeidet" not in page.split("<tbody>")[1]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"on": "2024-13-40"}, "on"),
        ({"start": "2006-01-01", "end": "2005-01-01"}, "end"),
        ({"start": "2006-01-01"}, "end"),
        ({"on": "2006-01-01", "start": "2005-01-01", "end": "2006-01-01"}, "on"),
    ],
)
def test_bad_dates_are_field_errors_and_422(
    client: Client, vestfold: tuple[Arena, Arena], params: dict[str, str], field: str
) -> None:
    page = client.get(reverse("review:overlap"), params)
    assert page.status_code == 200
    text = page.content.decode()
    assert f'id="id_{field}"' in text
    assert "ds-validation-message" in text
    assert "9-kommunesamarbeidet" not in text
    api = client.get("/api/v1/overlaps", params)
    assert api.status_code == 422
    assert api["Content-Type"] == "application/problem+json"
    assert field in api.content.decode()


def test_query_count_does_not_grow_with_the_arenas(
    client: Client, vestfold: tuple[Arena, Arena]
) -> None:
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = (count(reverse("review:overlap")), count("/api/v1/overlaps"))
    for i in range(4):
        _arena(["3901", "3905", "3907"], date(2024, 1 + i, 1), short_name=f"X{i}", purpose="Kyst")
    after = (count(reverse("review:overlap")), count("/api/v1/overlaps"))
    assert before == after
