"""Documents: uploaded through the storage API, kinds and size limited with clear errors,
served only through the view that checks the user may see them."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.lib.uploads import MAX_BYTES
from samarbeid.meetings.models import AgendaItem, MeetingDocument
from samarbeid.meetings.tests.factories import meeting

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% Samarbeid\n"
JSON = "application/json"


def _form(name: str = "saksframlegg.pdf", content: bytes = PDF, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Saksframlegg",
        "date": "2025-03-01",
        "kind": "case_presentation",
        "file": SimpleUploadedFile(name, content),
        **fields,
    }


def test_upload_store_and_serve(client: Client, secretariat: Any, media_in_tmp: Path) -> None:
    one = meeting()
    item = AgendaItem.objects.create(meeting=one, body=one.body, title="Budsjett")
    login(client, secretariat)
    response = client.post(reverse("meetings:document_create", args=[one.pk]), _form(item=item.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    document = MeetingDocument.objects.get()
    assert document.filename == "saksframlegg.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert document.file.name.startswith(f"meetings/{one.pk}/")
    assert "saksframlegg" not in document.file.name  # a random name in the storage
    assert (media_in_tmp / document.file.name).read_bytes() == PDF
    client.logout()
    served = client.get(reverse("meetings:document_file", args=[document.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF  # type: ignore[attr-defined]
    assert served["Content-Type"] == "application/pdf"
    assert "Budsjett" in client.get(one.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.exe", b"MZ\x90", "Filtypen «.exe» er ikke tillatt"),
        ("forkledd.pdf", b"MZ\x90\x00", "er ikke en fil av typen filnavnet sier"),
        ("tom.pdf", b"", "er tom"),
        ("stor.pdf", b"%PDF-" + b"0" * MAX_BYTES, "største tillatte størrelse er 20 MB"),
    ],
)
def test_refused_files_are_said_on_the_field(
    client: Client, secretariat: Any, name: str, content: bytes, message: str
) -> None:
    one = meeting()
    login(client, secretariat)
    response = client.post(reverse("meetings:document_create", args=[one.pk]), _form(name, content))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page or (content == b"" and "ds-validation-message" in page)
    assert not MeetingDocument.objects.exists()


def test_an_unpublished_meetings_file_is_refused_to_the_public(
    client: Client, secretariat: Any, reader: Any
) -> None:
    one = meeting(published=False)
    login(client, secretariat)
    client.post(reverse("meetings:document_create", args=[one.pk]), _form())
    document = MeetingDocument.objects.get()
    url = reverse("meetings:document_file", args=[document.pk])
    login(client, reader)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/meetings/documents/{document.pk}/file").status_code == 404


def test_the_api_uploads_lists_reads_and_deletes(
    client: Client, secretariat: Any, arena_secretariat: Any, media_in_tmp: Path
) -> None:
    one = meeting()
    payload = {
        "title": "Vedlegg",
        "date": "2025-03-01",
        "kind": "appendix",
        "filename": "vedlegg.pdf",
        "content_base64": base64.b64encode(PDF).decode(),
    }
    url = f"/api/v1/meetings/{one.pk}/documents"
    problem_of(client.post(url, payload, content_type=JSON, headers=bearer(arena_secretariat)), 403)
    bad = problem_of(
        client.post(url, payload | {"filename": "x.exe"}, content_type=JSON,
                    headers=bearer(secretariat)),
        422,
    )  # fmt: skip
    assert bad["errors"][0]["loc"] == ["file"]
    garbled = problem_of(
        client.post(url, payload | {"content_base64": "%%%"}, content_type=JSON,
                    headers=bearer(secretariat)),
        422,
    )  # fmt: skip
    assert garbled["errors"][0]["msg"] == "Ikke gyldig base64."
    response = client.post(url, payload, content_type=JSON, headers=bearer(secretariat))
    assert response.status_code == 201, response.content
    listed = client.get(url).json()
    assert [d["title"] for d in listed] == ["Vedlegg"]
    got = client.get(listed[0]["url"])
    assert b"".join(got.streaming_content) == PDF  # type: ignore[attr-defined]
    stored = media_in_tmp / MeetingDocument.objects.get().file.name
    with TestCase.captureOnCommitCallbacks(execute=True):
        gone = client.delete(
            f"/api/v1/meetings/documents/{listed[0]['id']}?version=1", headers=bearer(secretariat)
        )
    assert gone.status_code == 204
    assert not stored.exists()


def test_no_document_is_reachable_through_media_url(client: Client, secretariat: Any) -> None:
    one = meeting()
    login(client, secretariat)
    client.post(reverse("meetings:document_create", args=[one.pk]), _form())
    document = MeetingDocument.objects.get()
    client.logout()
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/{document.file.name}").status_code == 404


def _stored(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def _upload_fields(**fields: Any) -> dict[str, Any]:
    return {"title": "Vedlegg", "date": "2025-03-01", "kind": "appendix", **fields}


def test_the_api_takes_a_file_as_multipart_through_the_pages_form_and_service(
    client: Client, secretariat: Any, media_in_tmp: Path
) -> None:
    one = meeting()
    item = AgendaItem.objects.create(meeting=one, body=one.body, title="Budsjett")
    url = f"/api/v1/meetings/{one.pk}/documents/upload"
    upload = SimpleUploadedFile("vedlegg.pdf", PDF, content_type="application/octet-stream")
    response = client.post(
        url, _upload_fields(item=item.pk, file=upload), headers=bearer(secretariat)
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["filename"] == "vedlegg.pdf"
    assert created["content_type"] == "application/pdf"  # by its name and first bytes
    assert created["size"] == len(PDF)
    assert created["item"] == item.pk
    document = MeetingDocument.objects.get()
    assert (media_in_tmp / document.file.name).read_bytes() == PDF
    assert "vedlegg" not in document.file.name
    got = client.get(created["url"])
    assert b"".join(got.streaming_content) == PDF  # type: ignore[attr-defined]
    # the JSON body with base64 still works beside it
    payload = _upload_fields(filename="b.pdf", content_base64=base64.b64encode(PDF).decode())
    json_url = f"/api/v1/meetings/{one.pk}/documents"
    done = client.post(json_url, payload, content_type=JSON, headers=bearer(secretariat))
    assert done.status_code == 201, done.content
    assert MeetingDocument.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"file": ("program.exe", b"MZ\x90")}, "file", "Filtypen «.exe» er ikke tillatt"),
        ({"file": ("forkledd.pdf", b"MZ\x90\x00")}, "file", "er ikke en fil av typen"),
        ({"file": ("tom.pdf", b"")}, "file", ""),
        (
            {"file": ("stor.pdf", b"%PDF-" + b"0" * MAX_BYTES)},
            "file",
            "største tillatte størrelse er 20 MB",
        ),
        ({}, "file", ""),
        ({"file": ("a.pdf", PDF), "kind": "brev"}, "kind", ""),
        ({"file": ("a.pdf", PDF), "title": ""}, "title", ""),
        ({"file": ("a.pdf", PDF), "date": "i går"}, "date", ""),
    ],
)
def test_a_refused_multipart_upload_names_its_field_and_stores_nothing(
    client: Client,
    secretariat: Any,
    media_in_tmp: Path,
    fields: dict[str, Any],
    field: str,
    message: str,
) -> None:
    one = meeting()
    data = _upload_fields(**{k: v for k, v in fields.items() if k != "file"})
    if "file" in fields:
        data["file"] = SimpleUploadedFile(*fields["file"])
    url = f"/api/v1/meetings/{one.pk}/documents/upload"
    refused = problem_of(client.post(url, data, headers=bearer(secretariat)), 422)
    assert field in [part for error in refused["errors"] for part in error["loc"]], refused
    assert message in refused["detail"]
    assert not MeetingDocument.objects.exists()
    assert _stored(media_in_tmp) == []


def test_a_multipart_upload_is_refused_to_a_coordinator_and_the_public(
    client: Client, coordinator: Any, arena_secretariat: Any, media_in_tmp: Path
) -> None:
    one = meeting()
    url = f"/api/v1/meetings/{one.pk}/documents/upload"
    for user in (coordinator, arena_secretariat):
        data = _upload_fields(file=SimpleUploadedFile("a.pdf", PDF))
        problem_of(client.post(url, data, headers=bearer(user)), 403)
    data = _upload_fields(file=SimpleUploadedFile("a.pdf", PDF))
    problem_of(client.post(url, data), 401)
    assert not MeetingDocument.objects.exists()
    assert _stored(media_in_tmp) == []


def test_an_upload_that_is_not_multipart_answers_415(
    client: Client, secretariat: Any, media_in_tmp: Path
) -> None:
    one = meeting()
    url = f"/api/v1/meetings/{one.pk}/documents/upload"
    sent = client.post(url, _upload_fields(), content_type=JSON, headers=bearer(secretariat))
    assert "multipart/form-data" in problem_of(sent, 415)["detail"]
    garbled = client.post(
        url,
        b"--x\r\nnot a part",
        content_type="multipart/form-data; boundary=x",
        headers=bearer(secretariat),
    )
    assert garbled.status_code in (400, 422), garbled.content
    assert garbled["Content-Type"] == "application/problem+json"
    assert not MeetingDocument.objects.exists()
