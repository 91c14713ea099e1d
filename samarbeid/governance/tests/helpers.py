"""Builders shared by governance's tests."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from samarbeid.arenas.tests.factories import current


def post_council_decision(client: Client, number: str = "3909", outcome: str = "adopted") -> Any:
    """The decision page posted: the council of `number` (today's) decided `outcome` on
    1 April 2024."""
    return client.post(
        reverse("governance:decision_create"),
        {
            "body": "council",
            "municipality": current(number).pk,
            "meeting_date": "2024-04-01",
            "outcome": outcome,
        },
    )
