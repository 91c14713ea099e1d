"""API for the minutes: reading them, attendance, an item's minutes and vote, approval."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema
from pydantic import Field

from samarbeid.accounts.permissions import is_internal
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import sent, writes
from samarbeid.core.api_forms import api_update, bind, valid
from samarbeid.core.api_schemas import Problem
from samarbeid.governance.models import Vote, VotingRule
from samarbeid.meetings.api.common import (
    AgendaItemOut,
    BodyMemberOut,
    MeetingOut,
    find_item,
    find_meeting,
    municipality_id,
    readable_item,
    readable_items,
)
from samarbeid.meetings.forms import AttendanceForm, ItemMinutesForm
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.services.attendance import set_attendance
from samarbeid.meetings.services.minutes import (
    approve_minutes,
    record_item_vote,
    write_item_minutes,
)
from samarbeid.registry.models import Municipality

router = Router()


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
    readable_items(request, meeting, items)
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
    return _minutes(request, find_meeting(request, meeting_id))


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
    meeting = find_meeting(request, meeting_id, change=True)
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
    item = find_item(request, item_id, change=True)
    data = sent(payload, keep_on_null={"treatment", "decision_text", "outcome"})
    if data.get("municipalities"):
        data["municipalities"] = [municipality_id(n) or -1 for n in data["municipalities"]]
    form = bind(ItemMinutesForm, data, instance=item)
    api_update(request, form, write_item_minutes, version=payload.version)
    return readable_item(request, find_item.records(request).get(pk=item.pk))


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
    item = find_item(request, item_id, change=True)
    votes = []
    for vote in payload.votes:
        found = municipality_id(vote.municipality) or -1
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
    return readable_item(request, find_item.records(request).get(pk=item.pk))


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
    meeting = find_meeting(request, meeting_id, change=True)
    return approve_minutes(
        meeting,
        approved_on=payload.approved_on,
        approved_by=payload.approved_by,
        expected_version=payload.version,
        actor=request.user,
        channel=Channel.API,
    )
