"""Permission-matrix rows for working on many items of a review round: one recommendation
for the chosen items, and taking an item out (page and API). Joined into the review's rows
by permission_rows.py; the secretariat of the round's arena alone may."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.review.models import ReviewItem
from samarbeid.review.tests.api_helpers import new_round
from samarbeid.tests.matrix import ApiRow, FormRow, World, delete_row, form_row, row, versioned_form


def _item(world: World) -> ReviewItem:
    """The one item (a sub-arena) of a review of the world's arena."""
    ArenaFactory(name="Prosjektforum", short_name="FORUM", parent=world.arena)
    review = new_round(
        world.arena, world.users["secretariat"], published=True, include_projects=False
    )
    item: ReviewItem = review.items.get()
    return item


def _recommend(world: World) -> tuple[str, dict[str, Any]]:
    item = _item(world)
    return f"/api/v1/reviews/{item.round_id}/recommendations", {
        "items": [{"id": item.pk, "version": item.version}],
        "recommendation": "continue",
    }


def _recommend_form(world: World) -> tuple[str, dict[str, Any]]:
    item = _item(world)
    return reverse("review:round_recommend", args=[item.round_id]), {
        "items": [f"{item.pk}:{item.version}"],
        "recommendation": "continue",
        "reason": "",
    }


ROUND_ITEM_API_ROWS = [
    ApiRow("POST", "/api/v1/reviews/{review_id}/recommendations", row(secretariat=200), _recommend),
    delete_row("/api/v1/review-items/{item_id}", row(secretariat=204), _item),
]
ROUND_ITEM_FORM_ROWS = [
    FormRow("review:round_recommend", form_row(secretariat=302), _recommend_form),
    versioned_form("review:item_remove", form_row(secretariat=302), _item),
]
