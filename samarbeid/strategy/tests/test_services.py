from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import AuditEntry
from samarbeid.governance.models import Decision
from samarbeid.registry.models import Municipality
from samarbeid.strategy.models import (
    AdministrationCost,
    Basis,
    Benefit,
    BenefitRealisation,
    EconomicResult,
    Goal,
    GoalAssessment,
    Indicator,
    IndicatorValue,
    PlanItem,
    Result,
    StrategicPlan,
)
from samarbeid.strategy.services.account import period_account
from samarbeid.strategy.services.attainment import assess_goal, latest_assessments
from samarbeid.strategy.services.benefits import (
    add_benefit,
    benefits_for_municipality,
    record_realisation,
)
from samarbeid.strategy.services.links import link_focus_area, link_goal, plan_coverage
from samarbeid.strategy.services.plans import (
    add_goal,
    create_plan,
    delete_plan_part,
    plan_adoption,
    send_for_treatment,
    set_plan_status,
)
from samarbeid.strategy.services.results import (
    add_administration_cost,
    add_economic_result,
    add_indicator,
    add_indicator_value,
    add_result,
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

D = Decimal


# Plans -----------------------------------------------------------------------------------


def test_create_plan_starts_as_draft_and_is_audited(secretariat: Any) -> None:
    arena = arena_of(["3909"])
    p = create_plan(
        StrategicPlan(arena=arena, title="Plan", first_year=2008, last_year=2011, status="adopted"),
        actor=secretariat,
    )
    assert p.status == StrategicPlan.Status.DRAFT
    assert AuditEntry.objects.filter(object_id=str(p.pk)).exists()


def test_plan_with_end_before_start_is_refused(secretariat: Any) -> None:
    arena = arena_of(["3909"])
    with pytest.raises(ValidationError) as exc:
        create_plan(
            StrategicPlan(arena=arena, title="Plan", first_year=2011, last_year=2008),
            actor=secretariat,
        )
    assert "last_year" in exc.value.message_dict
    assert not StrategicPlan.objects.exists()


def test_coordinator_cannot_create_plan(coordinator: Any) -> None:
    arena = arena_of(["3909"])
    with pytest.raises(PermissionDenied):
        create_plan(
            StrategicPlan(arena=arena, title="Plan", first_year=2008, last_year=2011),
            actor=coordinator,
        )


def test_goals_are_numbered_and_duplicates_refused(secretariat: Any) -> None:
    arena = arena_of(["3909"])
    p = plan(arena)
    first = add_goal(Goal(arena=arena, plan=p, number=0, title="A"), actor=secretariat)
    second = add_goal(Goal(arena=arena, plan=p, number=0, title="B"), actor=secretariat)
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError) as exc:
        add_goal(Goal(arena=arena, plan=p, number=2, title="C"), actor=secretariat)
    assert "number" in exc.value.message_dict


def test_goal_of_plan_of_other_arena_refused(secretariat: Any) -> None:
    arena, other = arena_of(["3909"]), arena_of(["3901"])
    with pytest.raises(ValidationError):
        add_goal(Goal(arena=other, plan=plan(arena), number=1, title="X"), actor=secretariat)


def test_send_for_treatment_creates_case_and_pending_council_per_member(
    secretariat: Any,
) -> None:
    arena = arena_of(["3909", "3901", "3907"])
    p = plan(arena)
    goal(p, 1)
    case = send_for_treatment(p, planned_date=timezone.localdate(), actor=secretariat)
    p.refresh_from_db()
    assert p.status == StrategicPlan.Status.SENT
    assert p.case == case
    decisions = list(case.decisions.all())
    assert len(decisions) == 3
    assert {d.body for d in decisions} == {Decision.Body.COUNCIL}
    assert all(d.outcome == "" for d in decisions)
    rows = plan_adoption(p)
    assert [r.state for r in rows] == ["pending"] * 3
    with pytest.raises(ValidationError):  # sent already
        send_for_treatment(p, planned_date=None, actor=secretariat)


def test_send_without_goals_refused(secretariat: Any) -> None:
    p = plan(arena_of(["3909"]))
    with pytest.raises(ValidationError):
        send_for_treatment(p, planned_date=None, actor=secretariat)
    assert p.case is None


