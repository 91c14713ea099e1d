"""Fast choice labels for list pages.

Django's `get_FOO_display()` rebuilds a dict of every choice, hashing each lazily
translated label (which translates it) on every call: on a list of 50 rows with two choice
columns that is thousands of translations and most of the page's time. This mixin keeps
one label table per field and language instead.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_LABELS: dict[tuple[int, str], dict[Any, str]] = {}


def choice_label(field: models.Field[Any, Any], value: Any) -> Any:
    """The label of `value` among `field`'s choices in the active language (the value itself
    when it is not a choice, as Django does)."""
    key = (id(field), get_language() or "")
    labels = _LABELS.get(key)
    if labels is None:
        labels = {make_hashable(v): str(label) for v, label in field.flatchoices}
        _LABELS[key] = labels
    return labels.get(make_hashable(value), value)


class FastChoiceDisplay(models.Model):
    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        return choice_label(field, getattr(self, field.attname))
