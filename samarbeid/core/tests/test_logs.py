"""Log lines carry their time in UTC with the offset written out, whatever the server's
time zone (an operator's trial read `ts=2026-12-04 18:43:07` when it was 17:43 UTC)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from samarbeid.core.logs import StructuredFormatter


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
