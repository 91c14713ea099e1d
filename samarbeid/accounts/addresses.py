"""How e-mail addresses are compared: one rule for "the same address" (one address a
user, the «Glemt passord?» lookup and its throttle), without regard to case and
surrounding spaces, also in addresses stored before the rule."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
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
