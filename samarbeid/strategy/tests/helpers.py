"""Builders for strategy and report tests, and their API requests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from conftest import api_call
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import arena_of as arena_of
from samarbeid.arenas.tests.factories import on as on
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality
from samarbeid.strategy.models import (
    AdministrationCost,
    Basis,
    EconomicResult,
    FocusArea,
    Goal,
    StrategicPlan,
)


def call(client: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """The API's `path` below /api/v1, called with `body` as JSON (none: `{}`) as the client
    is (logged in or anonymous)."""
    return api_call(client, method, f"/api/v1{path}", body)


def project(arena: Arena, code: str = "P1", **fields: Any) -> Project:
    fields.setdefault("title", f"Prosjekt {code}")
    fields.setdefault("start", date(2021, 1, 1))
    fields.setdefault("status", Project.Status.ONGOING)
    return Project.objects.create(arena=arena, code=code, **fields)


def plan(arena: Arena, first: int = 2021, last: int = 2024, **fields: Any) -> StrategicPlan:
    fields.setdefault("title", "Strategisk plan")
    return StrategicPlan.objects.create(arena=arena, first_year=first, last_year=last, **fields)


def goal(p: StrategicPlan, number: int, title: str = "") -> Goal:
    return Goal.objects.create(arena=p.arena, plan=p, number=number, title=title or f"Mål {number}")


def area(p: StrategicPlan, title: str, order: int = 1) -> FocusArea:
    return FocusArea.objects.create(plan=p, title=title, order=order)


def money(
    proj: Project,
    amount: str,
    year: int,
    *,
    municipality: Municipality | None = None,
    kind: str = EconomicResult.Kind.SAVING,
    basis: str = Basis.REALISED,
    to_year: int | None = None,
) -> EconomicResult:
    return EconomicResult.objects.create(
        project=proj,
        municipality=municipality,
        kind=kind,
        basis=basis,
        year=year,
        to_year=to_year,
        amount=Decimal(amount),
        source="Regnskap",
    )


def admin_cost(arena: Arena, amount: str, first: int, last: int) -> AdministrationCost:
    return AdministrationCost.objects.create(
        arena=arena, first_year=first, last_year=last, amount=Decimal(amount), source="Regnskap"
    )
