"""A review item's refusals name their field, once (an integrator's trial): a negative cost
belongs on the cost, and an unknown arena gives its one error on its field, not a second
message about a rule the missing arena cannot be checked against."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import api_call, login
from samarbeid.arenas.models import Arena
from samarbeid.review.models import ReviewItem
from samarbeid.review.tests.api_helpers import assert_problem, new_round

pytestmark = pytest.mark.django_db

NEGATIVE = "Kostnaden kan ikke være negativ."
TARGET = "Velg arenaen som skal overta"
EITHER = "Velg enten en arena eller et prosjekt."
# A transfer to an arena that does not exist, asked of one item or of many.
TO_UNKNOWN_ARENA = {"recommendation": "transfer", "target_arena": 99999, "reason": "Bedre der"}


def _messages(body: dict[str, Any]) -> list[tuple[list[str], str]]:
    return [(e["loc"], e["msg"]) for e in body["errors"]]


def test_a_negative_cost_is_refused_on_the_cost_in_the_api(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    item = new_round(ks, secretariat).items.get()
    body = assert_problem(
        api_call(
            client,
            "PATCH",
            f"/api/v1/review-items/{item.pk}",
            {"version": item.version, "cost_override": "-100"},
            secretariat,
        ),
        422,
    )
    assert _messages(body) == [(["cost_override"], NEGATIVE)]
    item.refresh_from_db()
    assert item.cost_override is None


def test_a_negative_cost_is_refused_on_the_cost_on_the_page(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    item = new_round(ks, secretariat).items.get()
    login(client, secretariat)
    response = client.post(
        reverse("review:item_edit", args=[item.pk]),
        {
            "version": item.version,
            "serves_primary_task": item.serves_primary_task,
            "recommendation": item.recommendation,
            "cost_override": "-100",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"cost_override": [NEGATIVE]}


def test_an_unknown_arena_to_add_gives_its_one_error(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = new_round(ks, secretariat)
    body = assert_problem(
        api_call(
            client, "POST", f"/api/v1/reviews/{review.pk}/items", {"arena": 99999}, secretariat
        ),
        422,
        "arena",
    )
    assert len(body["errors"]) == 1, body
    assert EITHER not in str(body)


def test_an_unknown_target_arena_gives_its_one_error(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    item = new_round(ks, secretariat).items.get()
    body = assert_problem(
        api_call(
            client,
            "PATCH",
            f"/api/v1/review-items/{item.pk}",
            {"version": item.version, **TO_UNKNOWN_ARENA},
            secretariat,
        ),
        422,
        "target_arena",
    )
    assert len(body["errors"]) == 1, body
    assert TARGET not in str(body)


def test_an_unknown_target_arena_for_many_items_gives_its_one_error(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = new_round(ks, secretariat)
    item = review.items.get()
    body = assert_problem(
        api_call(
            client,
            "POST",
            f"/api/v1/reviews/{review.pk}/recommendations",
            {"items": [{"id": item.pk, "version": item.version}], **TO_UNKNOWN_ARENA},
            secretariat,
        ),
        422,
        "target_arena",
    )
    assert len(body["errors"]) == 1, body
    assert TARGET not in str(body)
    assert ReviewItem.objects.get(pk=item.pk).recommendation == item.recommendation
