"""The allocation components in the API's schemas: one field for each component declared in
`lib.allocation.DECLARATION` (its weight, named as the component, or a participant's figure,
named and typed as its Participant attribute), so a component declared once is read and
written by the API without another list of names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, get_type_hints

from ninja import Schema
from pydantic import create_model

from samarbeid.lib.allocation import DECLARATION, Component, Participant

S = TypeVar("S", bound=Schema)


def with_weights(base: type[S], field: Callable[[Component], tuple[Any, Any]]) -> type[S]:
    """`base` (named `_Name`) as the schema `Name`, with a field for each component's
    weight: `field(component)` gives its (type, pydantic Field or default)."""
    return _schema(base, {c.name: field(c) for c in DECLARATION})


def with_figures(base: type[S]) -> type[S]:
    """`base` (named `_Name`) as the schema `Name`, with each component's participant
    figure, optional, typed as the Participant's attribute."""
    hints = get_type_hints(Participant)
    return _schema(
        base, {c.attribute: (hints[c.attribute], None) for c in DECLARATION if c.attribute}
    )


def _schema(base: type[S], fields: dict[str, Any]) -> type[S]:
    return create_model(
        base.__name__.lstrip("_"), __base__=base, __module__=base.__module__, **fields
    )
