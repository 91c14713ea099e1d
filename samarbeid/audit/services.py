"""The audit trail. Every service that changes a domain record calls `record()` inside its
transaction, so the entry and the change stand or fall together."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from samarbeid.audit.models import AuditEntry, Channel

Actor = AbstractBaseUser | AnonymousUser | None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):  # a stored file: its name in the storage
        return value.name or ""
    if isinstance(value, bytes | bytearray | memoryview):  # a file kept in the database
        content = bytes(value)
        return f"{len(content)} bytes, sha256 {hashlib.sha256(content).hexdigest()}"
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of a record, JSON-safe, foreign keys as ids."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        data[field.attname] = _plain(getattr(obj, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), value]
        for key, value in after.items()
        if before.get(key) != value and key not in {"version"}
    }


def record(
    obj: models.Model,
    action: str,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    before: dict[str, Any] | None = None,
) -> AuditEntry:
    after = snapshot(obj) if action != AuditEntry.Action.DELETE else {}
    if action == AuditEntry.Action.UPDATE or action == AuditEntry.Action.RESTORE:
        changes: dict[str, Any] = diff(before or {}, after)
    elif action == AuditEntry.Action.DELETE:
        changes = before or {}
    else:
        changes = after
    entry = _entry(obj, action, actor, channel, changes, after or (before or {}))
    entry.save(force_insert=True)
    return entry


def _entry(
    obj: models.Model,
    action: str,
    actor: Actor,
    channel: str,
    changes: dict[str, Any],
    state: dict[str, Any],
) -> AuditEntry:
    user: Any = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=user,
        channel=channel,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes,
        snapshot=state,
    )


def record_created(
    objs: Sequence[models.Model], *, actor: Actor, channel: str = Channel.PAGE
) -> None:
    """`record(obj, CREATE, …)` for each of many new records (written with bulk_create, as a
    national invoice run's), the entries written in one insert per 500: the same entries,
    without a query per record."""
    entries = []
    for obj in objs:
        after = snapshot(obj)
        entries.append(_entry(obj, AuditEntry.Action.CREATE, actor, channel, after, after))
    AuditEntry.objects.bulk_create(entries, batch_size=500)


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
    ).select_related("actor")


def restore_values(obj: models.Model, entry: AuditEntry) -> dict[str, Any]:
    """The field values (by attribute name) the record had right after `entry`."""
    if entry.action == AuditEntry.Action.DELETE:
        raise ValidationError(_("En sletting kan ikke gjenopprettes herfra."))
    state = entry.snapshot or {}
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.attname == "version" or field.attname not in state:
            continue
        raw = state[field.attname]
        if isinstance(field, models.ForeignKey):
            values[field.attname] = raw
        else:
            values[field.attname] = field.to_python(raw)
    return values
