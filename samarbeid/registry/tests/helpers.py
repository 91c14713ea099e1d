"""Requests registry's tests send from more than one module."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conftest import bearer


def put_population(client: Client, user: Any, number: str, year: int, **body: Any) -> Any:
    """The API's PUT of municipality `number`'s population figure for `year` (`body`: its
    count, perhaps is_example_data), sent by `user` with a fresh token."""
    return client.put(
        f"/api/v1/municipalities/{number}/population/{year}",
        body,
        content_type="application/json",
        headers=bearer(user),
    )
