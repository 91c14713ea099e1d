from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from samarbeid.arenas import demo as arenas_demo
from samarbeid.arenas.models import Arena
from samarbeid.portal.demo import demo_users
from samarbeid.strategy import demo
from samarbeid.strategy.models import Goal, PlanItem, StrategicPlan
from samarbeid.strategy.services.account import period_account
from samarbeid.strategy.services.plans import plan_adoption

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> None:
    actor = demo_users()
    arenas_demo.load(actor)
    demo.load(actor)
    demo.load(actor)  # idempotent


def test_twelve_k_plan_from_seed_001(loaded: None) -> None:
    plan = StrategicPlan.objects.get(arena__short_name="12K")
    assert (plan.first_year, plan.last_year) == (2008, 2011)
    assert StrategicPlan.objects.filter(arena__short_name="12K").count() == 1
    assert [g.title for g in plan.goals.order_by("number")] == [t for t, _d in demo.GOALS_12K]
    prerequisites = list(
        plan.items.filter(kind=PlanItem.Kind.PREREQUISITE).values_list("title", flat=True)
    )
    assert prerequisites == [
        "Kommunenes frihet",
        "Likhet",
        "Utviklings- og læringsarena",
        "Forankring",
        "Nettverksorganisasjon",
        "Oppgavefokusert",
    ]
    assert plan.items.filter(kind=PlanItem.Kind.WORKING_METHOD).count() == 6
    assert plan.items.filter(kind=PlanItem.Kind.SUCCESS_FACTOR).count() == 4
    assert plan.items.filter(kind=PlanItem.Kind.CRITICAL_FACTOR).count() == 4
    assert plan.focus_areas.count() == 6
    rows = plan_adoption(plan)
    assert len(rows) == 12
    assert all(r.state == "adopted" for r in rows)
    assert plan.case is not None
    assert plan.case.is_example_data


def test_twelve_k_account_1997_2006(loaded: None) -> None:
    account = period_account(Arena.objects.get(short_name="12K"), 1997, 2006)
    assert account.total.administration == Decimal("5100000.00")
    # Seed 001: the 35 MNOK electricity savings "er ikke inkludert" in the results
    assert account.total.savings_realised == Decimal("0.00")
    assert account.total.net_realised == Decimal("-5100000.00")
    [kept] = account.kept_outside
    assert kept.amount == Decimal("35000000.00")
    assert "er ikke inkludert" in kept.kept_outside_reason


def test_innherred_goals_with_assessments(loaded: None) -> None:
    goals = Goal.objects.filter(arena__short_name="ISK", plan__isnull=True).order_by("number")
    assert [g.title for g in goals] == [t for t, _a in demo.GOALS_ISK]
    assert all(g.assessments.filter(is_example_data=True).count() == 1 for g in goals)


def test_demo_pages_render(loaded: None, client: Any) -> None:
    from django.urls import reverse

    from samarbeid.registry.models import Municipality

    twelve_k = Arena.objects.get(short_name="12K")
    plan = StrategicPlan.objects.get(arena=twelve_k)
    larvik = Municipality.objects.current().get(number="3909")
    isk = Arena.objects.get(short_name="ISK")
    pages = [
        reverse("strategy:index"),
        reverse("strategy:arena_dashboard", args=[twelve_k.pk]),
        reverse("strategy:arena_dashboard", args=[isk.pk]),
        reverse("strategy:plan_detail", args=[plan.pk]),
        reverse("strategy:municipality_benefits", args=[larvik.code]),
        reverse("reports:plan", args=[plan.pk]),
        reverse("reports:annual", args=[twelve_k.pk, 2006]),
        reverse("reports:municipality", args=[larvik.code]) + "?first_year=1997&last_year=2026",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    account = client.get(
        reverse("strategy:period_account", args=[twelve_k.pk]),
        {"first_year": 1997, "last_year": 2006},
    ).content.decode()
    assert "5\u00a0100\u00a0000,00" in account
    assert "35\u00a0000\u00a0000,00" in account
    page = client.get(reverse("strategy:municipality_benefits", args=[larvik.code])).content
    assert "Forfalt" in page.decode()  # the 2025 benefit is overdue
