"""API for meetings (plan, change, status, delete) and their agenda items."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import deleted, narrowed, sent, writes
from samarbeid.core.api_forms import api_create, api_update, bind
from samarbeid.core.api_schemas import DeleteVersion, Problem
from samarbeid.core.paging import Pagination
from samarbeid.core.public_cache import public_cache
from samarbeid.meetings.api.common import (
    AgendaItemOut,
    MeetingOut,
    NoticeDeliveryOut,
    find_body,
    find_item,
    find_meeting,
    form_data,
    readable_item,
    readable_items,
)
from samarbeid.meetings.forms import ItemForm, MeetingForm
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.services.meetings import (
    add_item,
    create_meeting,
    delete_item,
    delete_meeting,
    update_item,
    update_meeting,
)
from samarbeid.meetings.services.notice import NoticeDelivery, change_delivery
from samarbeid.meetings.services.status import change_status

router = Router()


def _delivery(record: Any) -> NoticeDelivery | None:
    return change_delivery(getattr(record, "sent_change", None))


class MeetingChangedOut(MeetingOut):
    delivery: NoticeDeliveryOut | None = Field(
        None,
        description="Who got the amended notice («Endret innkalling») by e-mail, when the "
        "change of day, time or place sent one; null otherwise",
    )

    @staticmethod
    def resolve_delivery(meeting: Meeting) -> NoticeDelivery | None:
        return _delivery(meeting)


class MeetingFilter(Schema):
    arena: int | None = Field(None, description="An arena's id")
    body: int | None = Field(None, description="A body's id")
    status: Meeting.Status | None = None


@router.get("/meetings", response=list[MeetingOut], summary="List meetings, newest first")
@decorate_view(public_cache)  # the public's list, built once a data version
@paginate(Pagination)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]) -> QuerySet[Meeting]:
    return narrowed(
        find_meeting.records(request),
        body__arena_id=filters.arena,
        body_id=filters.body,
        status=filters.status,
    ).order_by("-date", "-start_time", "pk")


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingOut, 404: Problem}, summary="One meeting"
)
def get_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return find_meeting(request, meeting_id)


TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


class MeetingIn(Schema):
    date: dt.date
    start_time: str = Field(pattern=TIME, description="Local time, HH:MM")
    end_time: str | None = Field(None, pattern=TIME, description="Local time, HH:MM")
    place: str = Field("", max_length=200)
    video_link: str = Field("", max_length=500)
    published: bool = True


class MeetingPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    date: dt.date | None = None
    start_time: str | None = Field(None, pattern=TIME, description="Local time, HH:MM")
    end_time: str | None = Field(None, pattern=TIME, description="Local time, HH:MM")
    place: str | None = Field(None, max_length=200)
    video_link: str | None = Field(None, max_length=500)
    published: bool | None = None


@router.post(
    "/meetings/bodies/{body_id}/meetings",
    **writes(201, MeetingOut),
    summary="Plan a meeting of a body",
)
def post_meeting(request: HttpRequest, body_id: int, payload: MeetingIn) -> Status[Meeting]:
    body = find_body(request, body_id, change=True)
    meeting = api_create(request, bind(MeetingForm, payload.dict()), create_meeting, body=body)
    return Status(201, meeting)


@router.patch(
    "/meetings/{meeting_id}",
    **writes(200, MeetingChangedOut),
    summary="Change a meeting's date, time, place (version read)",
    description="A change of what the notice said sends an amended notice: see `delivery`.",
)
def patch_meeting(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> Meeting:
    meeting = find_meeting(request, meeting_id, change=True)
    form = bind(
        MeetingForm,
        sent(payload, keep_on_null={"date", "start_time", "place", "video_link", "published"}),
        instance=meeting,
    )
    return api_update(request, form, update_meeting, version=payload.version)


@router.delete(
    "/meetings/{meeting_id}",
    **writes(204, None),
    summary="Delete a planned or cancelled meeting with its agenda and documents",
    description=(
        "Refused (422) for a meeting whose notice is out and that is not cancelled, and "
        "always for a held meeting (one with minutes is never deleted). Send the `version`."
    ),
)
def delete_meeting_api(
    request: HttpRequest, meeting_id: int, version: DeleteVersion
) -> Status[None]:
    return deleted(request, find_meeting(request, meeting_id, change=True), delete_meeting, version)


class MeetingStatusIn(Schema):
    version: int = Field(ge=1, description="The version read")
    status: Meeting.Status = Field(description="held, cancelled, or planned (again)")


@router.post(
    "/meetings/{meeting_id}/status",
    **writes(200, MeetingOut),
    summary="Move a meeting to its next status",
    description=(
        "planned → cancelled, notice sent → held or cancelled, cancelled → planned. The notice "
        "and the minutes' approval have their own operations."
    ),
)
def post_status(request: HttpRequest, meeting_id: int, payload: MeetingStatusIn) -> Meeting:
    meeting = find_meeting(request, meeting_id, change=True)
    if payload.status not in (
        Meeting.Status.HELD,
        Meeting.Status.CANCELLED,
        Meeting.Status.PLANNED,
    ):
        raise ValidationError(
            {
                "status": gettext(
                    "Denne statusen settes med innkallingens eller protokollens egen operasjon."
                )
            }
        )
    return change_status(
        meeting,
        payload.status,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )


@router.get(
    "/meetings/{meeting_id}/items",
    response={200: list[AgendaItemOut], 404: Problem},
    summary="A meeting's agenda, in order",
)
def list_items(request: HttpRequest, meeting_id: int) -> list[AgendaItem]:
    meeting = find_meeting(request, meeting_id)
    items = find_item.records(request).filter(meeting=meeting).order_by("position", "pk")
    return readable_items(request, meeting, list(items))


@router.get(
    "/meetings/items/{item_id}",
    response={200: AgendaItemOut, 404: Problem},
    summary="One agenda item",
)
def get_item(request: HttpRequest, item_id: int) -> AgendaItem:
    return readable_item(request, find_item(request, item_id))


class AgendaItemIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
    proposal: str = Field("", description="Forslag til vedtak, at most 10 000 characters")
    case: int | None = Field(None, description="A governance case's id (in the arena)")
    project: int | None = Field(None, description="A project's id (in the arena)")
    review_round: int | None = Field(None, description="A review round's id (in the arena)")
    strategic_plan: int | None = Field(None, description="A strategic plan's id (in the arena)")
    closed: bool = False
    legal_basis: str = Field("", description="With `closed`: offl_13_fvl_13, offl_14, …, other")
    legal_basis_text: str = Field("", description="The basis, when `legal_basis` is other")
    closed_reason: str = ""


class AgendaItemPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    proposal: str | None = None
    case: int | None = None
    project: int | None = None
    review_round: int | None = None
    strategic_plan: int | None = None
    closed: bool | None = None
    legal_basis: str | None = None
    legal_basis_text: str | None = None
    closed_reason: str | None = None


class AgendaItemAddedOut(AgendaItemOut):
    delivery: NoticeDeliveryOut | None = Field(
        None,
        description="Who got the supplementary notice («Tilleggssak») by e-mail, when the "
        "meeting's notice had been sent; null otherwise",
    )

    @staticmethod
    def resolve_delivery(item: AgendaItem) -> NoticeDelivery | None:
        return _delivery(item)


@router.post(
    "/meetings/{meeting_id}/items",
    **writes(201, AgendaItemAddedOut),
    summary="Put an item on a meeting's agenda (last)",
    description=(
        "Numbered when the notice is sent; at once when it has been sent (a supplementary "
        "notice goes out then: see `delivery`)."
    ),
)
def post_item(request: HttpRequest, meeting_id: int, payload: AgendaItemIn) -> Status[AgendaItem]:
    meeting = find_meeting(request, meeting_id, change=True)
    form = ItemForm(data=form_data(payload.dict()), instance=AgendaItem(meeting=meeting))
    item = api_create(request, form, add_item)
    return Status(201, readable_item(request, item))


@router.patch(
    "/meetings/items/{item_id}",
    **writes(200, AgendaItemOut),
    summary="Change an agenda item (never its number)",
)
def patch_item(request: HttpRequest, item_id: int, payload: AgendaItemPatch) -> AgendaItem:
    item = find_item(request, item_id, change=True)
    form = bind(
        ItemForm,
        sent(
            payload,
            keep_on_null={
                "title",
                "description",
                "proposal",
                "closed",
                "legal_basis_text",
                "closed_reason",
            },
        ),
        instance=item,
    )
    api_update(request, form, update_item, version=payload.version)
    return readable_item(request, find_item.records(request).get(pk=item.pk))


@router.delete(
    "/meetings/items/{item_id}",
    **writes(204, None),
    summary="Take an item off the agenda",
    description="Refused (422) once it is numbered (the notice is out). Send the `version`.",
)
def delete_item_api(request: HttpRequest, item_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, find_item(request, item_id, change=True), delete_item, version)
