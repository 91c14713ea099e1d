"""The archive page reads; starting the extract (a background task) is the arena's
secretariat's: a form row for the permission matrix; test_extract.py checks who gets the
extract."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samarbeid.tests.matrix import FormRow, World, form_row

NAMESPACES = {"archive"}
READ_ONLY_PAGES = {"archive:extract_page"}


def _extract_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("archive:extract_start"), {
        "arena": str(world.arena.pk),
        "start": "2024-01-01",
        "end": "2024-12-31",
    }


FORM_ROWS = [FormRow("archive:extract_start", form_row(secretariat=302), _extract_form)]
