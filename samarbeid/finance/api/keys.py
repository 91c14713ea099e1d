"""Allocation keys in the API: read, made, changed and deleted (with the page's form,
KeyForm), usage and fixed percentages."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import Finder, deleted, narrowed, sent, through, writes
from samarbeid.core.api_forms import api_create, api_update, bind
from samarbeid.core.api_schemas import (
    DeleteVersion,
    MoneyIn,
    MoneyOut,
    Percent4Out,
    Problem,
    ref,
)
from samarbeid.core.paging import Pagination
from samarbeid.core.records import record_for
from samarbeid.finance.access import (
    keys_visible_to,
    manages_finance,
)
from samarbeid.finance.api.common import ArenaYearFilter, Year, managed_arena
from samarbeid.finance.api.components import with_weights
from samarbeid.finance.forms import KeyForm
from samarbeid.finance.keys import (
    create_key,
    delete_key,
    set_fixed_percent,
    set_usage,
    update_key,
)
from samarbeid.finance.models import (
    AllocationKey,
    KeyFixedPercent,
    KeyUsage,
)
from samarbeid.lib.allocation import COMPONENTS
from samarbeid.registry.models import Municipality

# Keys -------------------------------------------------------------------------------------------


router = Router(tags=["finance"])


class _KeyOut(Schema):
    id: int
    version: int
    arena: int = ref("arena")
    name: str
    description: str
    population_year: int | None = Field(description="Empty: the year before the budget year")
    is_example_data: bool


def _preset_field() -> Any:
    return Field(
        None,
        description=(
            "A standard key (equal, per_capita, 50/50, 30/70) giving the weights not sent; "
            "a weight sent must equal the standard key's, else 422"
        ),
    )


class _KeyIn(Schema):
    arena: int
    name: str
    description: str = ""
    preset: str | None = _preset_field()
    population_year: int | None = None


class _KeyPatch(Schema):
    version: int = Field(description="The version you read; a newer stored version answers 409")
    name: str | None = None
    description: str | None = None
    preset: str | None = _preset_field()
    population_year: Year | None = None


# One weight field for each declared component (lib.allocation.DECLARATION), in percent.
if TYPE_CHECKING:  # the fields are added at runtime; mypy sees the fixed ones
    KeyOut = _KeyOut
    KeyIn = _KeyIn
    KeyPatch = _KeyPatch
else:
    KeyOut = with_weights(_KeyOut, lambda c: (MoneyOut, ...))
    KeyIn = with_weights(
        _KeyIn,
        lambda c: (Decimal | None, Field(None, description="Not sent: 0, or the standard key's")),
    )
    KeyPatch = with_weights(
        _KeyPatch, lambda c: (Decimal | None, Field(None, ge=0, le=100, decimal_places=2))
    )


# A key the caller sees (else 404) and whose arena's finances they manage (403).
_key = Finder(
    lambda user: keys_visible_to(user).select_related("arena"),
    through("arena", manages_finance),
)


@router.get("/finance/keys", response=list[KeyOut], summary="List allocation keys")
@paginate(Pagination)
def list_keys(request: HttpRequest, filters: Query[ArenaYearFilter]) -> QuerySet[AllocationKey]:
    keys = keys_visible_to(request.user).order_by("arena_id", "name")
    return narrowed(keys, arena=filters.arena)


@router.get("/finance/keys/{key_id}", response={200: KeyOut, 404: Problem}, summary="One key")
def get_key(request: HttpRequest, key_id: int) -> AllocationKey:
    return record_for(request.user, keys_visible_to(request.user), key_id)


@router.post(
    "/finance/keys",
    **writes(201, KeyOut),
    summary="Create an allocation key",
    description="The arena's secretariat may. The weights must add up to 100.",
)
def create_key_api(request: HttpRequest, payload: KeyIn) -> Status[AllocationKey]:
    arena = managed_arena(request, payload.arena)
    form = bind(KeyForm, payload.dict(exclude={"arena"}))
    return Status(201, api_create(request, form, create_key, arena=arena))


@router.patch(
    "/finance/keys/{key_id}",
    **writes(200, KeyOut),
    summary="Change an allocation key",
    description=(
        "The arena's secretariat may. Send the `version` you read. The weights must add up "
        "to 100; they cannot change once a budget using the key is invoiced."
    ),
)
def update_key_api(request: HttpRequest, key_id: int, payload: KeyPatch) -> AllocationKey:
    key = _key(request, key_id, change=True)
    changes = sent(payload, keep_on_null={"name", "description", *COMPONENTS})
    if changes.get("preset"):
        # the page's rule: the standard key gives the weights not sent, and must agree
        # with those sent (a weight not sent is blank, not the stored one)
        changes = {**dict.fromkeys(COMPONENTS), **changes}
    return api_update(
        request, bind(KeyForm, changes, instance=key), update_key, version=payload.version
    )


@router.delete(
    "/finance/keys/{key_id}",
    **writes(204, None),
    summary="Delete an allocation key no budget line uses",
    description="Send the `version` you read: a newer stored version answers 409 and nothing "
    "is deleted.",
)
def delete_key_api(request: HttpRequest, key_id: int, version: DeleteVersion) -> Status[None]:
    key = _key(request, key_id, change=True)
    return deleted(request, key, delete_key, version)


class UsageIn(Schema):
    municipality: str = Field(pattern=r"^\d{4}$", description="Number of a member municipality")
    year: Year
    units: MoneyIn


class UsageOut(Schema):
    key: int = ref("key")
    municipality: str = Field(alias="municipality.number")
    year: int
    units: MoneyOut


class FixedIn(Schema):
    municipality: str = Field(pattern=r"^\d{4}$", description="Number of a member municipality")
    percent: Decimal = Field(ge=0, le=100, decimal_places=4)


class FixedOut(Schema):
    key: int = ref("key")
    municipality: str = Field(alias="municipality.number")
    percent: Percent4Out


def _member(key: AllocationKey, number: str, year: int | None) -> Municipality:
    """The arena's member municipality with `number` (in `year`, when several held it)."""
    found = list(
        Municipality.objects.filter(memberships__arena=key.arena, number=number)
        .distinct()
        .order_by("valid_from")
    )
    if year is not None and len(found) > 1:
        day = date(year, 1, 1)
        found = [m for m in found if m.is_valid_on(day)] or found[-1:]
    if not found:
        raise ValidationError(
            {"municipality": _("%(number)s er ikke medlem av arenaen.") % {"number": number}}
        )
    return found[-1]


@router.post(
    "/finance/keys/{key_id}/usages",
    **writes(201, UsageOut),
    summary="Record a member's units of usage for a year (replaces an earlier figure)",
)
def set_usage_api(request: HttpRequest, key_id: int, payload: UsageIn) -> Status[KeyUsage]:
    key = _key(request, key_id, change=True)
    municipality = _member(key, payload.municipality, payload.year)
    usage = set_usage(
        key,
        municipality,
        payload.year,
        Decimal(payload.units),
        actor=request.user,
        channel=Channel.API,
    )
    return Status(201, usage)


@router.post(
    "/finance/keys/{key_id}/fixed-percents",
    **writes(201, FixedOut),
    summary="Record a member's negotiated percentage (replaces an earlier one)",
)
def set_fixed_percent_api(
    request: HttpRequest, key_id: int, payload: FixedIn
) -> Status[KeyFixedPercent]:
    key = _key(request, key_id, change=True)
    municipality = _member(key, payload.municipality, None)
    fixed = set_fixed_percent(
        key, municipality, payload.percent, actor=request.user, channel=Channel.API
    )
    return Status(201, fixed)
