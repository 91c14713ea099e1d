"""A municipality number not in use on the decision's day is the payload's error, said in
Norwegian on the field (a clerk's trial got 404 "No municipality 3909." for Larvik's 2006
council decision: Larvik was 0709 then)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import bearer
from samarbeid.governance.models import Decision

pytestmark = pytest.mark.django_db


def test_a_number_not_in_use_that_day_is_a_field_error(client: Client, coordinator: Any) -> None:
    response = client.post(
        "/api/v1/decisions",
        {
            "body": "council",
            "municipality": "3909",
            "meeting_date": "2006-03-01",
            "outcome": "adopted",
            "case_number": "06/12",
        },
        content_type="application/json",
        headers=bearer(coordinator),
    )
    assert response.status_code == 422, response.content
    [error] = response.json()["errors"]
    assert error["loc"] == ["municipality"]
    assert error["msg"] == "Ingen kommune hadde nummeret 3909 den 01.03.2006."
    assert not Decision.objects.exists()
