"""Permission-matrix rows for the task pages (see samarbeid/tests/matrix.py): a failed
task of the world's arena is retried by whoever may start it (its arena's secretariat);
everyone else does not see it (404)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samarbeid.jobs.models import Job
from samarbeid.tests.matrix import FormRow, World, form_row


def _retry_form(world: World) -> tuple[str, dict[str, Any]]:
    job = Job.objects.create(
        kind="invoice_draft",
        title="Utkast til fakturakjøring",
        arena=world.arena,
        started_by=world.users["secretariat"],
        params={"year": 2025, "due_days": 30, "seller_account": ""},
        status=Job.Status.FAILED,
        error="Ingen budsjett.",
    )
    return reverse("jobs:job_retry", args=[job.pk]), {}


FORM_ROWS = [
    FormRow(
        "jobs:job_retry",
        form_row(secretariat=302, coordinator=404, other_coordinator=404, reader=404),
        _retry_form,
    ),
]

NAMESPACES = {"jobs"}
READ_ONLY_PAGES = {"jobs:job_list", "jobs:job_detail", "jobs:job_status", "jobs:job_download"}
