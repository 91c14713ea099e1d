"""Finding governance records for a user: the unpublished are for internal users only
(pages and API alike)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from samarbeid.accounts.permissions import is_internal
from samarbeid.governance.models import Case, ProcessPlan


def visible_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.all() if is_internal(user) else Case.objects.filter(published=True)


def visible_process_plans(user: Any) -> QuerySet[ProcessPlan]:
    plans = ProcessPlan.objects.all()
    return plans if is_internal(user) else plans.filter(published=True)
