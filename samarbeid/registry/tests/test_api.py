from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_municipality_by_number_with_history(client: Client) -> None:
    data = client.get("/api/v1/municipalities/3911").json()
    assert data["name"] == "Færder"
    assert data["county"] == "39"
    assert data["organisation_number"] == "817263992"
    assert data["predecessors"] == ["3811"]
    assert data["successors"] == []
    old = client.get("/api/v1/municipalities/0722").json()
    assert old["successors"] == ["0729"]
    assert old["valid_to"] == "2017-12-31"


def test_reused_number_is_picked_by_date(client: Client) -> None:
    assert client.get("/api/v1/municipalities/0716?at=2000-01-01").json()["name"] == "Våle"
    assert client.get("/api/v1/municipalities/0716").json()["name"] == "Re"


def test_list_filters_by_date_and_county(client: Client) -> None:
    data = client.get("/api/v1/municipalities?at=2008-01-01&county=07&limit=100").json()
    names = {item["name"] for item in data["items"]}
    assert data["count"] == 14
    assert {"Nøtterøy", "Tjøme", "Andebu", "Lardal"} <= names
    today = client.get("/api/v1/municipalities?at=2026-01-01&county=39").json()
    assert today["count"] == 6


def test_unknown_and_bad_parameters_are_problems(client: Client) -> None:
    missing = client.get("/api/v1/municipalities/9876")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["status"] == 404
    assert client.get("/api/v1/municipalities/0722?at=2024-01-01").status_code == 404
    assert client.get("/api/v1/municipalities?at=not-a-date").status_code == 422
    assert client.get("/api/v1/municipalities?county=7").status_code == 422
    assert client.get("/api/v1/municipalities/abc").status_code == 404


def test_openapi_document(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/municipalities" in schema["paths"]
    assert "/api/v1/arenas/{arena_id}" in schema["paths"]
