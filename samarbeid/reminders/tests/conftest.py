"""Fixtures shared by the reminders' tests."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import _user
from samarbeid.accounts.models import Role
from samarbeid.registry.models import Municipality


@pytest.fixture
def larvik_clerk(larvik: Municipality) -> Any:
    """Larvik's coordinator, with the town hall's e-mail address: who the reminders go to."""
    user = _user("larvik-koordinator", Role.COORDINATOR, municipality=larvik)
    user.email = "postmottak@larvik.example.no"
    user.save()
    return user
