"""What a governance API write refers to, found as the page's form offers it; the day a
read judges against."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from samarbeid.core.records import record_for


def referenced(form: forms.BaseForm, values: Mapping[str, Any], *names: str) -> None:
    """404 for a reference the caller may not see: an id in `values` that is not among the
    form's choices for that field (a form built for the caller offers only what they may
    see), so an unpublished arena reads as missing, not as a bad choice."""
    for name in names:
        pk = values.get(name)
        if pk is not None:
            field = form.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            assert field.queryset is not None
            record_for(None, field.queryset, pk)


# `?per=`: the day a read judges against (overdue, pending, ceased), checked by the page's
# form (`as_of.AsOfForm`: 422 naming `per` for a value that is not a date).
PER_HELP = "Judge as of this day (ISO date, e.g. 2007-10-01); empty: today"
