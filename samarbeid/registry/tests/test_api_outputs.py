"""The register's API answers, key by key, on the register as loaded: the output schemas
that read the records must write what the hand-written dictionaries wrote (issue 18: the
API's shapes do not change), in no more queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from samarbeid.registry.models import LegalEntity, Population
from samarbeid.registry.tests.helpers import put_population

pytestmark = pytest.mark.django_db

FAERDER = {
    "number": "3911",
    "code": "3911",
    "name": "Færder",
    "county": "39",
    "organisation_number": "817263992",
    "valid_from": "2024-01-01",
    "valid_to": None,
    "predecessors": ["3811"],
    "successors": [],
    "latitude": "59.01487",
    "longitude": "10.50112",
}


def _figures(client: Client, user: Any) -> None:
    for year, count in ((2025, 27_801), (2024, 27_500)):
        response = put_population(client, user, "3911", year, count=count)
        assert response.status_code == 201


def test_one_municipality_with_its_population(
    client: Client, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    _figures(client, secretariat)
    with django_assert_max_num_queries(QUERIES["one"]):
        data = client.get("/api/v1/municipalities/3911").json()
    assert data == {
        **FAERDER,
        "population": [{"year": 2024, "count": 27_500}, {"year": 2025, "count": 27_801}],
    }


def test_a_merged_municipality_names_each_predecessor_once_sorted(client: Client) -> None:
    merged = client.get("/api/v1/municipalities/0729?at=2019-01-01").json()
    assert merged["predecessors"] == ["0722", "0723"]
    assert merged["population"] == []
    assert client.get("/api/v1/municipalities/0722").json() == {
        "number": "0722",
        "code": "0722",
        "name": "Nøtterøy",
        "county": "07",
        "organisation_number": None,
        "valid_from": None,
        "valid_to": "2017-12-31",
        "predecessors": [],
        "successors": ["0729"],
        "latitude": None,
        "longitude": None,
        "population": [],
    }


def test_the_list_writes_the_same_records_as_the_detail_without_population(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(QUERIES["list"]):
        page = client.get("/api/v1/municipalities?county=39&at=2026-01-01&limit=10").json()
    assert set(page) == {"items", "count"}
    faerder = next(item for item in page["items"] if item["number"] == "3911")
    one = client.get("/api/v1/municipalities/3911").json()
    del one["population"]
    assert faerder == one
    assert [item["number"] for item in page["items"]] == sorted(
        item["number"] for item in page["items"]
    )


def test_a_population_figure_written_is_answered_as_stored(
    client: Client, secretariat: Any
) -> None:
    response = put_population(client, secretariat, "3911", 2026, count=27_700, is_example_data=True)
    assert response.status_code == 201
    assert response.json() == {
        "municipality": "3911",
        "code": "3911",
        "year": 2026,
        "count": 27_700,
        "is_example_data": True,
    }
    again = put_population(client, secretariat, "3911", 2026, count=27_701)
    assert again.status_code == 200
    assert again.json()["count"] == 27_701
    assert Population.objects.get(year=2026, municipality__number="3911").count == 27_701


PARTS = ("street", "postal_code", "city", "municipality_number", "country")


def test_a_registered_unit_with_both_addresses(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    business = dict(
        zip(PARTS, ("Halfdan Wilhelmsens allé 1", "3126", "TØNSBERG", "3905", "NO"), strict=True)
    )
    postal = dict(zip(PARTS, ("Postboks 2410", "3104", "TØNSBERG", "3905", "NO"), strict=True))
    LegalEntity.objects.create(
        organisation_number="921383681",
        name="TØNSBERG KOMMUNE",
        **{f"business_{part}": value for part, value in business.items()},
        **{f"postal_{part}": value for part, value in postal.items()},
    )
    expected = {
        "organisation_number": "921383681",
        "name": "TØNSBERG KOMMUNE",
        "business_address": business,
        "postal_address": postal,
        "is_example_data": False,
    }
    assert client.get("/api/v1/legal-entities/921383681").json() == expected
    with django_assert_max_num_queries(QUERIES["entities"]):
        page = client.get("/api/v1/legal-entities").json()
    assert page["items"] == [expected]


# The queries each read ran before its output became a schema (measured on the hand-written
# dictionaries): a schema must not add any.
QUERIES = {"one": 5, "list": 5, "entities": 3}
