"""The pages of bodies and meetings: reading, writing, errors, outsiders, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from samarbeid.meetings.models import AgendaItem, Body, Meeting
from samarbeid.meetings.tests.factories import body, meeting, member

pytestmark = pytest.mark.django_db


def test_the_secretariat_registers_a_body_and_a_meeting(client: Client, secretariat: Any) -> None:
    one = body()
    login(client, secretariat)
    response = client.post(
        reverse("meetings:body_create", args=[one.arena_id]),
        {"kind": "mayors", "name": "Ordførermøtet"},
    )
    assert response.status_code == 302
    mayors = Body.objects.get(name="Ordførermøtet")
    response = client.post(
        reverse("meetings:meeting_create", args=[mayors.pk]),
        {"date": "2025-05-03", "start_time": "10:00", "place": "", "published": "on"},
    )
    assert response.status_code == 200  # neither place nor video link: said on the field
    assert "Skriv hvor møtet holdes" in response.content.decode()
    response = client.post(
        reverse("meetings:meeting_create", args=[mayors.pk]),
        {"date": "2025-05-03", "start_time": "10:00", "place": "Rådhuset", "published": "on"},
    )
    assert response.status_code == 302
    created = Meeting.objects.get(body=mayors)
    page = client.get(created.get_absolute_url()).content.decode()
    assert "Rådhuset" in page
    assert "planlagt" in page


def test_status_button_moves_and_refuses(client: Client, secretariat: Any) -> None:
    one = meeting(status=Meeting.Status.NOTICE_SENT)
    login(client, secretariat)
    url = reverse("meetings:meeting_status", args=[one.pk])
    client.post(url, {"status": "held", "version": 1})
    one.refresh_from_db()
    assert one.status == "held"
    response = client.post(url, {"status": "cancelled", "version": 2}, follow=True)
    one.refresh_from_db()
    assert one.status == "held"
    assert "kan ikke få status" in response.content.decode()


def test_outsiders(client: Client, reader: Any) -> None:
    one = meeting(published=False)
    assert client.get(one.get_absolute_url()).status_code == 404  # the public: unpublished
    assert client.get(reverse("meetings:body_detail", args=[one.body_id])).status_code == 200
    response = client.get(reverse("meetings:meeting_edit", args=[one.pk]))
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"]
    login(client, reader)
    assert client.get(one.get_absolute_url()).status_code == 200
    assert client.get(reverse("meetings:meeting_edit", args=[one.pk])).status_code == 403


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_run_a_bounded_number_of_queries(client: Client, reader: Any) -> None:
    one = body()
    meeting(one)
    member(one)
    login(client, reader)
    list_url = reverse("meetings:body_list", args=[one.arena_id])
    body_url = one.get_absolute_url()
    small = (_queries(client, list_url), _queries(client, body_url))
    for n in range(5):
        other = body(one.arena, name=f"Faggruppe {n}")
        meeting(other)
        meeting(one, place=f"Sted {n}")
        member(one, "3901", person=f"Person {n}")
    assert (_queries(client, list_url), _queries(client, body_url)) == small


def test_forms_name_the_field_in_error(client: Client, secretariat: Any) -> None:
    one = body()
    login(client, secretariat)
    response = client.post(
        reverse("meetings:body_create", args=[one.arena_id]), {"kind": "board", "name": one.name}
    )
    assert response.status_code == 200
    assert "Arenaen har allerede et organ med dette navnet." in response.content.decode()
    response = client.post(
        reverse("meetings:member_create", args=[one.pk]),
        {"person": "Ola", "role": "member", "valid_from": "2025-01-01", "valid_to": "2024-01-01"},
    )
    assert response.status_code == 200
    assert "«Til» kan ikke være før «fra»." in response.content.decode()


def test_the_meeting_form_says_one_thing_per_mistake(client: Client, secretariat: Any) -> None:
    one = body()
    login(client, secretariat)
    url = reverse("meetings:meeting_create", args=[one.pk])
    response = client.post(url, {"date": "2025-05-03", "start_time": "10:00", "place": "x" * 400})
    page = response.content.decode()
    assert "Skriv hvor møtet holdes" not in page  # only the length
    assert "400" in page
    response = client.post(url, {"date": "2199-05-03", "start_time": "10:00", "place": "R"})
    page = response.content.decode()
    assert "rimelig for et møte" in page
    assert "måltidspunkt" not in page


def test_the_agenda_and_minutes_links_say_what_they_do(client: Client, secretariat: Any) -> None:
    planned = meeting()
    AgendaItem.objects.create(meeting=planned, body=planned.body, title="Felles IKT")
    login(client, secretariat)
    page = client.get(planned.get_absolute_url()).content.decode()
    assert ">Endre «Felles IKT»</a>" in page  # the item by its title, for everyone
    held = meeting(status=Meeting.Status.HELD)
    AgendaItem.objects.create(meeting=held, body=held.body, year=2025, number=3, title="X")
    page = client.get(reverse("meetings:minutes", args=[held.pk])).content.decode()
    assert "Registrer frammøte" in page
    assert "Skriv behandlingen av Sak 3/25" in page


def test_the_meetings_list_links_its_secretariat_to_the_archive_extract(
    client: Client, arena_secretariat: Any, own_arena: Any, reader: Any, coordinator: Any
) -> None:
    body(own_arena)
    url = reverse("meetings:body_list", args=[own_arena.pk])
    link = f'href="{reverse("archive:extract_page")}?arena={own_arena.pk}"'
    login(client, arena_secretariat)
    page = client.get(url).content.decode()
    assert link in page
    assert "Arkivuttrekk (Noark 5) av saker og møter" in page
    assert client.get(reverse("archive:extract_page"), {"arena": own_arena.pk}).status_code == 200
    for other in (reader, coordinator):
        login(client, other)
        page = client.get(url).content.decode()
        assert link not in page
        assert "Arkivuttrekk" not in page
    client.logout()
    assert "Arkivuttrekk" not in client.get(url).content.decode()


def test_the_forms_render_through_the_shared_post_form(client: Client, secretariat: Any) -> None:
    """The document form sends its file, the attendance form says when the body has no
    members, and a meeting that may not be deleted offers no button, only the way back."""
    one = meeting(status=Meeting.Status.HELD)
    login(client, secretariat)
    page = client.get(reverse("meetings:document_create", args=[one.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert f'<a class="ds-link" href="{one.get_absolute_url()}">Avbryt</a>' in page
    page = client.get(reverse("meetings:attendance", args=[one.pk])).content.decode()
    assert "<legend" in page
    assert "Organet har ingen medlemmer registrert." in page
    member(one.body)
    page = client.get(reverse("meetings:attendance", args=[one.pk])).content.decode()
    assert 'type="checkbox"' in page
    assert "Organet har ingen medlemmer registrert." not in page
    page = client.get(reverse("meetings:meeting_delete", args=[one.pk])).content.decode()
    assert "Bare et planlagt eller avlyst møte kan slettes" in page
    assert 'data-color="danger" type="submit"' not in page
    assert f'<a class="ds-link" href="{one.get_absolute_url()}">Tilbake</a>' in page
