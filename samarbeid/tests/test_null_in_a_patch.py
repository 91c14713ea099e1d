"""A PATCH that sends null for a field that cannot be empty is refused on that field in the
reader's language, with the same words in every app (core.api_endpoints.not_null); two apps
answered the English «May not be null.» to a bokmål reader."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import api_call, problem_of
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.planning.tests.factories import need, strategy
from samarbeid.portfolio.tests.helpers import project_in

pytestmark = pytest.mark.django_db

EMPTY = "Feltet kan ikke være tomt."


def _refusal(client: Client, url: str, body: dict[str, Any], user: Any) -> list[Any]:
    problem = problem_of(api_call(client, "PATCH", url, body, user), 422)
    return [(error["loc"], error["msg"]) for error in problem["errors"]]


def test_a_planning_strategy(client: Client, coordinator: Any) -> None:
    saved = strategy()
    url = f"/api/v1/planning-strategies/{saved.pk}"
    assert _refusal(client, url, {"version": 1, "title": None}, coordinator) == [(["title"], EMPTY)]


def test_a_planning_need(client: Client, coordinator: Any) -> None:
    one = need(strategy())
    url = f"/api/v1/planning-needs/{one.pk}"
    assert _refusal(client, url, {"version": 1, "description": None}, coordinator) == [
        (["description"], EMPTY)
    ]


def test_an_arena(client: Client, secretariat: Any) -> None:
    arena = ArenaFactory()
    url = f"/api/v1/arenas/{arena.pk}"
    assert _refusal(client, url, {"version": arena.version, "name": None}, secretariat) == [
        (["name"], EMPTY)
    ]


def test_a_project(client: Client, secretariat: Any) -> None:
    project = project_in(ArenaFactory(), secretariat)
    url = f"/api/v1/projects/{project.pk}"
    assert _refusal(client, url, {"version": project.version, "title": None}, secretariat) == [
        (["title"], EMPTY)
    ]
