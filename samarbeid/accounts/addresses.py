"""How e-mail addresses are compared: one rule for "the same address" (one address a
user, the «Glemt passord?» lookup and its throttle), without regard to case and
surrounding spaces, also in addresses stored before the rule."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Lower, Trim


def address(email: str | None) -> str:
    """An e-mail address as compared: without surrounding spaces, in lower case (as the
    database's LOWER(TRIM(email)) reads a stored one)."""
    return (email or "").strip().lower()


def users_with_address(email: str | None) -> QuerySet[Any]:
    """The users whose stored address is `email` (`address`); none for an empty one."""
    wanted = address(email)
    users = get_user_model()._default_manager.annotate(address=Lower(Trim("email")))
    return users.filter(address=wanted) if wanted else users.none()


def hold_address(email: str | None) -> None:
    """Inside a transaction, before checking that `email` is free: wait for any other
    transaction holding the same address to end, so that the check and the save are one
    step (of two users given one address at once, the second is refused). On PostgreSQL an
    advisory lock per address, released with the transaction; SQLite's transactions here
    take the write lock when they begin (settings: IMMEDIATE), which serialises them."""
    wanted = address(email)
    if wanted and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"email:{wanted}"])
