"""Which goals and focus areas a project may be linked to is one rule
(strategy.services.links.linkable_goals / linkable_focus_areas): the page offers exactly
those, and the API refuses the rest with the page's own message. Seed 004's main goals belong
to Innherred without a plan; a project of a sub-arena serves the goals of the arena above."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.strategy.models import Goal, ProjectGoal
from samarbeid.strategy.tests.helpers import area, arena_of, goal, plan, project

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{url}", data=json.dumps(body), content_type="application/json")


def test_a_project_serves_its_arenas_own_goals_and_those_of_the_arena_above(
    client: Client, secretariat: Any
) -> None:
    region = arena_of(["5037"], name="Innherred samkommune")
    sub = arena_of(["5037"], name="ISK 2", parent=region)
    main_goal = Goal.objects.create(arena=region, number=1, title="Bedre tjenester")
    plan_goal = goal(plan(sub), 2, "Felles IKT")
    stranger = goal(plan(arena_of(["3909"], name="12K")), 1, "Et annet mål")
    proj = project(sub)
    login(client, secretariat)

    page = client.get(reverse("strategy:project_add", args=[proj.pk, "mal"])).content.decode()
    assert "Arenaens mål: 1. Bedre tjenester" in page
    assert "2021–2024: 2. Felles IKT" in page
    assert "Et annet mål" not in page

    assert _post(client, f"/projects/{proj.pk}/goals", {"goal": main_goal.pk}).status_code == 201
    assert _post(client, f"/projects/{proj.pk}/goals", {"goal": plan_goal.pk}).status_code == 201
    refused = _post(client, f"/projects/{proj.pk}/goals", {"goal": stranger.pk})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"loc": ["goal"], "msg": "Velg et mål for prosjektets arena."}
    ]
    assert set(ProjectGoal.objects.values_list("goal_id", flat=True)) == {
        main_goal.pk,
        plan_goal.pk,
    }


def test_the_page_refuses_a_goal_of_another_arena_with_the_apis_words(
    client: Client, secretariat: Any
) -> None:
    proj = project(arena_of(["3909"]))
    stranger = goal(plan(arena_of(["3901"])), 1)
    login(client, secretariat)
    response = client.post(
        reverse("strategy:project_add", args=[proj.pk, "mal"]), {"goal": stranger.pk}
    )
    assert response.status_code == 200
    assert "Velg et mål for prosjektets arena." in response.content.decode()
    assert not ProjectGoal.objects.exists()


def test_focus_areas_of_another_arenas_plan_are_refused_in_the_api(
    client: Client, secretariat: Any
) -> None:
    proj = project(arena_of(["3909"]))
    own, stranger = area(plan(proj.arena), "IKT"), area(plan(arena_of(["3901"])), "Helse")
    login(client, secretariat)
    refused = _post(client, f"/projects/{proj.pk}/focus-areas", {"focus_area": stranger.pk})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"loc": ["focus_area"], "msg": "Velg et innsatsområde i en plan for prosjektets arena."}
    ]
    ok = _post(client, f"/projects/{proj.pk}/focus-areas", {"focus_area": own.pk})
    assert ok.status_code == 201
