"""Strategy records as the API's output dictionaries (money as strings with two decimals)."""

from __future__ import annotations

from typing import Any

from samarbeid.core.api_schemas import money
from samarbeid.strategy.models import (
    Goal,
    GoalAssessment,
    Indicator,
    Result,
)


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
        "version": g.version,
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