def test_adoption_per_municipality_and_plan_adopted(secretariat: Any) -> None:
    arena = arena_of(["3909", "3901"])
    p = plan(arena)
    goal(p, 1)
    case = send_for_treatment(p, planned_date=None, actor=secretariat)
    first, second = case.decisions.order_by("municipality__number")
    Decision.objects.filter(pk=first.pk).update(
        outcome=Decision.Outcome.ADOPTED, meeting_date=timezone.localdate()
    )
    with pytest.raises(ValidationError) as exc:
        set_plan_status(p, "adopted", expected_version=None, actor=secretariat)
    assert second.municipality is not None
    assert second.municipality.name in exc.value.messages[0]
    Decision.objects.filter(pk=second.pk).update(
        outcome=Decision.Outcome.REJECTED, meeting_date=timezone.localdate()
    )
    assert first.municipality is not None
    states = {r.municipality.number: r.state for r in plan_adoption(p)}
    assert states == {first.municipality.number: "adopted", second.municipality.number: "rejected"}
    set_plan_status(p, "adopted", expected_version=None, actor=secretariat)
    assert p.status == StrategicPlan.Status.ADOPTED


def test_expire_only_after_period(secretariat: Any) -> None:
    p = plan(arena_of(["3909"]), first=2008, last=2011)
    set_plan_status(p, "expired", expected_version=None, actor=secretariat)
    assert p.status == "expired"
    current = plan(p.arena, first=2024, last=timezone.localdate().year + 1)
    with pytest.raises(ValidationError):
        set_plan_status(current, "expired", expected_version=None, actor=secretariat)


def test_delete_part_only_in_draft(secretariat: Any) -> None:
    p = plan(arena_of(["3909"]))
    item = PlanItem.objects.create(plan=p, kind=PlanItem.Kind.PREREQUISITE, title="Likhet")
    delete_plan_part(item, actor=secretariat)
    assert not PlanItem.objects.exists()
    g = goal(p, 1)
    StrategicPlan.objects.filter(pk=p.pk).update(status="sent")
    g.refresh_from_db()
    with pytest.raises(ValidationError):
        delete_plan_part(g, actor=secretariat)


# Coverage --------------------------------------------------------------------------------


def test_coverage(secretariat: Any) -> None:
    arena = arena_of(["3909"])
    p = plan(arena)
    g1, g2 = goal(p, 1), goal(p, 2)
    ikt, skole = area(p, "IKT", 1), area(p, "Skole", 2)
    a = project(arena, "A", budget=D("600000.00"))
    b = project(arena, "B", budget=D("300000.00"))
    c = project(arena, "C", budget=D("100000.00"))
    project(arena, "OLD", budget=D("999.00"), start=date(2000, 1, 1), end=date(2001, 1, 1))
    link_goal(a, g1, actor=secretariat)
    link_focus_area(a, ikt, actor=secretariat)
    link_focus_area(b, ikt, actor=secretariat)
    link_focus_area(b, skole, actor=secretariat)
    coverage = plan_coverage(p)
    assert coverage.goals_without_project == [g2]
    assert coverage.projects_outside == [c]
    assert coverage.total_budget == D("1000000.00")
    shares = {(s.area.title if s.area else None): (s.budget, s.share) for s in coverage.areas}
    assert shares == {
        "IKT": (D("900000.00"), D("90.00")),
        "Skole": (D("300000.00"), D("30.00")),
        None: (D("100000.00"), D("10.00")),
    }


def test_link_to_goal_of_other_arena_refused(secretariat: Any) -> None:
    arena, other = arena_of(["3909"]), arena_of(["3901"])
    p = plan(other)
    with pytest.raises(ValidationError):
        link_goal(project(arena), goal(p, 1), actor=secretariat)
    with pytest.raises(ValidationError):
        link_focus_area(project(arena, "B"), area(p, "X"), actor=secretariat)


def test_project_of_sub_arena_counts_for_parent_plan(secretariat: Any) -> None:
    parent = arena_of(["3909"])
    child = Arena.objects.create(
        name="Faggruppe", short_name="FG", kind=Arena.Kind.PROFESSIONAL_GROUP, parent=parent
    )
    p = plan(parent)
    link_goal(project(child), goal(p, 1), actor=secretariat)
    assert plan_coverage(p).goals_without_project == []


# Results ---------------------------------------------------------------------------------


