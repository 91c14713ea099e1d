"""A save refused over a newer version, shown again to be saved anew (`core.forms`): the form
keeps what the clerk changed, takes what others saved since in the fields the clerk left
alone, and carries the version it now shows. What the clerk started from is read in the
audit trail (the record's state at the version the edit began from): a field the clerk did
not change is not written back over someone else's change by a second save."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.forms.models import model_to_dict
from django.http import QueryDict

from samarbeid.audit.models import AuditEntry
from samarbeid.audit.services import snapshot


def started_from(record: Any, version: int) -> dict[str, Any]:
    """`record`'s fields (as the audit trail keeps them) at `version`: as they are now, each
    field changed since put back to what it was before its first change after `version`; a
    record made since (a form opened on a record not yet saved, showing the defaults) back to
    its model's defaults."""
    state = snapshot(record)
    since = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(record, for_concrete_model=True),
        object_id=str(record.pk),
        snapshot__version__gt=version,
        action__in=[
            AuditEntry.Action.CREATE,
            AuditEntry.Action.UPDATE,
            AuditEntry.Action.RESTORE,
        ],
    ).order_by("-id")  # newest first: the oldest change's "before" is written last
    for entry in since:
        if entry.action == AuditEntry.Action.CREATE:  # its changes are the values made
            defaults = snapshot(type(record)())
            state.update({name: defaults[name] for name in entry.changes if name in defaults})
            continue
        for attname, change in (entry.changes or {}).items():
            if isinstance(change, list) and len(change) == 2:
                state[attname] = change[0]
    return state


def _as_posted(field: forms.Field, value: Any) -> str | list[str] | None:
    """What a browser posts for `field` showing the stored `value` (None: nothing, an
    unticked box)."""
    shown = field.prepare_value(value)
    if isinstance(field.widget, forms.CheckboxInput):
        return "on" if shown else None
    if isinstance(shown, list | tuple):
        return [str(one) for one in shown]
    if shown is None:
        return ""
    if isinstance(shown, date):
        return shown.isoformat()
    return str(shown)


@dataclass(frozen=True)
class OthersChanges:
    """What others saved since the edit began, in the fields the form shows (field names):
    `taken`, fields the user left alone, now showing the other's value; `both`, fields the
    user changed too, to something else, where the form keeps what the user typed."""

    taken: tuple[str, ...] = ()
    both: tuple[str, ...] = ()


def merge_into(
    form: forms.BaseForm, current: Any, version: int, *, take_in: bool = True
) -> OthersChanges | None:
    """Sort the fields others changed since `version` (`current` is the record as stored
    now) by what the user did with them; with `take_in` (a model form), rebind `form` so
    that each field the user left as it was at `version` shows `current`'s value, while the
    fields the user changed keep what they typed. None when the form's fields are not the
    record's (nothing to compare)."""
    cleaned = getattr(form, "cleaned_data", None)
    if cleaned is None:
        return None
    before = started_from(current, version)
    now = snapshot(current)
    data: Any = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    taken: list[str] = []
    both: list[str] = []
    compared = False
    for name in form.fields:
        if name not in cleaned or name == "version":
            continue
        try:
            attname = current._meta.get_field(name).attname
        except FieldDoesNotExist:
            continue
        if attname not in before:
            continue  # not a concrete field
        compared = True
        typed = copy.copy(current)
        try:
            setattr(typed, name, cleaned[name])
        except (TypeError, ValueError):
            continue
        mine = snapshot(typed).get(attname)
        if before.get(attname) == now.get(attname) or mine == now.get(attname):
            continue  # nobody else changed it, or both made the same change
        if mine != before[attname] or not take_in:
            both.append(name)  # the form keeps what the user typed: theirs to choose
            continue
        taken.append(name)
        cleaned[name] = getattr(current, name)
        _show(form, data, name, model_to_dict(current, fields=[name]).get(name))
    form.data = data
    return OthersChanges(tuple(taken), tuple(both)) if compared else None


def merge_values(
    form: forms.BaseForm, before: Mapping[str, Any], now: Mapping[str, Any]
) -> OthersChanges:
    """`merge_into` for a form over a record without a version (a user's contact details):
    `before` holds the values the form was opened with and `now` those stored now, by
    field name and as the form's cleaned values. A field the user left as it was opened
    takes the stored value; one both changed keeps what the user typed."""
    cleaned = form.cleaned_data
    data: Any = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
    taken: list[str] = []
    both: list[str] = []
    for name, was in before.items():
        if name not in cleaned or was == now.get(name) or cleaned[name] == now.get(name):
            continue  # nobody else changed it, or both made the same change
        if cleaned[name] != was:
            both.append(name)
            continue
        taken.append(name)
        cleaned[name] = now.get(name)
        _show(form, data, name, now.get(name))
    form.data = data
    return OthersChanges(tuple(taken), tuple(both))


def _show(form: forms.BaseForm, data: Any, name: str, value: Any) -> None:
    """Put `value` into the posted `data` of `form`'s field `name`, as a browser posts it."""
    key = form.add_prefix(name)
    posted = _as_posted(form.fields[name], value)
    if isinstance(data, QueryDict):
        data.setlist(key, posted if isinstance(posted, list) else [posted] if posted else [])
    elif posted is None:
        data.pop(key, None)
    else:
        data[key] = posted
