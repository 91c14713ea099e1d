"""Two clicks at the same moment (two requests, each on its own connection) queue one task:
both pass the permission check before either looks for the task under way, and the start
takes its turn per user (a row lock on PostgreSQL, an immediate transaction on SQLite)."""

from __future__ import annotations

from typing import Any

import pytest

from samarbeid.finance.tests.test_races import held_after
from samarbeid.jobs import services
from samarbeid.jobs.kinds import Kind
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests import kinds
from samarbeid.tests.concurrency import concurrent_database, together


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_queue_one_task(secretariat: Any) -> None:
    kinds.ensure()

    def click(_n: int) -> str:
        job = services.start("test_steps", actor=secretariat, title="Telling", params={"steps": 2})
        return str(job.pk)

    # both clicks pass the permission check (made before the start's transaction) together
    with concurrent_database(), held_after(Kind, "require_may_start"):
        assert not Job.objects.exists()  # the test's connection opens the file first
        results = together(click, 2)
        count = Job.objects.count()
    assert count == 1, results
    assert results[0] == results[1], results
