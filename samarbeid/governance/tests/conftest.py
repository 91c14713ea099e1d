"""Fixtures shared by governance's tests."""

from __future__ import annotations

from datetime import date
from typing import cast

import pytest

from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory, DecisionFactory
from samarbeid.governance.models import Case
from samarbeid.registry.models import Municipality


@pytest.fixture
def case_2017() -> Case:
    """A case sent in 2017 to Lardal's council (Lardal ceased 31.12.2017 and joined Larvik,
    now 3909) and Oslo's (still there), planned 30.11.2017; neither has treated it."""
    case = cast(
        Case,
        CaseFactory(
            title="Felles plan 2018", arena=ArenaFactory(short_name="VK"), opened=date(2017, 10, 1)
        ),
    )
    for number in ("0728", "0301"):
        DecisionFactory(
            case=case,
            municipality=Municipality.objects.valid_on(date(2017, 10, 1)).get(number=number),
            meeting_date=None,
            planned_date=date(2017, 11, 30),
            outcome="",
            case_number="",
        )
    return case
