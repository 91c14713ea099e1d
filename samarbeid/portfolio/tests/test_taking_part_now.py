""" "Deltar i nå" on the portfolio's overview and "Deltar nå" in the project list count only
participations running today, by one rule: a ceased municipality's open record from an old
project is not counted, nor one that has ended (clerk's trial: the overview counted them)."""

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
    assert now == {"0722": 0, "3909": 1, "3901": 0}
    assert ever == {"0722": 1, "3909": 1, "3901": 1}
    listing = client.get("/prosjekter/liste/", {"arena": arena.pk})
    (project,) = list(listing.context["page"])
    assert project.participant_count == 1
