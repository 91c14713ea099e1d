"""Strategy records as the API's output dictionaries (money as strings with two decimals)."""

from __future__ import annotations

from typing import Any

from samarbeid.core.api_schemas import money
from samarbeid.strategy.models import (
    Benefit,
    BenefitRealisation,
    EconomicResult,
    FocusArea,
    Goal,
    GoalAssessment,
    Indicator,
    PlanItem,
    Result,
    StrategicPlan,
    realised_total,
)
from samarbeid.strategy.services.account import AccountRow


def assessment_out(a: GoalAssessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "id": a.pk,
        "attainment": a.attainment,
        "evidence": a.evidence,
        "assessed_on": a.assessed_on,
        "assessed_by": a.assessed_by,
        "is_example_data": a.is_example_data,
    }


def goal_out(g: Goal, latest: dict[int, GoalAssessment]) -> dict[str, Any]:
    return {
        "id": g.pk,
        "arena": g.arena_id,
        "plan": g.plan_id,
        "number": g.number,
        "title": g.title,
        "description": g.description,
        "latest_assessment": assessment_out(latest.get(g.pk)),
        "is_example_data": g.is_example_data,
    }


def plan_out(p: StrategicPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "arena": p.arena_id,
        "arena_short_name": p.arena.short_name,
        "title": p.title,
        "first_year": p.first_year,
        "last_year": p.last_year,
        "status": p.status,
        "case": p.case_id,
        "is_example_data": p.is_example_data,
        "version": p.version,
    }


def indicator_out(i: Indicator) -> dict[str, Any]:
    return {
        "name": i.name,
        "unit": i.unit,
        "baseline": money(i.baseline),
        "target": money(i.target),
        "values": [
            {"date": v.measured_on.isoformat(), "value": f"{v.value:.2f}"} for v in i.values.all()
        ],
    }


def result_out(r: Result) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "title": r.title,
        "description": r.description,
        "recorded_on": r.recorded_on,
        "indicators": [indicator_out(i) for i in r.indicators.all()],
    }


def economic_out(e: EconomicResult) -> dict[str, Any]:
    return {
        "id": e.pk,
        "municipality": e.municipality.number if e.municipality else None,
        "kind": e.kind,
        "basis": e.basis,
        "year": e.year,
        "to_year": e.to_year,
        "amount": money(e.amount),
        "source": e.source,
        "kept_outside_reason": e.kept_outside_reason,
        "is_example_data": e.is_example_data,
    }


def benefit_out(b: Benefit) -> dict[str, Any]:
    return {
        "id": b.pk,
        "project": b.project_id,
        "municipality": b.municipality.number,
        "description": b.description,
        "expected_amount": money(b.expected_amount),
        "realised_amount": money(realised_total(b)),
        "owner": b.owner,
        "target_date": b.target_date,
        "status": b.status,
        "overdue": b.is_overdue,
        "unrealised": b.is_unrealised,
        "is_example_data": b.is_example_data,
        "version": b.version,
    }


def account_row_out(r: AccountRow) -> dict[str, Any]:
    return {
        "municipality": r.municipality.number if r.municipality else None,
        "savings_estimated": money(r.savings_estimated),
        "savings_realised": money(r.savings_realised),
        "administration": money(r.administration),
        "project_costs": money(r.project_costs),
        "other_costs": money(r.other_costs),
        "costs": money(r.costs),
        "net_realised": money(r.net_realised),
    }


def part_out(part: PlanItem | FocusArea) -> dict[str, Any]:
    """A point or a focus area of a plan, as written (a focus area has no kind)."""
    data: dict[str, Any] = {
        "id": part.pk,
        "plan": part.plan_id,
        "order": part.order,
        "title": part.title,
        "description": part.description,
        "version": part.version,
    }
    if isinstance(part, PlanItem):
        data["kind"] = part.kind
    return data


def realisation_out(r: BenefitRealisation) -> dict[str, Any]:
    """A step of a benefit's realisation."""
    return {
        "id": r.pk,
        "recorded_on": r.recorded_on,
        "amount": money(r.amount),
        "status": r.status,
        "note": r.note,
    }
