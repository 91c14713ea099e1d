"""Choosing among records of which some share a name ("Regionrådet", once per region): those
are told apart in the list by their `choice_label` ("Regionrådet (RR-H, 2004)"); the others
keep their name. Any model with `name` and `choice_label` can be chosen so."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.models import ModelChoiceIterator

if TYPE_CHECKING:
    _ModelChoiceField = forms.ModelChoiceField[Any]
else:  # generic only to the type checker
    _ModelChoiceField = forms.ModelChoiceField


class _ToldApart(ModelChoiceIterator):
    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        records = list(self.queryset)
        shared = {name for name, n in Counter(r.name for r in records).items() if n > 1}
        for record in records:
            value, label = self.choice(record)
            yield value, record.choice_label if record.name in shared else label


class ToldApartChoiceField(_ModelChoiceField):
    """A ModelChoiceField whose same-named records are told apart by their `choice_label`."""

    iterator = _ToldApart
