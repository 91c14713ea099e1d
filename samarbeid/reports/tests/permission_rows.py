"""Permission-matrix declarations for reports (see samarbeid/tests/matrix.py): the pages
and downloads are read-only; making the annual report in the background is a form that
queues a task, for whoever may download the report (a reader too)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samarbeid.tests.matrix import FormRow, World, form_row


def _annual_task_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("reports:annual_task", args=[world.arena.pk, 2024, "pdf"]), {}


FORM_ROWS = [
    FormRow(
        "reports:annual_task",
        # whoever may download the report may make it as a task (issue 20's trial)
        form_row(secretariat=302, coordinator=302, other_coordinator=302, reader=302),
        _annual_task_form,
    ),
]

NAMESPACES = {"reports"}
READ_ONLY_PAGES = {
    "reports:index",
    "reports:annual",
    "reports:annual_as",
    "reports:municipality_lookup",
    "reports:municipality",
    "reports:municipality_as",
    "reports:plan",
    "reports:grant_report",
    "reports:grant_as",
    "reports:plan_as",
}
