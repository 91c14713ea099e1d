"""The archive page reads; starting the extract (a background task) is the arena's
secretariat's: a form row for the permission matrix; test_extract.py checks who gets the
extract."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from samarbeid.tests.matrix import FormRow, World, form_row

NAMESPACES = {"archive"}
READ_ONLY_PAGES = {"archive:extract_page"}


def _extract_form(world: World) -> tuple[str, dict[str, Any]]:
    # a concluded case of the period: an extract with nothing in it is refused on the form
    from samarbeid.arenas.tests.factories import CaseFactory, DecisionFactory

    case = CaseFactory(arena=world.arena, opened=date(2024, 3, 1))
    DecisionFactory(case=case, meeting_date=date(2024, 4, 1))
    return reverse("archive:extract_start"), {
        "arena": str(world.arena.pk),
        "start": "2024-01-01",
        "end": "2024-12-31",
    }


FORM_ROWS = [FormRow("archive:extract_start", form_row(secretariat=302), _extract_form)]
