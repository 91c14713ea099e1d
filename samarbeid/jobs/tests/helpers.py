"""Running the real worker (django-tasks' database worker) in the test's process, and a
task it fails."""

from __future__ import annotations

import contextlib
import re
from typing import Any
from unittest import mock

from django_tasks_db.management.commands import db_worker

from samarbeid.jobs import services
from samarbeid.jobs.models import Job


def run_worker(*, max_tasks: int | None = None, in_test_transaction: bool = True) -> None:
    """Run the queued tasks (at most `max_tasks`) with the database worker, then return
    (its batch mode). Between tasks the worker closes stale connections; inside a test's
    transaction that would end the test's own, so that step alone is left out there
    (`in_test_transaction=False` for a transactional test's threads)."""
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    keep = (
        mock.patch.object(db_worker, "close_old_connections", return_value=None)
        if in_test_transaction
        else contextlib.nullcontext()
    )
    with keep:
        worker.run()


def finish(response: Any) -> Job:
    """The task a page started (its answer redirects to the task's page), run by the
    worker: as it ended."""
    assert response.status_code == 302, response.status_code
    found = re.fullmatch(r"/oppgaver/(\d+)/", response["Location"])
    assert found, response["Location"]
    run_worker()
    return Job.objects.get(pk=int(found.group(1)))


def finish_api(client: Any, response: Any, headers: dict[str, str]) -> dict[str, Any]:
    """The task an API call queued (202 with `Location: /api/v1/tasks/{id}`), run by the
    worker: the task's resource as the caller then reads it (GET Location)."""
    assert response.status_code == 202, (response.status_code, response.content)
    found = re.fullmatch(r"/api/v1/tasks/(\d+)", response["Location"])
    assert found, response["Location"]
    queued = response.json()
    assert (queued["id"], queued["status"]) == (int(found.group(1)), Job.Status.WAITING)
    run_worker()
    polled = client.get(response["Location"], headers=headers)
    assert polled.status_code == 200, polled.content
    return dict(polled.json())


def failed_task(actor: Any, title: str = "Folketall", **fields: Any) -> Job:
    """The test kind that always fails («Tallene for 1902 mangler.»), started by `actor` (with
    `fields`: its arena) and run by the worker; read it again for its state."""
    job = services.start("test_fails", actor=actor, title=title, **fields)
    run_worker()
    return job
