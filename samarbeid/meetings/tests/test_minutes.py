"""The minutes: who was present, each item's treatment and decision; a decision on a
governance case is recorded there through governance's services; approval fixes and
publishes the minutes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.arenas.tests.factories import CaseFactory
from samarbeid.core.versioning import VersionConflict
from samarbeid.governance.models import Decision
from samarbeid.meetings.models import AgendaItem, LegalBasis, Meeting
from samarbeid.meetings.services.attendance import set_attendance
from samarbeid.meetings.services.minutes import approve_minutes, write_item_minutes
from samarbeid.meetings.tests.factories import body, meeting, member

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _held(**fields: Any) -> Meeting:
    return meeting(status=Meeting.Status.HELD, date=date(2025, 3, 12), **fields)


def _item(one: Meeting, number: int = 1, **fields: Any) -> AgendaItem:
    values: dict[str, Any] = {"title": "Strategisk plan", **fields}
    return AgendaItem.objects.create(meeting=one, body=one.body, year=2025, number=number, **values)


def test_a_decision_on_a_case_goes_into_the_governance_records(secretariat: Any) -> None:
    one = _held()
    case = CaseFactory(arena=one.body.arena, opened=date(2025, 1, 1))
    item = _item(one, case=case)
    write_item_minutes(
        item,
        {"treatment": "Drøftet", "decision_text": "Planen sendes kommunestyrene.",
         "outcome": "adopted"},
        expected_version=1,
        actor=secretariat,
    )  # fmt: skip
    item.refresh_from_db()
    decision = case.decisions.get()
    assert item.decision == decision
    assert decision.body == Decision.Body.ARENA_BOARD
    assert decision.arena == one.body.arena
    assert decision.body_name == one.body.name
    assert decision.meeting_date == date(2025, 3, 12)
    assert decision.outcome == Decision.Outcome.ADOPTED
    assert decision.case_number == "1/25"
    # changed minutes change the same decision; "noted" makes it pending again
    write_item_minutes(
        item, {"outcome": "adopted_with_changes"}, expected_version=2, actor=secretariat
    )
    decision.refresh_from_db()
    assert decision.outcome == Decision.Outcome.ADOPTED_WITH_CHANGES
    assert case.decisions.count() == 1
    item.refresh_from_db()
    write_item_minutes(item, {"outcome": "noted"}, expected_version=item.version, actor=secretariat)
    decision.refresh_from_db()
    assert decision.outcome == Decision.Outcome.PENDING
    assert decision.meeting_date is None


def test_no_decision_without_a_case_or_with_noted(secretariat: Any) -> None:
    one = _held()
    free = _item(one)
    write_item_minutes(
        free,
        {"outcome": "adopted", "decision_text": "Styret slutter seg til planen."},
        expected_version=1,
        actor=secretariat,
    )
    case = CaseFactory(arena=one.body.arena, opened=date(2025, 1, 1))
    noted = _item(one, 2, case=case)
    write_item_minutes(noted, {"outcome": "noted"}, expected_version=1, actor=secretariat)
    assert not Decision.objects.filter(case=case).exists()


def test_minutes_only_while_held(secretariat: Any) -> None:
    planned = meeting()
    item = AgendaItem.objects.create(meeting=planned, body=planned.body, title="X")
    with pytest.raises(ValidationError):
        write_item_minutes(item, {"treatment": "X"}, expected_version=1, actor=secretariat)
    with pytest.raises(ValidationError):
        set_attendance(planned, [], actor=secretariat)


def test_no_minutes_before_the_meetings_date(secretariat: Any) -> None:
    future = meeting(status=Meeting.Status.HELD, date=date(2099, 3, 12))
    with pytest.raises(ValidationError, match=r"12\.03\.2099"):
        set_attendance(future, [], actor=secretariat)


def test_approval_needs_attendance_and_every_item_treated(secretariat: Any) -> None:
    one = _held()
    seat = member(one.body)
    item = _item(one)
    with pytest.raises(ValidationError) as exc:
        approve_minutes(
            one, approved_on=date(2025, 3, 20), approved_by="", expected_version=1,
            actor=secretariat,
        )  # fmt: skip
    assert "approved_by" in exc.value.message_dict
    assert "__all__" in exc.value.message_dict
    set_attendance(one, [seat], actor=secretariat)
    write_item_minutes(item, {"treatment": "Drøftet"}, expected_version=1, actor=secretariat)
    with pytest.raises(ValidationError) as exc:
        approve_minutes(
            one, approved_on=date(2025, 3, 1), approved_by="Leder",
            expected_version=one.version, actor=secretariat,
        )  # fmt: skip
    assert "approved_on" in exc.value.message_dict
    approve_minutes(
        one, approved_on=date(2025, 3, 20), approved_by="Leder",
        expected_version=one.version, actor=secretariat,
    )  # fmt: skip
    one.refresh_from_db()
    assert one.status == Meeting.Status.MINUTES_APPROVED
    assert (one.minutes_approved_on, one.minutes_approved_by) == (date(2025, 3, 20), "Leder")
    item.refresh_from_db()
    with pytest.raises(ValidationError):  # fixed once approved
        write_item_minutes(item, {"treatment": "Nytt"}, expected_version=2, actor=secretariat)


def test_attendance_only_of_the_bodys_members(secretariat: Any) -> None:
    one = _held()
    stranger = member(body(name="Annet organ"))
    with pytest.raises(ValidationError):
        set_attendance(one, [stranger], actor=secretariat)
    mine = member(one.body, person="Leder")
    set_attendance(one, [mine], actor=secretariat)
    # nobody ticked, with a member seated: refused (it read «lagret», then «ikke ført»)
    with pytest.raises(ValidationError) as refused:
        set_attendance(one, [], actor=secretariat)
    assert refused.value.message_dict == {"members": ["Kryss av for dem som var til stede."]}
    assert list(one.attendance.values_list("member_id", flat=True)) == [mine.pk]


def test_the_public_reads_approved_minutes_of_open_items(client: Client, secretariat: Any) -> None:
    one = _held()
    seat = member(one.body, person="Ordfører Olsen")
    _item(
        one, treatment="Åpen behandling", outcome="adopted", decision_text="Vedtatt som foreslått"
    )
    _item(
        one, 2, title="Lukket sak", closed=True, legal_basis=LegalBasis.INTERNAL_DOCUMENT,
        treatment="Hemmelig behandling", outcome="adopted",
    )  # fmt: skip
    url = reverse("meetings:minutes", args=[one.pk])
    assert client.get(url).status_code == 404  # a draft: not public
    problem_of(client.get(f"/api/v1/meetings/{one.pk}/minutes"), 404)
    set_attendance(one, [seat], actor=secretariat)
    approve_minutes(
        one, approved_on=date(2025, 3, 20), approved_by="Leder",
        expected_version=one.version, actor=secretariat,
    )  # fmt: skip
    page = client.get(url).content.decode()
    assert "Ordfører Olsen" in page
    assert "Åpen behandling" in page
    assert "Vedtatt som foreslått" in page
    assert "Lukket sak" in page
    assert "offl. § 14" in page
    assert "Hemmelig behandling" not in page
    pdf = client.get(reverse("meetings:minutes_pdf", args=[one.pk]))
    assert pdf.content.startswith(b"%PDF")
    api = client.get(f"/api/v1/meetings/{one.pk}/minutes").json()
    assert [i["treatment"] for i in api["items"]] == ["Åpen behandling", ""]
    assert api["present"][0]["person"] == "Ordfører Olsen"


def test_minutes_through_the_pages(client: Client, secretariat: Any) -> None:
    one = _held()
    seat = member(one.body)
    case = CaseFactory(arena=one.body.arena, opened=date(2025, 1, 1))
    item = _item(one, case=case)
    login(client, secretariat)
    response = client.post(
        reverse("meetings:attendance", args=[one.pk]), {"members": [seat.pk], "version": 1}
    )
    assert response.status_code == 302  # the meeting is now version 2
    response = client.post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {"treatment": "Drøftet", "decision_text": "Vedtatt", "outcome": "adopted", "version": 1},
    )
    assert response.status_code == 302
    assert case.decisions.get().outcome == "adopted"
    response = client.post(
        reverse("meetings:minutes_approve", args=[one.pk]),
        {"approved_on": "2025-03-20", "approved_by": "", "version": 2},
    )
    assert response.status_code == 200
    assert "ds-validation-message" in response.content.decode()
    response = client.post(
        reverse("meetings:minutes_approve", args=[one.pk]),
        {"approved_on": "2025-03-20", "approved_by": "Leder og nestleder", "version": 2},
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.status == Meeting.Status.MINUTES_APPROVED


def test_minutes_through_the_api(client: Client, secretariat: Any, reader: Any) -> None:
    one = _held()
    seat = member(one.body)
    item = _item(one)
    auth = bearer(secretariat)
    response = client.put(
        f"/api/v1/meetings/{one.pk}/attendance", {"members": [seat.pk], "version": 1},
        content_type=JSON,
        headers=auth,
    )  # fmt: skip
    assert response.status_code == 200, response.content
    stale = client.put(
        f"/api/v1/meetings/{one.pk}/attendance", {"members": [seat.pk], "version": 1},  # now 2
        content_type=JSON, headers=auth,
    )  # fmt: skip
    problem_of(stale, 409)
    assert one.attendance.count() == 1
    response = client.put(
        f"/api/v1/meetings/{one.pk}/attendance", {"members": [seat.pk], "version": 2},
        content_type=JSON, headers=auth,
    )  # fmt: skip
    assert response.status_code == 200, response.content
    bad = problem_of(
        client.patch(f"/api/v1/meetings/items/{item.pk}/minutes",
                     {"version": 1, "outcome": "maybe"}, content_type=JSON, headers=auth),
        422,
    )  # fmt: skip
    assert bad["errors"][0]["loc"] == ["outcome"]
    response = client.patch(
        f"/api/v1/meetings/items/{item.pk}/minutes", {"version": 1, "treatment": "Drøftet"},
        content_type=JSON, headers=auth,
    )  # fmt: skip
    assert response.json()["treatment"] == "Drøftet"
    problem_of(
        client.post(f"/api/v1/meetings/{one.pk}/minutes/approve",
                    {"version": 1, "approved_on": "2025-03-20", "approved_by": "Leder"},
                    content_type=JSON, headers=bearer(reader)),
        403,
    )  # fmt: skip
    response = client.post(
        f"/api/v1/meetings/{one.pk}/minutes/approve",
        {"version": 3, "approved_on": "2025-03-20", "approved_by": "Leder"},  # 2 attendances
        content_type=JSON, headers=auth,
    )  # fmt: skip
    assert response.json()["status"] == "minutes_approved"


def test_the_minutes_complete_the_treatment_the_case_was_sent_for(secretariat: Any) -> None:
    one = _held()
    case = CaseFactory(arena=one.body.arena, opened=date(2025, 1, 1))
    pending = Decision.objects.create(
        case=case, body=Decision.Body.ARENA_BOARD, arena=one.body.arena
    )
    item = _item(one, case=case)
    write_item_minutes(
        item,
        {"outcome": "adopted", "decision_text": "Planen vedtas."},
        expected_version=1,
        actor=secretariat,
    )
    pending.refresh_from_db()
    assert case.decisions.count() == 1
    assert pending.outcome == Decision.Outcome.ADOPTED
    assert pending.meeting_date == one.date


def test_attendance_raises_the_meetings_version(secretariat: Any) -> None:
    one = _held()
    seat = member(one.body)
    set_attendance(one, [seat], actor=secretariat, expected_version=1)
    one.refresh_from_db()
    assert one.version == 2
    with pytest.raises(VersionConflict):  # a second clerk who read version 1
        set_attendance(one, [seat], actor=secretariat, expected_version=1)
    assert one.attendance.count() == 1


def test_two_clerks_writing_attendance_through_the_api(client: Client, secretariat: Any) -> None:
    one = _held()
    seat = member(one.body)
    auth = bearer(secretariat)
    url = f"/api/v1/meetings/{one.pk}/attendance"
    first = client.put(url, {"members": [seat.pk], "version": 1}, content_type=JSON, headers=auth)
    assert first.status_code == 200, first.content
    second = client.put(url, {"members": [seat.pk], "version": 1}, content_type=JSON, headers=auth)
    problem_of(second, 409)
    assert one.attendance.count() == 1
    one.refresh_from_db()
    assert one.version == 2


def test_two_clerks_writing_attendance_through_the_page(client: Client, secretariat: Any) -> None:
    one = _held()
    seat = member(one.body)
    login(client, secretariat)
    url = reverse("meetings:attendance", args=[one.pk])
    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form
    assert client.post(url, {"members": [seat.pk], "version": 1}).status_code == 302
    stale = client.post(url, {"members": [seat.pk], "version": 1})
    assert stale.status_code == 200
    assert "Noen andre har lagret en nyere versjon" in stale.content.decode()
    assert one.attendance.count() == 1
    missing = client.post(url, {"members": []})  # a form without the version saves nothing
    assert missing.status_code == 200
    assert one.attendance.count() == 1


def test_the_case_number_is_the_items_number_in_any_language(secretariat: Any) -> None:
    """The decision's case number was the item's reference with "Sak " taken off: a clerk
    working in English recorded "Item 1/25"."""
    from django.utils import translation

    one = _held()
    case = CaseFactory(arena=one.body.arena, opened=date(2025, 1, 1))
    item = _item(one, case=case)
    with translation.override("en"):
        write_item_minutes(
            item,
            {"treatment": "Drøftet", "decision_text": "Vedtatt.", "outcome": "adopted"},
            expected_version=1,
            actor=secretariat,
        )
    assert case.decisions.get().case_number == "1/25"
