"""Choosing an arena: arenas that share a name ("Regionrådet", once per region) are told
apart in the list by their `choice_label` ("Regionrådet (RR-H, 2004)"); the others keep
their name."""

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


class ArenaIterator(ModelChoiceIterator):
    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        arenas = list(self.queryset)
        shared = {name for name, n in Counter(a.name for a in arenas).items() if n > 1}
        for arena in arenas:
            value, label = self.choice(arena)
            yield value, arena.choice_label if arena.name in shared else label


class ArenaChoiceField(_ModelChoiceField):
    """A ModelChoiceField of arenas, same-named arenas told apart."""

    iterator = ArenaIterator
