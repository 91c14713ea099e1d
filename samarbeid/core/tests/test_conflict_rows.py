"""The conflict box names what differs in the clerk's words, for every kind of field."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django import forms

from samarbeid.core.templatetags.samarbeid import conflict_rows


class _Choices(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Påminnelser om",
        choices=[("runs", "Fakturakjøringer"), ("notices", "Innkallinger"), ("steps", "Steg")],
        required=False,
    )
    frequency = forms.ChoiceField(label="Hvor ofte", choices=[("daily", "Daglig")])


def _sent(**data: Any) -> _Choices:
    form = _Choices(data)
    assert form.is_valid(), form.errors
    return form


def test_a_multiple_choice_that_differs_is_shown_by_its_labels() -> None:
    form = _sent(kinds=["runs", "notices"], frequency="daily")
    stored: Any = SimpleNamespace(kinds=["steps"], frequency="daily")
    assert conflict_rows(form, stored) == [
        ("Påminnelser om", "Steg", "Fakturakjøringer, Innkallinger")
    ]


def test_a_multiple_choice_the_same_is_not_a_row_and_none_chosen_reads_as_nothing() -> None:
    stored: Any = SimpleNamespace(kinds=["runs"], frequency="daily")
    assert conflict_rows(_sent(kinds=["runs"], frequency="daily"), stored) == []
    assert conflict_rows(_sent(kinds=[], frequency="daily"), stored) == [
        ("Påminnelser om", "Fakturakjøringer", "–")
    ]
