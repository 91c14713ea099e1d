"""ProjectPages: a national project list cut on ids in (arena, code) order, only the page
loaded with its participant counts, the total cached until the data changes."""

from __future__ import annotations

from typing import Any

import pytest

from samarbeid.portfolio.queries import ProjectFilter, ProjectPages
from samarbeid.portfolio.tests.helpers import arena_of, join_project, project_in

pytestmark = pytest.mark.django_db


def test_pages_follow_arena_and_code_and_carry_participant_counts(secretariat: Any) -> None:
    first = arena_of(["3909", "3901"], short_name="A1")
    second = arena_of(["3909", "3901"], short_name="A2")
    for code in ("P3", "P1", "P2"):
        project_in(second, secretariat, code=code)
        project_in(first, secretariat, code=code)
    join_project(project_in(first, secretariat, code="P0"), "3901", secretariat)
    pages = ProjectPages(secretariat, ProjectFilter())
    assert pages.count() == 7
    shown = pages[0:4]
    assert [(p.arena.short_name, p.code) for p in shown] == [
        ("A1", "P0"),
        ("A1", "P1"),
        ("A1", "P2"),
        ("A1", "P3"),
    ]
    assert shown[0].participant_count == 1
    assert shown[1].participant_count == 0
    assert [p.code for p in pages[4:10]] == ["P1", "P2", "P3"]
    with pytest.raises(TypeError):
        pages[0]  # type: ignore[index]


def test_the_cached_total_follows_a_new_project(secretariat: Any) -> None:
    arena = arena_of(["3909"], short_name="A1")
    project_in(arena, secretariat, code="P1")
    assert ProjectPages(secretariat, ProjectFilter()).count() == 1
    project_in(arena, secretariat, code="P2")
    assert ProjectPages(secretariat, ProjectFilter()).count() == 2
    assert ProjectPages(secretariat, ProjectFilter(q="P2")).count() == 1


def test_many_arenas_are_chosen_by_name(
    client: Any, secretariat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.urls import reverse

    from samarbeid.portfolio import views

    monkeypatch.setattr(views, "ARENA_SELECT_LIMIT", 1)
    first = arena_of(["3909"], short_name="A1", published=True)
    second = arena_of(["3909"], short_name="A2", published=True)
    project_in(first, secretariat, code="FØRST", published=True)
    project_in(second, secretariat, code="ANDRE", published=True)
    url = reverse("portfolio:project_list")
    page = client.get(url).content.decode()
    assert 'name="arena_name"' in page
    assert '<select id="f-arena"' not in page
    chosen = client.get(url, {"arena_name": "a2"}).content.decode()
    assert "ANDRE" in chosen
    assert "FØRST" not in chosen
    unknown = client.get(url, {"arena_name": "finnes ikke"}).content.decode()
    assert "Fant ingen arena med det navnet." in unknown
    assert "ANDRE" in unknown
