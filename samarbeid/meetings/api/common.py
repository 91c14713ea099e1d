"""What the meetings' API shares: the records' output, the finders, reading an item."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from pydantic import Field, ModelWrapValidatorHandler, ValidationInfo, model_validator

from samarbeid.core.api_endpoints import Finder, through
from samarbeid.core.api_schemas import ref
from samarbeid.meetings.models import AgendaItem, Body, BodyMember, Meeting
from samarbeid.meetings.visibility import may_write, withheld
from samarbeid.registry.models import Municipality


class ReadsRows(Schema):
    """An output schema that takes a plain row (a dict under the output's names and
    aliases, as `body_rows` builds the body list's page) as it is, and a record as every
    schema does. ninja reads a record field by field through its getter and resolvers, which
    for the about 800 records of a page of bodies was most of the answer's time; a row
    needs neither."""

    # named as ninja's `Schema` names its validator, so that this one takes its place
    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if isinstance(values, dict):
            return handler(values)
        # ninja's, for a record (pydantic's stubs type the decorated method as its proxy)
        return super()._run_root_validator(values, handler, info)  # type: ignore[operator]


class BodyMemberOut(ReadsRows):
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


def _visible_bodies(user: Any) -> QuerySet[Body]:
    return (
        Body.objects.visible_to(user)
        .select_related("arena")
        .prefetch_related("members__municipality")
    )


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings `user` sees, with their body and arena."""
    return Meeting.objects.visible_to(user).select_related("body__arena")


find_body = Finder(_visible_bodies, through("arena", may_write))


find_meeting = Finder(visible_meetings, through("body.arena", may_write))


def municipality_id(number: str | None) -> int | None:
    """The id of the register's municipality `number` (the one in force when there are two);
    None for none given; an unknown number is the form's error."""
    if not number:
        return None
    found = Municipality.objects.filter(number=number).order_by("valid_to").first()
    return found.pk if found else -1


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
    proposal: str = Field(
        description="Forslag til vedtak: what the body is asked to adopt (empty to those who "
        "may not read a closed item); minutes adopted as it stood with no decision text take it"
    )
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


def readable_items(
    request: HttpRequest, meeting: Meeting, items: list[AgendaItem]
) -> list[AgendaItem]:
    """A meeting's `items` as the caller may read them (a closed item's text withheld)."""
    withheld(request.user, meeting, items)
    for item in items:
        item.legal_basis_label = item.basis_label  # type: ignore[attr-defined]
    return items


def readable_item(request: HttpRequest, item: AgendaItem) -> AgendaItem:
    """The item as the caller may read it (a closed item's text withheld)."""
    return readable_items(request, item.meeting, [item])[0]


def _visible_items(user: Any) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.visible_to(user).select_related("meeting__body__arena")


find_item = Finder(_visible_items, through("meeting.body.arena", may_write))


def form_data(data: dict[str, Any]) -> dict[str, Any]:
    """A payload as a form's data: a field sent as null is an empty field."""
    return {name: "" if value is None else value for name, value in data.items()}