def test_saving_without_year_or_source_refused(secretariat: Any, larvik: Municipality) -> None:
    proj = project(arena_of(["3909"]))
    with pytest.raises(ValidationError) as exc:
        add_economic_result(
            EconomicResult(
                project=proj,
                municipality=larvik,
                kind="saving",
                basis="realised",
                year=None,  # type: ignore[misc]
                amount=D("10.00"),
                source="",
            ),
            actor=secretariat,
        )
    assert {"year", "source"} <= set(exc.value.message_dict)
    assert not EconomicResult.objects.exists()


def test_realised_saving_in_future_refused(secretariat: Any) -> None:
    proj = project(arena_of(["3909"]))
    with pytest.raises(ValidationError) as exc:
        add_economic_result(
            EconomicResult(
                project=proj,
                kind="saving",
                basis="realised",
                year=timezone.localdate().year + 1,
                amount=D("10.00"),
                source="Budsjett",
            ),
            actor=secretariat,
        )
    assert "basis" in exc.value.message_dict


def test_economic_result_for_municipality_that_did_not_exist(secretariat: Any) -> None:
    proj = project(arena_of(["3909"]))
    with pytest.raises(ValidationError) as exc:
        add_economic_result(
            EconomicResult(
                project=proj,
                municipality=on("3909", date(2024, 1, 1)),
                kind="saving",
                basis="realised",
                year=2005,
                amount=D("10.00"),
                source="Regnskap",
            ),
            actor=secretariat,
        )
    assert "municipality" in exc.value.message_dict


def test_results_and_indicators(secretariat: Any, coordinator: Any) -> None:
    proj = project(arena_of(["3909"]))
    result = add_result(
        Result(
            project=proj, kind="professional", title="Felles IKT", recorded_on=timezone.localdate()
        ),
        actor=secretariat,
    )
    indicator = add_indicator(
        Indicator(result=result, name="Brukere", unit="antall", baseline=D("0"), target=D("100")),
        actor=secretariat,
    )
    add_indicator_value(
        IndicatorValue(indicator=indicator, measured_on=timezone.localdate(), value=D("40")),
        actor=secretariat,
    )
    assert indicator.values.count() == 1
    with pytest.raises(ValidationError):
        add_indicator_value(
            IndicatorValue(
                indicator=indicator,
                measured_on=timezone.localdate() + timedelta(days=3),
                value=D("1"),
            ),
            actor=secretariat,
        )
    soft = add_result(
        Result(
            project=proj, kind="unquantifiable", title="Tillit", recorded_on=timezone.localdate()
        ),
        actor=secretariat,
    )
    with pytest.raises(ValidationError):
        add_indicator(Indicator(result=soft, name="x", unit="y"), actor=secretariat)
    with pytest.raises(PermissionDenied):
        add_result(
            Result(project=proj, kind="professional", title="X", recorded_on=timezone.localdate()),
            actor=coordinator,
        )


# Benefits --------------------------------------------------------------------------------


def _benefit(proj: Any, municipality: Municipality, **fields: Any) -> Benefit:
    fields.setdefault("description", "Færre timer på fakturering")
    fields.setdefault("owner", "Økonomisjef")
    fields.setdefault("target_date", timezone.localdate() + timedelta(days=30))
    return Benefit(project=proj, municipality=municipality, **fields)


def test_benefit_without_owner_refused(coordinator: Any, larvik: Municipality) -> None:
    proj = project(arena_of(["3909"]))
    with pytest.raises(ValidationError) as exc:
        add_benefit(_benefit(proj, larvik, owner="  "), actor=coordinator)
    assert "owner" in exc.value.message_dict
    assert not Benefit.objects.exists()


def test_coordinator_edits_own_benefits_only(
    coordinator: Any, other_coordinator: Any, larvik: Municipality
) -> None:
    proj = project(arena_of(["3909", "3901"]))
    benefit = add_benefit(_benefit(proj, larvik), actor=coordinator)
    with pytest.raises(PermissionDenied):
        add_benefit(_benefit(proj, larvik), actor=other_coordinator)
    with pytest.raises(PermissionDenied):
        record_realisation(
            BenefitRealisation(
                benefit=benefit, recorded_on=timezone.localdate(), status="realised"
            ),
            actor=other_coordinator,
        )


def test_coordinator_of_successor_edits_predecessor_benefit(coordinator: Any) -> None:
    old_larvik = on("0709", date(2010, 1, 1))
    proj = project(arena_of(["3909"]))
    benefit = add_benefit(_benefit(proj, old_larvik), actor=coordinator)
    assert benefit.pk
    assert benefit in benefits_for_municipality(Municipality.objects.current().get(number="3909"))


