"""Permission-matrix rows for cases, decisions, votes and process plans
(see samarbeid/tests/matrix.py).

Cases and plans belong to the arena's secretariat. A decision of a municipality's own
council, its treatment of a case and its vote in an arena's body may be recorded by its
coordinator too (Larvik's coordinator may, Horten's may not)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.urls import reverse

from samarbeid.arenas.tests.factories import CaseFactory, DecisionFactory
from samarbeid.audit.models import Channel
from samarbeid.governance.models import Decision, ProcessPlan, ProcessStep
from samarbeid.governance.services.process_plans import add_step, create_plan
from samarbeid.governance.services.votes import cast_vote
from samarbeid.governance.tests.builders import board_vote
from samarbeid.registry.models import Municipality
from samarbeid.tests.matrix import (
    ApiRow,
    FormRow,
    World,
    form_on,
    form_row,
    post_row,
    row,
    versioned_form,
    versioned_row,
)


def _case(world: World) -> Any:
    return CaseFactory(title="Felles plan", arena=world.arena, opened=date(2024, 1, 10))


def _larvik_treatment(world: World) -> Decision:
    """Larvik's council has a case on its list, not yet treated."""
    return cast(
        Decision,
        DecisionFactory(
            case=_case(world),
            municipality=world.larvik,
            meeting_date=None,
            planned_date=date(2024, 4, 1),
            outcome="",
        ),
    )


def _lardal_treatment(world: World) -> Decision:
    """Lardal's council had a case of 2017 on its list when Lardal became part of Larvik
    (2018): Larvik's coordinator may record it, the secretariat may pass it on."""
    lardal = next(
        m for m in Municipality.objects.filter(number="0728") if m.is_valid_on(date(2017, 6, 1))
    )
    return cast(
        Decision,
        DecisionFactory(
            case=CaseFactory(title="Felles plan 2018", arena=world.arena, opened=date(2017, 6, 1)),
            municipality=lardal,
            meeting_date=None,
            planned_date=date(2017, 11, 30),
            outcome="",
        ),
    )


def _board_decision(world: World, *, with_vote: bool = False) -> Decision:
    """A vote in the arena's own body (Larvik is a member)."""
    decision = board_vote(world.arena)
    if with_vote:
        cast_vote(decision, world.larvik, "for", actor=world.users["secretariat"])
        decision.refresh_from_db()
    return decision


def _voted_board_decision(world: World) -> Decision:
    """The arena's body's vote with Larvik's vote cast: ready to conclude."""
    return _board_decision(world, with_vote=True)


def _board_decision_naming_larvik(world: World) -> Any:
    """A decision of the arena's own body that names Larvik: still the arena's."""
    return DecisionFactory(
        body="arena_board", arena=world.arena, municipality=world.larvik, outcome=""
    )


def _plan(world: World) -> ProcessPlan:
    return create_plan(
        ProcessPlan(title="Veien videre", arena=world.arena),
        actor=world.users["secretariat"],
        channel=Channel.COMMAND,
    )


def _step(world: World) -> ProcessStep:
    return add_step(
        ProcessStep(plan=_plan(world), order=1, title="Mandat", planned_date=date(2024, 3, 1)),
        actor=world.users["secretariat"],
        channel=Channel.COMMAND,
    )


# A step of a process plan, as the API and the form take it.
STEP = {"order": 1, "title": "Mandat", "planned_date": "2024-03-01"}


