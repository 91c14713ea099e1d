"""Deleting a body, a member, a meeting and a document: through the audited delete path,
on a confirmation page and in the API, by the arena's secretariat only; a held meeting
(with minutes) is never deleted, a body with meetings or a member the minutes name is
kept."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.audit.models import AuditEntry
from samarbeid.meetings.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyMember,
    Meeting,
    MeetingDocument,
)
from samarbeid.meetings.services.documents import add_document
from samarbeid.meetings.tests.factories import body, meeting, member

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% Samarbeid\n"


def _document(one: Meeting, actor: Any, item: AgendaItem | None = None) -> MeetingDocument:
    document = MeetingDocument(
        meeting=one, item=item, title="Saksframlegg", kind="case_presentation", date=one.date
    )
    return add_document(document, SimpleUploadedFile("framlegg.pdf", PDF), actor=actor)


def _deleted(model: type, pk: int) -> bool:
    return AuditEntry.objects.filter(
        object_id=str(pk),
        action=AuditEntry.Action.DELETE,
        content_type__model=model.__name__.lower(),
    ).exists()


def test_a_planned_meeting_is_deleted_with_its_agenda_and_files_after_confirmation(
    client: Client, secretariat: Any, django_capture_on_commit_callbacks: Any
) -> None:
    one = meeting()
    item = AgendaItem.objects.create(meeting=one, body=one.body, title="Budsjett")
    document = _document(one, secretariat, item)
    stored = document.file.name
    assert default_storage.exists(stored)
    login(client, secretariat)
    url = reverse("meetings:meeting_delete", args=[one.pk])
    assert url in client.get(one.get_absolute_url()).content.decode()
    page = client.get(url).content.decode()
    assert "Slett møtet" in page
    assert "(1 sak)" in page
    assert Meeting.objects.filter(pk=one.pk).exists()  # asking deletes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"version": one.version})
    assert response.status_code == 302
    assert response["Location"] == one.body.get_absolute_url()
    assert not Meeting.objects.filter(pk=one.pk).exists()
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert not MeetingDocument.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(stored)
    for model, pk in ((Meeting, one.pk), (AgendaItem, item.pk), (MeetingDocument, document.pk)):
        assert _deleted(model, pk), model


@pytest.mark.parametrize(
    "status", [Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED, Meeting.Status.NOTICE_SENT]
)
def test_a_held_or_announced_meeting_is_never_deleted(
    client: Client, secretariat: Any, status: str
) -> None:
    one = meeting(status=status)
    login(client, secretariat)
    url = reverse("meetings:meeting_delete", args=[one.pk])
    page = client.get(url).content.decode()
    assert "Bare et planlagt eller avlyst møte kan slettes" in page
    assert 'type="submit"' not in page
    response = client.post(url, {"version": one.version})
    assert response.status_code == 200  # the page says why, as every refused delete page
    problem = problem_of(
        client.delete(
            f"/api/v1/meetings/{one.pk}?version={one.version}", headers=bearer(secretariat)
        ),
        422,
    )
    assert "slettes aldri" in str(problem)
    assert Meeting.objects.filter(pk=one.pk).exists()
    if status != Meeting.Status.NOTICE_SENT:  # the meeting's page says so
        assert "slettes aldri" in client.get(one.get_absolute_url()).content.decode()


def test_a_cancelled_meeting_is_deleted_in_the_api(client: Client, secretariat: Any) -> None:
    one = meeting(status=Meeting.Status.CANCELLED)
    response = client.delete(
        f"/api/v1/meetings/{one.pk}?version={one.version}", headers=bearer(secretariat)
    )
    assert response.status_code == 204
    assert not Meeting.objects.filter(pk=one.pk).exists()
    assert _deleted(Meeting, one.pk)


def test_a_stale_version_deletes_nothing(client: Client, secretariat: Any) -> None:
    one = meeting()
    login(client, secretariat)
    response = client.post(
        reverse("meetings:meeting_delete", args=[one.pk]), {"version": one.version + 1}
    )
    assert response.status_code == 200
    assert "Noen andre har endret dette" in response.content.decode()
    assert Meeting.objects.filter(pk=one.pk).exists()
    problem_of(
        client.delete(f"/api/v1/meetings/{one.pk}?version=99", headers=bearer(secretariat)), 409
    )


def test_a_body_with_meetings_is_kept_and_one_without_is_deleted_with_its_members(
    client: Client, secretariat: Any
) -> None:
    busy = body(name="Styret")
    meeting(busy)
    login(client, secretariat)
    url = reverse("meetings:body_delete", args=[busy.pk])
    assert url in client.get(busy.get_absolute_url()).content.decode()
    assert "Slett de planlagte og avlyste møtene først" in client.get(url).content.decode()
    assert client.post(url, {"version": busy.version}).status_code == 200
    problem_of(
        client.delete(f"/api/v1/meetings/bodies/{busy.pk}?version=1", headers=bearer(secretariat)),
        422,
    )
    idle = body(busy.arena, name="Faggruppe")
    seat = member(idle)
    response = client.post(
        reverse("meetings:body_delete", args=[idle.pk]), {"version": idle.version}
    )
    assert response.status_code == 302
    assert not Body.objects.filter(pk=idle.pk).exists()
    assert _deleted(Body, idle.pk)
    assert _deleted(BodyMember, seat.pk)
    third = body(busy.arena, name="Ordførermøtet")
    gone = client.delete(
        f"/api/v1/meetings/bodies/{third.pk}?version=1", headers=bearer(secretariat)
    )
    assert gone.status_code == 204


def test_a_member_the_minutes_name_is_kept(client: Client, secretariat: Any) -> None:
    one = meeting(status=Meeting.Status.HELD)
    present = member(one.body, person="Ola Nordmann")
    Attendance.objects.create(meeting=one, member=present)
    mistake = member(one.body, person="Feil Person", valid_from=date(2024, 2, 1))
    login(client, secretariat)
    url = reverse("meetings:member_delete", args=[present.pk])
    assert "ført som til stede" in client.get(url).content.decode()
    assert client.post(url, {"version": present.version}).status_code == 200
    problem_of(
        client.delete(
            f"/api/v1/meetings/members/{present.pk}?version=1", headers=bearer(secretariat)
        ),
        422,
    )
    assert (
        reverse("meetings:member_delete", args=[mistake.pk])
        in client.get(one.body.get_absolute_url()).content.decode()
    )
    response = client.post(
        reverse("meetings:member_delete", args=[mistake.pk]), {"version": mistake.version}
    )
    assert response.status_code == 302
    assert not BodyMember.objects.filter(pk=mistake.pk).exists()
    assert BodyMember.objects.filter(pk=present.pk).exists()


def test_a_document_is_deleted_after_confirmation(client: Client, secretariat: Any) -> None:
    one = meeting()
    document = _document(one, secretariat)
    login(client, secretariat)
    url = reverse("meetings:document_delete", args=[document.pk])
    assert url in client.get(one.get_absolute_url()).content.decode()
    assert "Slett dokumentet «Saksframlegg»?" in client.get(url).content.decode()
    assert client.post(url, {"version": document.version}).status_code == 302
    assert not MeetingDocument.objects.filter(pk=document.pk).exists()
    assert _deleted(MeetingDocument, document.pk)


def test_another_arenas_secretariat_is_refused(
    client: Client, arena_secretariat: Any, secretariat: Any
) -> None:
    one = meeting()  # of an arena that is not arena_secretariat's
    seat = member(one.body)
    document = _document(one, secretariat)
    login(client, arena_secretariat)
    auth = bearer(arena_secretariat)
    for name, pk in (
        ("meetings:meeting_delete", one.pk),
        ("meetings:body_delete", one.body.pk),
        ("meetings:member_delete", seat.pk),
        ("meetings:document_delete", document.pk),
    ):
        url = reverse(name, args=[pk])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"version": 1}).status_code == 403, name
    for path in (
        f"/api/v1/meetings/{one.pk}",
        f"/api/v1/meetings/bodies/{one.body.pk}",
        f"/api/v1/meetings/members/{seat.pk}",
        f"/api/v1/meetings/documents/{document.pk}",
    ):
        problem_of(client.delete(f"{path}?version=1", headers=auth), 403)
    assert Meeting.objects.filter(pk=one.pk).exists()
    assert BodyMember.objects.filter(pk=seat.pk).exists()
    assert MeetingDocument.objects.filter(pk=document.pk).exists()
