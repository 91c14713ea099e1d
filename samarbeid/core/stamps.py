"""Aggregates cached until the data changes.

Overview pages count over every project, participation and membership in the country;
those counts grow with the data, the page should not. `cached_aggregate` keeps such a
result in Django's cache under the current data version (`DataStamp`), which every save
and delete of a domain record raises (signals connected in `CoreConfig.ready`; bulk
writes — imports, scale seeding — call `bump()` themselves). Reading the version is one
query; a change anywhere makes every cached aggregate recompute on its next use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import F, QuerySet
from django.utils.translation import get_language

T = TypeVar("T")

# Apps whose records feed aggregates; audit entries, tokens and sessions do not.
DOMAIN_APPS = {
    "registry",
    "governance",
    "arenas",
    "portfolio",
    "finance",
    "strategy",
    "review",
    "workshops",
}
TIMEOUT = 600  # versions invalidate; the timeout bounds staleness from a write path missed


def current_version() -> int:
    from samarbeid.core.models import DataStamp

    row = DataStamp.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(row or 0)


def bump() -> None:
    """Record that domain data changed."""
    from samarbeid.core.models import DataStamp

    if not DataStamp.objects.filter(pk=1).update(version=F("version") + 1):
        DataStamp.objects.get_or_create(pk=1, defaults={"version": 1})


def _name(key: str, version: int, parts: tuple[Any, ...]) -> str:
    described = repr((get_language() or "", *parts)).encode()
    return f"agg:{key}:{version}:{hashlib.sha256(described).hexdigest()}"


def cached_aggregate(key: str, compute: Callable[[], T], *parts: Any) -> T:
    """`compute()` cached under `key`, `parts` (what the result depends on besides the data:
    visibility, filters, the date) and the language (results hold translated labels)."""
    name = _name(key, current_version(), parts)
    found = cache.get(name)
    if found is None:
        found = compute()
        cache.set(name, found, TIMEOUT)
    return found


def cached_part(
    key: str, compute_all: Callable[[], dict[Any, T]], part: Any, default: T, *parts: Any
) -> T:
    """One part of a result that is computed whole but read a part at a time (what a
    municipality pays: the sums, or one year's rows): a miss computes the whole and caches
    every part apart, so a read unpacks only its part. `default` for a part not in it."""
    version = current_version()
    found = cache.get(_name(key, version, (*parts, part)))
    if found is None:
        whole = compute_all()
        cache.set_many({_name(key, version, (*parts, p)): v for p, v in whole.items()}, TIMEOUT)
        found = whole.get(part, default)
    return found


def cached_count(queryset: QuerySet[Any]) -> int:
    """`queryset.count()` cached per data version: a paged list of thousands of rows is
    cut by an index, but counting them reads every one. Keyed on the query's SQL, which
    holds its filters and the user's visibility."""
    return cached_aggregate("count", queryset.count, str(queryset.query))


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loaddata
    bump()


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for model in apps.get_models():
        if model._meta.app_label in DOMAIN_APPS:
            label = model._meta.label
            post_save.connect(_changed, sender=model, dispatch_uid=f"stamp-save-{label}")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"stamp-delete-{label}")
