"""Putting back an earlier version of a record (the history page): through the record's
own edit service and the shared write path. Apart from audit.services, which the write
path (core.services) itself uses to write the trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_restore, require
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import Actor, restore_values
from samarbeid.core.services import restoring, update_record
from samarbeid.core.versioning import Versioned

# A restore goes through the record's own edit service, so it keeps every rule an edit
# keeps (an invoiced year stays locked, a status changes only by its own action, …).
# Model label (lower case) → its edit service, called as
# edit(obj, changes, expected_version=, actor=, channel=). Registered from the top of the
# house (portal.restore), which may import every domain's services; audit names none.
EditService = Callable[..., Any]
EDIT_SERVICES: dict[str, EditService] = {}


def register_edit_service(model: type[models.Model], edit: EditService) -> None:
    """A restore of a `model` record goes through `edit`, the service its edit page uses."""
    EDIT_SERVICES[model._meta.label_lower] = edit


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
        edit = EDIT_SERVICES[label]
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
