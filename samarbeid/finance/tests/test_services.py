from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.core.versioning import VersionConflict
from samarbeid.finance.access import invoices_visible_to, runs_visible_to
from samarbeid.finance.budgets import add_line, delete_budget
from samarbeid.finance.corrections import credit_invoice
from samarbeid.finance.figures import arena_costs, municipality_payments, run_summary, run_totals
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.keys import create_key, preview_key, set_fixed_percent, set_usage
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    BudgetLine,
    ImmutableInvoice,
    Invoice,
    InvoiceLine,
    InvoiceRun,
)
from samarbeid.finance.outputs import ehf_problems, render_ehf
from samarbeid.finance.run_steps import approve_run, delete_run, issue_run, refresh_run
from samarbeid.finance.tests import helpers as h
from samarbeid.lib.ehf import validate_ehf
from samarbeid.lib.kid import is_valid_kid
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db

Y2008 = date(2008, 1, 1)
Y2026 = date(2026, 1, 1)
VESTFOLD_2008 = ["0701", "0704", "0722", "0723"]
VESTFOLD_NOW = ["3901", "3905", "3909", "3911"]


@pytest.fixture
def twelve_k() -> Any:
    arena = h.arena(VESTFOLD_2008, Y2008, host="0704", short_name="12K")
    h.populations(2007, {"0701": 25400, "0704": 37900, "0722": 20800, "0723": 4700})
    return arena


@pytest.fixture
def current_arena() -> Any:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    return arena


def run_2026(arena: Any, actor: Any, base: str = "400000.00") -> InvoiceRun:
    h.equal_budget(arena, 2026, base)
    return create_run(arena, 2026, actor=actor, issue_date=date(2026, 3, 2))


def test_base_contribution_2008_split_50_50(twelve_k: Any, secretariat: Any) -> None:
    key = h.key(twelve_k)
    budget = h.budget(twelve_k, 2008, "1000000.00", key)
    rows = preview_key(key, Decimal("1000000.00"), 2008)
    assert [r.municipality.number for r in rows] == VESTFOLD_2008
    assert sum(r.amount for r in rows) == Decimal("1000000.00")
    # 50 % equal (125 000 each) + 50 % by 2007 population (total 88 800).
    # 50 % equal (125 000 each) + 50 % by the 2007 population (88 800 in all).
    exact = Decimal(125000) + Decimal(500000) * 4700 / 88800
    assert abs(rows[3].amount - exact) < Decimal("0.01")
    costs = arena_costs(twelve_k, 2008, 2008)
    assert sum(c.administration for c in costs) == Decimal("1000000.00")
    assert {c.year for c in costs} == {2008}
    assert budget.lines.count() == 1


def test_create_key_refuses_weights_not_adding_to_100(twelve_k: Any, secretariat: Any) -> None:
    key = AllocationKey(arena=twelve_k, name="Feil", equal=Decimal(50), per_capita=Decimal(40))
    with pytest.raises(ValidationError, match="100"):
        create_key(key, actor=secretariat)
    assert not AllocationKey.objects.exists()


def test_create_key_needs_secretariat(twelve_k: Any, coordinator: Any) -> None:
    key = AllocationKey(arena=twelve_k, name="Likt", equal=Decimal(100))
    with pytest.raises(PermissionDenied):
        create_key(key, actor=coordinator)


def test_negative_amount_refused(twelve_k: Any, secretariat: Any) -> None:
    key = h.key(twelve_k)
    budget = h.budget(twelve_k, 2008, None, key)
    line = BudgetLine(
        budget=budget, kind=BudgetLine.Kind.BASE, description="x", amount=Decimal("-1"), key=key
    )
    with pytest.raises(ValidationError, match="negativ"):
        add_line(line, actor=secretariat)
    assert not BudgetLine.objects.exists()
    with pytest.raises(ValidationError):
        preview_key(key, Decimal("-5"), 2008)


