"""What workshops' API tests share."""

from __future__ import annotations

from typing import Any

from django.test import Client

from conftest import api_call


def call(method: str, url: str, user: Any = None, body: dict[str, Any] | None = None) -> Any:
    """`method` `url` with `body` as JSON from a fresh client (no session), as `user` with a
    bearer token (none: anonymous)."""
    return api_call(Client(), method, url, body, user)
