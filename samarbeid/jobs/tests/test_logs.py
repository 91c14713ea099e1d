"""The queue's log of a failed task at its true weight: a task refused for a reason its user
reads (a service's ValidationError) is a WARNING without a traceback, for monitoring does
not page anyone for a missing budget; a fault in the software stays an ERROR with it."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from samarbeid.jobs import services
from samarbeid.jobs.tests.helpers import run_worker

pytestmark = pytest.mark.django_db


def _queue_records(caplog: Any) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django_tasks" and "state=FAILED" in r.message]


def test_a_refused_task_is_a_warning_without_a_traceback(caplog: Any, secretariat: Any) -> None:
    services.start("test_fails", actor=secretariat, title="Folketall")
    with caplog.at_level(logging.INFO):
        run_worker()
    (record,) = _queue_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None


def test_a_fault_in_the_software_stays_an_error_with_its_traceback(
    caplog: Any, secretariat: Any
) -> None:
    services.start("test_crashes", actor=secretariat, title="Krasjer")
    with caplog.at_level(logging.INFO):
        run_worker()
    (record,) = _queue_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
