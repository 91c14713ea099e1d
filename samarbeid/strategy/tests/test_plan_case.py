"""One case per plan (issue 17, point 8): the demo's 12K plan has one case, with no
pending or overdue rows for municipalities that ceased; a plan cannot get a second case."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from samarbeid.arenas import demo as arenas_demo
from samarbeid.governance.models import Case
from samarbeid.governance.services.treatments import Treatment, treatment_board
from samarbeid.portal.demo import demo_users
from samarbeid.portfolio import demo as portfolio_demo
from samarbeid.strategy import demo
from samarbeid.strategy.models import StrategicPlan
from samarbeid.strategy.services.plans import send_for_treatment

pytestmark = pytest.mark.django_db


def test_the_12k_plan_has_one_case_and_no_stale_rows(client: Client) -> None:
    actor = demo_users()
    arenas_demo.load(actor)
    portfolio_demo.load(actor)
    demo.load(actor)
    plan = StrategicPlan.objects.get(arena__short_name="12K", first_year=2008)
    cases = Case.objects.filter(arena__short_name="12K", subject=Case.Subject.DOCUMENT)
    assert [c.pk for c in cases if "Strategisk plan" in c.title] == [plan.case_id]
    assert plan.case is not None
    board = treatment_board(plan.case, today=date(2026, 1, 1))
    ceased = [r for r in board.rows if r.decision.ceased_before(date(2026, 1, 1))]
    assert {r.decision.municipality.number for r in ceased} >= {"0722", "0723", "0728"}  # type: ignore[union-attr]
    assert not [r for r in ceased if r.state in (Treatment.PENDING, Treatment.OVERDUE)]
    assert (board.pending, board.overdue) == (0, 0)
    page = client.get(plan.case.get_absolute_url()).content.decode()
    assert "12 av 12 har sluttet seg til" in page
    # the service refuses a second case for the plan, whatever its status
    with pytest.raises(ValidationError):
        send_for_treatment(plan, planned_date=None, actor=actor)
    StrategicPlan.objects.filter(pk=plan.pk).update(status=StrategicPlan.Status.DRAFT)
    plan.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        send_for_treatment(plan, planned_date=None, actor=actor)
    assert "Planen har allerede en sak" in str(exc.value)
    assert Case.objects.filter(title__startswith="Strategisk plan").count() == 1


def test_a_case_serves_one_plan(client: Client) -> None:
    actor = demo_users()
    arenas_demo.load(actor)
    demo.load(actor)
    plan = StrategicPlan.objects.get(arena__short_name="12K", first_year=2008)
    other = StrategicPlan(
        arena=plan.arena, title="Annen plan", first_year=2012, last_year=2015, case=plan.case
    )
    with pytest.raises(ValidationError) as exc:
        other.full_clean()
    assert "Saken gjelder allerede en annen plan." in str(exc.value)
