"""API for an arena's bodies, their members and meetings (/api/v1/meetings/...): open reads
(what the caller may see), and writes (WRITE_AUTH) through the pages' forms and services:
the arena's secretariat."""

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadedfile import UploadedFile as StoredUpload
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.permissions import is_internal
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import Finder, deleted, narrowed, sent, through, writes
from samarbeid.core.api_forms import api_create, api_update, bind, valid
from samarbeid.core.api_schemas import DeleteVersion, Problem, VersionIn, ref
from samarbeid.core.not_allowed import api_problem
from samarbeid.core.paging import Pagination
from samarbeid.governance.models import Vote, VotingRule
from samarbeid.meetings.forms import (
    AttendanceForm,
    BodyForm,
    DocumentForm,
    ItemForm,
    ItemMinutesForm,
    MeetingForm,
    MemberForm,
)
from samarbeid.meetings.models import (
    AgendaItem,
    Body,
    BodyMember,
    Meeting,
    MeetingDocument,
    NoticeChange,
)
from samarbeid.meetings.services import (
    NoticeDelivery,
    add_document,
    add_item,
    add_member,
    approve_minutes,
    change_delivery,
    change_status,
    create_body,
    create_meeting,
    delete_body,
    delete_document,
    delete_item,
    delete_meeting,
    delete_member,
    notice_delivery,
    outside_delivery,
    record_item_vote,
    record_outside_notice,
    send_notice,
    set_attendance,
    update_body,
    update_item,
    update_meeting,
    update_member,
    write_item_minutes,
)
from samarbeid.meetings.visibility import documents_for, may_see_document, may_write, withheld
from samarbeid.registry.models import Municipality

router = Router(tags=["meetings"])


# --- output ---


class BodyMemberOut(Schema):
    id: int
    version: int
    body: int = ref("body")
    municipality: str | None = Field(None, description="The municipality's number")
    person: str
    role: BodyMember.Role
    valid_from: dt.date
    valid_to: dt.date | None = Field(description="The seat's end as recorded")
    ends_on: dt.date | None = Field(
        description=(
            "The seat's effective end: `valid_to`, or the last day of its municipality when "
            "that came first (a seat ends with its municipality: merged, renumbered)"
        )
    )
    modified: dt.datetime
    is_example_data: bool

    @staticmethod
    def resolve_municipality(member: BodyMember) -> str | None:
        return member.municipality.number if member.municipality else None


class BodyOut(Schema):
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


TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


class MeetingOut(Schema):
    id: int
    version: int
    body: int = ref("body")
    date: dt.date
    start_time: str = Field(description="Local time, HH:MM")
    end_time: str | None = Field(description="Local time, HH:MM")
    place: str
    video_link: str
    status: Meeting.Status
    published: bool
    notice_sent_on: dt.date | None
    notice_outside: bool = Field(
        description="The notice was sent outside Samarbeid (on paper, by the municipality's "
        "own e-mail) and recorded here; nobody was e-mailed"
    )
    minutes_approved_on: dt.date | None
    minutes_approved_by: str
    modified: dt.datetime
    is_example_data: bool

    @staticmethod
    def resolve_start_time(meeting: Meeting) -> str:
        return meeting.start_time.strftime("%H:%M")

    @staticmethod
    def resolve_end_time(meeting: Meeting) -> str | None:
        return meeting.end_time.strftime("%H:%M") if meeting.end_time else None


class NoticeDeliveryOut(Schema):
    mode: str = Field(
        description="mail (sent), log (development: written to the log), off (mail not set "
        "up), outside (recorded as sent outside Samarbeid: nobody e-mailed)"
    )
    recipients: list[str] = Field(description="Each coordinator e-mailed: «person (municipality)»")
    without_address: list[str] = Field(
        description="Member municipalities without a coordinator with an e-mail address"
    )
    message: str = Field(description="What the page says")


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


# --- finders ---


def _visible_bodies(user: Any) -> QuerySet[Body]:
    return (
        Body.objects.visible_to(user)
        .select_related("arena")
        .prefetch_related("members__municipality")
    )


def _visible_members(user: Any) -> QuerySet[BodyMember]:
    return BodyMember.objects.filter(body__in=Body.objects.visible_to(user)).select_related(
        "body__arena", "municipality"
    )


def _visible_meetings(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).select_related("body__arena")


