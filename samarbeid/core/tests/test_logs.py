"""Log lines carry their time in UTC with the offset written out, whatever the server's
time zone (an operator's trial read `ts=2026-12-04 18:43:07` when it was 17:43 UTC)."""

from __future__ import annotations

import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.core.logs import StructuredFormatter

pytestmark = pytest.mark.django_db


def test_a_log_line_has_its_time_in_utc_with_the_offset() -> None:
    record = logging.LogRecord(
        "samarbeid.jobs", logging.INFO, __file__, 1, "job_id=7 kind=x", (), None
    )
    record.created = datetime(2026, 12, 4, 17, 43, 7, 123000, tzinfo=UTC).timestamp()
    line = StructuredFormatter().format(record)
    assert line == (
        "ts=2026-12-04T17:43:07.123+00:00 level=INFO logger=samarbeid.jobs msg=job_id=7 kind=x"
    )


def test_the_settings_use_it_for_every_log_line() -> None:
    config: dict[str, Any] = settings.LOGGING
    formatter = config["formatters"]["structured"]
    assert formatter == {"()": "samarbeid.core.logs.StructuredFormatter"}
    ours = [h for h in logging.getLogger().handlers if isinstance(h.formatter, StructuredFormatter)]
    assert len(ours) == 1
    handler = ours[0]
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "m", (), None)
    assert re.match(r"ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 ", handler.format(record))


def test_a_refused_request_is_one_line_and_a_server_error_keeps_its_traceback(
    client: Client, caplog: pytest.LogCaptureFixture, coordinator: Any
) -> None:
    """An operator's trial found 86 tracebacks in the log, every one a 403 refusal."""
    arena: Any = ArenaFactory()
    login(client, coordinator)
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, StructuredFormatter)
    )
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/arenaer/{arena.pk}/endre/").status_code == 403
    (refused,) = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    line = handler.format(refused)
    assert "Forbidden" in line
    assert "Traceback" not in line
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        error = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Server Error", (), sys.exc_info()
        )
    error.status_code = 500
    assert logging.getLogger("django.request").filter(error)
    assert "Traceback" in handler.format(error)
