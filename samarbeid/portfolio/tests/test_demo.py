from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from samarbeid.arenas import demo as arenas_demo
from samarbeid.governance.ics import plan_to_ics
from samarbeid.governance.models import Case, Decision, ProcessPlan
from samarbeid.portal.demo import demo_users
from samarbeid.portfolio import demo
from samarbeid.portfolio.models import Participation, Project
from samarbeid.portfolio.queries import ProjectFilter, overview

pytestmark = pytest.mark.django_db


def test_demo_gives_the_seed_shape_and_is_idempotent(client: Client) -> None:
    actor = demo_users()
    arenas_demo.load(actor)
    demo.load(actor)
    counts = (Project.objects.count(), Participation.objects.count(), Decision.objects.count())
    demo.load(actor)
    assert (Project.objects.count(), Participation.objects.count(), Decision.objects.count()) == (
        counts
    )
    twelve = Project.objects.filter(arena__short_name="12K")
    assert twelve.filter(status="completed").count() == 50
    assert twelve.filter(status="ongoing").count() == 18
    assert not twelve.filter(is_example_data=False).exists()
    result = overview(actor, ProjectFilter(arena=twelve.first().arena_id))  # type: ignore[union-attr]
    assert (result.completed, result.ongoing, len(result.professional_groups)) == (50, 18, 4)
    assert Participation.objects.filter(status="declined").exists()
    assert Participation.objects.filter(status="withdrawn").count() == 1
    # The 2008 councils: Nøtterøy is 0722, not Færder.
    assert Participation.objects.filter(municipality__number="0722").exists()
    # The strategic plan's one case is strategy.demo's (issue 17: no second case here).
    assert not Case.objects.filter(title__startswith="Strategisk plan").exists()
    vote = Decision.objects.get(arena__short_name="12K", body="arena_board")
    assert vote.outcome == "adopted"
    assert vote.votes.count() == 11
    plan = ProcessPlan.objects.get(arena__short_name="ISK")
    steps = list(plan.steps.all())
    assert [s.planned_date for s in steps][:2] == [date(2007, 5, 3), date(2007, 5, 9)]
    assert b"BEGIN:VEVENT" in plan_to_ics(plan)
    # The pages a user reaches, on the demo data.
    text = client.get(reverse("portfolio:index")).content.decode()
    assert "50 gjennomført, 18 pågående, 4 faggrupper" in text
    assert client.get(reverse("portfolio:project_list")).status_code == 200
    assert "forsinket" in client.get(plan.get_absolute_url()).content.decode()
    noetteroy = Participation.objects.filter(municipality__number="0722").first()
    assert noetteroy is not None
    page = client.get(reverse("portfolio:municipality", args=[noetteroy.municipality.code]))
    assert "Strategisk plan" in page.content.decode() or page.status_code == 200
    project = Project.objects.filter(status="ongoing").first()
    assert project is not None
    assert client.get(project.get_absolute_url()).status_code == 200
    html = Template("{% load portfolio %}{% municipality_portfolio m %}").render(
        Context({"m": noetteroy.municipality})
    )
    assert "Prosjekter" in html
