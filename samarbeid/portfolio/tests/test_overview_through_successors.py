"""The overview's "Deltar i nå" counts a merged municipality's running participations for
its successor, once each, by the project list's rule (a clerk's trial: they were left out)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.tests.test_taking_part_now import _take_part

pytestmark = pytest.mark.django_db


def _project(arena: Any, code: str, end: date | None = None) -> Project:
    return Project.objects.create(
        arena=arena, code=code, title=code, published=True, start=date(2008, 1, 1), end=end
    )


def test_the_successor_takes_part_once_in_the_overview_as_in_the_list(
    client: Client, secretariat: Any
) -> None:
    arena: Any = ArenaFactory(short_name="12K", published=True)
    both = _project(arena, "12K-1")
    _take_part(both, "0709", date(2008, 1, 1))  # Larvik before 2018
    _take_part(both, "0728", date(2008, 1, 1))  # Lardal
    only_lardal = _project(arena, "12K-2")
    _take_part(only_lardal, "0728", date(2008, 1, 1))
    ended = _project(arena, "12K-3", end=date(2010, 1, 1))
    _take_part(ended, "0728", date(2008, 1, 1))
    page = client.get("/prosjekter/", {"arena": arena.pk})
    rows = {row["number"]: row for row in page.context["overview"].by_municipality}
    # today's Larvik takes part in the two running projects, each once
    assert rows["3909"]["now"] == 2
    assert rows["3909"]["ever"] == 2
    assert rows["0728"]["now"] == 0
    assert rows["0728"]["ever"] == 3
    listing = client.get("/prosjekter/liste/", {"arena": arena.pk})
    counts = {p.code: p.participant_count for p in listing.context["page"]}
    assert counts == {"12K-1": 1, "12K-2": 1, "12K-3": 0}


def test_the_overview_without_mergers_reads_no_more(client: Client, secretariat: Any) -> None:
    arena: Any = ArenaFactory(short_name="12K", published=True)
    _take_part(_project(arena, "12K-1"), "3909", date(2008, 1, 1))
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        client.get("/prosjekter/", {"arena": arena.pk})
    for n in range(2, 6):
        _take_part(_project(arena, f"12K-{n}"), "3901", date(2008, 1, 1))
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get("/prosjekter/", {"arena": arena.pk})
    assert len(small) == len(large)
