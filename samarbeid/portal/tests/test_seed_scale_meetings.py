"""seed_scale's meetings: per arena its board with a seat per member municipality, about four
meetings a year over the last five years (minutes approved, with who was there) and two
planned, each with 5–8 agenda items numbered per body and year; records the model and the
meeting pages accept as real ones."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.db.models import Count
from django.test import Client

from conftest import login
from samarbeid.arenas.models import Arena, Membership
from samarbeid.meetings.models import AgendaItem, Attendance, Body, BodyMember, Meeting
from samarbeid.meetings.seats import seated_members
from samarbeid.portal.scale.common import REFERENCE_DAY, ScaleSize
from samarbeid.portal.scale.seeding import seed_scale

pytestmark = pytest.mark.django_db

SMALL = ScaleSize(arenas=10, projects=12, participations=48)
FIRST_YEAR = REFERENCE_DAY.year - 4  # the five years before the reference day


def _meetings(prefix: str) -> Any:
    return Meeting.objects.filter(body__arena__short_name__startswith=prefix)


def test_each_arena_gets_its_board_with_a_seat_per_member() -> None:
    summary = seed_scale(SMALL, seed=3, prefix="ORG-")
    arenas = Arena.objects.filter(short_name__startswith="ORG-")
    bodies = Body.objects.filter(arena__in=arenas)
    assert summary.bodies == bodies.count() == SMALL.arenas
    assert set(bodies.values_list("name", "kind")) == {("Styret", Body.Kind.BOARD)}
    members = BodyMember.objects.filter(body__in=bodies).select_related("body__arena")
    assert summary.members == members.count() == Membership.objects.filter(arena__in=arenas).count()
    joined: dict[tuple[int, int | None], Any] = {
        (m.arena_id, m.municipality_id): m.joined
        for m in Membership.objects.filter(arena__in=arenas)
    }
    for member in members:
        arena = member.body.arena
        assert arena.established is not None
        assert member.valid_from == max(joined[arena.pk, member.municipality_id], arena.established)
        assert member.valid_to == (max(arena.ended, member.valid_from) if arena.ended else None)
    # one leader per board
    roles = Counter(members.values_list("body_id", "role"))
    assert all(roles[body.pk, BodyMember.Role.LEADER] == 1 for body in bodies)


def test_meetings_over_five_years_and_two_planned_with_numbered_agendas() -> None:
    summary = seed_scale(SMALL, seed=3, prefix="MTG-")
    meetings = _meetings("MTG-").select_related("body__arena")
    assert summary.meetings == meetings.count()
    assert summary.agenda_items == AgendaItem.objects.filter(meeting__in=meetings).count()
    assert summary.attendance == Attendance.objects.filter(meeting__in=meetings).count()
    held = meetings.filter(date__lte=REFERENCE_DAY)
    planned = meetings.filter(date__gt=REFERENCE_DAY)
    assert held.count() > 10 * SMALL.arenas  # about four a year in most arenas
    assert set(held.values_list("status", flat=True)) == {Meeting.Status.MINUTES_APPROVED}
    assert set(planned.values_list("status", flat=True)) == {Meeting.Status.PLANNED}
    per_year = Counter((m.body_id, m.date.year) for m in held)
    assert max(per_year.values()) <= 4
    assert {year for _body, year in per_year} <= set(range(FIRST_YEAR, REFERENCE_DAY.year + 1))
    running = Arena.objects.filter(short_name__startswith="MTG-", ended__isnull=True)
    for body_id, n in Counter(planned.values_list("body_id", flat=True)).items():
        assert n == 2, body_id
    assert planned.values("body").distinct().count() == running.count()
    for meeting in held:
        assert meeting.notice_sent_on is not None
        assert meeting.notice_sent_on < meeting.date
        assert meeting.date <= meeting.minutes_approved_on <= REFERENCE_DAY
        assert meeting.minutes_approved_by
        assert meeting.body.arena.established <= meeting.date
        assert meeting.body.arena.ended is None or meeting.date <= meeting.body.arena.ended
    # 5–8 items a meeting; numbered per body and year from 1 in the order of the meetings,
    # the planned ones not yet (the notice numbers them)
    sizes = Counter(AgendaItem.objects.filter(meeting__in=meetings).values_list("meeting_id"))
    assert set(sizes.values()) <= set(range(5, 9))
    assert len(sizes) == meetings.count()
    numbers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for item in (
        AgendaItem.objects.filter(meeting__in=held)
        .select_related("meeting")
        .order_by("meeting__date", "meeting_id", "position")
    ):
        assert item.body_id == item.meeting.body_id
        assert item.year == item.meeting.date.year
        assert item.outcome
        assert item.decision_text
        numbers[item.body_id, item.year].append(item.number)
    assert all(found == list(range(1, len(found) + 1)) for found in numbers.values())
    unnumbered = AgendaItem.objects.filter(meeting__in=planned)
    assert not unnumbered.filter(number__isnull=False).exists()
    assert not unnumbered.exclude(outcome="").exists()
    closed = AgendaItem.objects.filter(meeting__in=meetings, closed=True)
    assert closed.exists()
    assert not closed.filter(legal_basis="").exists()


def test_attendance_is_of_members_seated_that_day() -> None:
    seed_scale(SMALL, seed=3, prefix="ATT-")
    for meeting in _meetings("ATT-").filter(date__lte=REFERENCE_DAY):
        seated = set(seated_members(meeting).values_list("pk", flat=True))
        present = set(meeting.attendance.values_list("member_id", flat=True))
        assert present, meeting  # minutes are approved with someone there
        assert present <= seated, meeting
    assert not Attendance.objects.filter(meeting__date__gt=REFERENCE_DAY).exists()


def test_a_sample_of_every_record_passes_the_models_full_clean() -> None:
    seed_scale(SMALL, seed=3, prefix="FC-")
    meetings = _meetings("FC-")
    samples: list[Any] = [
        *Body.objects.filter(arena__short_name__startswith="FC-"),
        *BodyMember.objects.filter(body__arena__short_name__startswith="FC-")[::5],
        *meetings[::7],
        *AgendaItem.objects.filter(meeting__in=meetings)[::13],
        *AgendaItem.objects.filter(meeting__in=meetings, closed=True),
        *Attendance.objects.filter(meeting__in=meetings)[::17],
    ]
    assert len(samples) > 50
    for record in samples:
        record.full_clean()


def _digest(prefix: str) -> str:
    rows: list[Any] = []
    for meeting in _meetings(prefix).select_related("body__arena").order_by("pk"):
        rows.append(
            (
                meeting.body.arena.name,
                meeting.date,
                meeting.start_time,
                meeting.status,
                meeting.notice_sent_on,
                meeting.minutes_approved_on,
                meeting.attendance.count(),
                tuple(
                    meeting.items.order_by("position").values_list(
                        "number", "title", "closed", "legal_basis", "outcome", "decision_text"
                    )
                ),
            )
        )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_same_seed_gives_the_same_meetings() -> None:
    seed_scale(SMALL, seed=3, prefix="ONE-")
    seed_scale(SMALL, seed=3, prefix="TWO-")
    seed_scale(SMALL, seed=4, prefix="OTHER-")
    assert _meetings("ONE-").count() > 0
    assert _digest("ONE-") == _digest("TWO-")
    assert _digest("ONE-") != _digest("OTHER-")


def _busiest() -> tuple[Body, Meeting]:
    body = (
        Body.objects.filter(arena__published=True)
        .annotate(n=Count("meetings"))
        .order_by("-n", "pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(body__arena__published=True)
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .first()
    )
    assert body is not None
    assert meeting is not None
    return body, meeting


def test_the_meeting_pages_answer_on_the_seeded_data(secretariat: Any) -> None:
    seed_scale(SMALL, seed=3, prefix="WEB-")
    body, meeting = _busiest()
    held = Meeting.objects.filter(body=body, date__lte=REFERENCE_DAY).order_by("-date").first()
    assert held is not None
    urls = [
        "/moter/",
        f"/moter/organ/{body.pk}/",
        f"/moter/{meeting.pk}/",
        f"/moter/{held.pk}/",
        f"/moter/{held.pk}/protokoll/",
        "/api/v1/meetings/bodies",
        "/api/v1/meetings",
        f"/api/v1/meetings/{meeting.pk}/items",
    ]
    for client in (Client(), login(Client(), secretariat)):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
    page = login(Client(), secretariat).get(f"/moter/{held.pk}/protokoll/").content.decode()
    first = held.items.order_by("position").first()
    assert first is not None
    assert first.title in page
