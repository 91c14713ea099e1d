"""Permission-matrix rows for the audit trail: restoring an earlier version
(see samarbeid/tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samarbeid.arenas.services import update_arena
from samarbeid.audit.services import history
from samarbeid.tests.matrix import FormRow, World, form_row


def _restore(world: World) -> tuple[str, dict[str, Any]]:
    arena = world.arena
    for purpose in ("Første formål", "Andre formål"):
        update_arena(
            arena,
            {"purpose": purpose},
            expected_version=arena.version,
            actor=world.users["secretariat"],
        )
        arena.refresh_from_db()
    # back to the first change: the restore itself changes the record
    entry = min(history(arena), key=lambda e: e.pk)
    return reverse("audit:restore", args=["arenas.arena", arena.pk, entry.pk]), {
        "version": arena.version
    }


# restoring: a secretariat for every arena
FORM_ROWS = [FormRow("audit:restore", form_row(secretariat=302, arena_secretariat=403), _restore)]

NAMESPACES = {"audit"}
READ_ONLY_PAGES = {"audit:history"}
