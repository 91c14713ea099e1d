"""Permission-matrix rows for the task pages (see samarbeid/tests/matrix.py): a failed
task of the world's arena is retried by whoever may start it (its arena's secretariat);
everyone else does not see it (404)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samarbeid.jobs.models import Job
from samarbeid.tests.matrix import ApiRow, FormRow, World, form_row, row


def _retry_form(world: World) -> tuple[str, dict[str, Any]]:
    # a report's task (it has no check that would refuse the retry before queueing: an
    # invoice draft's would, for the year's missing budget)
    job = Job.objects.create(
        kind="annual_report",
        title="Årsrapport 2025",
        arena=world.arena,
        started_by=world.users["secretariat"],
        params={"year": 2025, "format": "pdf"},
        status=Job.Status.FAILED,
        error="En uventet feil stoppet oppgaven.",
    )
    return reverse("jobs:job_retry", args=[job.pk]), {}


def _retry_api(world: World) -> tuple[str, dict[str, Any]]:
    url, _body = _retry_form(world)
    job_id = url.strip("/").split("/")[-2]
    return f"/api/v1/tasks/{job_id}/retry", {}


def _start_import(world: World) -> tuple[str, dict[str, Any]]:
    content = b'"07459"\n""\n"region";"Personer 2024"\n"K-3909 Larvik";47001\n'
    upload = SimpleUploadedFile("07459.csv", content, "text/csv")
    return reverse("jobs:job_start", args=["import_population"]), {"file": upload}


FORM_ROWS = [
    FormRow(
        "jobs:job_retry",
        form_row(secretariat=302, coordinator=404, other_coordinator=404, reader=404),
        _retry_form,
    ),
    # the national imports: a secretariat for every arena only
    FormRow("jobs:job_start", form_row(secretariat=302, arena_secretariat=403), _start_import),
]

# A task the caller does not see answers 404, as if it did not exist.
API_ROWS = [
    ApiRow(
        "POST",
        "/api/v1/tasks/{task_id}/retry",
        row(secretariat=202, coordinator=404, other_coordinator=404, reader=404),
        _retry_api,
    ),
]
API_TAGS = {"tasks"}

NAMESPACES = {"jobs"}
READ_ONLY_PAGES = {"jobs:job_list", "jobs:job_detail", "jobs:job_status", "jobs:job_download"}
