"""The key API fills the key page's form (KeyForm, through core.api_forms): one set of rules
and messages for both front ends (issue 18 point 1), and rights before the payload."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login, problem_of
from samarbeid.finance.models import AllocationKey
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026

pytestmark = pytest.mark.django_db

THREE_DECIMALS = {"name": "Skjev", "equal": "33.333", "per_capita": "66.667"}


@pytest.fixture
def arena() -> Any:
    return h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")


def _page_error(client: Client, arena: Any, field: str) -> str:
    response = client.post(reverse("finance:key_create", args=[arena.pk]), THREE_DECIMALS)
    assert response.status_code == 200
    return str(response.context["form"].errors[field][0])


def test_the_api_checks_a_key_as_the_page_does(
    client: Client, arena: Any, secretariat: Any
) -> None:
    login(client, secretariat)
    on_page = _page_error(client, arena, "equal")
    created = client.post(
        "/api/v1/finance/keys",
        {"arena": arena.pk, **THREE_DECIMALS},
        content_type="application/json",
    )
    problem = problem_of(created, 422)
    assert {"loc": ["equal"], "msg": on_page} in problem["errors"]
    assert not AllocationKey.objects.filter(arena=arena).exists()

    key = h.key(arena, 50, 50)
    patched = client.patch(
        f"/api/v1/finance/keys/{key.pk}",
        {"version": key.version, "equal": "33.333", "per_capita": "66.667"},
        content_type="application/json",
    )
    assert patched.status_code == 422  # the schema holds PATCH to two decimals already
    key.refresh_from_db()
    assert (key.equal, key.version) == (50, 1)


def test_a_key_api_write_checks_rights_before_the_payload(
    client: Client, arena: Any, coordinator: Any
) -> None:
    client.force_login(coordinator)
    bad = {"arena": arena.pk, "name": "X", "preset": "ukjent"}
    created = client.post("/api/v1/finance/keys", bad, content_type="application/json")
    assert created.status_code == 403
    assert not AllocationKey.objects.filter(arena=arena).exists()
