"""The clerk's fourth trial (issue 22), mended: the API's refusals name the fields it was sent,
a past planned meeting says why it cannot be sent a notice, the notice names municipalities by
number, one way of writing times, dissolved members' seats end, meetings' own 403 message, and
a supplementary item is announced before it is saved."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import bearer, login
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.meetings.models import AgendaItem
from samarbeid.meetings.services.meetings import add_item
from samarbeid.meetings.services.notice import send_notice
from samarbeid.meetings.tests.factories import body, meeting, member, past_meeting
from samarbeid.meetings.tests.test_project_participation import (
    decided_minutes,
    larvik_joined_on_the_page,
)
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db
JSON = "application/json"


# --- 1. the API's refusal names the field it was sent ---


def test_the_outside_notice_refusal_names_sent_outside_on(client: Client, secretariat: Any) -> None:
    one = past_meeting()
    response = client.post(
        f"/api/v1/meetings/{one.pk}/notice",
        {"version": 1, "sent_outside_on": (one.date + timedelta(days=1)).isoformat()},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 422
    locs = [e["loc"] for e in response.json()["errors"]]
    assert locs == [["sent_outside_on"]], locs


# --- 2. a recorded participation changed to "takket nei": refused on "Ny deltakelse" ---


def test_a_changed_participation_is_refused_on_the_status_field(
    client: Client, secretariat: Any
) -> None:
    _one, item, _project, url, saved = larvik_joined_on_the_page(client, secretariat)
    refused = client.post(url, {**saved, "participation": "declined", "version": item.version})
    assert refused.status_code == 200
    form = refused.context["form"]
    assert "participation" in form.errors
    assert "municipalities" not in form.errors
    answer = client.patch(
        f"/api/v1/meetings/items/{item.pk}/minutes",
        {"version": item.version, **decided_minutes(), "municipalities": ["3909"],
         "participation": "declined"},
        content_type=JSON,
        headers=bearer(secretariat),
    )  # fmt: skip
    assert answer.status_code == 422
    assert [e["loc"] for e in answer.json()["errors"]] == [["participation"]]


# --- 3. a past planned meeting says why no notice can be sent, beside a styled date field ---


def test_a_past_planned_meeting_says_why_and_offers_a_styled_date_field(
    client: Client, secretariat: Any
) -> None:
    one = past_meeting()
    login(client, secretariat)
    page = client.get(reverse("meetings:meeting_detail", args=[one.pk])).content.decode()
    assert reverse("meetings:notice_send", args=[one.pk]) not in page
    assert (
        f"Møtedagen {one.date:%d.%m.%Y} er passert; en innkalling kan ikke sendes nå. Ble den "
        "sendt på annen måte, registrer den:"
    ) in page
    assert "Dato innkallingen ble sendt" in page
    field = page.split('name="sent_outside_on"')[0].rsplit('<div class="ds-field', 1)[1]
    assert field.startswith(" field"), field  # partials/field.html's wrapper and styles
    assert f'max="{one.date:%Y-%m-%d}"' in page
    # a coming meeting offers "Send innkalling" and does not say the day has passed
    coming = meeting(one.body, date=timezone.localdate() + timedelta(days=20))
    page = client.get(reverse("meetings:meeting_detail", args=[coming.pk])).content.decode()
    assert "er passert" not in page
    assert reverse("meetings:notice_send", args=[coming.pk]) in page


# --- 4. the notice's "Til" names municipalities by number, as they were on the day ---


def test_the_notice_names_members_municipalities_by_number(
    client: Client, secretariat: Any
) -> None:
    one = meeting(date=date(2015, 3, 12))
    old_larvik = Municipality.objects.filter(number="0709").first()
    assert old_larvik is not None  # Larvik before the merger of 2018
    member(one.body, "3909", municipality=old_larvik, person="Rådmann i Larvik",
           valid_from=date(2010, 1, 1))  # fmt: skip
    login(client, secretariat)
    page = client.get(reverse("meetings:notice", args=[one.pk])).content.decode()
    assert "Rådmann i Larvik, medlem (0709 Larvik)" in page
    pdf = client.get(reverse("meetings:notice_pdf", args=[one.pk]))
    assert pdf.status_code == 200


# --- 5. one way of writing times: "kl. 10.00–12.00" in bokmål, "10:00" in English ---


@pytest.mark.parametrize(
    ("language", "span", "wrong"),
    [("nb", "10.00–12.00", "10:00"), ("en", "10:00–12:00", "10.00")],
)
def test_times_are_written_one_way_per_language(
    client: Client, secretariat: Any, language: str, span: str, wrong: str
) -> None:
    one = meeting(start_time=time(10, 0), end_time=time(12, 0))
    login(client, secretariat)
    client.cookies["django_language"] = language
    for name in ("meetings:meeting_detail", "meetings:notice", "meetings:minutes"):
        page = client.get(reverse(name, args=[one.pk]), headers={"accept-language": language})
        html = page.content.decode()
        assert page.status_code == 200, name
        assert span in html, name
        assert wrong not in html, name
    body = client.get(one.body.get_absolute_url()).content.decode()
    assert span.split("–")[0] in body
    assert wrong not in body


def test_the_notice_email_writes_the_time_as_the_page(
    secretariat: Any,
    coordinator: Any,
    settings: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    coordinator.email = "lise@larvik.example.no"
    coordinator.save()
    one = meeting(date=timezone.localdate() + timedelta(days=10), start_time=time(9, 30))
    member(one.body, "3909")
    AgendaItem.objects.create(meeting=one, body=one.body, title="Plan")
    settings.EMAIL_HOST = ""  # the test backend (locmem) delivers all the same
    with django_capture_on_commit_callbacks(execute=True):
        send_notice(one, expected_version=one.version, actor=secretariat)
    assert mailoutbox, "no notice e-mailed"
    message = mailoutbox[0]
    assert "kl. 09.30" in message.body
    assert "09:30" not in message.body
    html = message.alternatives[0][0] if message.alternatives else ""
    assert "09:30" not in str(html)


# --- 6. a dissolved municipality's seat shows its end, on the body page and in the API ---


def test_a_seat_ends_with_its_municipality_on_the_body_page_and_in_the_api(
    client: Client, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    board = body()
    andebu = Municipality.objects.filter(number="0719").order_by("-valid_from").first()
    assert andebu is not None
    assert andebu.valid_to is not None
    seat = member(board, "3909", municipality=andebu, person="Ordfører i Andebu",
                  valid_from=date(2006, 1, 1))  # fmt: skip
    member(board, "3909", person="Ordfører i Larvik", valid_from=date(2024, 1, 1))
    login(client, secretariat)
    with django_assert_max_num_queries(20):
        page = client.get(board.get_absolute_url()).content.decode()
    assert f"01.01.2006–{andebu.valid_to:%d.%m.%Y} (kommunen ble slått sammen)" in page
    assert "01.01.2024–<" in page  # Larvik's seat stays open-ended
    seat.refresh_from_db()
    assert seat.valid_to is None  # the record is kept as it was
    answer = client.get(f"/api/v1/meetings/bodies/{board.pk}", headers=bearer(secretariat))
    assert answer.status_code == 200, answer.content
    rows = {row["person"]: row for row in answer.json()["members"]}
    assert rows["Ordfører i Andebu"]["valid_to"] is None
    assert rows["Ordfører i Andebu"]["ends_on"] == andebu.valid_to.isoformat()
    assert rows["Ordfører i Larvik"]["ends_on"] is None


# --- 7. a coordinator refused a meetings write is told who may ---

WRITERS_ONLY = "Bare arenaens sekretariat kan endre møter, organer og protokoller."


def test_a_coordinator_refused_a_meetings_write_is_told_only_the_secretariat_may(
    client: Client, coordinator: Any
) -> None:
    one = meeting(date=timezone.localdate() + timedelta(days=10))
    login(client, coordinator)
    for response in (
        client.get(reverse("meetings:meeting_edit", args=[one.pk])),
        client.post(reverse("meetings:notice_send", args=[one.pk]), {"version": one.version}),
    ):
        assert response.status_code == 403
        page = response.content.decode()
        assert WRITERS_ONLY in page
        assert "eller koordinatoren for kommunen det gjelder" not in page
    answer = client.patch(
        f"/api/v1/meetings/{one.pk}",
        {"version": one.version, "place": "Kulturhuset"},
        content_type=JSON,
        headers=bearer(coordinator),
    )
    assert answer.status_code == 403
    assert answer.json()["detail"] == WRITERS_ONLY


def test_other_refusals_keep_the_general_403_text(client: Client, coordinator: Any) -> None:
    login(client, coordinator)
    response = client.get(reverse("meetings:body_create", args=[meeting().body.arena.pk]))
    assert response.status_code == 403
    assert WRITERS_ONLY in response.content.decode()

    other = client.get(reverse("arenas:arena_edit", args=[ArenaFactory().pk]))
    assert other.status_code == 403
    assert WRITERS_ONLY not in other.content.decode()
    assert "Rollen din gir ikke tilgang til dette." in other.content.decode()


# --- 8. a supplementary item is announced before it is saved; taking it off is refused plainly ---

SUPPLEMENTARY_WARNING = (
    "Møtet er innkalt: saken sendes som tilleggssak til medlemmene når du lagrer."
)


def test_the_add_item_form_of_a_noticed_meeting_says_it_goes_out_at_once(
    client: Client, secretariat: Any
) -> None:
    one = meeting(date=timezone.localdate() + timedelta(days=10))
    member(one.body, "3909")
    login(client, secretariat)
    url = reverse("meetings:item_create", args=[one.pk])
    assert SUPPLEMENTARY_WARNING not in client.get(url).content.decode()  # not yet noticed
    add_item(AgendaItem(meeting=one, title="Felles IKT"), actor=secretariat)
    one.refresh_from_db()
    send_notice(one, expected_version=one.version, actor=secretariat)
    assert SUPPLEMENTARY_WARNING in client.get(url).content.decode()
    # the supplementary item, saved, cannot be taken off; the refusal says why and what to do
    assert client.post(url, {"title": "Tilleggssak om vei"}).status_code == 302
    late = AgendaItem.objects.get(meeting=one, title="Tilleggssak om vei")
    assert late.number is not None
    refused = client.post(
        reverse("meetings:item_delete", args=[late.pk]), {"version": late.version}, follow=True
    ).content.decode()
    assert AgendaItem.objects.filter(pk=late.pk).exists()
    assert "er sendt til medlemmene og kan ikke tas ut av sakskartet" in refused
    assert "«utsatt» i protokollen" in refused
    # the meeting page says the same before anyone tries
    page = client.get(reverse("meetings:meeting_detail", args=[one.pk])).content.decode()
    assert "Saker som er sendt til medlemmene, kan ikke tas ut av sakskartet" in page
