"""API for an arena's bodies and their members."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.arenas.models import Arena
from samarbeid.core.api_endpoints import Finder, deleted, narrowed, sent, through, writes
from samarbeid.core.api_forms import api_create, api_update, bind
from samarbeid.core.api_schemas import DeleteVersion, Problem, ref
from samarbeid.core.paging import Pagination
from samarbeid.core.public_cache import public_cache
from samarbeid.meetings.api.body_rows import BodyRows
from samarbeid.meetings.api.common import BodyMemberOut, ReadsRows, find_body, municipality_id
from samarbeid.meetings.forms import BodyForm, MemberForm
from samarbeid.meetings.models import Body, BodyMember
from samarbeid.meetings.services.bodies import (
    add_member,
    create_body,
    delete_body,
    delete_member,
    update_body,
    update_member,
)
from samarbeid.meetings.visibility import may_write

router = Router()


class BodyOut(ReadsRows):
    id: int
    version: int
    arena: int = ref("arena")
    kind: Body.Kind
    name: str
    description: str
    modified: dt.datetime
    is_example_data: bool
    members: list[BodyMemberOut]

    @staticmethod
    def resolve_members(body: Body) -> list[BodyMember]:
        return list(body.members.all())


def _visible_members(user: Any) -> QuerySet[BodyMember]:
    return BodyMember.objects.filter(body__in=Body.objects.visible_to(user)).select_related(
        "body__arena", "municipality"
    )


_member = Finder(_visible_members, through("body.arena", may_write))


class BodyFilter(Schema):
    arena: int | None = Field(None, description="An arena's id")


@router.get("/meetings/bodies", response=list[BodyOut], summary="List bodies of arenas")
@decorate_view(public_cache)  # the public's list, built once a data version
@paginate(Pagination)
def list_bodies(request: HttpRequest, filters: Query[BodyFilter]) -> BodyRows:
    bodies = narrowed(Body.objects.visible_to(request.user), arena_id=filters.arena)
    return BodyRows(bodies.order_by("arena", "name", "pk"))


@router.get(
    "/meetings/bodies/{body_id}",
    response={200: BodyOut, 404: Problem},
    summary="One body with its members",
)
def get_body(request: HttpRequest, body_id: int) -> Body:
    return find_body(request, body_id)


class BodyIn(Schema):
    kind: Body.Kind
    name: str = Field(min_length=1, max_length=200)
    description: str = ""


class BodyPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    kind: Body.Kind | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = None


@router.post(
    "/meetings/arenas/{arena_id}/bodies",
    **writes(201, BodyOut),
    summary="Record a body of an arena",
    description="The arena's secretariat.",
)
def post_body(request: HttpRequest, arena_id: int, payload: BodyIn) -> Status[Body]:
    arena = get_object_or_404(Arena.objects.visible_to(request.user), pk=arena_id)
    body = api_create(request, bind(BodyForm, payload.dict()), create_body, arena=arena)
    return Status(201, find_body.records(request).get(pk=body.pk))


@router.patch(
    "/meetings/bodies/{body_id}", **writes(200, BodyOut), summary="Change a body (version read)"
)
def patch_body(request: HttpRequest, body_id: int, payload: BodyPatch) -> Body:
    body = find_body(request, body_id, change=True)
    form = bind(BodyForm, sent(payload, keep_on_null={"kind", "name"}), instance=body)
    api_update(request, form, update_body, version=payload.version)
    return find_body.records(request).get(pk=body.pk)


class BodyMemberIn(Schema):
    municipality: str | None = Field(None, pattern=r"^\d{4}$", description="Municipality number")
    person: str = Field(min_length=1, max_length=200)
    role: BodyMember.Role = BodyMember.Role.MEMBER
    valid_from: dt.date
    valid_to: dt.date | None = None


class BodyMemberPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    person: str | None = Field(None, min_length=1, max_length=200)
    role: BodyMember.Role | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


@router.post(
    "/meetings/bodies/{body_id}/members",
    **writes(201, BodyMemberOut),
    summary="Record a member of a body",
)
def post_member(request: HttpRequest, body_id: int, payload: BodyMemberIn) -> Status[BodyMember]:
    body = find_body(request, body_id, change=True)
    data = payload.dict() | {"municipality": municipality_id(payload.municipality)}
    member = api_create(request, bind(MemberForm, data), add_member, body=body)
    return Status(201, _member.records(request).get(pk=member.pk))


@router.patch(
    "/meetings/members/{member_id}",
    **writes(200, BodyMemberOut),
    summary="Change a member's seat (version read)",
    description=(
        "Refused (422, on `valid_from` or `valid_to`) when the period would leave out a "
        "meeting at which the minutes record the member present, or at which the seat's "
        "municipality voted with it as its only seat; the refusal names the meetings."
    ),
)
def patch_member(request: HttpRequest, member_id: int, payload: BodyMemberPatch) -> BodyMember:
    member = _member(request, member_id, change=True)
    form = bind(
        MemberForm, sent(payload, keep_on_null={"person", "role", "valid_from"}), instance=member
    )
    api_update(request, form, update_member, version=payload.version)
    return _member.records(request).get(pk=member.pk)


@router.delete(
    "/meetings/bodies/{body_id}",
    **writes(204, None),
    summary="Delete a body with its members",
    description="Refused (422) while the body has meetings. Send the `version` you read.",
)
def delete_body_api(request: HttpRequest, body_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, find_body(request, body_id, change=True), delete_body, version)


@router.delete(
    "/meetings/members/{member_id}",
    **writes(204, None),
    summary="Delete a member recorded by mistake",
    description=(
        "Refused (422) once minutes name the member as present, or its municipality voted "
        "at a meeting with it as its only seat (set `valid_to` instead). Send the `version` "
        "you read."
    ),
)
def delete_member_api(request: HttpRequest, member_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, _member(request, member_id, change=True), delete_member, version)