def test_missing_population_names_municipality_and_year(twelve_k: Any, secretariat: Any) -> None:
    key = h.key(twelve_k)
    h.budget(twelve_k, 2009, "1000.00", key)  # reference year 2008: no figures
    with pytest.raises(ValidationError) as caught:
        create_run(twelve_k, 2009, actor=secretariat)
    message = " ".join(caught.value.messages)
    assert "Horten (0701)" in message
    assert "2008" in message
    assert not InvoiceRun.objects.exists()
    assert not Invoice.objects.exists()


def test_usage_missing_refused(twelve_k: Any, secretariat: Any) -> None:
    key = AllocationKey.objects.create(arena=twelve_k, name="Forbruk", usage=Decimal(100))
    for number in ["0701", "0704", "0722"]:
        set_usage(key, h.municipality(number, Y2008), 2008, Decimal(10), actor=secretariat)
    h.budget(twelve_k, 2008, "1000.00", key)
    with pytest.raises(ValidationError, match=r"Mangler forbruk for Tjøme \(0723\) i 2008"):
        create_run(twelve_k, 2008, actor=secretariat)
    assert not InvoiceRun.objects.exists()
    with pytest.raises(ValidationError):
        set_usage(key, h.municipality("0723", Y2008), 2008, Decimal(-1), actor=secretariat)


def test_fixed_percentages_not_adding_to_100_refused(twelve_k: Any, secretariat: Any) -> None:
    key = AllocationKey.objects.create(arena=twelve_k, name="Fast", fixed=Decimal(100))
    for number in VESTFOLD_2008:
        set_fixed_percent(key, h.municipality(number, Y2008), Decimal(20), actor=secretariat)
    h.budget(twelve_k, 2008, "1000.00", key)
    with pytest.raises(ValidationError, match="summerer til 80"):
        create_run(twelve_k, 2008, actor=secretariat)
    assert not InvoiceRun.objects.exists()
    set_fixed_percent(key, h.municipality("0723", Y2008), Decimal(40), actor=secretariat)
    rows = preview_key(key, Decimal("1000.00"), 2008)
    assert [r.amount for r in rows] == [Decimal("200.00")] * 3 + [Decimal("400.00")]


def test_run_for_year_without_members_refused(secretariat: Any) -> None:
    arena: Any = h.ArenaFactory(short_name="n-k", host_municipality=h.municipality("3905", Y2026))
    h.equal_budget(arena, 2026, "500000.00")
    with pytest.raises(ValidationError, match="n-k har ingen medlemmer i 2026"):
        create_run(arena, 2026, actor=secretariat)
    assert not InvoiceRun.objects.exists()


def test_run_without_budget_refused(current_arena: Any, secretariat: Any) -> None:
    with pytest.raises(ValidationError, match="ikke noe budsjett"):
        create_run(current_arena, 2026, actor=secretariat)


def test_approve_twice_refused(current_arena: Any, secretariat: Any) -> None:
    run = run_2026(current_arena, secretariat)
    h.ready(run)
    approve_run(run, expected_version=run.version, actor=secretariat)
    version = run.version
    h.ready(run)
    with pytest.raises(ValidationError, match="allerede godkjent"):
        approve_run(run, expected_version=run.version, actor=secretariat)
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.APPROVED
    assert run.version == version


def test_issue_needs_approval(current_arena: Any, secretariat: Any) -> None:
    run = run_2026(current_arena, secretariat)
    with pytest.raises(ValidationError, match="godkjennes"):
        issue_run(run, expected_version=None, actor=secretariat)


def test_run_invoices_validate_as_ehf_and_issue(current_arena: Any, secretariat: Any) -> None:
    run = run_2026(current_arena, secretariat)
    invoices = list(run.invoices.all())
    # the host (3905) is not invoiced
    assert [i.buyer.number for i in invoices] == [n for n in VESTFOLD_NOW if n != "3905"]
    assert all(i.total == Decimal("100000.00") for i in invoices)
    assert all(is_valid_kid(i.kid) for i in invoices)
    assert len({i.kid for i in invoices}) == 3
    assert run.seller.number == "3905"
    for invoice in invoices:
        assert validate_ehf(render_ehf(invoice)) == []
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    issue_run(run, expected_version=None, actor=secretariat)
    assert run.status == InvoiceRun.Status.ISSUED
    assert not run.invoices.filter(issued_at__isnull=True).exists()


