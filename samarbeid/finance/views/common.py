"""What the financing pages share: the arena a page is about and who may manage it (the
form pages are core's `form_page`, `edit_page` and `confirm_delete`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from samarbeid.arenas.models import Arena
from samarbeid.finance.access import (
    require_manage_finance,
)
from samarbeid.registry.models import Municipality


def visible_arena(request: HttpRequest, pk: int) -> Arena:
    return get_object_or_404(
        Arena.objects.visible_to(request.user).select_related("host_municipality"), pk=pk
    )


def require_manage(request: HttpRequest, arena: Arena) -> None:
    """Refuse (403) whoever may not change `arena`'s finances, saying who may."""
    require_manage_finance(request.user, arena)


def members_of(arena: Arena) -> Any:
    return Municipality.objects.filter(memberships__arena=arena).distinct().order_by("number")
