"""The audit trail. Every service that changes a domain record calls `record()` inside its
transaction, so the entry and the change stand or fall together."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from samarbeid.audit.models import AuditEntry, Channel

Actor = AbstractBaseUser | AnonymousUser | None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
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
    user: Any = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        channel=channel,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes,
        snapshot=after or (before or {}),
    )


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


# A restore goes through the record's own edit service, so it keeps every rule an edit
# keeps (an invoiced year stays locked, a status changes only by its own action, …).
EDIT_SERVICES: dict[str, str] = {
    "arenas.arena": "samarbeid.arenas.services.update_arena",
    "arenas.membership": "samarbeid.arenas.services.update_membership",
    "governance.case": "samarbeid.governance.services.update_case",
    "governance.decision": "samarbeid.governance.services.update_decision",
    "governance.processstep": "samarbeid.governance.services.update_step",
    "portfolio.project": "samarbeid.portfolio.services.update_project",
    "finance.allocationkey": "samarbeid.finance.services.update_key",
    "finance.budget": "samarbeid.finance.services.update_budget",
    "finance.budgetline": "samarbeid.finance.services.update_line",
    "review.reviewitem": "samarbeid.review.services.rounds.update_item",
    "review.cooperationproposal": "samarbeid.review.services.proposals.update_proposal",
    "review.proposalcriterion": "samarbeid.review.services.proposals.update_criterion",
    "review.alternative": "samarbeid.review.services.comparisons.update_alternative",
    "strategy.strategicplan": "samarbeid.strategy.services.update_plan",
    "strategy.benefit": "samarbeid.strategy.services.update_benefit",
    "workshops.workshop": "samarbeid.workshops.services.update_workshop",
    "workshops.question": "samarbeid.workshops.services.update_question",
}

# Records that change only through their own actions (issuing, crediting, a status change,
# a new participation period): putting back an old version would undo those actions
# behind their rules (un-issue a run, move money between municipalities).
NOT_RESTORABLE: frozenset[str] = frozenset(
    {
        "finance.invoicerun",
        "finance.invoice",
        "finance.invoiceline",
        "finance.keyusage",
        "finance.keyfixedpercent",
        "portfolio.participation",
        "portfolio.projectstatuschange",
        "governance.vote",
    }
)


def _as_changes(obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
    """Restored values by field name, as an edit service takes them (related records as
    records)."""
    changes: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.attname not in values:
            continue
        value = values[field.attname]
        if isinstance(field, models.ForeignKey):
            related: Any = field.related_model
            value = related._default_manager.get(pk=value) if value is not None else None
        changes[field.name] = value
    return changes


def restore_version(
    obj: models.Model,
    entry: AuditEntry,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> models.Model:
    """Put `obj` back as it was right after `entry`, through the shared write path (so it is
    validated and audited as RESTORE) and the record's own edit service, so what an edit
    may not do (un-issue, unlock an invoiced year, move money), a restore may not do. The
    global secretariat may; the version the user saw is required."""
    from django.utils.module_loading import import_string

    from samarbeid.accounts.permissions import can_restore, require
    from samarbeid.core.services import restoring, update_record
    from samarbeid.core.versioning import Versioned

    require(can_restore(actor))
    label = obj._meta.label_lower
    if label in NOT_RESTORABLE:
        raise ValidationError(
            _(
                "%(m)s endres bare med egne handlinger (som utstedelse og kreditnota); "
                "en tidligere versjon kan ikke settes tilbake."
            )
            % {"m": str(obj._meta.verbose_name_plural).capitalize()}
        )
    if isinstance(obj, Versioned) and expected_version is None:
        raise ValidationError(
            {"version": _("Versjonen du så mangler. Last inn historikken på nytt og prøv igjen.")}
        )
    if entry.object_id != str(obj.pk) or entry.content_type_id != (
        ContentType.objects.get_for_model(obj, for_concrete_model=True).pk
    ):
        raise ValidationError(_("Versjonen hører til en annen post."))
    values = restore_values(obj, entry)
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and values.get(field.attname) is not None:
            related: Any = field.related_model
            if not related._default_manager.filter(pk=values[field.attname]).exists():
                raise ValidationError(
                    {field.name: _("%(f)s finnes ikke lenger.") % {"f": field.verbose_name}}
                )
    if label in EDIT_SERVICES:
        edit = import_string(EDIT_SERVICES[label])
        with restoring():
            restored: models.Model = edit(
                obj,
                _as_changes(obj, values),
                expected_version=expected_version,
                actor=actor,
                channel=channel,
            )
        return restored if isinstance(restored, models.Model) else obj
    return update_record(
        obj,
        values,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        action=AuditEntry.Action.RESTORE,
    )