def test_realisation_over_time_sets_status(coordinator: Any, larvik: Municipality) -> None:
    proj = project(arena_of(["3909"]))
    benefit = add_benefit(_benefit(proj, larvik, expected_amount=D("100000.00")), actor=coordinator)
    record_realisation(
        BenefitRealisation(
            benefit=benefit,
            recorded_on=timezone.localdate(),
            amount=D("40000.00"),
            status="in_progress",
        ),
        actor=coordinator,
    )
    record_realisation(
        BenefitRealisation(
            benefit=benefit,
            recorded_on=timezone.localdate(),
            amount=D("60000.00"),
            status="realised",
        ),
        actor=coordinator,
    )
    benefit.refresh_from_db()
    assert benefit.status == "realised"
    from samarbeid.strategy.models import realised_total

    assert realised_total(benefit) == D("100000.00")
    with pytest.raises(ValidationError):
        record_realisation(
            BenefitRealisation(
                benefit=benefit,
                recorded_on=timezone.localdate() + timedelta(days=1),
                status="realised",
            ),
            actor=coordinator,
        )


def test_overdue_and_unrealised_flags(larvik: Municipality) -> None:
    proj = project(arena_of(["3909"]))
    today = timezone.localdate()
    overdue = Benefit.objects.create(
        project=proj,
        municipality=larvik,
        description="x",
        owner="o",
        target_date=today - timedelta(days=1),
    )
    failed = Benefit.objects.create(
        project=proj,
        municipality=larvik,
        description="y",
        owner="o",
        target_date=today + timedelta(days=10),
        status="not_realised",
    )
    fine = Benefit.objects.create(
        project=proj, municipality=larvik, description="z", owner="o", target_date=today
    )
    assert overdue.is_overdue
    assert overdue.is_unrealised
    assert not failed.is_overdue
    assert failed.is_unrealised
    assert not fine.is_overdue
    assert not fine.is_unrealised


# Goal attainment -------------------------------------------------------------------------


def test_assessment_history_and_other_arena_refused(secretariat: Any) -> None:
    arena, other = arena_of(["3909"]), arena_of(["3901"])
    g = goal(plan(arena), 1)
    for attainment in ("too_early", "partly_met"):
        assess_goal(
            GoalAssessment(
                goal=g,
                attainment=attainment,
                evidence="Evaluering",
                assessed_on=timezone.localdate(),
            ),
            arena=arena,
            actor=secretariat,
        )
    assert g.assessments.count() == 2
    assert latest_assessments([g])[g.pk].attainment == "partly_met"
    with pytest.raises(ValidationError) as exc:
        assess_goal(
            GoalAssessment(
                goal=g, attainment="met", evidence="x", assessed_on=timezone.localdate()
            ),
            arena=other,
            actor=secretariat,
        )
    assert "goal" in exc.value.message_dict
    assert g.assessments.count() == 2


def test_assessment_needs_evidence(secretariat: Any) -> None:
    arena = arena_of(["3909"])
    g = goal(plan(arena), 1)
    with pytest.raises(ValidationError) as exc:
        assess_goal(
            GoalAssessment(
                goal=g, attainment="met", evidence=" ", assessed_on=timezone.localdate()
            ),
            arena=arena,
            actor=secretariat,
        )
    assert "evidence" in exc.value.message_dict


# The account of a period ----------------------------------------------------------------


