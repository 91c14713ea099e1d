"""What the financing pages share: who may manage an arena's finances (the arena is found
by `arenas.access`; the form pages are core's `form_page`, `edit_page` and `confirm_delete`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from samarbeid.arenas.models import Arena
from samarbeid.finance.access import (
    require_manage_finance,
)
from samarbeid.registry.models import Municipality


def require_manage(request: HttpRequest, arena: Arena) -> None:
    """Refuse (403) whoever may not change `arena`'s finances, saying who may."""
    require_manage_finance(request.user, arena)


def members_of(arena: Arena) -> Any:
    return Municipality.objects.filter(memberships__arena=arena).distinct().order_by("number")
