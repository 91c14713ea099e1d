"""What every meetings service shares: the fields a form may change, the time of the write."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def writable(changes: dict[str, Any], fixed: set[str]) -> dict[str, Any]:
    """`changes` without the fields a service never takes from a form or a payload (`fixed`)."""
    return {k: v for k, v in changes.items() if k not in fixed}


def touch(record: Any) -> None:
    """Set the record's `modified` time (every write does)."""
    record.modified = timezone.now()