def test_period_account_against_hand_computed_figures() -> None:
    arena = arena_of(["3909", "3901"])
    larvik, horten = on("3909", date(2024, 6, 1)), on("3901", date(2024, 6, 1))
    a, b = project(arena, "A"), project(arena, "B")
    money(a, "100000.50", 2021, municipality=larvik)
    money(a, "40000.00", 2022, municipality=larvik, basis=Basis.ESTIMATED)
    money(b, "25000.25", 2022, municipality=horten)
    money(b, "10000.00", 2022, municipality=horten, kind=EconomicResult.Kind.COST)
    money(b, "5000.00", 2023, municipality=larvik, kind=EconomicResult.Kind.COST)
    money(a, "7.00", 2025, municipality=larvik)  # after the period
    money(a, "999.00", 2019, to_year=2022)  # reaches outside: left out
    admin_cost(arena, "30000.00", 2021, 2023)
    admin_cost(arena, "1.00", 2020, 2021)  # reaches outside: left out
    account = period_account(arena, 2021, 2023)
    rows = {(r.municipality.number if r.municipality else None): r for r in account.rows}
    assert list(rows) == ["3901", "3909", None]
    assert rows["3909"].savings_realised == D("100000.50")
    assert rows["3909"].savings_estimated == D("40000.00")
    assert rows["3909"].other_costs == D("5000.00")
    assert rows["3901"].savings_realised == D("25000.25")
    assert rows["3901"].costs == D("10000.00")
    assert rows[None].administration == D("30000.00")
    total = account.total
    assert total.savings_realised == D("125000.75")
    assert total.savings_estimated == D("40000.00")
    assert total.administration == D("30000.00")
    assert total.costs == D("45000.00")
    assert total.net_realised == D("80000.75")
    assert len(account.excluded) == 2
    labels = {y.label: y for y in account.by_year}
    assert labels["2021"].savings_realised == D("100000.50")
    assert labels["2022"].costs == D("10000.00")
    assert labels["2021–2023"].costs == D("30000.00")


def test_period_account_twelve_k_style_span() -> None:
    arena = arena_of(["3909"])
    strom = project(arena, "STROM", start=None)
    money(strom, "35000000.00", 1997, to_year=2006)
    admin_cost(arena, "5100000.00", 1997, 2006)
    account = period_account(arena, 1997, 2006)
    assert account.total.savings_realised == D("35000000.00")
    assert account.total.administration == D("5100000.00")
    assert account.total.net_realised == D("29900000.00")
    assert not account.is_empty


def test_period_account_refuses_end_before_start_and_reports_empty() -> None:
    arena = arena_of(["3909"])
    with pytest.raises(ValidationError) as exc:
        period_account(arena, 2011, 2008)
    assert "last_year" in exc.value.message_dict
    account = period_account(arena, 1990, 1991)
    assert account.is_empty
    assert account.total.costs == 0


def test_administration_cost_validation(secretariat: Any) -> None:
    arena = arena_of(["3909"])
    with pytest.raises(ValidationError):
        add_administration_cost(
            AdministrationCost(
                arena=arena, first_year=2006, last_year=1997, amount=D("1"), source="x"
            ),
            actor=secretariat,
        )
    with pytest.raises(ValidationError):
        add_administration_cost(
            AdministrationCost(
                arena=arena, first_year=1997, last_year=2006, amount=D("1"), source=""
            ),
            actor=secretariat,
        )


def test_period_account_adds_finance_costs_per_municipality(monkeypatch: Any) -> None:
    """Finance's administration and project costs join the account, per municipality."""
    from types import SimpleNamespace

    from samarbeid.strategy.services import account as period_accounts

    arena = arena_of(["3909", "3901"])
    larvik, horten = on("3909", date(2024, 6, 1)), on("3901", date(2024, 6, 1))
    money(project(arena), "1000.00", 2024, municipality=larvik)

    def fake_costs(a: Arena, first: int, last: int) -> list[Any]:
        if a.pk != arena.pk:
            return []
        return [
            SimpleNamespace(
                municipality_id=larvik.pk,
                year=2024,
                administration=D("100.10"),
                projects=D("200.20"),
            ),
            SimpleNamespace(
                municipality_id=horten.pk,
                year=2024,
                administration=D("100.10"),
                projects=D("0.00"),
            ),
        ]

    monkeypatch.setattr(period_accounts, "arena_costs", fake_costs)
    account = period_account(arena, 2024, 2024)
    rows = {r.municipality.number: r for r in account.rows if r.municipality}
    assert rows["3909"].costs == D("300.30")
    assert rows["3909"].net_realised == D("699.70")
    assert rows["3901"].net_realised == D("-100.10")
    assert account.total.administration == D("200.20")
    assert account.total.project_costs == D("200.20")
    assert account.total.net_realised == D("599.60")


def test_period_account_command() -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    arena = arena_of(["3909"], short_name="TK")
    admin_cost(arena, "5100000.00", 1997, 2006)
    out = StringIO()
    call_command("period_account", "TK", "1997", "2006", stdout=out)
    assert "-5\u00a0100\u00a0000,00" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("period_account", "TK", "2006", "1997", stdout=out)
    with pytest.raises(CommandError):
        call_command("period_account", "NOPE", "2006", "2007", stdout=out)
