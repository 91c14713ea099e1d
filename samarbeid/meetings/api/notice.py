"""API for a meeting's notice: sending it (or one sent outside), and what changed after."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import writes
from samarbeid.core.api_schemas import Problem, VersionIn
from samarbeid.meetings.api.common import MeetingOut, NoticeDeliveryOut, find_meeting
from samarbeid.meetings.models import Meeting, NoticeChange
from samarbeid.meetings.services.notice import (
    notice_delivery,
    outside_delivery,
    record_outside_notice,
    send_notice,
)

router = Router()


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
    changes = list(find_meeting(request, meeting_id).notice_changes.all())
    for change in changes:
        change.text = change.describe()
    return changes


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
    meeting = find_meeting(request, meeting_id, change=True)
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