def test_issue_refused_when_ehf_invalid(current_arena: Any, secretariat: Any) -> None:
    run = run_2026(current_arena, secretariat)
    Invoice.objects.filter(run=run, buyer__number="3909").update(buyer_organisation_number="")
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    with pytest.raises(ValidationError, match="Larvik mangler organisasjonsnummer"):
        issue_run(run, expected_version=None, actor=secretariat)
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.APPROVED


def test_issued_invoices_are_immutable(current_arena: Any, secretariat: Any) -> None:
    run = run_2026(current_arena, secretariat)
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    issue_run(run, expected_version=None, actor=secretariat)
    invoice = run.invoices.first()
    assert invoice is not None
    invoice.total = Decimal("1.00")
    with pytest.raises(ImmutableInvoice):
        invoice.save()
    with pytest.raises(ImmutableInvoice):
        invoice.delete()
    with pytest.raises(ImmutableInvoice):
        Invoice.objects.filter(run=run).delete()
    line = invoice.lines.first()
    assert line is not None
    line.amount = Decimal("2.00")
    with pytest.raises(ImmutableInvoice):
        line.save()
    with pytest.raises(ValidationError):
        refresh_run(run, actor=secretariat)
    with pytest.raises(ValidationError):
        delete_run(run, actor=secretariat)
    invoice.refresh_from_db()
    assert invoice.total == Decimal("100000.00")
    # The correction is a credit note, itself valid EHF.
    note = credit_invoice(invoice, "Feil beløp", actor=secretariat)
    assert note.is_credit_note
    assert note.credited == invoice
    assert note.issued_at is not None
    assert ehf_problems(note) == []
    assert note.number == f"{invoice.number}-K"
    assert note.total == invoice.total
    # credited in full (the default): nothing is left for another note
    with pytest.raises(ValidationError, match="allerede kreditert i sin helhet"):
        credit_invoice(invoice, "igjen", actor=secretariat)
    totals = {t.municipality.number: t.amount for t in run_totals(run)}
    assert totals[invoice.buyer.number] == Decimal("0.00")


def test_successor_billing(current_arena: Any, secretariat: Any) -> None:
    """A 2026 run: a project whose participants are Nøtterøy-era records bills Færder, once
    (issue 17: from the merger Færder is one participant, not two shares)."""
    project = h.project(current_arena, "P1", ["0722", "0723", "0701"], date(2008, 3, 1))
    key = h.key(current_arena, 100, 0)
    budget = h.budget(current_arena, 2026, None, key)
    h.project_line(budget, project, "90000.00", key)
    run = create_run(current_arena, 2026, actor=secretariat, issue_date=date(2026, 2, 1))
    invoices = {i.buyer.number: i for i in run.invoices.all()}
    assert set(invoices) == {"3901", "3911"}
    faerder = invoices["3911"]
    assert [line.share_of.number for line in faerder.lines.all()] == ["3911"]
    assert faerder.total == invoices["3901"].total == Decimal("45000.00")
    assert faerder.buyer_organisation_number
    assert ehf_problems(faerder) == []
    # Horten 0701 only changed number (now 3901): no note names a change
    horten = invoices["3901"]
    assert [line.note for line in horten.lines.all()] == [""]


def test_only_draft_can_be_refreshed_and_refresh_follows_budget(
    current_arena: Any, secretariat: Any
) -> None:
    run = run_2026(current_arena, secretariat)
    BudgetLine.objects.filter(budget__arena=current_arena).update(amount=Decimal("800000.00"))
    refresh_run(run, actor=secretariat)
    assert sum(i.total for i in run.invoices.all()) == Decimal("600000.00")
    assert InvoiceLine.objects.filter(invoice__run=run).count() == 3
    # the host's own share is made again too (not twice)
    assert run_summary(run).total == Decimal("800000.00")
    assert run.host_share_lines.count() == 1


