"""Choosing an arena: arenas that share a name are told apart in the list by their
`choice_label` ("Regionrådet (RR-H, 2004)"; `core.choice_fields`)."""

from __future__ import annotations

from samarbeid.core.choice_fields import ToldApartChoiceField


class ArenaChoiceField(ToldApartChoiceField):
    """A choice of arenas, same-named arenas told apart."""
