"""Finding a record for a user: the one rule the pages and the API share.

404 for what the user may not see (so that hidden records stay hidden, not merely refused),
403 for what they may see but not change. The queryset is already limited to what the user
may see (a model's `visible_to`, `published_to`); `may_change` is the app's permission.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def record_for(
    user: Any,
    queryset: models.QuerySet[M],
    pk: Any,
    *,
    may_change: Callable[[Any, M], bool] | None = None,
) -> M:
    """The record `pk` in `queryset` (already limited to what `user` may see): 404 when it is
    not there, 403 when `may_change` says the user may see it but not change it."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    if may_change is not None and not may_change(user, found):
        raise PermissionDenied
    return found
