"""The case list and the votes of a decision as API reads (issue 18 point 2): `GET
/api/v1/cases` answered 405, and the votes page had no read endpoint. Both show what the
pages show, paged, and only what the caller may see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import bearer, login, problem_of
from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory, DecisionFactory, current
from samarbeid.governance.models import Decision, Vote

pytestmark = pytest.mark.django_db
CASES = "/api/v1/cases"


def _case_with_treatments(arena: Any, **fields: Any) -> Any:
    """A case with three council treatments: one adopted, one overdue, one not yet due."""
    case = CaseFactory(arena=arena, **fields)
    today = timezone.localdate()
    DecisionFactory(case=case, municipality=current("3909"))
    DecisionFactory(
        case=case,
        municipality=current("3901"),
        meeting_date=None,
        planned_date=today - timedelta(days=10),
        outcome="",
    )
    DecisionFactory(
        case=case,
        municipality=current("3907"),
        meeting_date=None,
        planned_date=today + timedelta(days=10),
        outcome="",
    )
    return case


def test_the_case_list_counts_treatments_as_the_page_does(client: Client) -> None:
    arena = ArenaFactory()
    case = _case_with_treatments(arena, title="Felles barnevern", opened=date(2024, 3, 1))
    older = CaseFactory(arena=arena, title="Eldre sak", opened=date(2023, 1, 1))

    response = client.get(CASES, {"arena": arena.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    first, second = body["items"]
    assert (first["id"], second["id"]) == (case.pk, older.pk)  # newest first, as the page
    assert first == {
        "id": case.pk,
        "title": "Felles barnevern",
        "subject": case.subject,
        "arena": arena.pk,
        "arena_short_name": arena.short_name,
        "project": None,
        "opened": "2024-03-01",
        "treatments": 3,
        "decided": 1,
        "overdue": 1,
        "is_example_data": False,
        "published": True,
        "version": case.version,
    }
    assert (second["treatments"], second["decided"], second["overdue"]) == (0, 0, 0)
    page = client.get("/saker/")
    assert page.status_code == 200
    assert "1 av 3" in page.content.decode()


def test_the_case_list_is_paged(client: Client) -> None:
    arena = ArenaFactory()
    for day in range(1, 4):
        CaseFactory(arena=arena, opened=date(2024, 1, day))
    response = client.get(CASES, {"arena": arena.pk, "limit": 2, "offset": 1})
    body = response.json()
    assert body["count"] == 3
    assert [c["opened"] for c in body["items"]] == ["2024-01-02", "2024-01-01"]
    problem_of(client.get(CASES, {"limit": 0}), 422)


def test_an_unpublished_case_is_for_internal_users_only(
    client: Client, reader: Any, secretariat: Any
) -> None:
    arena = ArenaFactory()
    hidden = CaseFactory(arena=arena, published=False)
    shown = CaseFactory(arena=arena)

    def ids(response: Any) -> set[int]:
        assert response.status_code == 200
        return {c["id"] for c in response.json()["items"]}

    assert ids(client.get(CASES, {"arena": arena.pk})) == {shown.pk}
    assert ids(client.get(CASES, {"arena": arena.pk}, headers=bearer(secretariat))) == {
        shown.pk,
        hidden.pk,
    }
    login(client, reader)
    assert ids(client.get(CASES, {"arena": arena.pk})) == {shown.pk, hidden.pk}


def test_the_case_list_costs_the_same_queries_for_more_cases(client: Client) -> None:
    arena = ArenaFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(CASES, {"arena": arena.pk}).status_code == 200
        return len(seen)

    _case_with_treatments(arena)
    few = queries()
    for _ in range(5):
        _case_with_treatments(arena)
    assert queries() == few


def _board_decision(arena: Any) -> Any:
    decision: Any = DecisionFactory(
        body=Decision.Body.ARENA_BOARD,
        arena=arena,
        municipality=None,
        outcome="",
        meeting_date=None,
        planned_date=date(2024, 5, 2),
    )
    Vote.objects.create(decision=decision, municipality=current("3909"), choice="for")
    Vote.objects.create(decision=decision, municipality=current("3901"), choice="against")
    return decision


def test_the_votes_of_a_board_decision(client: Client) -> None:
    decision = _board_decision(ArenaFactory())
    response = client.get(f"/api/v1/decisions/{decision.pk}/votes")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert [(v["municipality"], v["choice"]) for v in body["items"]] == [
        ("3901", "against"),
        ("3909", "for"),
    ]
    assert body["items"][1]["municipality_name"] == "Larvik"


def test_votes_are_404_where_the_page_is(client: Client, secretariat: Any) -> None:
    council = DecisionFactory()
    problem_of(client.get(f"/api/v1/decisions/{council.pk}/votes"), 404)
    problem_of(client.get("/api/v1/decisions/999999/votes"), 404)
    hidden = _board_decision(ArenaFactory(published=False))
    problem_of(client.get(f"/api/v1/decisions/{hidden.pk}/votes"), 404)
    seen = client.get(f"/api/v1/decisions/{hidden.pk}/votes", headers=bearer(secretariat))
    assert seen.status_code == 200
    assert seen.json()["count"] == 2
