"""Meeting documents in an S3-compatible store (settings: S3_BUCKET and S3_ENDPOINT_URL).

The store here is a real S3-protocol server on loopback (moto's server, a separate process
spoken to over HTTP by boto3, as a MinIO or a cloud store would be): a document uploaded on
the page lands in the bucket under a random name, private; it is served only through the
view that checks who may see it; a closed item's file is refused to the public although it
is in the bucket."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.meetings.models import AgendaItem, LegalBasis, MeetingDocument
from samarbeid.meetings.tests.factories import meeting

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% Samarbeid i S3\n"
BUCKET = "samarbeid-moter"
KEYS = {"aws_access_key_id": "samarbeid", "aws_secret_access_key": "samarbeid-hemmelig"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """An S3-protocol server in its own process on a free loopback port."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 — this Python, fixed arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("The S3 server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(settings: Any, s3_endpoint: str) -> Any:
    """The app's default storage pointed at a fresh private bucket (as S3_BUCKET and
    S3_ENDPOINT_URL set it); the boto3 client to look inside."""
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-north-1", **KEYS)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "eu-north-1",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield s3
    listed = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for stored in listed:
        s3.delete_object(Bucket=BUCKET, Key=stored["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def _upload(client: Client, item: AgendaItem) -> MeetingDocument:
    response = client.post(
        reverse("meetings:document_create", args=[item.meeting_id]),
        {
            "title": "Saksframlegg",
            "date": "2025-03-01",
            "kind": "case_presentation",
            "item": item.pk,
            "file": SimpleUploadedFile("saksframlegg.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return MeetingDocument.objects.get(item=item)


def test_an_upload_lands_in_the_bucket_private_and_is_served_through_the_app(
    client: Client, secretariat: Any, bucket: Any, s3_endpoint: str
) -> None:
    one = meeting()
    item = AgendaItem.objects.create(meeting=one, body=one.body, title="Budsjett")
    login(client, secretariat)
    document = _upload(client, item)
    stored = bucket.get_object(Bucket=BUCKET, Key=document.file.name)
    assert stored["Body"].read() == PDF
    assert document.file.name.startswith(f"meetings/{one.pk}/")
    assert "saksframlegg" not in document.file.name
    # Private: the object's own address answers 403 to anyone without the keys.
    address = f"{s3_endpoint}/{BUCKET}/{document.file.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(address, timeout=5)  # noqa: S310 — http on loopback
    assert refused.value.code == 403
    client.logout()
    served = client.get(reverse("meetings:document_file", args=[document.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF  # type: ignore[attr-defined]
    assert served["Content-Type"] == "application/pdf"


def test_a_closed_items_file_in_the_bucket_is_refused_to_the_public(
    client: Client, secretariat: Any, bucket: Any
) -> None:
    one = meeting()
    item = AgendaItem.objects.create(
        meeting=one,
        body=one.body,
        title="Ansettelse av daglig leder",
        closed=True,
        legal_basis=LegalBasis.DUTY_OF_CONFIDENTIALITY,
        closed_reason="Personopplysninger om søkerne",
    )
    login(client, secretariat)
    document = _upload(client, item)
    assert bucket.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read() == PDF
    assert client.get(reverse("meetings:document_file", args=[document.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("meetings:document_file", args=[document.pk])).status_code == 404
