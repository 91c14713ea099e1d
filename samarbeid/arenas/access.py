"""An arena for a user, found one way by every page and the API (`core.records.record_for`):
404 to whom may not see it, 403 to whom may see it but not change it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.models import Arena
from samarbeid.core.records import record_for


def arenas_seen_by(user: Any) -> QuerySet[Arena]:
    """The arenas `user` may see, with what an arena's pages and answers show of it (its
    host, parent, successor and initiator: joined, not queried one by one)."""
    return Arena.objects.visible_to(user).select_related(
        "host_municipality", "parent", "transferred_to", "initiator_municipality"
    )


def visible_arena(user: Any, pk: Any) -> Arena:
    return record_for(user, arenas_seen_by(user), pk)


def editable_arena(user: Any, pk: Any) -> Arena:
    return record_for(user, arenas_seen_by(user), pk, may_change=can_edit_arena)