_body = Finder(_visible_bodies, through("arena", may_write))
_member = Finder(_visible_members, through("body.arena", may_write))
_meeting = Finder(_visible_meetings, through("body.arena", may_write))


# --- reads ---


class BodyFilter(Schema):
    arena: int | None = Field(None, description="An arena's id")


@router.get("/meetings/bodies", response=list[BodyOut], summary="List bodies of arenas")
@paginate(Pagination)
def list_bodies(request: HttpRequest, filters: Query[BodyFilter]) -> QuerySet[Body]:
    return narrowed(_body.records(request), arena_id=filters.arena).order_by("arena", "name", "pk")


@router.get(
    "/meetings/bodies/{body_id}",
    response={200: BodyOut, 404: Problem},
    summary="One body with its members",
)
def get_body(request: HttpRequest, body_id: int) -> Body:
    return _body(request, body_id)


class MeetingFilter(Schema):
    arena: int | None = Field(None, description="An arena's id")
    body: int | None = Field(None, description="A body's id")
    status: Meeting.Status | None = None


@router.get("/meetings", response=list[MeetingOut], summary="List meetings, newest first")
@paginate(Pagination)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]) -> QuerySet[Meeting]:
    return narrowed(
        _meeting.records(request),
        body__arena_id=filters.arena,
        body_id=filters.body,
        status=filters.status,
    ).order_by("-date", "-start_time", "pk")


@router.get(
    "/meetings/{meeting_id}", response={200: MeetingOut, 404: Problem}, summary="One meeting"
)
def get_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return _meeting(request, meeting_id)


class NoticeChangeOut(Schema):
    id: int
    kind: NoticeChange.Kind = Field(
        description="amended (day, time or place changed) or supplementary (an item added)"
    )
    made: dt.datetime
    old_date: dt.date | None
    new_date: dt.date | None
    old_start_time: dt.time | None
    new_start_time: dt.time | None
    old_end_time: dt.time | None
    new_end_time: dt.time | None
    old_place: str
    new_place: str
    old_video_link: str
    new_video_link: str
    item: int | None = Field(None, validation_alias="item_id")
    item_year: int | None
    item_number: int | None
    item_title: str
    text: list[str] = Field(
        description="What the amended or supplementary notice said, in the caller's language"
    )


@router.get(
    "/meetings/{meeting_id}/notice-changes",
    response={200: list[NoticeChangeOut], 404: Problem},
    summary="What changed after the notice went out, as the amended notices said it",
)
def list_notice_changes(request: HttpRequest, meeting_id: int) -> list[NoticeChange]:
    changes = list(_meeting(request, meeting_id).notice_changes.all())
    for change in changes:
        change.text = change.describe()
    return changes


# --- writes ---


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
    return Status(201, _body.records(request).get(pk=body.pk))


@router.patch(
    "/meetings/bodies/{body_id}", **writes(200, BodyOut), summary="Change a body (version read)"
)
def patch_body(request: HttpRequest, body_id: int, payload: BodyPatch) -> Body:
    body = _body(request, body_id, change=True)
    form = bind(BodyForm, sent(payload, keep_on_null={"kind", "name"}), instance=body)
    api_update(request, form, update_body, version=payload.version)
    return _body.records(request).get(pk=body.pk)


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


def _municipality_id(number: str | None) -> int | None:
    """The id of the register's municipality `number` (the one in force when there are two);
    None for none given; an unknown number is the form's error."""
    if not number:
        return None
    found = Municipality.objects.filter(number=number).order_by("valid_to").first()
    return found.pk if found else -1


@router.post(
    "/meetings/bodies/{body_id}/members",
    **writes(201, BodyMemberOut),
    summary="Record a member of a body",
)
def post_member(request: HttpRequest, body_id: int, payload: BodyMemberIn) -> Status[BodyMember]:
    body = _body(request, body_id, change=True)
    data = payload.dict() | {"municipality": _municipality_id(payload.municipality)}
    member = api_create(request, bind(MemberForm, data), add_member, body=body)
    return Status(201, _member.records(request).get(pk=member.pk))


