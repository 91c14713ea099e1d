"""The agenda: numbering per body and year when the notice is sent, stable after; links
within the arena; the notice as a page, a PDF and an iCalendar invitation."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, TestCase
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from pypdf import PdfReader

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.services.meetings import (
    _check_item,
    add_item,
    delete_item,
    update_item,
    update_meeting,
)
from samarbeid.meetings.services.notice import notice_delivery, send_notice
from samarbeid.meetings.signals import notice_sent
from samarbeid.meetings.tests.factories import body, meeting, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("noticed_early")]


def _add(one: Meeting, actor: Any, title: str = "Sak", **links: Any) -> AgendaItem:
    return add_item(AgendaItem(meeting=one, title=title, **links), actor=actor)


def test_numbers_are_given_with_the_notice_per_body_and_year(secretariat: Any) -> None:
    board = body()
    member(board)  # a member to send the notice to
    first = meeting(board, date=date(2026, 2, 1))
    a, b = _add(first, secretariat, "A"), _add(first, secretariat, "B")
    assert a.number is None
    assert a.reference.startswith("Sak (")
    send_notice(first, expected_version=1, actor=secretariat)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.reference, b.reference) == ("Sak 1/26", "Sak 2/26")
    late = _add(first, secretariat, "Ettersendt")  # added after the notice: numbered at once
    assert late.reference == "Sak 3/26"
    second = meeting(board, date=date(2026, 4, 1))
    c = _add(second, secretariat, "C")
    send_notice(second, expected_version=1, actor=secretariat)
    c.refresh_from_db()
    assert c.reference == "Sak 4/26"
    next_year = meeting(board, date=date(2027, 1, 10))
    d = _add(next_year, secretariat, "D")
    other_body = meeting(body(board.arena, name="Ordførermøtet"), date=date(2026, 4, 1))
    member(other_body.body)
    e = _add(other_body, secretariat, "E")
    send_notice(next_year, expected_version=1, actor=secretariat)
    send_notice(other_body, expected_version=1, actor=secretariat)
    d.refresh_from_db()
    e.refresh_from_db()
    assert (d.reference, e.reference) == ("Sak 1/27", "Sak 1/26")


def test_numbers_are_stable_after_the_notice(secretariat: Any) -> None:
    one = meeting()
    member(one.body)
    item = _add(one, secretariat)
    send_notice(one, expected_version=1, actor=secretariat)
    item.refresh_from_db()
    update_item(
        item, {"title": "Ny tittel", "number": 9, "position": 5}, expected_version=2,
        actor=secretariat,
    )  # fmt: skip
    item.refresh_from_db()
    assert (item.number, item.position, item.title) == (1, 1, "Ny tittel")
    with pytest.raises(ValidationError):
        delete_item(item, expected_version=3, actor=secretariat)


def test_an_unnumbered_item_may_be_deleted(secretariat: Any) -> None:
    one = meeting()
    item = _add(one, secretariat)
    delete_item(item, expected_version=1, actor=secretariat)
    assert not AgendaItem.objects.exists()


def test_no_notice_without_items_and_no_items_after_the_meeting(secretariat: Any) -> None:
    one = meeting()
    with pytest.raises(ValidationError):
        send_notice(one, expected_version=1, actor=secretariat)
    held = meeting(body(name="Annet"), status=Meeting.Status.HELD)
    with pytest.raises(ValidationError):
        _add(held, secretariat)


def test_one_link_and_only_within_the_writers_arenas(
    secretariat: Any, arena_secretariat: Any, own_arena: Any
) -> None:
    one = meeting(body(own_arena))
    case = CaseFactory(arena=own_arena)
    item = _add(one, arena_secretariat, "Saken", case=case)
    assert item.linked == case
    foreign = CaseFactory(arena=ArenaFactory())
    with pytest.raises(PermissionDenied):
        _add(one, arena_secretariat, "Fremmed", case=foreign)
    with pytest.raises(ValidationError) as exc:  # two links at once: one is asked for
        _check_item(AgendaItem(meeting=one, title="To", case_id=case.pk, project_id=1))
    assert "project" in exc.value.message_dict


def test_the_signal_is_sent_after_the_commit(secretariat: Any) -> None:
    one = meeting()
    member(one.body)
    _add(one, secretariat)
    got: list[Any] = []

    def receiver(sender: Any, meeting: Meeting, **kwargs: Any) -> None:
        got.append(meeting.pk)

    notice_sent.connect(receiver)
    try:
        with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
            send_notice(one, expected_version=1, actor=secretariat)
            assert got == []
        assert len(callbacks) >= 1
        assert got == [one.pk]
    finally:
        notice_sent.disconnect(receiver)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=6))
def test_numbers_run_one_by_one_without_gaps(sizes: list[int]) -> None:
    """Whatever meetings a year holds and however many items each has, the body's numbers
    that year are 1..n."""
    from conftest import _user
    from samarbeid.accounts.models import Role

    actor = _user(f"sek-{len(sizes)}-{sum(sizes)}-{id(sizes)}", Role.SECRETARIAT)
    board = body(name=f"Organ {id(sizes)}")
    member(board)
    for n, size in enumerate(sizes):
        one = meeting(board, date=date(2026, 1, 1 + n))
        for i in range(size):
            _add(one, actor, f"Sak {i}")
        if size:
            send_notice(one, expected_version=1, actor=actor)
    numbers = sorted(
        n or 0 for n in AgendaItem.objects.filter(body=board).values_list("number", flat=True)
    )
    assert numbers == list(range(1, sum(sizes) + 1))


def test_the_notice_page_pdf_and_ics(client: Client, secretariat: Any) -> None:
    one = meeting(place="Rådhuset, Levanger")
    member(one.body)
    _add(one, secretariat, "Strategisk plan 2008–2011")
    login(client, secretariat)
    response = client.post(reverse("meetings:notice_send", args=[one.pk]), {"version": 1})
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.status == Meeting.Status.NOTICE_SENT
    page = client.get(reverse("meetings:notice", args=[one.pk])).content.decode()
    assert "Sak 1/25 Strategisk plan 2008–2011" in page
    pdf = client.get(reverse("meetings:notice_pdf", args=[one.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Sak 1/25" in text
    assert "1. " not in text  # no list number ("1.") beside the case number
    ics = client.get(reverse("meetings:notice_ics", args=[one.pk]))
    event = next(iter(Calendar.from_ical(ics.content).walk("VEVENT")))
    assert str(event["location"]) == "Rådhuset, Levanger"
    assert "Sak 1/25" in str(event["description"])
    assert event["dtstart"].dt.hour == 10
    assert "DTEND" not in event  # no end time: none invented (RFC 5545 3.6.1)
    assert b"DTSTART;TZID=Europe/Oslo:20250312T100000" in ics.content
    calendar = Calendar.from_ical(ics.content)
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["tzid"] == "Europe/Oslo"
    # the zone's rules give CET in March before the last Sunday, CEST after, back in October
    tz = zone.to_tz()
    assert datetime(2025, 3, 29, 12, tzinfo=tz).utcoffset() == timedelta(hours=1)
    assert datetime(2025, 3, 31, 12, tzinfo=tz).utcoffset() == timedelta(hours=2)
    assert datetime(2025, 10, 27, 12, tzinfo=tz).utcoffset() == timedelta(hours=1)
    update_meeting(one, {"end_time": time(12)}, expected_version=one.version, actor=secretariat)
    ics = client.get(reverse("meetings:notice_ics", args=[one.pk]))
    assert b"DTEND;TZID=Europe/Oslo:20250312T120000" in ics.content


def test_the_item_form_says_what_is_wrong(client: Client, secretariat: Any) -> None:
    one = meeting()
    login(client, secretariat)
    response = client.post(reverse("meetings:item_create", args=[one.pk]), {"title": ""})
    assert response.status_code == 200
    assert "ds-validation-message" in response.content.decode()


def test_the_agenda_is_fixed_once_the_minutes_are_approved(secretariat: Any) -> None:
    one = meeting(status=Meeting.Status.MINUTES_APPROVED)
    item = AgendaItem.objects.create(meeting=one, body=one.body, title="Vedtatt sak")
    with pytest.raises(ValidationError):
        update_item(item, {"title": "Endret"}, expected_version=1, actor=secretariat)


def test_the_agenda_list_runs_a_bounded_number_of_queries(
    client: Client, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    one = meeting()
    for n in range(12):
        AgendaItem.objects.create(meeting=one, body=one.body, title=f"Sak {n}", position=n)
    with django_assert_max_num_queries(4):
        items = client.get(f"/api/v1/meetings/{one.pk}/items").json()
    assert len(items) == 12
    with django_assert_max_num_queries(4):
        assert client.get(f"/api/v1/meetings/{one.pk}/documents").json() == []


def test_the_notice_message_says_when_nobody_got_it_by_e_mail(
    client: Client, secretariat: Any, coordinator: Any, settings: Any
) -> None:
    one = meeting()
    _add(one, secretariat, "Felles IKT")
    login(client, secretariat)
    response = client.post(
        reverse("meetings:notice_send", args=[one.pk]), {"version": 1}, follow=True
    )
    said = response.content.decode()
    # s37: no member municipality on the day: refused (it said «Innkallingen er sendt … Ingen
    # fikk den på e-post: Rådmannsutvalget har ingen medlemskommune», and locked the items)
    assert "Innkallingen er sendt" not in said
    assert (
        "Innkallingen kan ikke sendes: Rådmannsutvalget har ingen medlemmer på møtedagen "
        "12.03.2025." in said
    )
    one.refresh_from_db()
    assert one.status == Meeting.Status.PLANNED
    member(one.body, "3909")  # Larvik, whose coordinator has an address
    coordinator.email = "koordinator@larvik.example.no"
    coordinator.save()
    assert notice_unmailed_reason(one) is None
    coordinator.email = ""
    coordinator.save()
    assert "koordinator med e-postadresse (3909 Larvik)" in (notice_unmailed_reason(one) or "")
    coordinator.email = "koordinator@larvik.example.no"
    coordinator.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert notice_unmailed_reason(one) is None  # development: written to the log
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    assert "ikke satt opp" in (notice_unmailed_reason(one) or "")


def test_a_noticed_meeting_sends_an_amended_and_a_supplementary_notice(
    secretariat: Any, coordinator: Any, mailoutbox: Any
) -> None:
    one = meeting()
    member(one.body, "3909")
    coordinator.email = "koordinator@larvik.example.no"
    coordinator.save()
    _add(one, secretariat, "Felles IKT")
    got: list[str] = []

    def receiver(sender: Any, meeting: Meeting, kind: str, **kwargs: Any) -> None:
        got.append(kind)

    notice_sent.connect(receiver)
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            send_notice(one, expected_version=1, actor=secretariat)
        with TestCase.captureOnCommitCallbacks(execute=True):
            update_meeting(one, {"published": True}, expected_version=None, actor=secretariat)
        assert got == ["notice"]  # publication is not in the notice
        with TestCase.captureOnCommitCallbacks(execute=True):
            update_meeting(one, {"place": "Kulturhuset"}, expected_version=None, actor=secretariat)
        assert got == ["notice", "amended"]
        with TestCase.captureOnCommitCallbacks(execute=True):
            _add(one, secretariat, "Sent innkommet sak")
        assert got == ["notice", "amended", "supplementary"]
    finally:
        notice_sent.disconnect(receiver)
    subjects = [message.subject for message in mailoutbox]  # reminders' receiver mailed them
    assert subjects[-2].startswith("Endret innkalling: Rådmannsutvalget")
    assert subjects[-1].startswith("Tilleggssak: Rådmannsutvalget")


def notice_unmailed_reason(meeting: Meeting) -> str | None:
    """Why nobody gets `meeting`'s notice by e-mail (the delivery's sentence), or None."""
    delivery = notice_delivery(meeting)
    return delivery.message if delivery.mode == "off" or not delivery.recipients else None
