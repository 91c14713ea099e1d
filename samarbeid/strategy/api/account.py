"""The account of a period in the API (read side)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from samarbeid.arenas.models import Arena
from samarbeid.core.api_schemas import Problem, money
from samarbeid.strategy.api.schemas import (
    StrategyAccountOut,
    StrategyPeriodQuery,
)
from samarbeid.strategy.services.account import period_account

router = Router()


@router.get(
    "/arenas/{arena_id}/period-account",
    response={200: StrategyAccountOut, 404: Problem, 422: Problem},
    summary="Savings (estimated, realised) against costs per municipality over chosen years",
)
def get_period_account(
    request: HttpRequest, arena_id: int, period: Query[StrategyPeriodQuery]
) -> dict[str, Any]:
    arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=arena_id)
    account = period_account(arena, period.first_year, period.last_year)
    return {
        "arena": arena.pk,
        "first_year": account.first_year,
        "last_year": account.last_year,
        "empty": account.is_empty,
        "rows": account.rows,
        "total": account.total,
        "excluded": [str(e) for e in account.excluded],
        "kept_outside": account.kept_outside,
        "kept_outside_savings": money(account.kept_outside_savings),
        "kept_outside_costs": money(account.kept_outside_costs),
        "members_contributions": money(account.contributions),
        "external_funding": money(account.external_total),
    }
