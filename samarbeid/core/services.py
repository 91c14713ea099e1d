"""Shared write path for domain records: validate, save with version check, audit, and
raise the stamps the cached figures read (core.stamps).

Domain services call these after their own rules, inside their transaction."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Collection, Iterator
from typing import Any, TypeVar

from django.db import models, transaction
from django.http import Http404

from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import Actor, record, snapshot
from samarbeid.core import stamps
from samarbeid.core.versioning import VersionConflict, Versioned, check_version, save_versioned

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


def writable(changes: dict[str, Any], fixed: Collection[str]) -> dict[str, Any]:
    """`changes` without the fields a service never takes from a form or a payload (`fixed`)."""
    return {k: v for k, v in changes.items() if k not in fixed}


def create_record(obj: M, *, actor: Actor, channel: str = Channel.PAGE) -> M:
    """Validate (model and database constraints) and insert `obj`, with its audit entry."""
    obj.full_clean()
    with transaction.atomic():
        with stamps.owned(obj):
            obj.save(force_insert=True)
        stamps.record_change(obj)
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
    touched: bool = False,
) -> Any:
    """Apply `changes` (field name → value) to `obj`, run the domain `check` on the result,
    and save, refusing if someone saved a newer version since `expected_version`
    (VersionConflict). Only changed fields are written; a save that changes nothing is
    still checked against the version but writes nothing, so it does not raise the version
    (and refuse someone else's edit over nothing). `touched`: the caller writes more of the
    same change elsewhere (a proposal's linked needs), which raises the version too. A
    record without a version field (e.g. a population figure) is written without the
    check. `action` is UPDATE, or RESTORE when an earlier version is put back from the
    history page."""
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
        if isinstance(obj, Versioned) and (changed or touched):
            save_versioned(obj, expected_version, changed)  # raises the stamps
        elif isinstance(obj, Versioned):
            check_version(obj, expected_version)
        elif changed:
            with stamps.owned(obj):
                obj.save(update_fields=changed)
            stamps.record_change(obj, changed)
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
            # ordered by pk, not the model's ordering: ordering through a nullable foreign key
            # (a goal by its plan) joins the other table, which PostgreSQL cannot lock
            stored = (
                manager.select_for_update()
                .filter(pk=obj.pk)
                .order_by("pk")
                .values_list("version", flat=True)
            ).first()
            if stored is None:
                raise Http404  # deleted meanwhile: nothing of what the user saw is left
            if stored != expected_version:
                raise VersionConflict(manager.get(pk=obj.pk))
        record(obj, AuditEntry.Action.DELETE, actor=actor, channel=channel, before=before)
        scope = stamps.split_scope(obj)  # while the record and what it names still exist
        with stamps.owned(obj):
            obj.delete()
        if stamps.feeds(obj):
            stamps.record_scope(scope)
