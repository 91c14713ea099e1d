"""Who sits in a meeting's body on the meeting's day: one rule for the attendance, the
vote and the participation a project item's decision records."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from samarbeid.meetings.models import BodyMember, Meeting


def seated_members(meeting: Meeting) -> QuerySet[BodyMember]:
    """The body's members whose period covers the meeting's day and whose municipality
    still exists then (`BodyMember.sits_on`: a seat ends with its municipality)."""
    day = meeting.date
    return (
        meeting.body.members.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .filter(
            Q(municipality__isnull=True)
            | Q(municipality__valid_to__isnull=True)
            | Q(municipality__valid_to__gte=day)
        )
        .select_related("municipality")
    )


def seated_municipalities(meeting: Meeting) -> list[Any]:
    """The municipalities with a seat in the body on the meeting's day (one each, by
    name): those that vote, and whose participation the body's decision can record."""
    seats = (
        seated_members(meeting)
        .filter(municipality__isnull=False)
        .order_by("municipality__name", "municipality__number")
    )
    found: dict[Any, Any] = {}
    for seat in seats:
        found.setdefault(seat.municipality_id, seat.municipality)
    return list(found.values())
