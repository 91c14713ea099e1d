"""The shapes every app's API repeats, each named once, so an endpoint writes only what is
particular to it.

- A list: `narrowed(queryset, arena=filters.arena, year=filters.year)` under `@paginate`,
  returning the queryset (the output schema reads the instances of the page only), or
  `counted_once(queryset)` for a national list whose total is counted once per data version.
- One record: an aggregate's `Finder` (what a user may see → 404, who may change → 403).
- A DELETE: `deleted(request, record, delete_x, version)` → 204 with the version read.
- A PATCH: `sent(payload, keep_on_null=…)`, the fields the caller sent; `not_null(data,
  names)` refuses a null for a field that cannot be empty.
- Any write: `**writes(status, Out)`, its authentication and declared errors.

Creating and changing through the page's form are `core.api_forms.api_create`/`api_update`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from operator import attrgetter
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Schema, Status

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.audit.models import Channel
from samarbeid.core.api_schemas import WRITE_ERRORS
from samarbeid.core.paging import MappedQuerySet
from samarbeid.core.records import record_for

M = TypeVar("M", bound=models.Model)
Q = TypeVar("Q", bound=models.QuerySet[Any])

Rule = Callable[[Any, Any], bool]


def writes(status: int, out: Any) -> dict[str, Any]:
    """A write operation's options (`@router.post(path, **writes(201, Out), summary=…)`):
    the caller's token or signed-in session (WRITE_AUTH), and the answer `status: out` beside
    the errors every write declares (401, 403, 404, 409, 422) so the OpenAPI document lists
    them."""
    return {"response": {status: out, **WRITE_ERRORS}, "auth": WRITE_AUTH}


def narrowed(queryset: Q, **filters: Any) -> Q:
    """`queryset` limited by each filter the caller gave (`arena=`, `year=`, `status=`); a
    filter not given (None, 0, empty) limits nothing."""
    return queryset.filter(**{name: value for name, value in filters.items() if value})


def counted_once(queryset: models.QuerySet[M]) -> MappedQuerySet[M]:
    """A list's records as they are, for `@paginate`, whose total is counted once per data
    version (`core.paging.MappedQuerySet`), not again for every page asked for."""
    return MappedQuerySet(queryset, _as_is)


def _as_is(record: M) -> M:
    return record


def through(path: str, rule: Rule) -> Rule:
    """A rule about a related record as a rule about the record: `through("round.arena",
    can_edit_arena)` lets the arena's editors change a round's items."""
    related = attrgetter(path)
    return lambda user, record: rule(user, related(record))


class Finder(Generic[M]):
    """How an aggregate's endpoints find one of its records for the caller: `visible(user)`
    holds what the user may see (anything else answers 404), `may_change(user, record)` who
    may change it (asked with `change=True`: 403 for those who may only see it)."""

    def __init__(
        self, visible: Callable[[Any], models.QuerySet[M]], may_change: Callable[[Any, M], bool]
    ) -> None:
        self.visible = visible
        self.may_change = may_change

    def __call__(self, request: HttpRequest, pk: Any, *, change: bool = False) -> M:
        return record_for(
            request.user,
            self.visible(request.user),
            pk,
            may_change=self.may_change if change else None,
        )

    def records(self, request: HttpRequest) -> models.QuerySet[M]:
        """Every record the caller may see."""
        return self.visible(request.user)


def deleted(
    request: HttpRequest, record: models.Model, delete: Callable[..., Any], version: int
) -> Status[None]:
    """The DELETE step: the service `delete(record, expected_version=version, actor=,
    channel=API)` (409 when someone saved since `version` was read, nothing deleted), 204."""
    delete(record, expected_version=version, actor=request.user, channel=Channel.API)
    return Status(204, None)


def sent(payload: Schema, *, keep_on_null: Collection[str] = ()) -> dict[str, Any]:
    """A PATCH's fields as the caller sent them. A field named in `keep_on_null` sent as null
    is left out: it cannot be empty, so null means unchanged."""
    return {
        name: value
        for name, value in payload.dict(exclude_unset=True).items()
        if value is not None or name not in keep_on_null
    }


def not_null(data: Mapping[str, Any], names: Collection[str]) -> None:
    """Refuse (422, naming the field) a null sent for one of `names`: the field cannot be
    empty, and the page's form would read null as empty. A field left out is not refused."""
    for name, value in data.items():
        if value is None and name in names:
            raise ValidationError({name: gettext("Feltet kan ikke være tomt.")})
