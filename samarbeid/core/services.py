"""Shared write path for domain records: validate, save with version check, audit.

Domain services call these after their own rules, inside their transaction."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import models, transaction
from django.http import Http404

from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import Actor, record, snapshot
from samarbeid.core.versioning import VersionConflict, Versioned, save_versioned

M = TypeVar("M", bound=models.Model)

# Set while a restore runs through a domain's edit service: its writes are audited RESTORE.
_RESTORING: contextvars.ContextVar[bool] = contextvars.ContextVar("restoring", default=False)


@contextlib.contextmanager
def restoring() -> Iterator[None]:
    """Audit the updates made inside as RESTORE (the history page's restore goes through
    the same edit service, and rules, as an edit)."""
    token = _RESTORING.set(True)
    try:
        yield
    finally:
        _RESTORING.reset(token)


def create_record(obj: M, *, actor: Actor, channel: str = Channel.PAGE) -> M:
    """Validate (model and database constraints) and insert `obj`, with its audit entry."""
    obj.full_clean()
    with transaction.atomic():
        obj.save(force_insert=True)
        record(obj, AuditEntry.Action.CREATE, actor=actor, channel=channel)
    return obj


def update_record(
    obj: Any,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    check: Callable[[Any], None] | None = None,
    action: str = AuditEntry.Action.UPDATE,
) -> Any:
    """Apply `changes` (field name → value) to `obj`, run the domain `check` on the result,
    and save, refusing if someone saved a newer version since `expected_version`
    (VersionConflict). Only changed fields are written. A record without a version field
    (e.g. a population figure) is written without the check. `action` is UPDATE, or
    RESTORE when an earlier version is put back from the history page."""
    if _RESTORING.get():
        action = AuditEntry.Action.RESTORE
    before = snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    if check is not None:
        check(obj)  # domain rules first: their messages say more than a constraint name
    obj.full_clean()
    after = snapshot(obj)
    changed = [
        field.name
        for field in obj._meta.concrete_fields
        if before.get(field.attname) != after.get(field.attname)
    ]
    with transaction.atomic():
        if isinstance(obj, Versioned):
            save_versioned(obj, expected_version, changed)
        elif changed:
            obj.save(update_fields=changed)
        if changed:
            record(obj, action, actor=actor, channel=channel, before=before)
    return obj


def delete_record(
    obj: models.Model,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> None:
    """Delete `obj` with its audit entry. With `expected_version` (every delete a person
    asks for, page or API), a record someone saved since it was read is not deleted
    (VersionConflict): the user would delete what they have not seen. None is for cascades
    inside a service and for commands."""
    before = snapshot(obj)
    with transaction.atomic():
        if expected_version is not None and isinstance(obj, Versioned):
            manager = type(obj)._default_manager
            # of=self: a model ordered by a nullable relation joins it, and PostgreSQL
            # cannot lock the nullable side of an outer join
            locked = manager.select_for_update(of=("self",)).filter(pk=obj.pk)
            stored = locked.values_list("version", flat=True).first()
            if stored is None:
                raise Http404  # deleted meanwhile: nothing of what the user saw is left
            if stored != expected_version:
                raise VersionConflict(manager.get(pk=obj.pk))
        record(obj, AuditEntry.Action.DELETE, actor=actor, channel=channel, before=before)
        obj.delete()
