"""Reads for the first page: a municipality's benefits past their target date, and the
strategic plans still in draft."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db.models import QuerySet

from samarbeid.strategy.models import Benefit, StrategicPlan

OPEN_STATUSES = (Benefit.Status.PLANNED, Benefit.Status.IN_PROGRESS)


def overdue_benefits(municipality_ids: Collection[int], day: date) -> QuerySet[Benefit]:
    """The municipalities' benefits still open (planned or being realised) whose target
    date is before `day`: the ones `Benefit.is_overdue` names, oldest target first."""
    return (
        Benefit.objects.filter(
            municipality_id__in=municipality_ids, status__in=OPEN_STATUSES, target_date__lt=day
        )
        .select_related("project", "municipality")
        .order_by("target_date", "pk")
    )


def draft_plans(arena_ids: Collection[int] | None) -> QuerySet[StrategicPlan]:
    """The arenas' strategic plans in draft (every arena's when `arena_ids` is None)."""
    plans = StrategicPlan.objects.filter(status=StrategicPlan.Status.DRAFT)
    if arena_ids is not None:
        plans = plans.filter(arena_id__in=arena_ids)
    return plans.select_related("arena").order_by("-first_year", "pk")
