from django import forms, template
from django.db import models

from samarbeid.core.readable import as_read

register = template.Library()


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
        stored_text = display() if callable(display) else as_read(theirs)
        choices = dict(getattr(field.field, "choices", None) or ())
        typed_text = str(choices.get(mine, as_read(mine))) if choices else as_read(mine)
        rows.append((str(field.label), stored_text, typed_text))
    return rows
