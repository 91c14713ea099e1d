from __future__ import annotations

import pytest
from django.test import Client

from samarbeid.arenas.tests.factories import arena_with_members

pytestmark = pytest.mark.django_db

# What /healthz answers on a healthy server with no task waiting.
HEALTHY = {
    "status": "ok",
    "database": "ok",
    "cache": "ok",
    "oldest_waiting_task_seconds": None,
    "stopped_tasks_marked": 0,
}


def test_dashboard_counts_arenas_and_memberships(client: Client) -> None:
    arena_with_members(["3909", "3901"], kind="professional_group")
    text = client.get("/").content.decode()
    assert "Faggruppe" in text
    assert "3909 Larvik" in text


def test_health_endpoint(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == HEALTHY


def test_dashboard_lists_due_membership_reviews(client: Client) -> None:
    from datetime import date

    from samarbeid.arenas.tests.factories import MembershipFactory

    MembershipFactory(next_review=date(2025, 1, 1))
    text = client.get("/").content.decode()
    assert "Medlemskap som skal vurderes" in text
    assert "01.01.2025" in text
