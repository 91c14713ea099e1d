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

from conftest import bearer, problem_of
from samarbeid.arenas.tests.factories import ArenaFactory, DecisionFactory
from samarbeid.portfolio.models import Participation, Project, record_running_on
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
    assert client.get(f"/api/v1/projects/{done.pk}").json()["participants_now"] == 0


def test_a_read_record_runs_on_the_days_the_query_says(secretariat: Any) -> None:
    """`Participation.runs_on` (the API's count from records it has read) and
    `record_running_on` (the lists' query) are one rule: every status, open and closed
    records, the first and last day."""
    arena: Any = ArenaFactory(short_name="12K")
    project = Project.objects.create(arena=arena, code="12K-R", title="Regel")
    _take_part(project, "3909", date(2010, 3, 1), until=date(2012, 6, 30))
    _take_part(project, "3901", date(2011, 1, 1))
    withdrawn = Participation.objects.create(
        project=project,
        municipality=Municipality.objects.current().get(number="3907"),
        status=Participation.Status.WITHDRAWN,
        since=date(2009, 1, 1),
        decision=DecisionFactory(meeting_date=date(2008, 12, 1)),
    )
    assert withdrawn.pk
    days = [date(2009, 1, 1), date(2010, 2, 28), date(2010, 3, 1), date(2011, 1, 1)]
    days += [date(2012, 6, 30), date(2012, 7, 1), date(2030, 1, 1)]
    records = list(Participation.objects.filter(project=project))
    for day in days:
        by_query = set(
            Participation.objects.filter(record_running_on(day)).values_list("pk", flat=True)
        )
        assert {r.pk for r in records if r.runs_on(day)} == by_query, day


def test_one_project_by_api_counts_its_participants_from_what_it_read(
    client: Client, secretariat: Any, django_assert_num_queries: Any
) -> None:
    """The project's records are read once (prefetched); counting who takes part now asks
    nothing more unless a municipality has ceased (then the register's changes, once)."""
    arena: Any = ArenaFactory(short_name="12K", published=True)
    project = Project.objects.create(arena=arena, code="12K-Q", title="Spørringer", published=True)
    for number in ("3909", "3901", "3907"):
        _take_part(project, number, date(2020, 1, 1))
    # the project; its participations; status changes; the workshop theme it came from
    with django_assert_num_queries(4):
        answer = client.get(f"/api/v1/projects/{project.pk}").json()
    assert answer["participants_now"] == 3
    client.force_login(secretariat)
    client.get(f"/api/v1/projects/{project.pk}")  # the session's first read
    with django_assert_num_queries(7):  # and the session, the user, the user's roles
        answer = client.get(f"/api/v1/projects/{project.pk}").json()
    assert answer["participants_now"] == 3


def test_a_municipality_that_did_not_exist_that_day_is_refused_on_its_field(
    client: Client, secretariat: Any
) -> None:
    """A clerk's trial: Lardal (0728, ceased 2017) joining in 2026 was answered 404, which
    reads as «no such project»; the membership's twin says it on the field (422)."""
    arena: Any = ArenaFactory(short_name="12K", published=True)
    project = Project.objects.create(arena=arena, code="12K-M", title="Mangler", published=True)
    headers = bearer(secretariat)
    refused = client.post(
        f"/api/v1/projects/{project.pk}/participations",
        {"municipality": "0728", "status": "considering", "since": "2026-12-01"},
        content_type="application/json",
        headers=headers,
    )
    problem = problem_of(refused, 422)
    assert problem["errors"][0]["loc"] == ["municipality"]
    assert "0728" in problem["errors"][0]["msg"]
    lead = client.patch(
        f"/api/v1/projects/{project.pk}",
        {"version": project.version, "lead_municipality": "9999"},
        content_type="application/json",
        headers=headers,
    )
    assert problem_of(lead, 422)["errors"][0]["loc"] == ["lead_municipality"]
    assert not project.participations.exists()
