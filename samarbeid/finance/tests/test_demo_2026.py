"""The demo's 12K 2026 budget: a draft run in which Færder and Larvik, successors of
Nøtterøy, Tjøme and Lardal, each pay one share (issue 17, point 2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samarbeid.finance.models import Budget, BudgetLine, InvoiceLine, InvoiceRun
from samarbeid.finance.planning import plan
from samarbeid.finance.tests import helpers as h
from samarbeid.portal.demo import load_demo
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def test_demo_2026_draft_run_bills_faerder_and_larvik_once(secretariat: object) -> None:
    load_demo()
    run = h.demo_run(2026)  # the demo loaded again: idempotent
    assert run.status == InvoiceRun.Status.DRAFT
    assert run.is_example_data
    budget = Budget.objects.get(arena__short_name="12K", year=2026)
    project_line = budget.lines.get(kind=BudgetLine.Kind.PROJECT)
    participants = {
        p.municipality.number
        for p in project_line.project.participations.filter(status="joined", until__isnull=True)
    }
    assert {"0722", "0723", "0728"} <= participants  # recorded before 2018, running on

    lines = InvoiceLine.objects.filter(invoice__run=run).select_related("invoice__buyer")
    project_shares = [line for line in lines if line.kind == BudgetLine.Kind.PROJECT]
    base_shares = [line for line in lines if line.kind == BudgetLine.Kind.BASE]
    buyers = [line.invoice.buyer.number for line in project_shares]
    assert buyers.count("3911") == 1
    assert buyers.count("3909") == 1
    assert [line.invoice.buyer.number for line in base_shares].count("3911") <= 1
    # one equal share each: no payer's share is more than an øre from another's
    amounts = [line.amount for line in project_shares]
    assert max(amounts) - min(amounts) <= Decimal("0.01")
    assert len(amounts) == len(set(buyers))
    # every line sums to the øre (the host's own share, if kept out of the invoices by the
    # run, is still counted in the budget line's split)
    assert sum(amounts) <= project_line.amount
    assert budget.lines.get(kind=BudgetLine.Kind.BASE).key.name == "50/50"
    # the split the run is made from: each line to the øre, each municipality once on it
    _planner, charges = plan([budget], payer_day=run.issue_date)
    for line in budget.lines.all():
        on_line = [c for c in charges if c.line_id == line.pk]
        assert sum(c.amount for c in on_line) == line.amount
        payers = [c.payer_id for c in on_line]
        assert len(payers) == len(set(payers))
    numbers = dict(Municipality.objects.values_list("pk", "number"))
    on_project = sorted(numbers[c.share_of_id] for c in charges if c.line_id == project_line.pk)
    assert on_project.count("3911") == on_project.count("3909") == 1
    assert not {"0722", "0723", "0728", "0709"} & set(on_project)
