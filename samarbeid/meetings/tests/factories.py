"""Meeting records for tests, written directly (the services are what the tests test)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members, current
from samarbeid.meetings.models import AgendaItem, Body, BodyMember, Meeting


def body(arena: Arena | None = None, **fields: Any) -> Body:
    values: dict[str, Any] = {"kind": Body.Kind.CHIEF_EXECUTIVES, "name": "Rådmannsutvalget"}
    values.update(fields)
    return Body.objects.create(arena=arena or ArenaFactory(), **values)


def member(on: Body, number: str = "3909", **fields: Any) -> BodyMember:
    values: dict[str, Any] = {
        "municipality": current(number),
        "person": "Kari Nordmann",
        "role": BodyMember.Role.MEMBER,
        "valid_from": date(2024, 1, 1),
    }
    values.update(fields)
    return BodyMember.objects.create(body=on, **values)


def meeting(on: Body | None = None, **fields: Any) -> Meeting:
    values: dict[str, Any] = {
        "date": date(2025, 3, 12),
        "start_time": time(10, 0),
        "place": "Rådhuset",
    }
    values.update(fields)
    return Meeting.objects.create(body=on or body(), **values)


def past_meeting() -> Meeting:
    """A meeting three days ago, Larvik a member of its body, one item on its agenda: what
    the clerks' trials write the minutes of."""
    one = meeting(date=timezone.localdate() - timedelta(days=3))
    member(one.body, "3909", valid_from=date(2024, 1, 1))
    AgendaItem.objects.create(meeting=one, body=one.body, title="Felles IKT")
    return one


def held_with_seats(*numbers: str) -> tuple[Meeting, list[BodyMember]]:
    """A board meeting held on 12.03.2025 in an arena of `numbers`, each with a seat (for
    votes in the minutes)."""
    arena = arena_with_members(list(numbers))
    one = meeting(body(arena), status=Meeting.Status.HELD, date=date(2025, 3, 12))
    return one, [member(one.body, number) for number in numbers]
