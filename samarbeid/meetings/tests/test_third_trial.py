"""The last gaps of the clerk's third trial (issue 22): a past planned meeting goes on with a
notice recorded as sent outside Samarbeid, the minutes show a project item's participation,
the notice page repeats who it was sent to, and the amended notice says what it is."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import bearer, login
from samarbeid.audit.models import AuditEntry
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.tests.factories import meeting, member

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _past() -> Meeting:
    one = meeting(date=timezone.localdate() - timedelta(days=3))
    member(one.body, "3909", valid_from=date(2024, 1, 1))
    AgendaItem.objects.create(meeting=one, body=one.body, title="Felles IKT")
    return one


# --- 1. a past planned meeting is not a dead end ---


def test_a_past_planned_meeting_records_a_notice_sent_outside_and_is_held(
    client: Client, secretariat: Any, coordinator: Any, mailoutbox: Any
) -> None:
    coordinator.email = "lise@larvik.example.no"
    coordinator.save()
    one = _past()
    login(client, secretariat)
    url = reverse("meetings:meeting_detail", args=[one.pk])
    page = client.get(url).content.decode()
    assert "Registrer innkalling sendt utenfor Samarbeid" in page
    assert reverse("meetings:notice_send", args=[one.pk]) not in page
    sent_on = one.date - timedelta(days=10)
    said = client.post(
        reverse("meetings:notice_outside", args=[one.pk]),
        {"version": one.version, "sent_on": sent_on.isoformat()},
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
    one = _past()
    login(client, secretariat)
    said = client.post(
        reverse("meetings:notice_outside", args=[one.pk]),
        {"version": one.version, "sent_on": (one.date + timedelta(days=1)).isoformat()},
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
    one = _past()
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
    from samarbeid.arenas.tests.factories import current
    from samarbeid.meetings.tests.test_project_participation import _minutes, _setup
    from samarbeid.portfolio.models import Participation

    one, item, project = _setup()
    larvik = current("3909")
    login(client, secretariat)
    url = reverse("meetings:item_minutes", args=[item.pk])
    saved = {**_minutes(), "municipalities": [larvik.pk], "participation": "joined"}
    assert client.post(url, {**saved, "version": 1}).status_code == 302
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
    item.refresh_from_db()
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
    from samarbeid.arenas.tests.factories import arena_with_members
    from samarbeid.meetings.tests.factories import body
    from samarbeid.portfolio.models import Project
    from samarbeid.registry.models import Municipality

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
    from samarbeid.meetings.forms import ItemMinutesForm

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
