"""What the financing API's parts share: money and years as the API takes them, and
the arena a write needs the caller to manage."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import Field, ValidationInfo, model_validator

from samarbeid.arenas.models import Arena
from samarbeid.finance.access import (
    require_manage_finance,
)


class KeptAnswer(Schema):
    """An output schema that reads a record (through its `resolve_*` methods and aliases) and
    also takes the answer it wrote, as the answer of an `Idempotency-Key` POST is kept
    (`core.idempotency`: the endpoint answers `Out.from_orm(record)`, JSON values are stored)
    and replayed (a dict of the schema's own fields, which the resolvers must not read
    again)."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: Any, info: ValidationInfo) -> Any:
        # the name of ninja's validator, which this replaces: a record is read through
        # ninja's getter (resolvers, dotted aliases); an answer already written is taken as is
        if isinstance(values, dict | cls):
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


Year = Annotated[int, Field(ge=1900, le=2100)]


def managed_arena(request: HttpRequest, arena_id: int) -> Arena:
    """An arena the caller sees (else 404) and whose finances they manage (else 403)."""
    arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=arena_id)
    require_manage_finance(request.user, arena)
    return arena


class ArenaYearFilter(Schema):
    arena: int | None = None
    year: int | None = None
