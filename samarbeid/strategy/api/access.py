"""Finding what an API call reads or changes, for the caller: 404 for what they may not see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from samarbeid.arenas.models import Arena
from samarbeid.registry.services import resolve_number
from samarbeid.strategy.models import (
    Goal,
    StrategicPlan,
)
from samarbeid.strategy.visibility import visible_plans


def visible_goals(request: HttpRequest) -> Any:
    return Goal.objects.filter(
        Q(plan__isnull=True) | Q(plan__in=visible_plans(request.user)),
        arena__in=Arena.objects.visible_to(request.user),
    )


def plan_for_write(request: HttpRequest, plan_id: int) -> StrategicPlan:
    return get_object_or_404(visible_plans(request.user).select_related("arena"), pk=plan_id)


def municipality_numbered(number: str | None, years: tuple[int, int] | None = None) -> Any:
    """The municipality with this number (in the years given, else the current one)."""
    if number is None:
        return None
    found = None
    if years is not None:
        found = resolve_number(number, date(years[1], 12, 31)) or resolve_number(
            number, date(years[0], 1, 1)
        )
    found = found or resolve_number(number)
    if found is None:
        raise ValidationError({"municipality": _("Ukjent kommunenummer: %(n)s.") % {"n": number}})
    return found
