"""API for arenas: open reads of what the caller may see, and writes (WRITE_AUTH) on the
arena page's form."""

from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.arenas.access import editable_arena, visible_arena
from samarbeid.arenas.forms import ArenaForm
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import (
    create_arena,
    update_arena,
)
from samarbeid.core.api_endpoints import counted_once, narrowed, not_null, writes
from samarbeid.core.api_forms import api_create, api_update, bind
from samarbeid.core.api_schemas import MunicipalityNumber, Problem, ref
from samarbeid.core.paging import MappedQuerySet, Pagination
from samarbeid.core.public_cache import public_cache
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import resolve_number, unknown_number

router = Router()


# Read and checked by the page's form (arenas.forms.OrganisationNumberField), in its words.
ORGANISATION_NUMBER = "9 digits with a MOD11 check digit, or in groups of three (974 575 086)"


class ArenaDecisionOut(Schema):
    id: int
    body: str
    body_label: str
    municipality: MunicipalityNumber | None
    case_number: str
    meeting_date: date | None
    outcome: str
    minutes_url: str


class MemberOut(Schema):
    id: int
    version: int
    municipality: MunicipalityNumber = Field(
        description="Municipality number at the time of the membership"
    )
    name: str = Field(alias="municipality.name")
    joined: date
    left: date | None
    decision: ArenaDecisionOut
    leave_decision: ArenaDecisionOut | None


class ArenaOut(Schema):
    id: int
    version: int = Field(description="Send it back with a change (optimistic locking)")
    name: str
    short_name: str
    kind: str
    legal_form: str
    status: str
    host_municipality: MunicipalityNumber | None
    parent: int | None = ref("parent")
    established: date | None
    ended: date | None
    transferred_to: int | None = ref("transferred_to")
    is_example_data: bool


class ArenaDetailOut(ArenaOut):
    purpose: str
    mandate: str
    primary_task: str
    legal_basis: str
    initiator: str
    initiator_municipality: MunicipalityNumber | None
    initiator_other: str
    status_reason: str
    children: list[int]
    members: list[MemberOut]

    @staticmethod
    def resolve_children(arena: Arena, context: dict[str, Any]) -> list[int]:
        visible = Arena.objects.visible_to(context["request"].user)
        return list(visible.filter(parent=arena).values_list("pk", flat=True))

    @staticmethod
    def resolve_members(arena: Arena) -> models.QuerySet[Membership]:
        return (
            Membership.objects.filter(arena=arena)
            .select_related(
                "municipality",
                "decision__municipality",
                "decision__arena",
                "leave_decision__municipality",
                "leave_decision__arena",
            )
            .order_by("joined", "municipality__number")
        )


class ArenaFilter(Schema):
    kind: Arena.Kind | None = None
    status: Arena.Status | None = None
    member: str | None = Field(
        None, pattern=r"^\d{4}$", description="Has (or had) this municipality number as member"
    )
    county: str | None = Field(None, pattern=r"^\d{2}$", description="Has a member in this county")


@router.get("/arenas", response=list[ArenaOut], summary="List arenas")
@decorate_view(public_cache)
@paginate(Pagination)
def list_arenas(request: HttpRequest, filters: Query[ArenaFilter]) -> MappedQuerySet[Arena]:
    queryset = Arena.objects.visible_to(request.user).select_related("host_municipality")
    queryset = narrowed(queryset, kind=filters.kind, status=filters.status)
    # membership filters as `IN (arena ids)`, not joins: a join would need DISTINCT, and
    # DISTINCT over every column makes the database sort every arena before paging
    if filters.member:
        queryset = queryset.filter(
            pk__in=Membership.objects.filter(municipality__number=filters.member).values("arena_id")
        )
    if filters.county:
        queryset = queryset.filter(
            pk__in=Membership.objects.filter(municipality__county_number=filters.county).values(
                "arena_id"
            )
        )
    # the page's rows as they are: the response schema reads them once (from_orm here
    # validated every row twice, half the endpoint's time)
    return counted_once(queryset.order_by("name", "id"))


@router.get(
    "/arenas/{arena_id}",
    response={200: ArenaDetailOut, 404: Problem},
    summary="One arena with its members over time",
)
def get_arena(request: HttpRequest, arena_id: int) -> Arena:
    return visible_arena(request.user, arena_id)


# --- Writes -------------------------------------------------------------------------------
# Every write needs a personal token (`Authorization: Bearer smb_…`) or the signed-in
# session with its CSRF token. An update carries the `version` it started from; a newer
# stored version answers 409.


