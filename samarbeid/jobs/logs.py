"""The queue's own log of a failed task, told at its true weight: django-tasks logs every
failure at ERROR with a traceback (for error monitoring), but a task refused for a reason
its user can read (a missing budget, a bad file) is no fault of the software. Our own
`samarbeid.jobs` record already says why at WARNING; the queue's record of such a failure
is lowered to WARNING without the traceback. An unexpected error stays ERROR with it."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError


class ExpectedFailures(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # imported here: logging is configured before the apps (and their models) load
        from samarbeid.jobs.services import JobFailed

        exc = record.exc_info[1] if record.exc_info else None
        expected = (ValidationError, PermissionDenied, JobFailed)
        if record.levelno >= logging.ERROR and isinstance(exc, expected):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info, record.exc_text = None, None
        return True
