from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from samarbeid.portfolio.models import Participation
from samarbeid.registry.models import Municipality
from samarbeid.strategy.models import (
    Benefit,
    BenefitRealisation,
    EconomicResult,
    GoalAssessment,
    ProjectFocusArea,
    ProjectGoal,
    StrategicPlan,
)
from samarbeid.strategy.tests.helpers import (
    admin_cost,
    area,
    arena_of,
    goal,
    money,
    on,
    plan,
    project,
)

pytestmark = pytest.mark.django_db


def test_index_and_dashboard(client: Client) -> None:
    arena = arena_of(["3909"])
    p = plan(arena)
    goal(p, 1, "Bedre tjenester")
    response = client.get(reverse("strategy:index"))
    assert response.status_code == 200
    assert p.title in response.content.decode()
    response = client.get(reverse("strategy:arena_dashboard", args=[arena.pk]))
    assert response.status_code == 200
    assert "Bedre tjenester" in response.content.decode()


def test_unpublished_arena_is_404_to_public(client: Client, reader: Any) -> None:
    arena = arena_of(["3909"], published=False)
    p = plan(arena)
    for url in (
        reverse("strategy:arena_dashboard", args=[arena.pk]),
        reverse("strategy:plan_detail", args=[p.pk]),
        reverse("strategy:period_account", args=[arena.pk]),
    ):
        assert client.get(url).status_code == 404
    login(client, reader)
    assert client.get(reverse("strategy:plan_detail", args=[p.pk])).status_code == 200


