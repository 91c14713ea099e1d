from datetime import date
from decimal import Decimal
from typing import Any

from django import forms, template
from django.db import models
from django.utils.translation import gettext as _

from samarbeid.lib.money import format_nok

register = template.Library()


def _shown(value: Any) -> str:
    """A value as a clerk reads it on a page: 'Ja'/'Nei', '12 500,50', '01.03.2006', a
    record by its name, '–' for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nei")
    if isinstance(value, Decimal):
        return format_nok(value, "nb")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, models.QuerySet | list | tuple):
        return ", ".join(_shown(v) for v in value) or "–"
    return str(value)


@register.simple_tag
def conflict_rows(form: forms.BaseForm, stored: models.Model | None) -> list[tuple[str, str, str]]:
    """The fields where the record as stored now differs from what the user sent, as
    (label, stored, typed), each as a clerk reads it: only what differs, no raw values."""
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
        display = getattr(stored, f"get_{name}_display", None)
        stored_text = display() if callable(display) else _shown(theirs)
        choices = dict(getattr(field.field, "choices", None) or ())
        typed_text = str(choices.get(mine, _shown(mine))) if choices else _shown(mine)
        rows.append((str(field.label), stored_text, typed_text))
    return rows
