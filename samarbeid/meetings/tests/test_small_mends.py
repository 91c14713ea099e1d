"""Small mends from the clerk's second trial: the delete page counts items in words; a
dissolved arena's refusal of a meeting sits on the date and names its end date."""

from __future__ import annotations

import io
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.services.meetings import create_meeting
from samarbeid.meetings.services.minutes import write_item_minutes
from samarbeid.meetings.tests.factories import body, meeting

pytestmark = pytest.mark.django_db


def test_the_delete_page_counts_items_in_words(client: Client, secretariat: Any) -> None:
    one = meeting()
    login(client, secretariat)
    url = reverse("meetings:meeting_delete", args=[one.pk])
    page = client.get(url).content.decode()
    assert "(ingen saker)" in page
    assert "sak(er)" not in page
    AgendaItem.objects.create(meeting=one, body=one.body, title="A")
    assert "(1 sak)" in client.get(url).content.decode()
    AgendaItem.objects.create(meeting=one, body=one.body, title="B")
    assert "(2 saker)" in client.get(url).content.decode()


def test_a_dissolved_arena_refuses_a_meeting_on_the_date(secretariat: Any) -> None:
    arena = ArenaFactory(ended=date(2024, 6, 30))
    board = body(arena)
    with pytest.raises(ValidationError) as caught:
        create_meeting(
            Meeting(body=board, date=date(2025, 1, 10), start_time=time(10), place="Rådhuset"),
            actor=secretariat,
        )
    assert "30.06.2024" in caught.value.message_dict["date"][0]


def test_minutes_pages_say_why_instead_of_the_form(client: Client, secretariat: Any) -> None:
    coming = meeting(date=timezone.localdate() + timedelta(days=10))
    item = AgendaItem.objects.create(meeting=coming, body=coming.body, title="Plan")
    login(client, secretariat)
    for url in (
        reverse("meetings:attendance", args=[coming.pk]),
        reverse("meetings:item_minutes", args=[item.pk]),
    ):
        page = client.get(url).content.decode()
        assert "protokollen skrives etter møtet" in page
        assert 'method="post" class="form"' not in page
    held = meeting(body(name="Styret"), status=Meeting.Status.HELD, date=date(2025, 3, 12))
    case = CaseFactory(arena=held.body.arena, opened=date(2025, 1, 1))
    voted = AgendaItem.objects.create(
        meeting=held, body=held.body, year=2025, number=1, title="Sak", case=case
    )
    write_item_minutes(
        voted, {"decision_text": "Vedtatt", "outcome": "adopted"}, expected_version=1,
        actor=secretariat,
    )  # fmt: skip
    page = client.get(reverse("meetings:item_votes", args=[voted.pk])).content.decode()
    assert "stemmene føres før vedtaket" in page
    assert 'method="post" class="form"' not in page


def test_the_notice_pdf_lists_the_attached_documents(client: Client, secretariat: Any) -> None:
    one = meeting()
    item = AgendaItem.objects.create(meeting=one, body=one.body, title="Budsjett")
    login(client, secretariat)
    response = client.post(
        reverse("meetings:document_create", args=[one.pk]),
        {"title": "Saksframlegg budsjett", "date": "2025-03-01", "kind": "case_presentation",
         "file": SimpleUploadedFile("budsjett.pdf", b"%PDF-1.4\n% Samarbeid\n"),
         "item": item.pk},
    )  # fmt: skip
    assert response.status_code == 302
    pdf = client.get(reverse("meetings:notice_pdf", args=[one.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Saksframlegg budsjett" in text


def test_the_meeting_page_offers_only_what_the_service_takes(
    client: Client, secretariat: Any
) -> None:
    """A clerk's trial: a future meeting offered "Sett status «avholdt»" (refused when
    pressed), a past one "Send innkalling" (refused when pressed)."""
    today = timezone.localdate()
    ahead = meeting(date=today + timedelta(days=5), status=Meeting.Status.NOTICE_SENT)
    AgendaItem.objects.create(meeting=ahead, body=ahead.body, title="Plan")
    planned = meeting(on=ahead.body, date=today + timedelta(days=9))
    past = meeting(on=ahead.body, date=today - timedelta(days=3))
    AgendaItem.objects.create(meeting=past, body=past.body, title="Plan")
    login(client, secretariat)
    page = client.get(ahead.get_absolute_url()).content.decode()
    assert "Sett status «avholdt»" not in page
    assert "Sett status «avlyst»" in page
    assert "Send innkalling" in client.get(planned.get_absolute_url()).content.decode()
    page = client.get(past.get_absolute_url()).content.decode()
    assert "Send innkalling" not in page
    assert "Sett status «avlyst»" in page
