"""Permission-matrix rows for planning strategies and their needs (see
samarbeid/tests/matrix.py): as the population, Larvik's coordinator and a secretariat for
every arena write Larvik's; Horten's coordinator, a one-arena secretariat and a reader may
not."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samarbeid.planning.models import CooperationNeed, PlanningStrategy
from samarbeid.planning.tests.factories import need, strategy
from samarbeid.tests.matrix import (
    ApiRow,
    FormRow,
    World,
    delete_row,
    form_row,
    post_row,
    row,
    versioned_row,
)

WRITERS = row(secretariat=200, arena_secretariat=403, coordinator=200)
CREATORS = row(secretariat=201, arena_secretariat=403, coordinator=201)
DELETERS = row(secretariat=204, arena_secretariat=403, coordinator=204)
FORM_WRITERS = form_row(secretariat=302, arena_secretariat=403, coordinator=302)

STRATEGY = {
    "title": "Planstrategi",
    "first_year": 2024,
    "last_year": 2027,
    "adopted_on": "2024-06-19",
}


# A need as the API and the form take it.
NEED = {"theme": "procurement", "description": "Felles innkjøp"}


def _strategy(world: World) -> PlanningStrategy:
    if "strategy" not in world.extra:
        world.extra["strategy"] = strategy(world.larvik.number)
    found: PlanningStrategy = world.extra["strategy"]
    return found


def _need(world: World) -> CooperationNeed:
    if "need" not in world.extra:
        world.extra["need"] = need(_strategy(world))
    found: CooperationNeed = world.extra["need"]
    return found


def _post_strategy(world: World) -> tuple[str, dict[str, Any]]:
    return f"/api/v1/municipalities/{world.larvik.code}/planning-strategies", STRATEGY


def _strategy_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("planning:strategy_create", args=[world.larvik.code]), dict(STRATEGY)


def _strategy_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    saved = _strategy(world)
    url = reverse("planning:strategy_edit", args=[world.larvik.code, saved.pk])
    return url, STRATEGY | {"title": "Ny", "version": 1}


def _strategy_delete_form(world: World) -> tuple[str, dict[str, Any]]:
    saved = _strategy(world)
    return reverse("planning:strategy_delete", args=[world.larvik.code, saved.pk]), {"version": 1}


def _need_form(world: World) -> tuple[str, dict[str, Any]]:
    saved = _strategy(world)
    return reverse("planning:need_create", args=[world.larvik.code, saved.pk]), dict(NEED)


def _need_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    one = _need(world)
    url = reverse("planning:need_edit", args=[world.larvik.code, one.strategy_id, one.pk])
    return url, {"theme": "ict", "description": "IKT", "version": 1}


def _need_delete_form(world: World) -> tuple[str, dict[str, Any]]:
    one = _need(world)
    url = reverse("planning:need_delete", args=[world.larvik.code, one.strategy_id, one.pk])
    return url, {"version": 1}


def _proposal_from_needs_form(world: World) -> tuple[str, dict[str, Any]]:
    one = _need(world)
    url = reverse("review:proposal_from_needs") + f"?tema={one.theme}&behov={one.pk}"
    return url, {
        "title": "Felles innkjøp",
        "need": "Felles innkjøp",
        "proposed_form": "",
        "planning_needs": [one.pk],
    }


API_ROWS = [
    ApiRow("POST", "/api/v1/municipalities/{code}/planning-strategies", CREATORS, _post_strategy),
    versioned_row(
        "PATCH", "/api/v1/planning-strategies/{strategy_id}", WRITERS, _strategy, title="Ny"
    ),
    delete_row("/api/v1/planning-strategies/{strategy_id}", DELETERS, _strategy),
    post_row("/api/v1/planning-strategies/{strategy_id}/needs", CREATORS, _strategy, **NEED),
    versioned_row("PATCH", "/api/v1/planning-needs/{need_id}", WRITERS, _need, partners="Færder"),
    delete_row("/api/v1/planning-needs/{need_id}", DELETERS, _need),
]

FORM_ROWS = [
    FormRow("planning:strategy_create", FORM_WRITERS, _strategy_form),
    FormRow("planning:strategy_edit", FORM_WRITERS, _strategy_edit_form),
    FormRow("planning:strategy_delete", FORM_WRITERS, _strategy_delete_form),
    FormRow("planning:need_create", FORM_WRITERS, _need_form),
    FormRow("planning:need_edit", FORM_WRITERS, _need_edit_form),
    FormRow("planning:need_delete", FORM_WRITERS, _need_delete_form),
    # review's page that starts a proposal from these needs: as the proposal page, a
    # secretariat (of any arena: a proposal need not name one)
    FormRow("review:proposal_from_needs", form_row(secretariat=302), _proposal_from_needs_form),
]

API_TAGS = {"planning"}
NAMESPACES = {"planning"}
READ_ONLY_PAGES = {"planning:strategy_list", "planning:strategy_detail"}
