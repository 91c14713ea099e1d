"""A restore reaches each record's edit service by a direct import (portal.restore), not by
a dotted name: a renamed service fails on import and in mypy, not silently at restore."""

from __future__ import annotations

from samarbeid.arenas.services import update_arena
from samarbeid.audit.restore import EDIT_SERVICES
from samarbeid.finance.budgets import update_line


def test_every_edit_service_is_registered_as_the_function_itself() -> None:
    assert len(EDIT_SERVICES) == 17
    assert all(callable(edit) for edit in EDIT_SERVICES.values())
    assert EDIT_SERVICES["arenas.arena"] is update_arena
    assert EDIT_SERVICES["finance.budgetline"] is update_line
    # each service lives in the app of the record it edits
    for label, edit in EDIT_SERVICES.items():
        assert edit.__module__.startswith(f"samarbeid.{label.split('.')[0]}."), label
