"""The one task the worker runs: a Job, by its kind (samarbeid.jobs.kinds)."""

from __future__ import annotations

from django_tasks import task

from samarbeid.jobs import services


@task()
def run_job(job_id: int) -> None:
    services.run(job_id)
