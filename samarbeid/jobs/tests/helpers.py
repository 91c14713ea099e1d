"""Running the real worker (django-tasks' database worker) in the test's process."""

from __future__ import annotations

from unittest import mock

from django_tasks_db.management.commands import db_worker


def run_worker() -> None:
    """Run every queued task with the database worker, then return (its batch mode).
    The worker closes stale connections between tasks; in a test that would close the
    test's own transaction, so that step alone is left out."""
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