def test_create_plan_page(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena = arena_of(["3909"])
    url = reverse("strategy:plan_create", args=[arena.pk])
    assert client.get(url).status_code == 302  # anonymous → log in
    login(client, coordinator)
    assert client.get(url).status_code == 403
    login(client, secretariat)
    data = {"title": "Plan", "first_year": 2011, "last_year": 2008, "summary": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Sluttåret kan ikke være før startåret" in response.content.decode()
    assert not StrategicPlan.objects.exists()
    response = client.post(url, {**data, "first_year": 2008, "last_year": 2011})
    created = StrategicPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()


def test_plan_parts_send_and_adoption_page(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909", "3901"])
    p = plan(arena)
    login(client, secretariat)
    client.post(reverse("strategy:goal_create", args=[p.pk]), {"title": "Mål A", "number": ""})
    client.post(
        reverse("strategy:item_create", args=[p.pk]),
        {"kind": "prerequisite", "order": 1, "title": "Likhet", "description": "Lik stemme"},
    )
    client.post(reverse("strategy:focus_area_create", args=[p.pk]), {"order": 1, "title": "IKT"})
    assert p.goals.count() == 1
    assert p.items.count() == 1
    assert p.focus_areas.count() == 1
    response = client.post(reverse("strategy:plan_send", args=[p.pk]), {"planned_date": ""})
    assert response.status_code == 302
    page = client.get(reverse("strategy:plan_detail", args=[p.pk])).content.decode()
    assert "Venter: 2" in page
    assert "Horten" in page
    assert "Larvik" in page
    # sending twice is refused with the message on the form
    response = client.post(reverse("strategy:plan_send", args=[p.pk]), {"planned_date": ""})
    assert response.status_code == 200
    assert "Bare et utkast" in response.content.decode()


def test_assessment_page_and_goal_history(client: Client, secretariat: Any) -> None:
    arena, other = arena_of(["3909"]), arena_of(["3901"])
    g = goal(plan(arena), 1)
    foreign = goal(plan(other), 1)
    login(client, secretariat)
    url = reverse("strategy:assessment_create", args=[arena.pk])
    data = {"attainment": "met", "evidence": "Rapport", "assessed_on": "2024-05-01"}
    response = client.post(url, {**data, "goal": foreign.pk})
    assert response.status_code == 200
    assert not GoalAssessment.objects.exists()
    response = client.post(url, {**data, "goal": g.pk, "evidence": ""})
    assert "Begrunn vurderingen" in response.content.decode()
    response = client.post(url, {**data, "goal": g.pk})
    assert response.status_code == 302
    page = client.get(reverse("strategy:goal_detail", args=[g.pk])).content.decode()
    assert "Rapport" in page
    assert "01.05.2024" in page


def test_project_results_page_links_and_economic_errors(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    p = plan(arena)
    g, a = goal(p, 1), area(p, "IKT")
    proj = project(arena)
    login(client, secretariat)
    base = "strategy:project_add"
    client.post(reverse(base, args=[proj.pk, "mal"]), {"goal": g.pk})
    client.post(reverse(base, args=[proj.pk, "innsatsomrade"]), {"focus_area": a.pk})
    assert ProjectGoal.objects.count() == 1
    assert ProjectFocusArea.objects.count() == 1
    response = client.post(
        reverse(base, args=[proj.pk, "okonomi"]),
        {"kind": "saving", "basis": "realised", "amount": "100.00", "year": "", "source": ""},
    )
    text = response.content.decode()
    assert "Oppgi året" in text
    assert "Oppgi kilden" in text
    assert not EconomicResult.objects.exists()
    response = client.post(
        reverse(base, args=[proj.pk, "okonomi"]),
        {
            "kind": "saving",
            "basis": "realised",
            "amount": "100.50",
            "year": "2024",
            "source": "Regnskap",
        },
    )
    assert response.status_code == 302
    client.post(
        reverse(base, args=[proj.pk, "resultat"]),
        {"kind": "professional", "title": "Felles system", "recorded_on": "2024-01-05"},
    )
    page = client.get(reverse("strategy:project_results", args=[proj.pk])).content.decode()
    assert "Felles system" in page
    assert "100,50" in page
    assert "IKT" in page
    link = ProjectGoal.objects.get()
    client.post(reverse("strategy:unlink", args=["mal", link.pk]))
    assert not ProjectGoal.objects.exists()


def test_coordinator_adds_benefit_and_realisation(
    client: Client, coordinator: Any, other_coordinator: Any, larvik: Municipality
) -> None:
    proj = project(arena_of(["3909", "3901"]))
    login(client, coordinator)
    url = reverse("strategy:project_add", args=[proj.pk, "gevinst"])
    data = {
        "municipality": larvik.pk,
        "description": "Mindre tid på fakturering",
        "expected_amount": "1000.00",
        "owner": "",
        "target_date": "2030-01-01",
    }
    response = client.post(url, data)
    assert "Oppgi hvem i kommunen som eier gevinsten" in response.content.decode()
    assert not Benefit.objects.exists()
    assert client.post(url, {**data, "owner": "Økonomisjef"}).status_code == 302
    benefit = Benefit.objects.get()
    detail = reverse("strategy:benefit_detail", args=[benefit.pk])
    realise = reverse("strategy:realisation_create", args=[benefit.pk])
    assert f'action="{realise}"' in client.get(detail).content.decode()
    assert client.post(detail, {"status": "realised"}).status_code == 405
    response = client.post(
        realise, {"recorded_on": "2999-01-01", "amount": "400.00", "status": "in_progress"}
    )
    assert "Datoen kan ikke være fram i tid" in response.content.decode()
    assert not BenefitRealisation.objects.exists()
    response = client.post(
        realise,
        {
            "recorded_on": timezone.localdate().isoformat(),
            "amount": "400.00",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    assert BenefitRealisation.objects.count() == 1
    benefit.refresh_from_db()
    assert benefit.status == "in_progress"
    login(client, other_coordinator)
    assert f'action="{realise}"' not in client.get(detail).content.decode()
    response = client.post(
        realise,
        {"recorded_on": timezone.localdate().isoformat(), "amount": "1.00", "status": "realised"},
    )
    assert response.status_code == 403
    assert BenefitRealisation.objects.count() == 1
    # the project has no participants yet: Horten's coordinator is offered Horten only
    offered = [m.number for m in client.get(url).context["form"].fields["municipality"].queryset]
    assert "3901" in offered
    assert "3909" not in offered
    response = client.post(url, {**data, "owner": "X"})
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert Benefit.objects.count() == 1
    # once Larvik takes part, there is nothing for Horten's coordinator to record here
    Participation.objects.create(
        project=proj,
        municipality=larvik,
        status=Participation.Status.CONSIDERING,
        since=date(2024, 3, 1),
    )
    assert client.get(url).status_code == 403
    assert client.post(url, {**data, "owner": "X"}).status_code == 403


def test_benefit_page_offers_a_coordinator_only_their_municipality(
    client: Client, coordinator: Any, secretariat: Any, larvik: Municipality
) -> None:
    arena = arena_of(["3909", "3901"])
    proj = project(arena)
    for number in ("3909", "3901"):
        municipality = on(number, date(2024, 3, 1))
        Participation.objects.create(
            project=proj,
            municipality=municipality,
            status=Participation.Status.CONSIDERING,
            since=date(2024, 3, 1),
        )
    url = reverse("strategy:project_add", args=[proj.pk, "gevinst"])
    login(client, coordinator)
    form = client.get(url).context["form"]
    assert [m.number for m in form.fields["municipality"].queryset] == ["3909"]
    login(client, secretariat)
    form = client.get(url).context["form"]
    assert [m.number for m in form.fields["municipality"].queryset] == ["3901", "3909"]


def test_municipality_benefits_page_flags_and_query_count(
    client: Client, larvik: Municipality
) -> None:
    arena = arena_of(["3909"])
    url = reverse("strategy:municipality_benefits", args=[larvik.code])

    def add(n: int) -> None:
        for i in range(n):
            Benefit.objects.create(
                project=project(arena, f"P{Benefit.objects.count()}"),
                municipality=larvik,
                description=f"Gevinst {i}",
                owner="Rådmann",
                target_date=timezone.localdate() - timedelta(days=1),
            )

    add(1)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert "Forfalt" in response.content.decode()
    add(4)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_period_account_page(client: Client) -> None:
    arena = arena_of(["3909"])
    larvik = on("3909", date(2024, 6, 1))
    money(project(arena), "1234.50", 2024, municipality=larvik)
    admin_cost(arena, "200.00", 2024, 2024)
    url = reverse("strategy:period_account", args=[arena.pk])
    page = client.get(url, {"first_year": 2024, "last_year": 2024}).content.decode()
    assert "1\u00a0234,50" in page
    assert "1\u00a0034,50" in page
    page = client.get(url, {"first_year": 1990, "last_year": 1991}).content.decode()
    assert "Ingen innsparinger eller kostnader er registrert for 1990–1991" in page
    page = client.get(url, {"first_year": 2011, "last_year": 2008}).content.decode()
    assert "kan ikke være før startåret" in page


def test_money_is_exact(client: Client) -> None:
    arena = arena_of(["3909"])
    proj = project(arena)
    for _ in range(3):
        money(proj, "0.10", 2024)
    from samarbeid.strategy.services.account import period_account

    assert period_account(arena, 2024, 2024).total.savings_realised == Decimal("0.30")


def test_index_pages_plans_and_the_reports_page_lists_the_newest(client: Client) -> None:
    arena = arena_of(["3909"], name="Planarena")
    for year in range(1970, 2021):  # 51 published plans, one per period
        plan(arena, year, year + 3, title=f"Plan {year}", published=True)
    first = client.get(reverse("strategy:index")).content.decode()
    # in the arena, newest period first
    assert "Plan 2020" in first
    assert "Plan 1971" in first
    assert "Plan 1970" not in first
    assert "Side 1 av 2" in first
    assert "page=2#plans" in first
    second = client.get(reverse("strategy:index"), {"page": 2}).content.decode()
    assert "Plan 1970" in second
    assert "Plan 2020" not in second
    reports = client.get(reverse("reports:index")).content.decode()
    assert "Plan 2020" in reports
    assert "Plan 2001" in reports
    assert "Plan 2000" not in reports
    assert "Alle strategiske planer" in reports  # the way to all of them