def municipality_for(number: str | None, on: date | None, field: str) -> Municipality | None:
    if number is None:
        return None
    found = resolve_number(number, on)
    if found is None:
        raise ValidationError({field: unknown_number(number, on)})
    return found


def _arena(arena_id: int | None, user: object, field: str) -> Arena | None:
    if arena_id is None:
        return None
    found = Arena.objects.visible_to(user).filter(pk=arena_id).first()
    if found is None:
        raise ValidationError({field: f"No arena {arena_id}."})
    return found


class ArenaIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    short_name: str = Field(min_length=1, max_length=40)
    kind: Arena.Kind
    legal_form: Arena.LegalForm = Arena.LegalForm.NONE
    legal_basis: str = Field("", max_length=200)
    purpose: str = ""
    mandate: str = ""
    primary_task: str = ""
    initiator: Arena.Initiator | Literal[""] = ""
    initiator_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    initiator_other: str = Field("", max_length=200)
    host_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    parent: int | None = None
    established: date | None = None
    ended: date | None = None
    status: Arena.Status = Arena.Status.ACTIVE
    transferred_to: int | None = None
    status_reason: str = ""
    organisation_number: str = Field("", max_length=20, description=ORGANISATION_NUMBER)
    website: str = Field("", max_length=200)
    next_review: date | None = None
    published: bool = True


class ArenaPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    name: str | None = Field(None, min_length=1, max_length=200)
    short_name: str | None = Field(None, min_length=1, max_length=40)
    kind: Arena.Kind | None = None
    legal_form: Arena.LegalForm | None = None
    legal_basis: str | None = Field(None, max_length=200)
    purpose: str | None = None
    mandate: str | None = None
    primary_task: str | None = None
    initiator: Arena.Initiator | Literal[""] | None = None
    initiator_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    initiator_other: str | None = Field(None, max_length=200)
    host_municipality: str | None = Field(None, pattern=r"^\d{4}$")
    parent: int | None = None
    established: date | None = None
    ended: date | None = None
    status: Arena.Status | None = None
    transferred_to: int | None = None
    status_reason: str | None = None
    organisation_number: str | None = Field(None, max_length=20, description=ORGANISATION_NUMBER)
    website: str | None = Field(None, max_length=200)
    next_review: date | None = None
    published: bool | None = None


_ARENA_REFERENCES = {"initiator_municipality", "host_municipality", "parent", "transferred_to"}
_NOT_NULL_TEXT = {
    "name",
    "short_name",
    "kind",
    "legal_form",
    "legal_basis",
    "purpose",
    "mandate",
    "primary_task",
    "initiator",
    "initiator_other",
    "status",
    "status_reason",
    "organisation_number",
    "website",
    "published",
}


def _arena_values(data: dict[str, Any], user: object) -> dict[str, Any]:
    not_null(data, _NOT_NULL_TEXT)
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "version":
            continue
        if name in ("initiator_municipality", "host_municipality"):
            values[name] = municipality_for(value, None, name)
        elif name in ("parent", "transferred_to"):
            values[name] = _arena(value, user, name)
        elif hasattr(value, "value"):
            values[name] = value.value
        else:
            values[name] = value
    return values


def _arena_form(data: dict[str, Any], user: object, arena: Arena | None = None) -> ArenaForm:
    """The arena page's form, filled from the payload (references as the form's ids), to be
    validated with the page's rules (e.g. the organisation number's check digit)."""
    values = {
        name: value.pk if isinstance(value, models.Model) else value
        for name, value in _arena_values(data, user).items()
    }
    if "version" in data:
        values["version"] = data["version"]
    return bind(ArenaForm, values, instance=arena)


@router.post(
    "/arenas",
    **writes(201, ArenaOut),
    summary="Register an arena",
    description=(
        "The secretariat of the parent arena may register a sub-arena; a top-level arena, "
        "a secretariat for every arena."
    ),
)
def create_arena_api(request: HttpRequest, payload: ArenaIn) -> Status[Arena]:
    return Status(201, api_create(request, _arena_form(payload.dict(), request.user), create_arena))


@router.patch(
    "/arenas/{arena_id}",
    **writes(200, ArenaOut),
    summary="Change an arena",
    description="Send the `version` you read; a newer stored version answers 409.",
)
def update_arena_api(request: HttpRequest, arena_id: int, payload: ArenaPatch) -> Arena:
    arena = editable_arena(request.user, arena_id)
    form = _arena_form(payload.dict(exclude_unset=True), request.user, arena)
    return api_update(request, form, update_arena, version=payload.version)
