"""The history of one record: who changed what, when and how; restoring an earlier version."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samarbeid.accounts.permissions import can_restore, is_internal
from samarbeid.audit.models import AuditEntry
from samarbeid.audit.restore import restore_version
from samarbeid.core.domain import domain_apps
from samarbeid.core.readable import as_read
from samarbeid.core.versioning import VersionConflict

# Records whose history may be shown: every model of the domain apps, and the roles.
HISTORY_EXTRA_APPS = {"accounts"}
HIDDEN_MODELS = {("accounts", "apitoken")}


@dataclass
class Change:
    label: str
    before: Any
    after: Any


def resolve_model(label: str) -> type[models.Model]:
    try:
        app_label, model_name = label.split(".", 1)
        model = apps.get_model(app_label, model_name)
    except (ValueError, LookupError) as exc:
        raise Http404(_("Ukjent posttype.")) from exc
    meta = model._meta
    if (
        meta.app_label not in {*domain_apps(), *HISTORY_EXTRA_APPS}
        or (meta.app_label, meta.model_name) in HIDDEN_MODELS
    ):
        raise Http404(_("Ukjent posttype."))
    return model


def _field(model: type[models.Model], attname: str) -> models.Field[Any, Any] | None:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    return None


def _changes(model: type[models.Model], entry: AuditEntry) -> list[tuple[Any, Any, Any]]:
    """(field or its name, before, after) as stored in the entry."""
    data = entry.changes or {}
    rows = []
    for key, value in data.items():
        if key in ("version", "id"):
            continue
        if entry.action in (AuditEntry.Action.UPDATE, AuditEntry.Action.RESTORE):
            before, after = value if isinstance(value, list) and len(value) == 2 else (None, value)
        elif entry.action == AuditEntry.Action.DELETE:
            before, after = value, None
        else:
            before, after = None, value
        rows.append((_field(model, key) or key, before, after))
    return rows


def _readable(
    rows: list[tuple[AuditEntry, list[tuple[Any, Any, Any]]]],
) -> list[tuple[AuditEntry, list[Change]]]:
    """The stored values as a clerk reads them on the pages: a choice by its label, a
    related record by its name (not its id), 'Ja'/'Nei', dates dd.mm.yyyy, amounts with
    øre. Related records are fetched once per kind for the whole page."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for _entry, changes in rows:
        for field, before, after in changes:
            if isinstance(field, models.ForeignKey):
                wanted.setdefault(field.related_model, set()).update(  # type: ignore[arg-type]
                    v for v in (before, after) if v is not None
                )
    found = {
        related: related._default_manager.in_bulk(list(ids)) for related, ids in wanted.items()
    }

    def shown(field: Any, value: Any) -> Any:
        if value is None or value == "":
            return value
        if isinstance(field, models.ForeignKey):
            record = found.get(field.related_model, {}).get(value)  # type: ignore[arg-type]
            return str(record) if record is not None else value
        if isinstance(field, models.Field) and field.choices:
            return dict(field.flatchoices).get(value, value)
        # the stored JSON (text dates and amounts) as the field's value, read as the pages do
        typed = models.BooleanField | models.DecimalField | models.DateField
        if isinstance(field, typed) and not isinstance(field, models.DateTimeField):
            with contextlib.suppress(ValidationError):
                return as_read(field.to_python(value))
        return value

    return [
        (
            entry,
            [
                Change(
                    str(field.verbose_name) if isinstance(field, models.Field) else field,
                    shown(field, before),
                    shown(field, after),
                )
                for field, before, after in changes
            ],
        )
        for entry, changes in rows
    ]


def _entries(model: type[models.Model], pk: str) -> Any:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=content_type, object_id=pk).select_related(
        "actor"
    )


def _object_url(obj: Any) -> str | None:
    try:
        return str(obj.get_absolute_url()) if obj is not None else None
    except (AttributeError, Exception):  # a model without (working) detail page
        return None


@login_required
def record_history(request: HttpRequest, label: str, pk: str) -> HttpResponse:
    """Every change of one record, field by field, newest first. Internal users only."""
    if not is_internal(request.user):
        raise PermissionDenied
    model = resolve_model(label)
    entries = _entries(model, pk)
    obj = model._default_manager.filter(pk=pk).first() if pk.isdigit() else None
    if obj is None and not entries.exists():
        raise Http404(_("Ingen slik post."))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = _readable([(entry, _changes(model, entry)) for entry in page])
    return render(
        request,
        "audit/history.html",
        {
            "label": f"{model._meta.app_label}.{model._meta.model_name}",
            "model_name": model._meta.verbose_name,
            "obj": obj,
            "pk": pk,
            "page": page,
            "rows": rows,
            "can_restore": obj is not None and can_restore(request.user),
            "current_version": getattr(obj, "version", None),
            "object_url": _object_url(obj),
        },
    )


@login_required
@require_POST
def restore(request: HttpRequest, label: str, pk: str, entry_id: int) -> HttpResponse:
    """Put back the record as it was after `entry`. The secretariat may; the restore is
    itself audited (action RESTORE) and refused when the old values no longer validate."""
    if not can_restore(request.user):
        raise PermissionDenied
    model = resolve_model(label)
    obj = get_object_or_404(model, pk=pk)
    entry = get_object_or_404(_entries(model, pk), pk=entry_id)
    raw_version = request.POST.get("version", "")
    expected = int(raw_version) if raw_version.isdigit() else None
    back = reverse("audit:history", args=[label, pk])
    try:
        restore_version(obj, entry, expected_version=expected, actor=request.user)
    except VersionConflict:
        messages.error(
            request,
            _("Posten er endret av noen andre etter at du åpnet historikken."),
        )
    except (ValidationError, ObjectDoesNotExist) as exc:
        detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(
            request,
            _("Versjonen kan ikke gjenopprettes: %(detail)s") % {"detail": detail},
        )
    else:
        messages.success(
            request,
            _("Versjonen fra %(at)s er gjenopprettet.")
            % {"at": timezone.localtime(entry.at).strftime("%d.%m.%Y %H:%M")},
        )
    return redirect(back)
