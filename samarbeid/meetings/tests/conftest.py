from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> Path:
    """Uploaded files go to a directory of the test's own, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def noticed_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """Notices are sent on 01.01.2025, before the tests' meetings (a notice for a meeting
    whose day has passed is refused)."""
    from samarbeid.meetings.services import notice  # the module the fixture patches

    monkeypatch.setattr(notice, "notice_day", lambda: date(2025, 1, 1))
