"""Allocation keys in the API: read, made, changed and deleted (with the page's form,
KeyForm), usage and fixed percentages."""

import copy
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.accounts.permissions import require
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_forms import bind, record_for, valid
from samarbeid.core.api_schemas import WRITE_ERRORS, DeleteVersion, Problem, money
from samarbeid.core.paging import Pagination
from samarbeid.finance.access import (
    can_manage_finance,
    keys_visible_to,
)
from samarbeid.finance.api.common import ArenaYearFilter, Mapped, Money, Year
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
    arena: int
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
    KeyOut = with_weights(_KeyOut, lambda c: (str, ...))
    KeyIn = with_weights(
        _KeyIn,
        lambda c: (Decimal | None, Field(None, description="Not sent: 0, or the standard key's")),
    )
    KeyPatch = with_weights(
        _KeyPatch, lambda c: (Decimal | None, Field(None, ge=0, le=100, decimal_places=2))
    )


def key_out(key: AllocationKey) -> dict[str, Any]:
    return {
        "id": key.pk,
        "version": key.version,
        "arena": key.arena_id,
        "name": key.name,
        "description": key.description,
        **{c.name: f"{weight:.2f}" for c, weight in key.weights},
        "population_year": key.population_year,
        "is_example_data": key.is_example_data,
    }


@router.get("/finance/keys", response=list[KeyOut], summary="List allocation keys")
@paginate(Pagination)
def list_keys(request: HttpRequest, filters: Query[ArenaYearFilter]) -> list[dict[str, Any]]:
    keys = keys_visible_to(request.user).order_by("arena_id", "name")
    if filters.arena:
        keys = keys.filter(arena_id=filters.arena)
    return Mapped(keys, key_out)  # type: ignore[return-value]


@router.get("/finance/keys/{key_id}", response={200: KeyOut, 404: Problem}, summary="One key")
def get_key(request: HttpRequest, key_id: int) -> dict[str, Any]:
    key = get_object_or_404(keys_visible_to(request.user), pk=key_id)
    return key_out(key)


@router.post(
    "/finance/keys",
    response={201: KeyOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Create an allocation key",
    description="The arena's secretariat may. The weights must add up to 100.",
)
def create_key_api(request: HttpRequest, payload: KeyIn) -> Status[dict[str, Any]]:
    arena = record_for(
        request.user,
        Arena.objects.visible_to(request.user),
        payload.arena,
        may_change=can_manage_finance,
    )
    key: AllocationKey = valid(bind(KeyForm, payload.dict(exclude={"arena"}))).save(commit=False)
    key.arena = arena
    create_key(key, actor=request.user, channel=Channel.API)
    return Status(201, key_out(key))


def _managed_key(request: HttpRequest, key_id: int) -> AllocationKey:
    key = get_object_or_404(keys_visible_to(request.user).select_related("arena"), pk=key_id)
    require(can_manage_finance(request.user, key.arena))
    return key


@router.patch(
    "/finance/keys/{key_id}",
    response={200: KeyOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Change an allocation key",
    description=(
        "The arena's secretariat may. Send the `version` you read. The weights must add up "
        "to 100; they cannot change once a budget using the key is invoiced."
    ),
)
def update_key_api(request: HttpRequest, key_id: int, payload: KeyPatch) -> dict[str, Any]:
    key = _managed_key(request, key_id)
    changes = payload.dict(exclude_unset=True)
    for name in ("name", "description", *COMPONENTS):
        if name in changes and changes[name] is None:
            changes.pop(name)  # null: unchanged (these fields cannot be empty)
    if changes.get("preset"):
        # the page's rule: the standard key gives the weights not sent, and must agree
        # with those sent (a weight not sent is blank, not the stored one)
        changes = {**dict.fromkeys(COMPONENTS), **changes}
    stored = copy.copy(key)  # validating writes the payload into the form's instance
    form = valid(bind(KeyForm, changes, instance=key))
    update_key(
        stored,
        form.changes(),
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return key_out(stored)


@router.delete(
    "/finance/keys/{key_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Delete an allocation key no budget line uses",
    description="Send the `version` you read: a newer stored version answers 409 and nothing "
    "is deleted.",
)
def delete_key_api(request: HttpRequest, key_id: int, version: DeleteVersion) -> Status[None]:
    key = _managed_key(request, key_id)
    delete_key(key, expected_version=version, actor=request.user, channel=Channel.API)
    return Status(204, None)


class UsageIn(Schema):
    municipality: str = Field(pattern=r"^\d{4}$", description="Number of a member municipality")
    year: Year
    units: Money


class UsageOut(Schema):
    key: int
    municipality: str
    year: int
    units: str


class FixedIn(Schema):
    municipality: str = Field(pattern=r"^\d{4}$", description="Number of a member municipality")
    percent: Decimal = Field(ge=0, le=100, decimal_places=4)


class FixedOut(Schema):
    key: int
    municipality: str
    percent: str


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
    response={201: UsageOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record a member's units of usage for a year (replaces an earlier figure)",
)
def set_usage_api(request: HttpRequest, key_id: int, payload: UsageIn) -> Status[dict[str, Any]]:
    key = _managed_key(request, key_id)
    municipality = _member(key, payload.municipality, payload.year)
    usage: KeyUsage = set_usage(
        key,
        municipality,
        payload.year,
        Decimal(payload.units),
        actor=request.user,
        channel=Channel.API,
    )
    return Status(
        201,
        {
            "key": key.pk,
            "municipality": municipality.number,
            "year": usage.year,
            "units": money(usage.units),
        },
    )


@router.post(
    "/finance/keys/{key_id}/fixed-percents",
    response={201: FixedOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Record a member's negotiated percentage (replaces an earlier one)",
)
def set_fixed_percent_api(
    request: HttpRequest, key_id: int, payload: FixedIn
) -> Status[dict[str, Any]]:
    key = _managed_key(request, key_id)
    municipality = _member(key, payload.municipality, None)
    fixed: KeyFixedPercent = set_fixed_percent(
        key, municipality, payload.percent, actor=request.user, channel=Channel.API
    )
    return Status(
        201,
        {
            "key": key.pk,
            "municipality": municipality.number,
            "percent": f"{Decimal(fixed.percent):.4f}",
        },
    )