def _create_case(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/cases", {"title": "Ny sak", "arena": world.arena.pk, "opened": "2024-01-10"}


def _create_decision(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/decisions", {
        "body": "council",
        "municipality": "3909",
        "meeting_date": "2024-04-01",
        "outcome": "adopted",
    }


def _create_plan(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/process-plans", {"title": "Ny plan", "arena": world.arena.pk}


SECRETARIAT_AND_OWN_COORDINATOR = {"secretariat": 201, "coordinator": 201}

API_ROWS = [
    ApiRow("POST", "/api/v1/cases", row(secretariat=201), _create_case),
    versioned_row(
        "PATCH", "/api/v1/cases/{case_id}", row(secretariat=200), _case, title="Endret sak"
    ),
    # Larvik's council decision about no arena: the coordinator or a secretariat for every
    # arena (not the secretariat of one arena)
    ApiRow(
        "POST",
        "/api/v1/decisions",
        row(**SECRETARIAT_AND_OWN_COORDINATOR, arena_secretariat=403),
        _create_decision,
    ),
    versioned_row(
        "PATCH",
        "/api/v1/decisions/{decision_id}",
        row(secretariat=200, coordinator=200),
        _larvik_treatment,
        meeting_date="2024-04-01",
        outcome="adopted",
    ),
    versioned_row(
        "POST", "/api/v1/decisions/{decision_id}/transfer", row(secretariat=200), _lardal_treatment
    ),
    post_row(
        "/api/v1/decisions/{decision_id}/votes",
        row(**SECRETARIAT_AND_OWN_COORDINATOR),
        _board_decision,
        municipality="3909",
        choice="for",
    ),
    versioned_row(
        "POST",
        "/api/v1/decisions/{decision_id}/conclude",
        row(secretariat=200),
        _voted_board_decision,
        meeting_date="2024-05-01",
    ),
    ApiRow("POST", "/api/v1/process-plans", row(secretariat=201), _create_plan),
    post_row("/api/v1/process-plans/{plan_id}/steps", row(secretariat=201), _plan, **STEP),
    versioned_row(
        "POST",
        "/api/v1/process-steps/{step_id}/done",
        row(secretariat=200),
        _step,
        done_date="2024-03-01",
    ),
]


def _case_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("governance:case_create"), {
        "title": "Ny sak",
        "arena": world.arena.pk,
        "subject": "other",
        "opened": "2024-01-10",
        "published": "on",
    }


def _decision_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("governance:decision_create"), {
        "body": "council",
        "municipality": world.larvik.pk,
        "case_number": "12/24",
        "meeting_date": "2024-04-01",
        "outcome": "adopted",
    }


def _vote_form(world: World) -> tuple[str, dict[str, Any]]:
    decision = _board_decision(world)
    return reverse("governance:vote_cast", args=[decision.pk]), {
        "v-municipality": world.larvik.pk,
        "v-choice": "for",
    }


def _conclude_form(world: World) -> tuple[str, dict[str, Any]]:
    decision = _voted_board_decision(world)
    return reverse("governance:vote_conclude", args=[decision.pk]), {
        "c-meeting_date": "2024-05-01",
        "c-version": decision.version,
    }


def _plan_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("governance:plan_create"), {
        "title": "Ny plan",
        "arena": world.arena.pk,
        "published": "on",
    }


FORM_ROWS = [
    FormRow("governance:case_create", form_row(secretariat=302), _case_form),
    # Any municipality can be chosen on the form: Horten's coordinator gets the form back
    # with "no access" (200) and nothing is saved.
    FormRow(
        "governance:decision_create",
        form_row(secretariat=302, arena_secretariat=200, coordinator=302, other_coordinator=200),
        _decision_form,
    ),
    versioned_form(
        "governance:treatment_edit",
        form_row(secretariat=302, coordinator=302),
        _larvik_treatment,
        case_number="12/24",
        planned_date="2024-04-01",
        meeting_date="2024-04-01",
        outcome="adopted",
    ),
    # the successor's coordinator records the predecessor's treatment (Lardal → Larvik)
    versioned_form(
        "governance:treatment_edit",
        form_row(secretariat=302, coordinator=302),
        _lardal_treatment,
        case_number="77/17",
        planned_date="2017-11-30",
        meeting_date="2017-12-14",
        outcome="adopted",
    ),
    versioned_form("governance:treatment_transfer", form_row(secretariat=302), _lardal_treatment),
    FormRow("governance:vote_cast", form_row(secretariat=302, coordinator=302), _vote_form),
    FormRow("governance:vote_conclude", form_row(secretariat=302), _conclude_form),
    FormRow("governance:plan_create", form_row(secretariat=302), _plan_form),
    form_on("governance:step_add", form_row(secretariat=302), _plan, **STEP),
    versioned_form(
        "governance:step_done", form_row(secretariat=302), _step, done_date="2024-03-01"
    ),
]

# --- Across arenas (issue 23): what a write links to must be within the writer's rights -----


def _other_case(world: World) -> Any:
    """A case of another arena (12K's)."""
    return CaseFactory(title="12Ks sak", arena=world.other_arena(), opened=date(2024, 1, 10))


def _other_project(world: World) -> Any:
    from samarbeid.portfolio.models import Project
    from samarbeid.portfolio.services import create_project

    return create_project(
        Project(arena=world.other_arena(), code="12K1", title="12Ks prosjekt"),
        actor=world.users["secretariat"],
        channel=Channel.COMMAND,
    )


def _board_decision_by_coordinator(world: World) -> tuple[str, dict[str, Any]]:
    """Larvik's coordinator records a decision of the arena's own body."""
    return "/api/v1/decisions", {
        "body": "arena_board",
        "arena": world.arena.pk,
        "municipality": "3909",
        "meeting_date": "2024-05-02",
        "outcome": "adopted",
        "text": "Vedtatt",
    }


def _other_body_decision(world: World) -> tuple[str, dict[str, Any]]:
    """… or names the arena's body as "another body"."""
    return "/api/v1/decisions", {
        "body": "other",
        "body_name": "Styret",
        "arena": world.arena.pk,
        "municipality": "3909",
        "meeting_date": "2024-05-02",
        "outcome": "adopted",
    }


def _council_decision_on_other_case(world: World) -> tuple[str, dict[str, Any]]:
    """A council decision recorded for the own arena, hung on another arena's case."""
    return "/api/v1/decisions", {
        "body": "council",
        "municipality": "3909",
        "arena": world.arena.pk,
        "case": _other_case(world).pk,
        "meeting_date": "2024-05-02",
        "outcome": "adopted",
    }


def _case_on_other_project(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/cases", {
        "title": "Sak om 12Ks prosjekt",
        "arena": world.arena.pk,
        "project": _other_project(world).pk,
        "opened": "2024-01-10",
    }


def _patch_case_to_other_project(world: World) -> tuple[str, dict[str, Any]]:
    case = _case(world)
    return f"/api/v1/cases/{case.pk}", {
        "version": case.version,
        "project": _other_project(world).pk,
    }


def _step_on_other_case(world: World) -> tuple[str, dict[str, Any]]:
    plan = _plan(world)
    return f"/api/v1/process-plans/{plan.pk}/steps", {**STEP, "case": _other_case(world).pk}


def _board_decision_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("governance:decision_create"), {
        "body": "arena_board",
        "arena": world.arena.pk,
        "municipality": world.larvik.pk,
        "meeting_date": "2024-05-02",
        "outcome": "adopted",
    }


DECISIONS = "/api/v1/decisions"
ACROSS_ARENAS = [
    ApiRow("POST", DECISIONS, row(secretariat=201), _board_decision_by_coordinator),
    ApiRow("POST", DECISIONS, row(secretariat=201), _other_body_decision),
    ApiRow(
        "POST",
        DECISIONS,
        row(secretariat=201, arena_secretariat=403),
        _council_decision_on_other_case,
    ),
    versioned_row(
        "PATCH",
        "/api/v1/decisions/{decision_id}",
        row(secretariat=200),
        _board_decision_naming_larvik,
        meeting_date="2024-05-02",
        outcome="rejected",
    ),
    ApiRow(
        "POST",
        "/api/v1/cases",
        row(secretariat=201, arena_secretariat=403),
        _case_on_other_project,
    ),
    ApiRow(
        "PATCH",
        "/api/v1/cases/{case_id}",
        row(secretariat=200, arena_secretariat=403),
        _patch_case_to_other_project,
    ),
    ApiRow(
        "POST",
        "/api/v1/process-plans/{plan_id}/steps",
        row(secretariat=201, arena_secretariat=403),
        _step_on_other_case,
    ),
]
API_ROWS += ACROSS_ARENAS
# the coordinator gets the form back with "no access" (200); nothing is saved
FORM_ROWS.append(
    FormRow(
        "governance:decision_create",
        form_row(secretariat=302, coordinator=200, other_coordinator=200),
        _board_decision_form,
    )
)

API_TAGS = {"governance"}
NAMESPACES = {"governance"}
READ_ONLY_PAGES = {
    "governance:case_list",
    "governance:case_detail",
    "governance:votes",
    "governance:plan_list",
    "governance:plan_detail",
    "governance:plan_ics",
}
