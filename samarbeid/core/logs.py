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
