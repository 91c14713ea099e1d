"""Permission-matrix rows for bodies, members and meetings (see samarbeid/tests/matrix.py):
the arena's secretariat (the one-arena secretariat of `world.arena` too) writes; the
coordinators and a reader may not."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from samarbeid.meetings.models import AgendaItem, Body, BodyMember, Meeting, MeetingDocument
from samarbeid.meetings.tests.factories import body, meeting, member
from samarbeid.tests.matrix import ApiRow, FormRow, World, form_row, row

DELETERS = row(secretariat=204)

WRITERS = row(secretariat=200)
CREATORS = row(secretariat=201)
FORM_WRITERS = form_row(secretariat=302)

MEETING = {"date": "2025-06-01", "start_time": "09:00", "place": "Larvik"}


def _body(world: World) -> Body:
    if "body" not in world.extra:
        world.extra["body"] = body(world.arena)
    found: Body = world.extra["body"]
    return found


def _member(world: World) -> BodyMember:
    if "member" not in world.extra:
        world.extra["member"] = member(_body(world), valid_from=date(2024, 3, 1))
    found: BodyMember = world.extra["member"]
    return found


def _meeting(world: World, **fields: Any) -> Meeting:
    if "meeting" not in world.extra:
        world.extra["meeting"] = meeting(_body(world), **fields)
    found: Meeting = world.extra["meeting"]
    return found


def _post_body(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/arenas/{world.arena.pk}/bodies", {"kind": "board", "name": "Styret"}


def _patch_body(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/bodies/{_body(world).pk}", {"version": 1, "description": "Ny"}


def _post_member(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/bodies/{_body(world).pk}/members", {
        "municipality": world.larvik.number,
        "person": "Ordfører",
        "valid_from": "2024-03-01",
    }


def _patch_member(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/members/{_member(world).pk}", {"version": 1, "role": "leader"}


def _post_meeting(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/bodies/{_body(world).pk}/meetings", MEETING


def _patch_meeting(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/{_meeting(world).pk}", {"version": 1, "place": "Horten"}


def _post_status(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/{_meeting(world).pk}/status", {"version": 1, "status": "cancelled"}


def _body_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:body_create", args=[world.arena.pk]), {
        "kind": "board",
        "name": "Styret",
    }


def _body_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    one = _body(world)
    return reverse("meetings:body_edit", args=[one.pk]), {
        "kind": one.kind,
        "name": one.name,
        "description": "Ny",
        "version": 1,
    }


def _member_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:member_create", args=[_body(world).pk]), {
        "municipality": world.larvik.pk,
        "person": "Ordfører",
        "role": "member",
        "valid_from": "2024-03-01",
    }


def _member_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    one = _member(world)
    return reverse("meetings:member_edit", args=[one.pk]), {
        "municipality": world.larvik.pk,
        "person": "Ordfører",
        "role": "leader",
        "valid_from": "2024-03-01",
        "version": 1,
    }


def _meeting_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:meeting_create", args=[_body(world).pk]), dict(MEETING)


def _meeting_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:meeting_edit", args=[_meeting(world).pk]), MEETING | {"version": 1}


def _status_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:meeting_status", args=[_meeting(world).pk]), {
        "status": "cancelled",
        "version": 1,
    }


def _item(world: World) -> AgendaItem:
    if "item" not in world.extra:
        one = _meeting(world)
        world.extra["item"] = AgendaItem.objects.create(meeting=one, body=one.body, title="Sak")
    found: AgendaItem = world.extra["item"]
    return found


def _post_item(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/{_meeting(world).pk}/items", {"title": "Budsjett"}


def _patch_item(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/items/{_item(world).pk}", {"version": 1, "title": "Ny"}


def _delete_item(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/items/{_item(world).pk}?version=1", {}


def _coming(world: World) -> Meeting:
    """A meeting yet to come, with an item: its notice can be sent."""
    one = meeting(_body(world), date=timezone.localdate() + timedelta(days=30))
    if not one.body.members.exists():  # someone to send it to
        member(one.body)
    AgendaItem.objects.create(meeting=one, body=one.body, title="Sak")
    return one


def _post_notice(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/{_coming(world).pk}/notice", {"version": 1}


def _item_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:item_create", args=[_meeting(world).pk]), {"title": "Budsjett"}


def _item_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:item_edit", args=[_item(world).pk]), {"title": "Ny", "version": 1}


def _item_delete_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:item_delete", args=[_item(world).pk]), {"version": 1}


def _notice_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:notice_send", args=[_coming(world).pk]), {"version": 1}


def _notice_outside_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:notice_outside", args=[_coming(world).pk]), {
        "version": 1,
        "sent_outside_on": timezone.localdate().isoformat(),
    }


PDF = b"%PDF-1.4\n"


class Upload(SimpleUploadedFile):
    """A file a row's form may post more than once (each post reads it from the start)."""

    def read(self, *args: Any) -> bytes:
        self.seek(0)
        return bytes(super().read(*args))


