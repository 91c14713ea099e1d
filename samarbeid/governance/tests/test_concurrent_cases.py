"""A busy office: many clients recording cases at the same moment all succeed (issue 23,
point 5: on SQLite, 126 of 1,688 case POSTs under load failed with "database is locked")."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import api_call, bearer, race_secretariat
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
            response = api_call(
                client,
                "POST",
                "/api/v1/cases",
                {"title": f"Sak {number}-{count}", "arena": arena.pk, "opened": "2026-01-15"},
                headers=headers,
            )
            statuses.append(str(response.status_code))
        return " ".join(statuses)

    with concurrent_database():
        results = together(post_cases, CLIENTS)
        recorded = Case.objects.filter(arena=arena).count()
    assert results == [" ".join(["201"] * EACH)] * CLIENTS
    assert recorded == CLIENTS * EACH
