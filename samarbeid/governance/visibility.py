"""Finding governance records for a user: the unpublished are for internal users only
(pages and API alike).

Governance sits below arenas and portfolio: it reaches an arena or a project only through
its own records' foreign keys (a case's arena, a decision's arena) and the querysets those
give, never through the arenas' or projects' own modules."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet

from samarbeid.accounts.permissions import is_internal
from samarbeid.governance.models import Case, Decision, ProcessPlan

RecordsT = TypeVar("RecordsT", bound=QuerySet[Any])


def published_to(queryset: RecordsT, user: Any, *paths: str) -> RecordsT:
    """`queryset` cut to what `user` may see: all of it for internal users; for others the
    records published themselves ("" in `paths`, the default) and through each path (e.g.
    "arena": their arena is published). The rule of `Arena.objects.visible_to` and
    `Project.objects.visible_to`, written as a join on governance's own foreign keys."""
    if is_internal(user):
        return queryset
    return queryset.filter(
        **{f"{path}__published" if path else "published": True for path in paths or ("",)}
    )


def visible_cases(user: Any) -> QuerySet[Case]:
    return published_to(Case.objects.all(), user)


def visible_process_plans(user: Any) -> QuerySet[ProcessPlan]:
    return published_to(ProcessPlan.objects.all(), user)


def board_decisions(user: Any) -> QuerySet[Decision]:
    """Decisions of the own body of an arena the user may see (those that have votes)."""
    return published_to(
        Decision.objects.filter(body=Decision.Body.ARENA_BOARD, arena__isnull=False), user, "arena"
    )