@router.patch(
    "/meetings/members/{member_id}",
    **writes(200, BodyMemberOut),
    summary="Change a member's seat (version read)",
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
    return deleted(request, _body(request, body_id, change=True), delete_body, version)


@router.delete(
    "/meetings/members/{member_id}",
    **writes(204, None),
    summary="Delete a member recorded by mistake",
    description=(
        "Refused (422) once minutes name the member as present (set `valid_to` instead). "
        "Send the `version` you read."
    ),
)
def delete_member_api(request: HttpRequest, member_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, _member(request, member_id, change=True), delete_member, version)


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
    body = _body(request, body_id, change=True)
    meeting = api_create(request, bind(MeetingForm, payload.dict()), create_meeting, body=body)
    return Status(201, meeting)


@router.patch(
    "/meetings/{meeting_id}",
    **writes(200, MeetingChangedOut),
    summary="Change a meeting's date, time, place (version read)",
    description="A change of what the notice said sends an amended notice: see `delivery`.",
)
def patch_meeting(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> Meeting:
    meeting = _meeting(request, meeting_id, change=True)
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
    return deleted(request, _meeting(request, meeting_id, change=True), delete_meeting, version)


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
    meeting = _meeting(request, meeting_id, change=True)
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


# --- the agenda ---


class AgendaItemOut(Schema):
    id: int
    version: int
    meeting: int = ref("meeting")
    body: int = ref("body")
    reference: str = Field(description="«Sak 12/26»; unnumbered before the notice is sent")
    year: int | None
    number: int | None
    position: int
    title: str
    description: str
    case: int | None = ref("case")
    project: int | None = ref("project")
    review_round: int | None = ref("review_round")
    strategic_plan: int | None = ref("strategic_plan")
    closed: bool = Field(description="Exempt from public access: its text and files withheld")
    legal_basis: str
    legal_basis_label: str = Field(description="The law that exempts it, as shown")
    closed_reason: str = Field(description="Why (empty to those who may not read it)")
    treatment: str = Field(description="The minutes: how the item was treated")
    decision_text: str = Field(description="The minutes: what was decided")
    outcome: str = Field(description="adopted, adopted_with_changes, rejected, postponed, noted")
    decision: int | None = Field(
        None,
        validation_alias="decision_id",
        description="The governance decision the minutes recorded for the item's case",
    )
    modified: dt.datetime
    is_example_data: bool


def _read_all(request: HttpRequest, meeting: Meeting, items: list[AgendaItem]) -> list[AgendaItem]:
    """A meeting's `items` as the caller may read them (a closed item's text withheld)."""
    withheld(request.user, meeting, items)
    for item in items:
        item.legal_basis_label = item.basis_label  # type: ignore[attr-defined]
    return items


def _read(request: HttpRequest, item: AgendaItem) -> AgendaItem:
    """The item as the caller may read it (a closed item's text withheld)."""
    return _read_all(request, item.meeting, [item])[0]


def _visible_items(user: Any) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.visible_to(user).select_related("meeting__body__arena")


_item = Finder(_visible_items, through("meeting.body.arena", may_write))


@router.get(
    "/meetings/{meeting_id}/items",
    response={200: list[AgendaItemOut], 404: Problem},
    summary="A meeting's agenda, in order",
)
def list_items(request: HttpRequest, meeting_id: int) -> list[AgendaItem]:
    meeting = _meeting(request, meeting_id)
    items = _item.records(request).filter(meeting=meeting).order_by("position", "pk")
    return _read_all(request, meeting, list(items))


@router.get(
    "/meetings/items/{item_id}",
    response={200: AgendaItemOut, 404: Problem},
    summary="One agenda item",
)
def get_item(request: HttpRequest, item_id: int) -> AgendaItem:
    return _read(request, _item(request, item_id))


class AgendaItemIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    description: str = ""
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
    meeting = _meeting(request, meeting_id, change=True)
    form = ItemForm(data=_form_data(payload.dict()), instance=AgendaItem(meeting=meeting))
    item = api_create(request, form, add_item)
    return Status(201, _read(request, item))


def _form_data(data: dict[str, Any]) -> dict[str, Any]:
    return {name: "" if value is None else value for name, value in data.items()}


@router.patch(
    "/meetings/items/{item_id}",
    **writes(200, AgendaItemOut),
    summary="Change an agenda item (never its number)",
)
def patch_item(request: HttpRequest, item_id: int, payload: AgendaItemPatch) -> AgendaItem:
    item = _item(request, item_id, change=True)
    form = bind(
        ItemForm,
        sent(
            payload,
            keep_on_null={"title", "description", "closed", "legal_basis_text", "closed_reason"},
        ),
        instance=item,
    )
    api_update(request, form, update_item, version=payload.version)
    return _read(request, _item.records(request).get(pk=item.pk))


@router.delete(
    "/meetings/items/{item_id}",
    **writes(204, None),
    summary="Take an item off the agenda",
    description="Refused (422) once it is numbered (the notice is out). Send the `version`.",
)
def delete_item_api(request: HttpRequest, item_id: int, version: DeleteVersion) -> Status[None]:
    return deleted(request, _item(request, item_id, change=True), delete_item, version)


class NoticeSentOut(MeetingOut):
    delivery: NoticeDeliveryOut = Field(description="Who got the notice by e-mail")


class NoticeIn(VersionIn):
    sent_outside_on: dt.date | None = Field(
        None,
        description=(
            "The day the notice was sent outside Samarbeid (on paper, by the municipality's "
            "own e-mail; not after the meeting's day): recorded without e-mailing anyone, "
            "also for a meeting whose day has passed"
        ),
    )


@router.post(
    "/meetings/{meeting_id}/notice",
    **writes(200, NoticeSentOut),
    summary="Send the notice («send innkalling»), or record one sent outside Samarbeid",
    description=(
        "The meeting gets status notice_sent and its items their numbers; the members' "
        "municipalities' coordinators are e-mailed when mail is configured. With "
        "`sent_outside_on` the notice is recorded as sent outside Samarbeid on that day "
        "(«Registrer innkalling sendt utenfor Samarbeid») and nobody is e-mailed."
    ),
)
def post_notice(request: HttpRequest, meeting_id: int, payload: NoticeIn) -> Meeting:
    meeting = _meeting(request, meeting_id, change=True)
    if payload.sent_outside_on is not None:
        record_outside_notice(
            meeting,
            payload.sent_outside_on,
            expected_version=payload.version,
            actor=request.user,
            channel=Channel.API,
        )
        meeting.delivery = outside_delivery(meeting)
        return meeting
    send_notice(meeting, expected_version=payload.version, actor=request.user, channel=Channel.API)
    meeting.delivery = notice_delivery(meeting)
    return meeting


# --- documents ---


class MeetingDocumentOut(Schema):
    id: int
    version: int
    meeting: int = ref("meeting")
    item: int | None = ref("item")
    title: str
    date: dt.date
    kind: MeetingDocument.Kind
    filename: str
    content_type: str
    size: int
    url: str = Field(description="Where the file is read (with the caller's rights)")
    modified: dt.datetime
    is_example_data: bool

    @staticmethod
    def resolve_url(document: MeetingDocument) -> str:
        return f"/api/v1/meetings/documents/{document.pk}/file"


def _visible_documents(user: Any) -> QuerySet[MeetingDocument]:
    """The documents of the meetings `user` sees (a closed item's among them: the finder
    asks `may_see_document` of the one it finds)."""
    return MeetingDocument.objects.filter(meeting__in=_visible_meetings(user)).select_related(
        "item", "meeting__body__arena"
    )


class _DocumentFinder(Finder[MeetingDocument]):
    """A document as the caller may have it: a closed item's file is not found (404) by
    those who may not read closed items, before asking whether they may change it."""

    def __call__(self, request: HttpRequest, pk: Any, *, change: bool = False) -> MeetingDocument:
        document = super().__call__(request, pk)
        if not may_see_document(request.user, document):
            raise Http404
        if change and not self.may_change(request.user, document):
            raise PermissionDenied
        return document


_document = _DocumentFinder(_visible_documents, through("meeting.body.arena", may_write))


@router.get(
    "/meetings/{meeting_id}/documents",
    response={200: list[MeetingDocumentOut], 404: Problem},
    summary="The documents of a meeting and its items that the caller may read",
)
def list_documents(request: HttpRequest, meeting_id: int) -> list[MeetingDocument]:
    meeting = _meeting(request, meeting_id)
    return documents_for(request.user, meeting, list(meeting.items.all()))


@router.get(
    "/meetings/documents/{document_id}/file",
    response={200: None, 404: Problem},
    summary="A document's file (404 to those who may not read it)",
)
def get_document_file(request: HttpRequest, document_id: int) -> FileResponse:
    document = _document(request, document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


class MeetingDocumentIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    date: dt.date
    kind: MeetingDocument.Kind
    item: int | None = Field(None, description="The agenda item's id, for an item's document")
    filename: str = Field(min_length=1, max_length=255, description="With its extension")
    content_base64: str = Field(
        description=(
            "The file, base64-encoded. The JSON body is limited by the server "
            "(DATA_UPLOAD_MAX_MEMORY_SIZE); larger files are uploaded on the meeting's page."
        )
    )


def _attach(
    request: HttpRequest, meeting: Meeting, fields: dict[str, Any], upload: StoredUpload
) -> Status[MeetingDocument]:
    """The page's step for a file, from either body: the form (title, date, type, item; the
    file required) and the service (the file's type by its name and first bytes, its size,
    the caller's rights), which stores the file only when all is well."""
    form = DocumentForm(
        data=_form_data(fields),
        files={"file": upload},
        instance=MeetingDocument(meeting=meeting),
        meeting=meeting,
    )
    document = valid(form).save(commit=False)
    add_document(document, upload, actor=request.user, channel=Channel.API)
    return Status(201, document)


@router.post(
    "/meetings/{meeting_id}/documents",
    **writes(201, MeetingDocumentOut),
    summary="Attach a file to a meeting or one of its items",
    description="PDF, docx, xlsx, odt, PNG or JPEG, at most 20 MB.",
)
def post_document(
    request: HttpRequest, meeting_id: int, payload: MeetingDocumentIn
) -> Status[MeetingDocument]:
    meeting = _meeting(request, meeting_id, change=True)
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content_base64": gettext("Ikke gyldig base64.")}) from None
    upload = SimpleUploadedFile(payload.filename, content)
    return _attach(request, meeting, payload.dict(exclude={"filename", "content_base64"}), upload)


class MeetingDocumentForm(Schema):
    title: str = Field(min_length=1, max_length=300)
    date: dt.date
    kind: MeetingDocument.Kind
    item: int | None = Field(None, description="The agenda item's id, for an item's document")


def multipart_only(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An upload's operation answers 415 to any other body before its fields are read (a
    JSON body would otherwise be told its fields are missing)."""

    @wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.content_type != "multipart/form-data":
            detail = gettext("Innholdet må være multipart/form-data.")
            return api_problem(request, 415, "Unsupported media type", detail)
        return run(request, *args, **kwargs)

    return checked


@router.post(
    "/meetings/{meeting_id}/documents/upload",
    **writes(201, MeetingDocumentOut),
    summary="Attach a file to a meeting or one of its items (multipart/form-data)",
    description=(
        "The fields `title`, `date`, `kind` and `item` (optional) and the `file` itself, "
        "as a browser's form sends them: PDF, docx, xlsx, odt, PNG or JPEG, at most 20 MB "
        "(the file's type is told by its name and first bytes)."
    ),
)
@decorate_view(multipart_only)
def post_document_upload(
    request: HttpRequest,
    meeting_id: int,
    fields: Form[MeetingDocumentForm],
    file: File[UploadedFile],
) -> Status[MeetingDocument]:
    meeting = _meeting(request, meeting_id, change=True)
    return _attach(request, meeting, fields.dict(), file)


@router.delete(
    "/meetings/documents/{document_id}",
    **writes(204, None),
    summary="Delete a document and its file",
    description="Refused (422) once the minutes are approved. Send the `version`.",
)
def delete_document_api(
    request: HttpRequest, document_id: int, version: DeleteVersion
) -> Status[None]:
    return deleted(request, _document(request, document_id, change=True), delete_document, version)


# --- the minutes ---


class MinutesOut(Schema):
    meeting: MeetingOut
    present: list[BodyMemberOut]
    items: list[AgendaItemOut]


def _minutes(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    if meeting.status != Meeting.Status.MINUTES_APPROVED and not is_internal(request.user):
        raise Http404
    items = list(meeting.items.order_by("position", "pk"))
    for item in items:
        item.meeting = meeting
    _read_all(request, meeting, items)
    return {
        "meeting": meeting,
        "present": [
            row.member for row in meeting.attendance.select_related("member__municipality")
        ],
        "items": items,
    }


@router.get(
    "/meetings/{meeting_id}/minutes",
    response={200: MinutesOut, 404: Problem},
    summary="A meeting's minutes: who was present, each item's treatment and decision",
    description="Public once approved (closed items: title and legal basis only).",
)
def get_minutes(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return _minutes(request, _meeting(request, meeting_id))


class AttendanceIn(Schema):
    members: list[int] = Field(description="The ids of the body's members who were present")
    version: int = Field(
        ge=1,
        description="The meeting's version the edit started from; a meeting changed since: 409",
    )


@router.put(
    "/meetings/{meeting_id}/attendance",
    **writes(200, MinutesOut),
    summary="Record who was present (replaces the list)",
)
def put_attendance(request: HttpRequest, meeting_id: int, payload: AttendanceIn) -> dict[str, Any]:
    meeting = _meeting(request, meeting_id, change=True)
    form = valid(
        AttendanceForm(
            data={"members": payload.members, "version": payload.version}, meeting=meeting
        )
    )
    set_attendance(
        meeting,
        list(form.cleaned_data["members"]),
        actor=request.user,
        channel=Channel.API,
        expected_version=form.cleaned_data["version"],
    )
    return _minutes(request, meeting)


class ItemMinutesPatch(Schema):
    version: int = Field(ge=1, description="The version the edit started from")
    treatment: str | None = None
    decision_text: str | None = None
    outcome: str | None = Field(
        None, description="adopted, adopted_with_changes, rejected, postponed, noted, or empty"
    )
    municipalities: list[str] | None = Field(
        None,
        description=(
            "For an item about a project: the numbers of the municipalities (with a seat in "
            "the body on the meeting's day) whose participation the adopted decision changes"
        ),
    )
    participation: str | None = Field(
        None, description="Their participation from the meeting's day: joined, declined, withdrawn"
    )


@router.patch(
    "/meetings/items/{item_id}/minutes",
    **writes(200, AgendaItemOut),
    summary="Write an item's treatment and decision in the minutes",
    description=(
        "An item that treats a governance case records the decision there too (this body's "
        "decision, dated the meeting's day). An item about a project with an adopted outcome "
        "records that decision and, with `municipalities` and `participation`, each one's "
        "participation in the project from the meeting's day (all or nothing)."
    ),
)
def patch_item_minutes(request: HttpRequest, item_id: int, payload: ItemMinutesPatch) -> AgendaItem:
    item = _item(request, item_id, change=True)
    data = sent(payload, keep_on_null={"treatment", "decision_text", "outcome"})
    if data.get("municipalities"):
        data["municipalities"] = [_municipality_id(n) or -1 for n in data["municipalities"]]
    form = bind(ItemMinutesForm, data, instance=item)
    api_update(request, form, write_item_minutes, version=payload.version)
    return _read(request, _item.records(request).get(pk=item.pk))


class MinutesVoteIn(Schema):
    municipality: str = Field(description="The member municipality's number, e.g. 3909")
    choice: Vote.Choice


class ItemVoteIn(Schema):
    version: int = Field(ge=1, description="The item's version read")
    voting_rule: VotingRule
    votes: list[MinutesVoteIn] = Field(min_length=1, description="One vote per member municipality")


@router.post(
    "/meetings/items/{item_id}/minutes/votes",
    **writes(200, AgendaItemOut),
    summary="Record a vote on an item that treats a case (per member municipality)",
    description=(
        "The votes go into the case's decision in this body (governance's votes), whose "
        "outcome is computed under `voting_rule` (members without a vote count as absent); "
        "the item's outcome follows. Refused (422) for an item without a case, a "
        "municipality that is not a member, a second vote, or a decision already recorded."
    ),
)
def post_item_votes(request: HttpRequest, item_id: int, payload: ItemVoteIn) -> AgendaItem:
    item = _item(request, item_id, change=True)
    votes = []
    for vote in payload.votes:
        found = _municipality_id(vote.municipality) or -1
        municipality = Municipality.objects.filter(pk=found).first()
        if municipality is None:
            raise ValidationError(
                {"votes": gettext("Ukjent kommunenummer %(n)s.") % {"n": vote.municipality}}
            )
        votes.append((municipality, str(vote.choice)))
    record_item_vote(
        item,
        votes,
        voting_rule=str(payload.voting_rule),
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
    return _read(request, _item.records(request).get(pk=item.pk))


class ApproveIn(Schema):
    version: int = Field(ge=1, description="The meeting's version read")
    approved_on: dt.date
    approved_by: str = Field(min_length=1, max_length=300)


@router.post(
    "/meetings/{meeting_id}/minutes/approve",
    **writes(200, MeetingOut),
    summary="Approve the minutes (status minutes_approved; they are public and fixed after)",
)
def post_approve(request: HttpRequest, meeting_id: int, payload: ApproveIn) -> Meeting:
    meeting = _meeting(request, meeting_id, change=True)
    return approve_minutes(
        meeting,
        approved_on=payload.approved_on,
        approved_by=payload.approved_by,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
