"""Choice labels (core.choices): the same labels as Django's, in the active language."""

from __future__ import annotations

from django.utils import translation

from samarbeid.arenas.models import Arena


def test_label_follows_the_active_language() -> None:
    arena = Arena(kind=Arena.Kind.REGIONAL_COUNCIL, status=Arena.Status.ACTIVE)
    with translation.override("nb"):
        norwegian = arena.get_kind_display()
    with translation.override("en"):
        english = arena.get_kind_display()
    assert norwegian == str(Arena.Kind.REGIONAL_COUNCIL.label)
    assert english != norwegian
    with translation.override("en"):
        assert english == str(Arena.Kind.REGIONAL_COUNCIL.label)


def test_a_value_that_is_not_a_choice_shows_as_itself() -> None:
    assert Arena(kind="noe-annet").get_kind_display() == "noe-annet"