def _document(world: World) -> MeetingDocument:
    if "document" not in world.extra:
        one = _meeting(world)
        world.extra["document"] = MeetingDocument.objects.create(
            meeting=one,
            title="Vedlegg",
            date="2025-03-01",
            kind="appendix",
            file=SimpleUploadedFile("vedlegg.pdf", PDF),
            filename="vedlegg.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
    found: MeetingDocument = world.extra["document"]
    return found


def _post_document(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/{_meeting(world).pk}/documents", {
        "title": "Vedlegg",
        "date": "2025-03-01",
        "kind": "appendix",
        "filename": "vedlegg.pdf",
        "content_base64": base64.b64encode(PDF).decode(),
    }


def _upload_document(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/{_meeting(world).pk}/documents/upload", {
        "title": "Vedlegg",
        "date": "2025-03-01",
        "kind": "appendix",
        "file": SimpleUploadedFile("vedlegg.pdf", PDF),
    }


def _delete_document(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/documents/{_document(world).pk}?version=1", {}


def _document_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:document_create", args=[_meeting(world).pk]), {
        "title": "Vedlegg",
        "date": "2025-03-01",
        "kind": "appendix",
        "file": Upload("vedlegg.pdf", PDF),
    }


def _document_delete_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:document_delete", args=[_document(world).pk]), {"version": 1}


def _delete_body(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/bodies/{_body(world).pk}?version=1", {}


def _delete_member(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/members/{_member(world).pk}?version=1", {}


def _delete_meeting(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/{_meeting(world).pk}?version=1", {}


def _body_delete_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:body_delete", args=[_body(world).pk]), {"version": 1}


def _member_delete_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:member_delete", args=[_member(world).pk]), {"version": 1}


def _meeting_delete_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:meeting_delete", args=[_meeting(world).pk]), {"version": 1}


def _post_votes(world: World) -> tuple[str, dict[str, Any]]:
    from samarbeid.arenas.tests.factories import CaseFactory

    one = meeting(body(world.arena, name="Representantskapet"), status=Meeting.Status.HELD)
    member(one.body, world.larvik.number, valid_from=one.date)  # Larvik's seat: it votes
    item = AgendaItem.objects.create(
        meeting=one, body=one.body, title="Sak", case=CaseFactory(arena=world.arena)
    )
    return f"/api/v1/meetings/items/{item.pk}/minutes/votes", {
        "version": 1,
        "voting_rule": "majority",
        "votes": [{"municipality": world.larvik.number, "choice": "for"}],
    }


def _votes_form(world: World) -> tuple[str, dict[str, Any]]:
    url, _payload = _post_votes(world)
    item_pk = int(url.split("/")[-3])
    return reverse("meetings:item_votes", args=[item_pk]), {
        "version": 1,
        "voting_rule": "majority",
        f"vote_{world.larvik.pk}": "for",
    }


def _held(world: World) -> Meeting:
    """A held meeting with one member and one treated item: its minutes can be written."""
    if "held" not in world.extra:
        one = meeting(body(world.arena, name="Styret"), status=Meeting.Status.HELD)
        seat = member(one.body)
        AgendaItem.objects.create(meeting=one, body=one.body, title="Sak", treatment="Drøftet")
        from samarbeid.meetings.models import Attendance

        Attendance.objects.create(meeting=one, member=seat)
        world.extra["held"] = one
        world.extra["seat"] = seat
    found: Meeting = world.extra["held"]
    return found


def _held_item(world: World) -> AgendaItem:
    found: AgendaItem = _held(world).items.get()
    return found


def _put_attendance(world: World) -> tuple[str, dict[str, Any]]:
    one = _held(world)
    seat = world.extra["seat"]  # ticked: none ticked of those seated is refused
    return f"/api/v1/meetings/{one.pk}/attendance", {"members": [seat.pk], "version": one.version}


def _patch_minutes(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/items/{_held_item(world).pk}/minutes", {
        "version": 1,
        "treatment": "Drøftet grundig",
    }


def _post_approve(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/meetings/{_held(world).pk}/minutes/approve", {
        "version": 1,
        "approved_on": "2025-03-20",
        "approved_by": "Leder",
    }


def _attendance_form(world: World) -> tuple[str, dict[str, Any]]:
    one = _held(world)
    seat = world.extra["seat"]  # ticked: none ticked of those seated is refused
    return reverse("meetings:attendance", args=[one.pk]), {
        "members": [seat.pk],
        "version": one.version,
    }


def _minutes_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:item_minutes", args=[_held_item(world).pk]), {
        "treatment": "Drøftet grundig",
        "decision_text": "",
        "outcome": "",
        "version": 1,
    }


def _approve_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("meetings:minutes_approve", args=[_held(world).pk]), {
        "approved_on": "2025-03-20",
        "approved_by": "Leder",
        "version": 1,
    }


API_ROWS = [
    ApiRow("PUT", "/api/v1/meetings/{meeting_id}/attendance", WRITERS, _put_attendance),
    ApiRow("PATCH", "/api/v1/meetings/items/{item_id}/minutes", WRITERS, _patch_minutes),
    ApiRow("POST", "/api/v1/meetings/items/{item_id}/minutes/votes", WRITERS, _post_votes),
    ApiRow("POST", "/api/v1/meetings/{meeting_id}/minutes/approve", WRITERS, _post_approve),
    ApiRow("POST", "/api/v1/meetings/{meeting_id}/documents", CREATORS, _post_document),
    ApiRow(
        "POST",
        "/api/v1/meetings/{meeting_id}/documents/upload",
        CREATORS,
        _upload_document,
        multipart=True,
    ),
    ApiRow("DELETE", "/api/v1/meetings/documents/{document_id}", DELETERS, _delete_document),
    ApiRow("POST", "/api/v1/meetings/{meeting_id}/items", CREATORS, _post_item),
    ApiRow("PATCH", "/api/v1/meetings/items/{item_id}", WRITERS, _patch_item),
    ApiRow("DELETE", "/api/v1/meetings/items/{item_id}", DELETERS, _delete_item),
    ApiRow("POST", "/api/v1/meetings/{meeting_id}/notice", WRITERS, _post_notice),
    ApiRow("POST", "/api/v1/meetings/arenas/{arena_id}/bodies", CREATORS, _post_body),
    ApiRow("PATCH", "/api/v1/meetings/bodies/{body_id}", WRITERS, _patch_body),
    ApiRow("POST", "/api/v1/meetings/bodies/{body_id}/members", CREATORS, _post_member),
    ApiRow("PATCH", "/api/v1/meetings/members/{member_id}", WRITERS, _patch_member),
    ApiRow("POST", "/api/v1/meetings/bodies/{body_id}/meetings", CREATORS, _post_meeting),
    ApiRow("PATCH", "/api/v1/meetings/{meeting_id}", WRITERS, _patch_meeting),
    ApiRow("POST", "/api/v1/meetings/{meeting_id}/status", WRITERS, _post_status),
    ApiRow("DELETE", "/api/v1/meetings/bodies/{body_id}", DELETERS, _delete_body),
    ApiRow("DELETE", "/api/v1/meetings/members/{member_id}", DELETERS, _delete_member),
    ApiRow("DELETE", "/api/v1/meetings/{meeting_id}", DELETERS, _delete_meeting),
]

FORM_ROWS = [
    FormRow("meetings:attendance", FORM_WRITERS, _attendance_form),
    FormRow("meetings:item_minutes", FORM_WRITERS, _minutes_form),
    FormRow("meetings:item_votes", FORM_WRITERS, _votes_form),
    FormRow("meetings:minutes_approve", FORM_WRITERS, _approve_form),
    FormRow("meetings:document_create", FORM_WRITERS, _document_form),
    FormRow("meetings:document_delete", FORM_WRITERS, _document_delete_form),
    FormRow("meetings:item_create", FORM_WRITERS, _item_form),
    FormRow("meetings:item_edit", FORM_WRITERS, _item_edit_form),
    FormRow("meetings:item_delete", FORM_WRITERS, _item_delete_form),
    # its GET asks «Send innkallingen til 1 medlem?»: the writers only
    FormRow("meetings:notice_send", FORM_WRITERS, _notice_form, gets=form_row(secretariat=200)),
    FormRow("meetings:notice_outside", FORM_WRITERS, _notice_outside_form),
    FormRow("meetings:body_create", FORM_WRITERS, _body_form),
    FormRow("meetings:body_edit", FORM_WRITERS, _body_edit_form),
    FormRow("meetings:member_create", FORM_WRITERS, _member_form),
    FormRow("meetings:member_edit", FORM_WRITERS, _member_edit_form),
    FormRow("meetings:meeting_create", FORM_WRITERS, _meeting_form),
    FormRow("meetings:meeting_edit", FORM_WRITERS, _meeting_edit_form),
    FormRow("meetings:meeting_status", FORM_WRITERS, _status_form),
    FormRow("meetings:body_delete", FORM_WRITERS, _body_delete_form),
    FormRow("meetings:member_delete", FORM_WRITERS, _member_delete_form),
    FormRow("meetings:meeting_delete", FORM_WRITERS, _meeting_delete_form),
]

API_TAGS = {"meetings"}
NAMESPACES = {"meetings"}
READ_ONLY_PAGES = {
    "meetings:index",
    "meetings:body_list",
    "meetings:body_detail",
    "meetings:meeting_detail",
    "meetings:notice",
    "meetings:notice_pdf",
    "meetings:notice_ics",
    "meetings:document_file",
    "meetings:minutes",
    "meetings:minutes_pdf",
}
