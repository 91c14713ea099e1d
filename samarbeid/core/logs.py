"""The log lines' format: `key=value` pairs, the time in UTC as ISO 8601 with its offset, so
that lines from servers in any time zone (and across a change to summer time) sort and
compare as they are."""

from __future__ import annotations

import logging
from datetime import UTC, datetime


class StructuredFormatter(logging.Formatter):
    """`ts=2026-12-04T17:43:07.123+00:00 level=INFO logger=… msg=…`"""

    def __init__(self) -> None:
        super().__init__("ts=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")


class RefusalsWithoutTraceback(logging.Filter):
    """A refused request (403) is logged as one line, not with the traceback of the
    PermissionDenied that refused it: a refusal is the software doing its job, and 86
    tracebacks from one tester's refusals hid what an operator must see. Server errors keep
    theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
