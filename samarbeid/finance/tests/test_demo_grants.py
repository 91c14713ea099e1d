"""The demo's external funding (issue 24, point 5): a 12K project financed in part by the
county governor's project funds: applied, partly granted with a condition, received, its
report due in December 2026; the members share the rest. Example data, marked so."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from samarbeid.finance.models import Grant
from samarbeid.finance.planning import plan
from samarbeid.finance.queries import grant_reports_due
from samarbeid.portal.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_12k_project_funded_by_the_county_governor(secretariat: object) -> None:
    load_demo()
    load_demo()  # idempotent
    grant = Grant.objects.get(line__budget__arena__short_name="12K")
    assert grant.grantor_kind == Grant.GrantorKind.COUNTY_GOVERNOR
    assert grant.status == Grant.Status.PARTLY_GRANTED
    assert grant.conditions
    assert grant.is_example_data
    assert grant.line.budget.is_example_data
    assert grant.line.project is not None
    assert grant.line.project.is_example_data
    _planner, charges = plan([grant.line.budget])
    shares = [c.amount for c in charges if c.line_id == grant.line_id]
    assert shares == [Decimal("137500.00")] * 4  # (900 000 − 350 000 received) / 4
    assert sum(shares) + grant.received == grant.line.amount
    assert list(grant_reports_due(None, date(2026, 12, 3))) == [grant]
