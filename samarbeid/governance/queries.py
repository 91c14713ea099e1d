"""Reads for the first page: the treatments a municipality still has to make, and the
process plans' steps that are late."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from samarbeid.governance.models import Decision, ProcessStep

OPEN_OUTCOMES = (Decision.Outcome.PENDING, Decision.Outcome.POSTPONED)


def pending_treatments(municipality_ids: Collection[int], day: date) -> QuerySet[Decision]:
    """The cases the municipalities' own bodies are to treat and have not (pending or
    postponed), while the municipality exists on `day`: those with a planned date first,
    earliest first. Overdue: planned before `day` (see `overdue_treatments`)."""
    return (
        Decision.objects.filter(
            municipality_id__in=municipality_ids,
            outcome__in=OPEN_OUTCOMES,
            case__isnull=False,
        )
        .filter(Q(municipality__valid_to__isnull=True) | Q(municipality__valid_to__gte=day))
        .select_related("case", "municipality", "arena")
        .order_by(F("planned_date").asc(nulls_last=True), "pk")
    )


def overdue_treatments(municipality_ids: Collection[int], day: date) -> QuerySet[Decision]:
    return pending_treatments(municipality_ids, day).filter(planned_date__lt=day)


def overdue_steps(arena_ids: Collection[int] | None, day: date) -> QuerySet[ProcessStep]:
    """Steps of the arenas' process plans (every plan when `arena_ids` is None) not done
    by `day` and due (their planned end, else their planned date) before `day`, earliest first."""
    steps = (
        ProcessStep.objects.annotate(due=Coalesce("planned_end", "planned_date"))
        .filter(Q(done_date__isnull=True) | Q(done_date__gt=day))
        .filter(due__lt=day)
    )
    if arena_ids is not None:
        steps = steps.filter(plan__arena_id__in=arena_ids)
    return steps.select_related("plan", "plan__arena").order_by("due", "pk")
