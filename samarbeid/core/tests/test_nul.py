from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_nul_in_an_api_query_is_a_problem_not_a_crash(client: Client) -> None:
    response = client.get("/api/v1/municipalities?q=Hor%00ten")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_nul_in_a_page_query_is_a_bad_request(client: Client) -> None:
    assert client.get("/kommuner/?q=%00").status_code == 400
