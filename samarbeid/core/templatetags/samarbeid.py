"""The house's template helpers: `{% load samarbeid %}`. Money reads the same on every page."""

from decimal import Decimal
from typing import Any

from django import forms, template
from django.db import models
from django.utils.translation import get_language

from samarbeid.core.readable import as_read
from samarbeid.lib.money import format_nok

register = template.Library()


@register.filter
def nok(amount: Any) -> str:
    """An amount as a clerk reads it: "150 000,50" (or "150,000.50" in English); "–" when
    there is none."""
    if amount is None or amount == "":
        return "–"
    if not isinstance(amount, Decimal):
        amount = Decimal(str(amount))
    return format_nok(amount, "en" if (get_language() or "nb").startswith("en") else "nb")


@register.simple_tag
def conflict_rows(form: forms.BaseForm, stored: models.Model | None) -> list[tuple[str, str, str]]:
    """The fields where the record as stored now differs from what the user sent, as
    (label, stored, typed), each as a clerk reads it: only what differs, no raw values."""
    return [(label, theirs, mine) for _name, label, theirs, mine in _differing(form, stored)]


@register.simple_tag
def conflict_box(form: forms.BaseForm, stored: models.Model | None) -> dict[str, Any]:
    """What the conflict box says (`templates/partials/conflict.html`): `taken`, (label,
    value) of what others changed in fields the user left alone, now in the form; `both`,
    (label, stored, typed) where both changed a field and the form keeps the user's;
    `known`, whether the form could tell who changed what (`core.edit_merge`): if not,
    `both` is every field where the stored record differs from what was sent."""
    changes = getattr(form, "others_changed", None)
    if changes is None or stored is None:
        return {"known": False, "taken": [], "both": conflict_rows(form, stored)}
    taken = [(str(form[name].label), _stored_text(form[name], stored)) for name in changes.taken]
    both = [
        (label, theirs, mine)
        for name, label, theirs, mine in _differing(form, stored)
        if name in changes.both
    ]
    return {"known": True, "taken": taken, "both": both}


def _stored_text(field: forms.BoundField, stored: Any) -> str:
    """The stored value of `field` as the form offers it (a choice by its label)."""
    display = getattr(stored, f"get_{field.name}_display", None)
    if callable(display):
        return str(display())
    value = getattr(stored, field.name)
    if hasattr(value, "all"):
        value = list(value.all())
    return _as_chosen(value, dict(getattr(field.field, "choices", None) or ()))


def _differing(form: forms.BaseForm, stored: Any) -> list[tuple[str, str, str, str]]:
    """(name, label, stored, typed) of each shown field where `stored` differs from what
    the user sent."""
    if stored is None or not hasattr(form, "cleaned_data"):
        return []
    rows = []
    for field in form.visible_fields():
        name = field.name
        if name not in form.cleaned_data or not hasattr(stored, name):
            continue
        mine = form.cleaned_data[name]
        theirs = getattr(stored, name)
        if isinstance(mine, models.QuerySet):
            mine = list(mine)
            theirs = list(theirs.all()) if hasattr(theirs, "all") else theirs
        if mine == theirs or (mine in (None, "") and theirs in (None, "")):
            continue
        choices = dict(getattr(field.field, "choices", None) or ())
        rows.append(
            (name, str(field.label), _stored_text(field, stored), _as_chosen(mine, choices))
        )
    return rows


def _as_chosen(value: Any, choices: dict[Any, Any]) -> str:
    """A value as the form offered it: a choice by its label (each of a multiple choice),
    anything else as a clerk reads it."""
    if isinstance(value, list | tuple):
        return ", ".join(_as_chosen(one, choices) for one in value) or "–"
    try:
        label = choices.get(value)
    except TypeError:  # unhashable: not one of the choices
        label = None
    return str(label) if label is not None else as_read(value)
