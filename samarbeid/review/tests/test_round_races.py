"""Two clerks recommend the same items of a review round at once: one batch is saved whole,
the other is refused as changed meanwhile (409), never a mix of the two and never a 500 —
on SQLite (the default database) and on PostgreSQL."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import bearer, race_secretariat
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members
from samarbeid.finance.tests.test_races import answer, held_after
from samarbeid.review.services import round_items
from samarbeid.review.tests.api_helpers import new_round
from samarbeid.tests.concurrency import concurrent_database, together


@pytest.mark.django_db(transaction=True)
def test_two_batches_on_the_same_items_at_once() -> None:
    clerk = race_secretariat("rask-runde")
    ks = arena_with_members(["3909", "3901"], name="KS Vestfold", short_name="KS-V")
    for n in range(3):
        ArenaFactory(
            name=f"Forum {n}", short_name=f"KS-V-{n}", parent=ks, kind=Arena.Kind.PROJECT_FORUM
        )
    review = new_round(ks, clerk)
    chosen = [{"id": i.pk, "version": i.version} for i in review.items.order_by("pk")]
    headers = bearer(clerk)
    verdicts = ["continue", "close"]

    def recommend(n: int) -> str:
        response = Client().post(
            f"/api/v1/reviews/{review.pk}/recommendations",
            json.dumps({"items": chosen, "recommendation": verdicts[n], "reason": "Avklart"}),
            content_type="application/json",
            headers=headers,
        )
        return answer(response)

    # both pass the permission check before either takes the round's lock
    with concurrent_database(), held_after(round_items, "require"):
        # the test's own connection opens the file first (it turns it to WAL, which two
        # clients opening it at the same moment cannot both do)
        assert review.items.count() == 3
        results = together(recommend, 2)
        saved = set(review.items.values_list("recommendation", flat=True))
    assert results[0] == "200"
    assert results[1].startswith("409 application/problem+json"), results
    assert saved in ({"continue"}, {"close"})
