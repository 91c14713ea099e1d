"""Optimistic locking: an edit carries the version it started from, and saving over a
newer version is refused instead of silently overwriting someone else's work."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from samarbeid.core.choices import FastChoiceDisplay
from samarbeid.core.stamps import record_change


class VersionConflict(Exception):
    """The record changed since the edit started. `current` is the record as it is now."""

    def __init__(self, current: models.Model) -> None:
        self.current = current
        super().__init__(_("Posten er endret av noen andre siden du begynte å redigere."))


class Versioned(FastChoiceDisplay):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def save_versioned(
    obj: Versioned, expected_version: int | None, fields: list[str], **extra: Any
) -> None:
    """Write `fields` of `obj` only if the stored version is still `expected_version`
    (None skips the check, for commands). Bumps the version; raises VersionConflict."""
    model = type(obj)
    values = {name: getattr(obj, name) for name in fields}
    values.update(extra)
    query = model._default_manager.filter(pk=obj.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    updated = query.update(**values, version=models.F("version") + 1)
    if not updated:
        raise VersionConflict(model._default_manager.get(pk=obj.pk))
    record_change(obj, [*fields, *extra])  # a queryset update sends no post_save signal
    obj.refresh_from_db(fields=["version"])


def check_version(obj: Versioned, expected_version: int | None) -> None:
    """For changes that do not go through save_versioned or update_record (deletions, a
    record made again): refuse if the stored record is newer than the version the caller
    read (None skips the check, for commands). Raises VersionConflict with the record as
    it is now."""
    if expected_version is None:
        return
    current = type(obj)._default_manager.get(pk=obj.pk)
    if current.version != expected_version:
        raise VersionConflict(current)
