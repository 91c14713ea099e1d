"""Planning records for tests, written directly (the services are what the tests test)."""

from __future__ import annotations

from datetime import date
from typing import Any

from samarbeid.planning.models import CooperationNeed, PlanningStrategy, Theme
from samarbeid.registry.models import Municipality


def strategy_fields(number: str = "3909", **fields: Any) -> dict[str, Any]:
    """A planning strategy of the municipality numbered `number` now, 2024–2027, adopted
    20 June 2024 in PS 45/24, unless `fields` say otherwise."""
    values: dict[str, Any] = {
        "municipality": Municipality.objects.current().get(number=number),
        "title": "Kommunal planstrategi",
        "first_year": 2024,
        "last_year": 2027,
        "adopted_on": date(2024, 6, 20),
        "decision_reference": "PS 45/24",
    }
    return values | fields


def strategy(number: str = "3909", **fields: Any) -> PlanningStrategy:
    return PlanningStrategy.objects.create(**strategy_fields(number, **fields))


def need(on: PlanningStrategy, theme: str = Theme.PROCUREMENT, **fields: Any) -> CooperationNeed:
    values: dict[str, Any] = {"description": "Felles anskaffelser", "partners": "Vestfold"}
    values.update(fields)
    return CooperationNeed.objects.create(strategy=on, theme=theme, **values)
