""" "Deltar i nå" on the portfolio's overview and "Deltar nå" in the project list count only
participations running today, by one rule: a ceased municipality's open record from an old
project is not counted, nor one that has ended (clerk's trial: the overview counted them).
In the project list a merged municipality takes part through its successor, once."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from samarbeid.arenas.tests.factories import ArenaFactory, DecisionFactory
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def _take_part(project: Project, number: str, since: date, until: date | None = None) -> None:
    found = Municipality.objects.filter(code=number) or Municipality.objects.current().filter(
        number=number
    )
    municipality = found.get()
    Participation.objects.create(
        project=project,
        municipality=municipality,
        status=Participation.Status.JOINED,
        since=since,
        until=until,
        decision=DecisionFactory(municipality=municipality, meeting_date=date(2007, 12, 1)),
    )


def test_only_participations_running_today_are_counted(client: Client, secretariat: Any) -> None:
    arena: Any = ArenaFactory(short_name="12K", published=True)
    old = Project.objects.create(
        arena=arena,
        code="12K-OLD",
        title="Gammelt prosjekt",
        published=True,
        status=Project.Status.ONGOING,
        start=date(2008, 1, 1),
    )
    _take_part(old, "0722", date(2008, 1, 1))  # Nøtterøy, ceased 2018: open record, history
    _take_part(old, "3909", date(2008, 1, 1))  # Larvik: running
    ended = timezone.localdate() - timedelta(days=1)
    _take_part(old, "3901", date(2008, 1, 1), until=ended)  # Horten: ended yesterday
    page = client.get("/prosjekter/", {"arena": arena.pk})
    overview = page.context["overview"]
    now = {row["number"]: row["now"] for row in overview.by_municipality}
    ever = {row["number"]: row["ever"] for row in overview.by_municipality}
    # Nøtterøy's running record counts for its successor Færder (3911), as in the list
    # (a clerk's trial: the overview left it out)
    assert now == {"0722": 0, "3909": 1, "3901": 0, "3911": 1}
    assert ever == {"0722": 1, "3909": 1, "3901": 1, "3911": 1}
    listing = client.get("/prosjekter/liste/", {"arena": arena.pk})
    (project,) = list(listing.context["page"])
    # the project runs on: Nøtterøy's record counts for its successor Færder, with Larvik
    assert project.participant_count == 2


def test_a_merged_municipality_takes_part_once_through_its_successor(
    client: Client, secretariat: Any
) -> None:
    """Larvik and Lardal joined in 2008; Larvik took Lardal over in 2018. Today one
    municipality takes part (Larvik), and a project that has ended has none (a clerk's
    trial read 0 for every ongoing 12K project: all its 2008 members have since merged)."""
    arena: Any = ArenaFactory(short_name="12K", published=True)
    ongoing = Project.objects.create(
        arena=arena, code="12K-08-51", title="Strøm", published=True, start=date(2008, 1, 1)
    )
    done = Project.objects.create(
        arena=arena,
        code="12K-06-01",
        title="Strøm 2006",
        published=True,
        start=date(2006, 1, 1),
        end=date(2006, 9, 17),
        status=Project.Status.COMPLETED,
    )
    for project in (ongoing, done):
        _take_part(project, "0709", date(2006, 1, 1))  # Larvik before 2018
        _take_part(project, "0728", date(2006, 1, 1))  # Lardal
    listing = client.get("/prosjekter/liste/", {"arena": arena.pk})
    counts = {p.code: p.participant_count for p in listing.context["page"]}
    assert counts == {"12K-06-01": 0, "12K-08-51": 1}
    api = client.get(f"/api/v1/projects/{ongoing.pk}").json()
    assert api["participants_now"] == 1
