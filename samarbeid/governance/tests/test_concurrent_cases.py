"""A busy office: many clients recording cases at the same moment all succeed (issue 23,
point 5: on SQLite, 126 of 1,688 case POSTs under load failed with "database is locked")."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import bearer, race_secretariat
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.governance.models import Case
from samarbeid.tests.concurrency import concurrent_database, together

CLIENTS = 8
EACH = 5


@pytest.mark.django_db(transaction=True)
def test_cases_posted_by_many_clients_at_once_are_all_recorded() -> None:
    clerk = race_secretariat("travel")
    arena = ArenaFactory()
    headers = bearer(clerk)

    def post_cases(number: int) -> str:
        client = Client()
        statuses = []
        for count in range(EACH):
            response = client.post(
                "/api/v1/cases",
                json.dumps(
                    {"title": f"Sak {number}-{count}", "arena": arena.pk, "opened": "2026-01-15"}
                ),
                content_type="application/json",
                headers=headers,
            )
            statuses.append(str(response.status_code))
        return " ".join(statuses)

    with concurrent_database():
        results = together(post_cases, CLIENTS)
        recorded = Case.objects.filter(arena=arena).count()
    assert results == [" ".join(["201"] * EACH)] * CLIENTS
    assert recorded == CLIENTS * EACH
