"""Groups and participants of a workshop, for the facilitator (the secretariat of the
workshop's arena), on the pages' forms (`GroupForm`, `ParticipantForm`) and services. A new
or renewed group link is returned to the facilitator only; a DELETE carries the `version`
read (a newer stored version answers 409 and nothing is deleted)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from samarbeid.accounts.permissions import is_internal
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import deleted, writes
from samarbeid.core.api_forms import api_create, bind, valid
from samarbeid.core.api_schemas import DeleteVersion, MunicipalityNumber, Problem, ref
from samarbeid.registry.services import resolve_number
from samarbeid.workshops.api.access import (
    group_for,
    participant_for,
    workshop_for,
)
from samarbeid.workshops.forms import GroupForm, ParticipantForm
from samarbeid.workshops.models import Group, Participant, Workshop
from samarbeid.workshops.services.groups import (
    add_group,
    add_participant,
    delete_group,
    remove_participant,
    renew_group_link,
)

router = Router(tags=["workshops"])


class WorkshopParticipantOut(Schema):
    id: int
    name: str
    municipality: MunicipalityNumber | None
    group: str | None

    @staticmethod
    def resolve_group(obj: Participant) -> str | None:
        return obj.group.name if obj.group else None


class WorkshopParticipantDetailOut(WorkshopParticipantOut):
    version: int = Field(description="Send it with a DELETE")
    role: str
    group_id: int | None


class WorkshopGroupOut(Schema):
    id: int
    workshop: int = ref("workshop")
    name: str
    link: str = Field(description="The group's secret link to its answer page")
    version: int

    @staticmethod
    def resolve_link(obj: Group, context: dict[str, Any]) -> str:
        return str(context["request"].build_absolute_uri(obj.get_group_url()))


class WorkshopGroupListOut(Schema):
    id: int
    workshop: int = ref("workshop")
    name: str
    answers: int = Field(alias="answer_count", description="Questions the group has answered")
    version: int


# --- Reads --------------------------------------------------------------------------------


@router.get(
    "/workshops/{workshop_id}/groups",
    response={200: list[WorkshopGroupListOut], 404: Problem},
    summary="The groups of one workshop (without their links)",
)
def list_groups(request: HttpRequest, workshop_id: int) -> QuerySet[Group]:
    workshop = workshop_for(request, workshop_id)
    return workshop.groups.annotate(answer_count=Count("answers")).order_by("name", "id")


@router.get(
    "/workshops/{workshop_id}/group-links",
    **writes(200, list[WorkshopGroupOut]),
    summary="The groups' secret links, for the facilitator (the links page)",
    description="The secretariat of the workshop's arena only; others who see it get 403.",
)
def list_group_links(request: HttpRequest, workshop_id: int) -> QuerySet[Group]:
    workshop = workshop_for(request, workshop_id, change=True)
    return workshop.groups.all()


@router.get(
    "/workshops/{workshop_id}/participants",
    response={200: list[WorkshopParticipantDetailOut], 404: Problem},
    summary="The participants of one workshop",
    description="Names of people are shown to signed-in users of the organisation only; "
    "others get an empty list.",
)
def list_participants(request: HttpRequest, workshop_id: int) -> Iterable[Participant]:
    workshop = workshop_for(request, workshop_id)
    if not is_internal(request.user):
        return []
    return workshop.participants.select_related("municipality", "group")


# --- Writes -------------------------------------------------------------------------------


class WorkshopGroupIn(Schema):
    name: str = Field(min_length=1, max_length=100)


class WorkshopParticipantIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    municipality: str | None = Field(None, pattern=r"^\d{4}$", description="Municipality number")
    role: str = Field("", max_length=100)
    group: int | None = Field(None, description="A group of the same workshop")


@router.post(
    "/workshops/{workshop_id}/groups",
    **writes(201, WorkshopGroupOut),
    summary="Add a group with a fresh link",
)
def create_group_api(
    request: HttpRequest, workshop_id: int, payload: WorkshopGroupIn
) -> Status[Group]:
    workshop = workshop_for(request, workshop_id, change=True)
    form = valid(bind(GroupForm, payload.dict()))
    group = add_group(workshop, form.cleaned_data["name"], actor=request.user, channel=Channel.API)
    return Status(201, group)


@router.post(
    "/workshop-groups/{group_id}/renew-link",
    **writes(200, WorkshopGroupOut),
    summary="Give a group a new link (the old one stops working)",
)
def renew_group_link_api(request: HttpRequest, group_id: int) -> Group:
    group = group_for(request, group_id)
    renew_group_link(group, actor=request.user, channel=Channel.API)
    return group


@router.delete(
    "/workshop-groups/{group_id}",
    **writes(204, None),
    summary="Delete a group that has not answered",
    description="Send the `version` you read (a renewed link is a newer version).",
)
def delete_group_api(request: HttpRequest, group_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, group_for(request, group_id), delete_group, version)


def _municipality_id(workshop: Workshop, number: str | None) -> int | None:
    """The municipality a number named on the workshop's day (else as it is now)."""
    if not number:
        return None
    municipality = resolve_number(number, workshop.date) or resolve_number(number)
    if municipality is None:
        raise ValidationError({"municipality": _("Ukjent kommunenummer.")})
    return municipality.pk


@router.post(
    "/workshops/{workshop_id}/participants",
    **writes(201, WorkshopParticipantOut),
    summary="Add a participant (optionally placed in a group)",
)
def create_participant_api(
    request: HttpRequest, workshop_id: int, payload: WorkshopParticipantIn
) -> Status[Participant]:
    workshop = workshop_for(request, workshop_id, change=True)
    values = payload.dict() | {"municipality": _municipality_id(workshop, payload.municipality)}
    form = bind(ParticipantForm, values, workshop=workshop)
    participant = api_create(request, form, add_participant, workshop=workshop)
    return Status(201, participant)


@router.delete(
    "/workshop-participants/{participant_id}",
    **writes(204, None),
    summary="Remove a participant",
    description="Send the `version` you read.",
)
def delete_participant_api(
    request: HttpRequest, participant_id: int, version: DeleteVersion
) -> Status[None]:
    participant = participant_for(request, participant_id)
    return deleted(request, participant, remove_participant, version)
