"""The demo's records (`<app>/demo.py`): invented, so marked as example data, and written
through the record's own service on the command channel, as every write is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model

from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor

RecordT = TypeVar("RecordT", bound=Model)


def example(
    write: Callable[..., RecordT], model: type[Model], actor: Actor, /, **fields: Any
) -> RecordT:
    """`model(**fields)` marked as example data, written by the service `write` as `actor`."""
    return write(model(**fields, is_example_data=True), actor=actor, channel=Channel.COMMAND)
