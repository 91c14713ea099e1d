"""What the second clerk's trial found: no list of meetings (/moter/ was a 404 and the menu
had no «Møter»); the attendance said the body had no members when it had some, only none on
the meeting's day; success messages that did not name the item; a proposal cut by the
browser's maxlength without a word."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.meetings.models import PROPOSAL_MAX, AgendaItem, Meeting
from samarbeid.meetings.tests.factories import body, meeting, member

pytestmark = pytest.mark.django_db


# --- 1. /moter/: the meetings the user may see, coming first, then the latest past ---


def test_the_meeting_list_is_in_the_menu_and_orders_coming_then_past(
    client: Client, secretariat: Any
) -> None:
    today = timezone.localdate()
    board = body(ArenaFactory(name="Vestfoldsamarbeidet"), name="Styret")
    later = meeting(board, date=today + timedelta(days=30))
    soon = meeting(board, date=today)
    recent = meeting(board, date=today - timedelta(days=2), status=Meeting.Status.HELD)
    older = meeting(board, date=today - timedelta(days=40), status=Meeting.Status.HELD)
    login(client, secretariat)
    home = client.get("/").content.decode()
    assert f'href="{reverse("meetings:index")}">Møter</a>' in home
    assert reverse("meetings:index") == "/moter/"
    page = client.get("/moter/").content.decode()
    coming = page[page.index('id="kommende"') : page.index('id="tidligere"')]
    past = page[page.index('id="tidligere"') :]
    assert coming.index(soon.get_absolute_url()) < coming.index(later.get_absolute_url())
    assert recent.get_absolute_url() not in coming
    assert past.index(recent.get_absolute_url()) < past.index(older.get_absolute_url())
    assert later.get_absolute_url() not in past
    assert "Styret" in coming
    assert "Vestfoldsamarbeidet" in coming
    assert "avholdt" in past
    assert "<caption" in coming
    assert 'scope="col">Arena</th>' in coming
    assert 'class="ds-table stack-on-phone"' in coming
    assert 'data-label="Status"' in past


def test_the_public_sees_only_published_meetings_of_published_arenas(client: Client) -> None:
    today = timezone.localdate()
    shown = meeting(body(), date=today + timedelta(days=3))
    unpublished = meeting(shown.body, date=today + timedelta(days=4), published=False)
    hidden_arena = meeting(body(ArenaFactory(published=False)), date=today + timedelta(days=5))
    page = client.get("/moter/").content.decode()
    assert shown.get_absolute_url() in page
    assert unpublished.get_absolute_url() not in page
    assert hidden_arena.get_absolute_url() not in page


def test_the_meeting_list_reads_a_bounded_number_of_queries(
    client: Client, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    """The same queries for two meetings as for twelve in six arenas (the session, the user,
    the two lists with their bodies and arenas, and what the base page reads)."""
    today = timezone.localdate()
    login(client, secretariat)

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get("/moter/")
        return len(queries)

    def add(n: int) -> None:
        board = body(name=f"Organ {n}")
        meeting(board, date=today + timedelta(days=n + 1))
        meeting(board, date=today - timedelta(days=n + 1), start_time=time(9))

    add(0)
    few = counted()
    for n in range(1, 6):
        add(n)
    assert counted() == few
    with django_assert_max_num_queries(5):
        page = client.get("/moter/").content.decode()
    assert page.count("Organ 5") == 2


# --- 2. the attendance says why nobody is listed ---


def test_attendance_says_nobody_sat_on_the_day_and_links_to_add_a_member(
    client: Client, secretariat: Any
) -> None:
    one = meeting(status=Meeting.Status.HELD, date=date(2025, 3, 12))
    member(one.body, "3909", person="Kommer senere", valid_from=date(2025, 6, 1))
    login(client, secretariat)
    page = client.get(reverse("meetings:attendance", args=[one.pk])).content.decode()
    assert "Ingen var medlem av organet på møtedagen 12.03.2025." in page
    assert "Organet har ingen medlemmer registrert." not in page
    add = reverse("meetings:member_create", args=[one.body_id])
    assert f'href="{add}">Legg til medlem</a>' in page


def test_attendance_of_a_body_without_members_links_to_add_one(
    client: Client, secretariat: Any
) -> None:
    one = meeting(status=Meeting.Status.HELD, date=date(2025, 3, 12))
    login(client, secretariat)
    page = client.get(reverse("meetings:attendance", args=[one.pk])).content.decode()
    assert "Organet har ingen medlemmer registrert." in page
    add = reverse("meetings:member_create", args=[one.body_id])
    assert f'href="{add}">Legg til medlem</a>' in page
    member(one.body, "3909", valid_from=date(2024, 1, 1))
    page = client.get(reverse("meetings:attendance", args=[one.pk])).content.decode()
    assert "Legg til medlem" not in page


# --- 3. the success messages name the item ---


def test_editing_taking_out_and_writing_minutes_name_the_item(
    client: Client, secretariat: Any
) -> None:
    coming = meeting(date=timezone.localdate() + timedelta(days=10))
    item = AgendaItem.objects.create(meeting=coming, body=coming.body, title="Felles IKT")
    login(client, secretariat)
    said = client.post(
        reverse("meetings:item_edit", args=[item.pk]),
        {"title": "Felles IKT", "description": "Felles drift av IKT.", "version": item.version},
        follow=True,
    ).content.decode()  # a real change: an unchanged save says «Ingen endringer å lagre.»
    assert "Endringene i «Felles IKT» er lagret." in said
    item.refresh_from_db()
    said = client.post(
        reverse("meetings:item_delete", args=[item.pk]), {"version": item.version}, follow=True
    ).content.decode()
    assert "«Felles IKT» er tatt ut av sakskartet." in said
    held = meeting(status=Meeting.Status.HELD, date=date(2025, 3, 12))
    numbered = AgendaItem.objects.create(
        meeting=held, body=held.body, year=2025, number=3, title="Felles IKT"
    )
    said = client.post(
        reverse("meetings:item_minutes", args=[numbered.pk]),
        {"treatment": "Drøftet.", "outcome": "", "decision_text": "", "version": 1},
        follow=True,
    ).content.decode()
    assert "Behandlingen av sak 3/25 «Felles IKT» er ført i protokollen." in said


# --- 4. the proposal's box has no maxlength: the server says it is too long ---


def test_the_proposal_box_lets_a_long_paste_through_to_the_field_error(
    client: Client, secretariat: Any
) -> None:
    one = meeting()
    item = AgendaItem.objects.create(meeting=one, body=one.body, title="Mandat")
    login(client, secretariat)
    url = reverse("meetings:item_edit", args=[item.pk])
    form = client.get(url).content.decode()
    at = form.index('name="proposal"')
    box = form[form.rindex("<textarea", 0, at) : form.index(">", at)]
    assert "maxlength" not in box
    refused = client.post(
        url, {"title": "Mandat", "proposal": "x" * (PROPOSAL_MAX + 1), "version": item.version}
    )
    assert refused.status_code == 200
    assert "høyst 10\u00a0000 tegn" in str(refused.context["form"].errors["proposal"])
    assert 'id="id_proposal_error"' in refused.content.decode()
