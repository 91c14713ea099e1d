"""Finding governance records for a user: the unpublished are for internal users only
(pages and API alike).

Governance sits below arenas and portfolio: it reaches an arena or a project only through
its own records' foreign keys (a case's arena, a decision's arena) and the querysets those
give, never through the arenas' or projects' own modules."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samarbeid.accounts.permissions import published_to
from samarbeid.governance.models import Case, Decision, ProcessPlan


def visible_cases(user: Any) -> QuerySet[Case]:
    return published_to(Case.objects.all(), user)


def visible_process_plans(user: Any) -> QuerySet[ProcessPlan]:
    return published_to(ProcessPlan.objects.all(), user)


def board_decisions(user: Any) -> QuerySet[Decision]:
    """Decisions of the own body of an arena the user may see (those that have votes)."""
    return published_to(
        Decision.objects.filter(body=Decision.Body.ARENA_BOARD, arena__isnull=False), user, "arena"
    )
