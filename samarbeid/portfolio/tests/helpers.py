"""Shared builders for portfolio tests."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import (
    CaseFactory,
    DecisionFactory,
)
from samarbeid.arenas.tests.factories import arena_of as arena_of
from samarbeid.arenas.tests.factories import on as on
from samarbeid.audit.models import Channel
from samarbeid.governance.models import Case, Decision
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.services import create_project, set_participation
from samarbeid.registry.models import Municipality


def council_decision(municipality: Municipality, day: date, **fields: Any) -> Decision:
    return make_decision(municipality=municipality, meeting_date=day, **fields)


def project_in(arena: Arena, actor: Any, code: str = "P1", **fields: Any) -> Project:
    fields.setdefault("title", f"Prosjekt {code}")
    fields.setdefault("start", date(2024, 1, 1))
    return create_project(
        Project(arena=arena, code=code, **fields), actor=actor, channel=Channel.COMMAND
    )


def make_decision(**fields: Any) -> Decision:
    return cast(Decision, DecisionFactory(**fields))


def make_case(**fields: Any) -> Case:
    return cast(Case, CaseFactory(**fields))


def join_project(
    project: Project,
    number: str,
    actor: Any,
    *,
    since: date = date(2024, 5, 1),
    decided: date = date(2024, 2, 1),
) -> None:
    """Municipality `number` joins `project` from `since` (1 May 2024), on its council's
    decision of `decided` (1 February 2024), through the service."""
    municipality = Municipality.objects.current().get(number=number)
    set_participation(
        project,
        municipality,
        "joined",
        since=since,
        decision=council_decision(municipality, decided),
        actor=actor,
    )