def test_payments_and_costs_from_issued_run(
    current_arena: Any, secretariat: Any, larvik: Municipality
) -> None:
    run = run_2026(current_arena, secretariat)
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    issue_run(run, expected_version=None, actor=secretariat)
    Budget.objects.filter(arena=current_arena).update(note="endret")
    BudgetLine.objects.filter(budget__arena=current_arena).update(amount=Decimal("1.00"))
    rows = municipality_payments(larvik)
    assert [(r.arena_id, r.year, r.amount) for r in rows] == [
        (current_arena.pk, 2026, Decimal("100000.00"))
    ]
    costs = arena_costs(current_arena, 2025, 2027)
    assert len(costs) == 4
    assert all(c.administration == Decimal("100000.00") for c in costs)
    assert all(c.projects == Decimal("0.00") for c in costs)


def test_payments_from_budget_when_not_invoiced(current_arena: Any, larvik: Municipality) -> None:
    h.equal_budget(current_arena, 2027, "40000.00")
    rows = municipality_payments(larvik)
    assert [(r.year, r.amount) for r in rows] == [(2027, Decimal("10000.00"))]


def test_visibility_of_runs(current_arena: Any, secretariat: Any, public: Any, reader: Any) -> None:
    run = run_2026(current_arena, secretariat)
    assert not runs_visible_to(public).exists()
    assert runs_visible_to(reader).filter(pk=run.pk).exists()
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    issue_run(run, expected_version=None, actor=secretariat)
    assert runs_visible_to(public).filter(pk=run.pk).exists()
    assert invoices_visible_to(public).count() == 3  # the host is not invoiced


def test_delete_budget_with_its_lines(
    current_arena: Any, secretariat: Any, coordinator: Any
) -> None:
    key = h.key(current_arena, 100, 0)
    budget = h.budget(current_arena, 2026, "1000.00", key)
    BudgetLine.objects.create(
        budget=budget, kind=BudgetLine.Kind.BASE, description="Drift", amount=Decimal(5), key=key
    )
    other_year = h.budget(current_arena, 2027, "1000.00", key)
    with pytest.raises(PermissionDenied):
        delete_budget(budget, expected_version=1, actor=coordinator)
    with pytest.raises(VersionConflict):
        delete_budget(budget, expected_version=5, actor=secretariat)
    assert Budget.objects.count() == 2
    assert BudgetLine.objects.count() == 3
    line_ids = {str(pk) for pk in budget.lines.values_list("pk", flat=True)}
    budget_id = str(budget.pk)
    delete_budget(budget, expected_version=1, actor=secretariat)
    assert list(Budget.objects.all()) == [other_year]
    assert BudgetLine.objects.get().budget_id == other_year.pk
    assert AllocationKey.objects.filter(pk=key.pk).exists()
    deleted = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, channel=Channel.PAGE)
    assert set(deleted.values_list("object_id", flat=True)) == line_ids | {budget_id}
    assert all(entry.actor_id == secretariat.pk for entry in deleted)


def test_delete_budget_refused_while_a_run_uses_it_or_once_invoiced(
    current_arena: Any, secretariat: Any
) -> None:
    run = run_2026(current_arena, secretariat)
    budget = Budget.objects.get(year=2026)
    with pytest.raises(ValidationError, match="utkast"):
        delete_budget(budget, actor=secretariat)
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat)
    issue_run(run, expected_version=None, actor=secretariat)
    with pytest.raises(ValidationError, match="2026 er fakturert"):
        delete_budget(budget, expected_version=budget.version, actor=secretariat)
    assert Budget.objects.filter(pk=budget.pk).exists()
    assert budget.lines.count() == 1
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()
    # another year of the same arena is still open
    later = h.budget(current_arena, 2027, None, AllocationKey.objects.get())
    delete_budget(later, actor=secretariat)
    assert not Budget.objects.filter(pk=later.pk).exists()
