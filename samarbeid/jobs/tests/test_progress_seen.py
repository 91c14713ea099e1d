"""Progress is committed while the task runs: another connection (a page's request) sees
it before the task ends. The worker runs in a thread on its own connection."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from samarbeid.jobs import services
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests import kinds
from samarbeid.jobs.tests.helpers import run_worker
from samarbeid.tests.concurrency import concurrent_database


@pytest.mark.django_db(transaction=True)
def test_a_running_tasks_progress_is_seen_by_its_page(secretariat: Any) -> None:
    kinds.ensure()
    kinds.HALFWAY.clear()
    kinds.GO_ON.clear()
    client = Client()
    client.force_login(secretariat)
    with concurrent_database():
        job = services.start("test_halfway", actor=secretariat, title="Halvveis")

        def work() -> None:
            try:
                run_worker(max_tasks=1, in_test_transaction=False)
            finally:
                connection.close()

        worker = threading.Thread(target=work)
        worker.start()
        try:
            assert kinds.HALFWAY.wait(20), "the worker did not start the task"
            seen = Job.objects.get(pk=job.pk)
            assert seen.status == Job.Status.RUNNING
            assert (seen.steps_done, seen.steps_total, seen.step_text) == (1, 2, "Halvveis")
            poll = client.get(reverse("jobs:job_status", args=[job.pk]))
            assert poll.status_code == 200  # still polling
            shown = poll.content.decode()
            # one step of two done: the page names the step being worked on, the second
            assert "Steg 2 av 2" in shown
            assert "Steg 1 av 2" not in shown
            assert "Halvveis" in shown
        finally:
            kinds.GO_ON.set()
            worker.join(30)
        done = Job.objects.get(pk=job.pk)
        assert done.status == Job.Status.DONE
        assert done.message == "Begge stegene er gjort."
        assert client.get(reverse("jobs:job_status", args=[job.pk])).status_code == 286
