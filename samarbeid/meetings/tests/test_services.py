"""The meeting services: rights, the domain rules and the status transitions."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samarbeid.arenas.tests.factories import MembershipFactory
from samarbeid.audit.models import AuditEntry
from samarbeid.core.versioning import VersionConflict
from samarbeid.meetings.models import Body, BodyMember, Meeting
from samarbeid.meetings.services.bodies import add_member, create_body
from samarbeid.meetings.services.meetings import create_meeting, update_meeting
from samarbeid.meetings.services.status import (
    OWN_SERVICE,
    TRANSITIONS,
    change_status,
    check_transition,
)
from samarbeid.meetings.tests.factories import body, meeting
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db
Status = Meeting.Status


def test_secretariat_creates_a_body_versioned_and_audited(secretariat: Any) -> None:
    one = body()
    new = create_body(
        Body(arena=one.arena, kind=Body.Kind.MAYORS, name="Ordførermøtet"), actor=secretariat
    )
    assert new.version == 1
    assert new.modified is not None
    assert AuditEntry.objects.filter(object_id=str(new.pk), action="create").exists()


def test_body_name_is_unique_in_the_arena(secretariat: Any) -> None:
    one = body()
    with pytest.raises(ValidationError) as exc:
        create_body(Body(arena=one.arena, kind=Body.Kind.BOARD, name=one.name), actor=secretariat)
    assert "name" in exc.value.message_dict


def test_another_arenas_secretariat_may_not_write(arena_secretariat: Any, reader: Any) -> None:
    one = body()  # not in the one-arena secretariat's arena
    for actor in (arena_secretariat, reader):
        with pytest.raises(PermissionDenied):
            create_meeting(
                Meeting(body=one, date=date(2025, 1, 1), start_time=time(9), place="X"),
                actor=actor,
            )


def test_member_period_in_order(secretariat: Any, larvik: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        add_member(
            BodyMember(
                body=body(),
                municipality=larvik,
                person="Ola",
                valid_from=date(2025, 1, 1),
                valid_to=date(2024, 1, 1),
            ),
            actor=secretariat,
        )
    assert "valid_to" in exc.value.message_dict


def test_meeting_needs_a_place_or_a_video_link(secretariat: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        create_meeting(
            Meeting(body=body(), date=date(2025, 1, 1), start_time=time(9)), actor=secretariat
        )
    assert "place" in exc.value.message_dict
    video = create_meeting(
        Meeting(
            body=body(name="Annet"),
            date=date(2025, 1, 1),
            start_time=time(9),
            video_link="https://møte.example.no/1",
        ),
        actor=secretariat,
    )
    assert video.status == Status.PLANNED


def test_meeting_ends_after_it_starts(secretariat: Any) -> None:
    one = meeting()
    with pytest.raises(ValidationError) as exc:
        update_meeting(one, {"end_time": time(9)}, expected_version=1, actor=secretariat)
    assert "end_time" in exc.value.message_dict


def test_update_sets_modified_and_refuses_a_stale_version(secretariat: Any) -> None:
    one = meeting()
    before = one.modified
    update_meeting(one, {"place": "Kulturhuset"}, expected_version=1, actor=secretariat)
    one.refresh_from_db()
    assert one.place == "Kulturhuset"
    assert one.modified > before
    assert one.version == 2
    with pytest.raises(VersionConflict):
        update_meeting(one, {"place": "Y"}, expected_version=1, actor=secretariat)


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (Status.PLANNED, Status.NOTICE_SENT, True),
        (Status.PLANNED, Status.HELD, False),
        (Status.PLANNED, Status.CANCELLED, True),
        (Status.NOTICE_SENT, Status.HELD, True),
        (Status.HELD, Status.MINUTES_APPROVED, True),  # through approve_minutes
        (Status.HELD, Status.PLANNED, False),
        (Status.MINUTES_APPROVED, Status.HELD, False),
        (Status.CANCELLED, Status.PLANNED, True),
        (Status.CANCELLED, Status.HELD, False),
    ],
)
def test_transitions(secretariat: Any, start: str, target: str, allowed: bool) -> None:
    one = meeting(status=start)
    assert (target in TRANSITIONS[start]) is allowed
    if target in OWN_SERVICE:  # the notice and the approval: their own services
        with pytest.raises(ValidationError):
            change_status(one, target, expected_version=1, actor=secretariat)
        if allowed:
            check_transition(one, target)
        else:
            with pytest.raises(ValidationError):
                check_transition(one, target)
    elif allowed:
        change_status(one, target, expected_version=1, actor=secretariat)
        one.refresh_from_db()
        assert one.status == target
    else:
        with pytest.raises(ValidationError) as exc:
            change_status(one, target, expected_version=1, actor=secretariat)
        assert "status" in exc.value.message_dict


def test_approved_minutes_freeze_the_meeting(secretariat: Any) -> None:
    one = meeting(status=Status.MINUTES_APPROVED)
    with pytest.raises(ValidationError):
        update_meeting(one, {"place": "Z"}, expected_version=1, actor=secretariat)


def test_a_meeting_is_not_held_before_its_date(secretariat: Any) -> None:
    one = meeting(status=Status.NOTICE_SENT, date=date(2026, 12, 10))
    with pytest.raises(ValidationError) as exc:
        change_status(
            one, Status.HELD, expected_version=1, actor=secretariat, today=date(2026, 12, 9)
        )
    assert "10.12.2026" in exc.value.message_dict["status"][0]
    change_status(one, Status.HELD, expected_version=1, actor=secretariat, today=date(2026, 12, 10))
    assert one.status == Status.HELD


def test_a_member_is_a_municipality_that_exists_on_the_from_date(secretariat: Any) -> None:
    alta = Municipality.objects.get(number="2012", valid_to__isnull=False)
    with pytest.raises(ValidationError) as exc:
        add_member(
            BodyMember(body=body(), municipality=alta, person="Ola", valid_from=date(2026, 1, 1)),
            actor=secretariat,
        )
    assert "2012 Alta" in exc.value.message_dict["municipality"][0]
    before = body(name="Før")
    MembershipFactory(arena=before.arena, municipality=alta, joined=date(2010, 1, 1))
    add_member(
        BodyMember(body=before, municipality=alta, person="Ola", valid_from=date(2015, 1, 1)),
        actor=secretariat,
    )


def test_a_dissolved_arena_takes_no_new_body_or_meeting(secretariat: Any) -> None:
    one = body()
    one.arena.status = one.arena.Status.CLOSED
    one.arena.ended = date(2025, 6, 30)
    one.arena.save()
    create_meeting(  # a meeting before the end: its history
        Meeting(body=one, date=date(2025, 6, 1), start_time=time(9), place="X"), actor=secretariat
    )
    with pytest.raises(ValidationError, match="avviklet"):
        create_body(Body(arena=one.arena, kind=Body.Kind.BOARD, name="Styret"), actor=secretariat)
    with pytest.raises(ValidationError, match="avviklet"):
        create_meeting(
            Meeting(body=one, date=date(2025, 7, 1), start_time=time(9), place="X"),
            actor=secretariat,
        )
