"""The last gaps of the clerk's third trial (issue 22): a past planned meeting goes on with a
notice recorded as sent outside Samarbeid, the minutes show a project item's participation,
the notice page repeats who it was sent to, and the amended notice says what it is."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import bearer, login
from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members, current
from samarbeid.audit.models import AuditEntry
from samarbeid.meetings.forms import ItemMinutesForm
from samarbeid.meetings.models import AgendaItem, BodyMember, Meeting
from samarbeid.meetings.services.bodies import add_member
from samarbeid.meetings.tests.factories import body, meeting, member, past_meeting
from samarbeid.meetings.tests.test_notice_delivery import _planned
from samarbeid.meetings.tests.test_project_participation import larvik_joined_on_the_page
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db
JSON = "application/json"


# --- 1. a past planned meeting is not a dead end ---


def test_a_past_planned_meeting_records_a_notice_sent_outside_and_is_held(
    client: Client, secretariat: Any, coordinator: Any, mailoutbox: Any
) -> None:
    coordinator.email = "lise@larvik.example.no"
    coordinator.save()
    one = past_meeting()
    login(client, secretariat)
    url = reverse("meetings:meeting_detail", args=[one.pk])
    page = client.get(url).content.decode()
    assert "Registrer innkalling sendt utenfor Samarbeid" in page
    assert reverse("meetings:notice_send", args=[one.pk]) not in page
    sent_on = one.date - timedelta(days=10)
    said = client.post(
        reverse("meetings:notice_outside", args=[one.pk]),
        {"version": one.version, "sent_outside_on": sent_on.isoformat()},
        follow=True,
    ).content.decode()
    assert "registrert som sendt utenfor Samarbeid" in said
    assert f"Innkalling sendt utenfor Samarbeid {sent_on:%d.%m.%Y}" in said
    one.refresh_from_db()
    assert one.status == Meeting.Status.NOTICE_SENT
    assert one.notice_outside
    assert one.notice_sent_on == sent_on
    assert one.items.get().number == 1
    assert mailoutbox == []  # nobody e-mailed from here
    assert AuditEntry.objects.filter(
        content_type__model="meeting", object_id=str(one.pk), action=AuditEntry.Action.UPDATE
    ).exists()
    # now it can be held, and its minutes say how the notice went out
    page = client.get(url).content.decode()
    assert "Sett status «avholdt»" in page
    client.post(
        reverse("meetings:meeting_status", args=[one.pk]),
        {"version": one.version, "status": "held"},
    )
    one.refresh_from_db()
    assert one.status == Meeting.Status.HELD
    minutes = client.get(reverse("meetings:minutes", args=[one.pk])).content.decode()
    assert "Innkalling sendt utenfor Samarbeid" in minutes
    pdf = client.get(reverse("meetings:minutes_pdf", args=[one.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Innkalling sendt utenfor Samarbeid" in text


def test_the_outside_notice_is_not_dated_after_the_meeting_or_in_the_future(
    client: Client, secretariat: Any
) -> None:
    one = past_meeting()
    login(client, secretariat)
    said = client.post(
        reverse("meetings:notice_outside", args=[one.pk]),
        {"version": one.version, "sent_outside_on": (one.date + timedelta(days=1)).isoformat()},
        follow=True,
    ).content.decode()
    assert f"senest på møtedagen ({one.date:%d.%m.%Y})" in said
    coming = meeting(date=timezone.localdate() + timedelta(days=20))
    AgendaItem.objects.create(meeting=coming, body=coming.body, title="Plan")
    response = client.post(
        f"/api/v1/meetings/{coming.pk}/notice",
        {"version": 1, "sent_outside_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 422
    assert "fram i tid" in response.content.decode()
    one.refresh_from_db()
    coming.refresh_from_db()
    assert one.status == coming.status == Meeting.Status.PLANNED


def test_the_api_records_a_notice_sent_outside(client: Client, secretariat: Any) -> None:
    one = past_meeting()
    response = client.post(
        f"/api/v1/meetings/{one.pk}/notice",
        {"version": 1, "sent_outside_on": one.date.isoformat()},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["status"] == "notice_sent"
    assert answer["notice_outside"] is True
    assert answer["delivery"]["mode"] == "outside"
    assert answer["delivery"]["recipients"] == []
    response = client.post(
        f"/api/v1/meetings/{one.pk}/status",
        {"version": answer["version"], "status": "held"},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "held"


# --- 2. the minutes show the participation a project item's decision recorded ---


def test_the_minutes_show_the_recorded_participation_and_the_form_reopens_with_it(
    client: Client, secretariat: Any
) -> None:
    one, item, project, url, saved = larvik_joined_on_the_page(client, secretariat)
    larvik = current("3909")
    minutes = client.get(reverse("meetings:minutes", args=[one.pk])).content.decode()
    assert "Deltakelse registrert: 3909 Larvik — deltar fra 12.03.2025" in minutes
    pdf = client.get(reverse("meetings:minutes_pdf", args=[one.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "3909 Larvik — deltar fra 12.03.2025" in text
    # reopened: what was recorded, checked and chosen
    form = client.get(url).content.decode()
    checked = re.findall(
        r'<input type="checkbox" name="municipalities" value="(\d+)"[^>]* checked', form
    )
    assert checked == [str(larvik.pk)]
    assert '<option value="joined" selected>' in form
    # re-saving without change records nothing a second time
    assert client.post(url, {**saved, "version": item.version}).status_code == 302
    assert Participation.objects.filter(project=project).count() == 1
    # a different choice is refused plainly, and nothing changes
    item.refresh_from_db()
    sandefjord = current("3907")
    refused = client.post(
        url, {**saved, "municipalities": [sandefjord.pk], "version": item.version}
    )
    assert refused.status_code == 200
    assert "allerede registrert deltakelse (3909 Larvik — deltar fra 12.03.2025)" in (
        refused.content.decode()
    )
    assert Participation.objects.filter(project=project).count() == 1


# --- 3. the "Kommuner" legend sits above the boxes; only the seats on the day are offered ---


def _andebu_item() -> AgendaItem:
    """A 2026 meeting of a body where Andebu (0719, merged into Sandefjord 2017) once held
    a seat that was never ended, beside Larvik."""

    arena = arena_with_members(["3909"])
    board = body(arena)
    member(board, "3909")
    andebu = Municipality.objects.filter(number="0719").order_by("-valid_from").first()
    assert andebu is not None
    assert andebu.valid_to is not None
    member(board, "3909", municipality=andebu, valid_from=date(2010, 1, 1))
    one = meeting(board, status=Meeting.Status.HELD, date=date(2026, 3, 12))
    project = Project.objects.create(arena=arena, code="P9", title="Velferdsteknologi")
    return AgendaItem.objects.create(
        meeting=one, body=board, year=2026, number=4, title="Velferdsteknologi", project=project
    )


def test_the_municipalities_are_a_fieldset_whose_legend_is_above_the_seats_of_the_day(
    client: Client, secretariat: Any
) -> None:
    item = _andebu_item()
    offered = [
        label for _pk, label in ItemMinutesForm(instance=item).fields["municipalities"].choices
    ]
    assert offered == ["3909 Larvik"]  # not 0719 Andebu, gone before 2026
    login(client, secretariat)
    form = client.get(reverse("meetings:item_minutes", args=[item.pk])).content.decode()
    fieldset = re.search(r"<fieldset[^>]*>(.*?)</fieldset>", form, re.S)
    assert fieldset is not None
    inside = fieldset.group(1)
    legend = inside.index('<legend class="ds-label">Kommuner</legend>')
    help_text = inside.index("Kommunene med plass i organet på møtedagen")
    first_box = inside.index('type="checkbox"')
    assert legend < help_text < first_box
    assert "0719" not in form
    assert 'for="id_municipalities">Kommuner' not in form  # no label floating beside a box


# --- 4-6. the notice keeps whom it was sent to; numbers, a long list, amended notices ---


def _noticed(client: Client, secretariat: Any, coordinator: Any) -> Meeting:
    coordinator.first_name, coordinator.last_name = "Lise", "Larsen"
    coordinator.email = "lise@larvik.example.no"
    coordinator.save()
    one = _planned()
    one.published = True
    one.save()
    one.body.arena.published = True
    one.body.arena.save()
    login(client, secretariat)
    client.post(reverse("meetings:notice_send", args=[one.pk]), {"version": one.version})
    one.refresh_from_db()
    return one


def test_the_notice_page_repeats_whom_it_was_sent_to(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    one = _noticed(client, secretariat, coordinator)
    assert one.notice_delivery["recipients"] == ["Lise Larsen (3909 Larvik)"]
    assert one.notice_delivery["without_address"] == ["3907 Sandefjord"]
    assert one.notice_sent_at is not None
    at = timezone.localtime(one.notice_sent_at)
    said = (
        f"Sendt {at:%d.%m.%Y} kl. {at:%H.%M} til: Lise Larsen (3909 Larvik). "
        "Uten koordinator med e-postadresse: 3907 Sandefjord."
    )
    for url in ("meetings:notice", "meetings:meeting_detail"):
        assert said in client.get(reverse(url, args=[one.pk])).content.decode()
    # kept as sent: a coordinator who comes later is not said to have got it
    coordinator.email = ""
    coordinator.save()
    assert said in client.get(reverse("meetings:notice", args=[one.pk])).content.decode()
    # the public reads the notice, not the names of the people it went to
    client.logout()
    assert (
        "Lise Larsen" not in client.get(reverse("meetings:notice", args=[one.pk])).content.decode()
    )


def test_an_amended_notice_says_whom_it_went_to_on_the_page_and_in_the_api(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    one = _noticed(client, secretariat, coordinator)
    said = client.post(
        reverse("meetings:meeting_edit", args=[one.pk]),
        {
            "date": one.date.isoformat(),
            "start_time": "12:00",
            "place": one.place,
            "video_link": "",
            "published": "on",
            "version": one.version,
        },
        follow=True,
    ).content.decode()
    assert "Endringene er lagret." in said
    assert "Endret innkalling er sendt på e-post til 1 mottaker: Lise Larsen (3909 Larvik)." in said
    change = one.notice_changes.get()
    assert change.delivery["recipients"] == ["Lise Larsen (3909 Larvik)"]
    notice = client.get(reverse("meetings:notice", args=[one.pk])).content.decode()
    assert notice.count("til: Lise Larsen (3909 Larvik).") == 2  # the notice, the change
    said = client.post(
        reverse("meetings:item_create", args=[one.pk]),
        {"title": "Ny sak", "description": ""},
        follow=True,
    ).content.decode()
    assert "Tilleggssak er sendt på e-post til 1 mottaker: Lise Larsen (3909 Larvik)." in said
    one.refresh_from_db()
    response = client.patch(
        f"/api/v1/meetings/{one.pk}",
        {"version": one.version, "place": "Kulturhuset"},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 200, response.content
    delivery = response.json()["delivery"]
    assert delivery["recipients"] == ["Lise Larsen (3909 Larvik)"]
    assert delivery["message"].startswith("Endret innkalling er sendt på e-post til 1 mottaker")
    response = client.post(
        f"/api/v1/meetings/{one.pk}/items",
        {"title": "Enda en sak"},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 201, response.content
    assert response.json()["delivery"]["message"].startswith("Tilleggssak er sendt")


def test_a_long_list_is_cut_and_the_page_links_to_the_notice_page(
    client: Client, secretariat: Any
) -> None:
    one = meeting(date=timezone.localdate() + timedelta(days=14))
    numbers = ["3901", "3903", "3905", "3907", "3909", "3911", "3903"]
    for number in dict.fromkeys(numbers):
        member(one.body, number, valid_from=date(2024, 1, 1))
    AgendaItem.objects.create(meeting=one, body=one.body, title="Felles IKT")
    login(client, secretariat)
    said = client.post(
        reverse("meetings:notice_send", args=[one.pk]), {"version": one.version}, follow=True
    ).content.decode()
    assert "og 1 til (hele listen står på innkallingssiden)" in said
    assert f'href="{reverse("meetings:notice", args=[one.pk])}#sendt-til"' in said
    notice = client.get(reverse("meetings:notice", args=[one.pk])).content.decode()
    assert "3911 Færder" in notice


# --- 9. an arena without recorded memberships seats nobody ---


def test_an_arena_without_memberships_refuses_a_member_on_the_field(
    client: Client, secretariat: Any
) -> None:
    board = body(ArenaFactory())
    with pytest.raises(ValidationError) as caught:
        add_member(
            BodyMember(
                body=board,
                municipality=current("3909"),
                person="Ordfører",
                valid_from=date(2025, 1, 1),
            ),
            actor=secretariat,
        )
    assert caught.value.message_dict["municipality"] == [
        "Arenaen har ingen registrerte medlemmer; registrer medlemskap først."
    ]
    response = client.post(
        f"/api/v1/meetings/bodies/{board.pk}/members",
        {"municipality": "3909", "person": "Ordfører", "valid_from": "2025-01-01"},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 422
    assert "registrer medlemskap først" in response.json()["detail"]
    assert not BodyMember.objects.filter(body=board).exists()


# --- 10. the body's "add member" form searches municipalities as the product does ---


def test_the_add_member_form_uses_the_municipality_picker(client: Client, secretariat: Any) -> None:
    board = body(arena_with_members(["3909"]))
    login(client, secretariat)
    form = client.get(reverse("meetings:member_create", args=[board.pk])).content.decode()
    select = re.search(r"<select[^>]*name=\"municipality\"[^>]*>", form)
    assert select is not None
    assert "data-municipality-picker" in select.group(0)
    assert 'data-date-input="id_valid_from"' in select.group(0)
    assert "Finn kommunen: skriv nummer eller de første bokstavene" in select.group(0)


# --- 11. the meetings endpoints answer in the request's language ---


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("", "Denne statusen settes med innkallingens eller protokollens egen operasjon."),
        ("?lang=en", "This status is set by the notice's or the minutes' own operation."),
    ],
)
def test_a_refusal_of_the_meetings_api_follows_the_requests_language(
    client: Client, secretariat: Any, query: str, said: str
) -> None:
    one = meeting()
    response = client.post(
        f"/api/v1/meetings/{one.pk}/status{query}",
        {"version": one.version, "status": "notice_sent"},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == said
