"""The arenas a secretariat user serves (its roles' arenas,
`accounts.permissions.secretariat_arena_ids`, and their sub-arenas), and a municipality's
memberships that are due for review: what the first page lists."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.db.models import QuerySet

from samarbeid.arenas.models import Arena, Membership

# Parents nest a few levels at most (accounts.permissions._within stops at ten).
MAX_DEPTH = 10


def with_sub_arenas(roots: Collection[int]) -> set[int]:
    """`roots` and every arena below them, one query per level."""
    found = set(roots)
    level = set(roots)
    for _depth in range(MAX_DEPTH):
        if not level:
            break
        level = set(Arena.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        level -= found
        found |= level
    return found


def memberships_due(
    municipality_ids: Collection[int], day: date, until: date
) -> QuerySet[Membership]:
    """The municipalities' memberships open on `day` whose next review falls by `until`
    (overdue ones included), soonest first."""
    return (
        Membership.objects.active_on(day)
        .filter(municipality_id__in=municipality_ids, next_review__lte=until)
        .select_related("arena", "municipality")
        .order_by("next_review", "pk")
    )
