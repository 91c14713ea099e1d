"""Permission-matrix rows for projects and participation (see samarbeid/tests/matrix.py).

The arena's secretariat manages projects; a coordinator registers only its own
municipality's participation (Larvik's coordinator may, Horten's may not)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from samarbeid.arenas.tests.factories import DecisionFactory
from samarbeid.audit.models import Channel
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.services import create_project
from samarbeid.tests.matrix import (
    ApiRow,
    FormRow,
    World,
    delete_row,
    form_row,
    row,
    versioned_form,
    versioned_row,
)


def _project(world: World, code: str = "MX1") -> Project:
    """An idea under the world's arena (Larvik is a member from 1.3.2024)."""
    return create_project(
        Project(arena=world.arena, code=code, title=f"Prosjekt {code}", start=date(2024, 1, 1)),
        actor=world.users["secretariat"],
        channel=Channel.COMMAND,
    )


def _larvik_council_decision(world: World) -> Any:
    return DecisionFactory(
        municipality=world.larvik, meeting_date=date(2024, 4, 1), outcome="adopted"
    )


# Larvik joins a project, as the API takes it, but for the decision it rests on.
LARVIK_JOINS = {"municipality": "3909", "status": "joined", "since": "2024-05-01"}


def _create_project(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/projects", {"arena": world.arena.pk, "code": "NY1", "title": "Nytt prosjekt"}


def _participation(world: World) -> tuple[str, dict[str, Any]]:
    project = _project(world)
    return f"/api/v1/projects/{project.pk}/participations", {
        **LARVIK_JOINS,
        "decision": _larvik_council_decision(world).pk,
    }


# --- Across arenas (issue 23): what a write links to must be within the writer's rights -----


def _transfer_to_other(world: World) -> tuple[str, dict[str, Any]]:
    project = _project(world)
    return f"/api/v1/projects/{project.pk}/status", {
        "status": "transferred",
        "changed_on": "2024-06-01",
        "reason": "Overført",
        "transferred_to": world.other_arena().pk,
        "version": project.version,
    }


def _participation_on_other_arenas_decision(world: World) -> tuple[str, dict[str, Any]]:
    """Larvik joins the project resting on Larvik's decision to join 12K: its coordinator
    may (its own council's decision), this arena's secretariat may not take it over."""
    project = _project(world)
    decision = world.other_arena().memberships.get().decision
    return f"/api/v1/projects/{project.pk}/participations", {
        **LARVIK_JOINS,
        "decision": decision.pk,
    }


ACROSS_ARENAS = [
    ApiRow(
        "POST",
        "/api/v1/projects/{project_id}/status",
        row(secretariat=200, arena_secretariat=403),
        _transfer_to_other,
    ),
    ApiRow(
        "POST",
        "/api/v1/projects/{project_id}/participations",
        row(secretariat=201, arena_secretariat=403, coordinator=201),
        _participation_on_other_arenas_decision,
    ),
]

API_ROWS = [
    *ACROSS_ARENAS,
    ApiRow("POST", "/api/v1/projects", row(secretariat=201), _create_project),
    versioned_row(
        "PATCH", "/api/v1/projects/{project_id}", row(secretariat=200), _project, title="Endret"
    ),
    delete_row("/api/v1/projects/{project_id}", row(secretariat=204), _project),
    versioned_row(
        "POST",
        "/api/v1/projects/{project_id}/status",
        row(secretariat=200),
        _project,
        status="proposed",
        changed_on="2024-06-01",
        reason="Forslag til styret",
    ),
    ApiRow(
        "POST",
        "/api/v1/projects/{project_id}/participations",
        row(secretariat=201, coordinator=201),
        _participation,
    ),
]


def _project_create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("portfolio:project_create"), {
        "arena": world.arena.pk,
        "code": "NY2",
        "title": "Nytt prosjekt",
        "start": "2024-01-01",
        "published": "on",
    }


def _project_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    project = _project(world)
    return reverse("portfolio:project_edit", args=[project.pk]), {
        "version": project.version,
        "arena": world.arena.pk,
        "code": project.code,
        "title": "Endret tittel",
        "start": "2024-01-01",
        "published": "on",
    }


def _participation_form(world: World) -> tuple[str, dict[str, Any]]:
    project = _project(world)
    return reverse("portfolio:participation_change", args=[project.pk]), {
        "p-municipality": world.larvik.pk,
        "p-status": "joined",
        "p-since": "2024-05-01",
        "d-body": "council",
        "d-case_number": "12/24",
        "d-meeting_date": "2024-04-01",
        "d-outcome": "adopted",
    }


FORM_ROWS = [
    FormRow("portfolio:project_create", form_row(secretariat=302), _project_create_form),
    FormRow("portfolio:project_edit", form_row(secretariat=302), _project_edit_form),
    versioned_form(
        "portfolio:project_status",
        form_row(secretariat=302),
        _project,
        status="proposed",
        changed_on="2024-06-01",
        reason="Forslag til styret",
    ),
    # Horten's coordinator may open the form (for Horten), but Larvik's participation is
    # not its to record: refused with who may (403), as the API refuses it.
    FormRow(
        "portfolio:participation_change",
        form_row(secretariat=302, coordinator=302),
        _participation_form,
        opens=frozenset({"other_coordinator"}),
    ),
]

API_TAGS = {"portfolio"}
NAMESPACES = {"portfolio"}
READ_ONLY_PAGES = {
    "portfolio:index",
    "portfolio:project_list",
    "portfolio:project_export",
    "portfolio:project_detail",
    "portfolio:municipality",
}
