"""A second trial's small findings in strategy: the plan's `published` flag read back by the
API, goals of different plans told apart where one is assessed, and an empty plan that
says nothing of goals without projects."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from samarbeid.strategy.models import Goal
from samarbeid.strategy.tests.helpers import arena_of, call, goal, plan

pytestmark = pytest.mark.django_db


def test_a_plan_reads_back_whether_it_is_published(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    shown = plan(arena, title="Vist plan")
    hidden = plan(arena, 2025, 2028, title="Skjult plan", published=False)
    login(client, secretariat)
    listing = {
        p["id"]: p["published"] for p in call(client, "GET", "/strategic-plans").json()["items"]
    }
    assert listing == {shown.pk: True, hidden.pk: False}
    assert call(client, "GET", f"/strategic-plans/{hidden.pk}").json()["published"] is False
    patched = call(
        client,
        "PATCH",
        f"/strategic-plans/{hidden.pk}",
        {"version": hidden.version, "published": True},
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["published"] is True
    assert call(client, "GET", f"/strategic-plans/{hidden.pk}").json()["published"] is True


def _goal_labels(client: Client, arena_id: int) -> list[str]:
    response = client.get(reverse("strategy:assessment_create", args=[arena_id]))
    assert response.status_code == 200
    return [label for value, label in response.context["form"].fields["goal"].choices if value]


def test_the_assessment_page_names_each_goals_plan(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    old = plan(arena, 2008, 2011, title="Strategisk plan")
    new = plan(arena, 2021, 2024, title="Regional plan")
    goal(old, 1, "Bedre digitale tjenester")
    goal(new, 1, "Utvikle næringslivet")
    Goal.objects.create(arena=arena, plan=None, number=1, title="Felles innkjøp")
    login(client, secretariat)
    labels = _goal_labels(client, arena.pk)
    assert "1. Bedre digitale tjenester (Strategisk plan 2008–2011)" in labels
    assert "1. Utvikle næringslivet (Regional plan 2021–2024)" in labels
    assert "1. Felles innkjøp (arenaens mål)" in labels
    page = client.get(reverse("strategy:assessment_create", args=[arena.pk])).content.decode()
    assert "1. Bedre digitale tjenester (Strategisk plan 2008–2011)" in page


def test_the_goal_labels_cost_no_query_per_goal(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    login(client, secretariat)

    def queries() -> int:
        url = reverse("strategy:assessment_create", args=[arena.pk])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    goal(plan(arena, 2008, 2011), 1)
    few = queries()
    for year in (2012, 2016, 2020):
        goal(plan(arena, year, year + 3), 1)
    assert queries() == few


def test_an_empty_plan_says_nothing_of_goals_without_projects(
    client: Client, secretariat: Any
) -> None:
    arena = arena_of(["3909"])
    empty = plan(arena)
    full = plan(arena, 2025, 2028)
    goal(full, 1, "Bedre tjenester")
    login(client, secretariat)
    page = client.get(reverse("strategy:plan_detail", args=[empty.pk])).content.decode()
    assert "Planen har ingen mål ennå." in page
    assert "Mål uten prosjekt" not in page
    assert "Alle mål har minst ett prosjekt." not in page
    page = client.get(reverse("strategy:plan_detail", args=[full.pk])).content.decode()
    assert "Mål uten prosjekt" in page
    assert "1. Bedre tjenester" in page
