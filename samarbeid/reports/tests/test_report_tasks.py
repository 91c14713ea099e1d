"""The annual report's PDF and workbook made by a background task (the real worker), kept
with the task and downloaded from it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish

# the report module's data (its fixture, used by name below)
from samarbeid.reports.tests.test_reports import _book, _pdf_text, arena_with_data  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_annual_report_made_in_the_background(
    client: Client,
    arena_with_data: Any,  # noqa: F811
    secretariat: Any,
    coordinator: Any,
) -> None:
    arena, _plan = arena_with_data
    login(client, secretariat)
    page = client.get(reverse("reports:annual", args=[arena.pk, 2024])).content.decode()
    start_pdf = reverse("reports:annual_task", args=[arena.pk, 2024, "pdf"])
    assert f'action="{start_pdf}"' in page
    job = finish(client.post(start_pdf))
    assert job.status == Job.Status.DONE, job.error
    assert job.result_name == f"arsrapport-{arena.short_name}-2024.pdf"
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    text = _pdf_text(download.content)
    assert "Årsrapport 2024: Vestfoldsamarbeidet" in text
    assert "120 000,00" in text.replace("\u00a0", " ")
    book = finish(client.post(reverse("reports:annual_task", args=[arena.pk, 2024, "xlsx"])))
    workbook = _book(client.get(reverse("jobs:job_download", args=[book.pk])).content)
    total = next(r for r in workbook["Regnskap"].iter_rows(values_only=True) if r[0] == "Sum")
    assert Decimal(str(total[7])) == Decimal("120000")
    # the file is the starter's (and the arena's secretariat's), not a coordinator's
    login(client, coordinator)
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404


def test_whoever_may_download_the_report_may_make_it_as_a_task(
    client: Client,
    arena_with_data: Any,  # noqa: F811
    reader: Any,
    other_coordinator: Any,
) -> None:
    """Issue 20's trial: a reader downloads the PDF at once ("Last ned PDF") and was refused
    "Lag PDF i bakgrunnen"; one rule now (reports.jobs.may_make_annual): the report writes
    no domain data, so whoever may download it may make it as a task."""
    arena, _plan = arena_with_data
    for user in (reader, other_coordinator):
        login(client, user)
        page = client.get(reverse("reports:annual", args=[arena.pk, 2024])).content.decode()
        assert "Last ned PDF" in page
        start = reverse("reports:annual_task", args=[arena.pk, 2024, "pdf"])
        assert f'action="{start}"' in page
        response = client.post(start)
        assert response.status_code == 302
    assert Job.objects.count() == 2
    login(client, reader)
    assert (
        client.post(reverse("reports:annual_task", args=[arena.pk, 2024, "doc"])).status_code == 404
    )


def test_a_task_needs_someone_signed_in(
    client: Client,
    arena_with_data: Any,  # noqa: F811
    public: Any,
) -> None:
    from samarbeid.reports.jobs import may_make_annual

    arena, _plan = arena_with_data
    assert client.get(reverse("reports:annual", args=[arena.pk, 2024])).status_code == 200
    assert not may_make_annual(public, arena.pk)
    response = client.post(reverse("reports:annual_task", args=[arena.pk, 2024, "pdf"]))
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"]
    assert not Job.objects.exists()
