"""What a municipality pays (finance.municipality_payments and its page), the
invoice run's queries, and the bulk planner they rest on: the same results as splitting each
budget on its own, with a number of queries that does not grow with the data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samarbeid.audit.models import AuditEntry
from samarbeid.finance.corrections import credit_invoice
from samarbeid.finance.figures import municipality_payments
from samarbeid.finance.invoicing import create_runs
from samarbeid.finance.models import AllocationKey, Budget, InvoiceRun
from samarbeid.finance.planning import Planner, plan
from samarbeid.finance.run_steps import approve_run, issue_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026
from samarbeid.lib.kid import make_kid
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def _issue(run: InvoiceRun, actor: Any) -> InvoiceRun:
    h.ready(run)
    approve_run(run, expected_version=None, actor=actor)
    issue_run(run, expected_version=None, actor=actor)
    return run


def _old_payments(municipality: Municipality) -> list[tuple[int, int, Decimal, bool]]:
    """The definition the service keeps: each budget split on its own with plan([budget])
    (skipped when it cannot be split), invoices netted in Python."""
    issued = set(
        InvoiceRun.objects.filter(status=InvoiceRun.Status.ISSUED).values_list("arena_id", "year")
    )
    totals: dict[tuple[int, int], Decimal] = {}
    for run in InvoiceRun.objects.filter(status=InvoiceRun.Status.ISSUED):
        for invoice in run.invoices.filter(buyer=municipality, issued_at__isnull=False):
            key = (run.arena_id, run.year)
            totals[key] = totals.get(key, Decimal("0.00")) + invoice.signed_total
    for budget in Budget.objects.all():
        if (budget.arena_id, budget.year) in issued:
            continue
        try:
            _planner, charges = plan([budget])
        except ValidationError:
            continue
        for charge in charges:
            if charge.payer_id == municipality.pk:
                key = (charge.arena_id, charge.year)
                totals[key] = totals.get(key, Decimal("0.00")) + charge.amount
    return sorted(
        ((a, y, amount, (a, y) in issued) for (a, y), amount in totals.items()),
        key=lambda row: (-row[1], row[0]),
    )


def _payments(municipality: Municipality) -> list[tuple[int, int, Decimal, bool]]:
    rows = municipality_payments(municipality)
    return sorted(
        ((r.arena_id, r.year, r.amount, r.invoiced) for r in rows),
        key=lambda row: (-row[1], row[0]),
    )


def _grow(actor: Any, index: int) -> None:
    """Another arena with Larvik: budgets over four years (base and project lines, one of
    them with participants from before the 2018 merger, billed to the successor), one
    issued run with a credited invoice, and a budget that cannot be split."""
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name=f"A{index}")
    per_capita = h.key(arena, 50, 50)
    equal = h.key(arena, 100, 0, name="Likt")
    for year in (2025, 2027, 2028):
        budget = h.budget(arena, year, "120000.00", equal)
        # 0709 Larvik and 0728 Lardal (2010) are billed to 3909 Larvik, 0706 to Sandefjord.
        project = h.project(arena, f"P{year}", ["0706", "0709", "0728"], date(2010, 1, 1))
        h.project_line(budget, project, "30000.01", equal)
    run = _issue(run_2026(arena, actor), actor)
    credit_invoice(run.invoices.get(buyer__number="3909"), "Feil", actor=actor)
    broken = h.budget(arena, 2029, "5000.00", per_capita)  # no 2028 population figures
    assert broken.lines.exists()


def _budgeted_arenas(count: int, year: int) -> list[Any]:
    """`count` Vestfold arenas (3905 hosting), each with a budget for `year` of one base line
    of 1 000,00 under an equal key: what a national run goes over."""
    made = []
    for _ in range(count):
        arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
        h.equal_budget(arena, year, "1000.00")
        made.append(arena)
    return made


def test_payments_equal_splitting_each_budget_alone(secretariat: Any) -> None:
    larvik = h.municipality("3909", Y2026)
    for index in range(2):
        _grow(secretariat, index)
    rows = _payments(larvik)
    assert rows == _old_payments(larvik)
    years = {year for _a, year, _amount, _invoiced in rows}
    # 2025 (before the members joined) and 2029 (no population figures) cannot be split.
    assert years == {2026, 2027, 2028}
    credited = [r for r in rows if r[1] == 2026]
    assert all(amount == Decimal("0.00") and invoiced for _a, _y, amount, invoiced in credited)
    # The successor pays the shares of its predecessors 0709 Larvik and 0728 Lardal.
    planned = [r for r in rows if r[1] == 2027]
    assert planned
    assert all(r[2] > Decimal("30000.00") for r in planned)
    assert not any(invoiced for _a, y, _amount, invoiced in rows if y != 2026)


def test_a_share_recorded_for_a_grand_predecessor_reaches_the_successor(
    secretariat: Any,
) -> None:
    """Nøtterøy (0722) became Færder (0729) in 2018, 3811 in 2020 and 3911 in 2024. A project
    participation still recorded under Nøtterøy, in an arena Færder is not a member of, is
    billed to 3911 today: its page must find that arena two renumberings back."""
    arena = h.arena(["3909"], Y2026, short_name="BARE-LARVIK")
    equal = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, None, equal)
    project = h.project(arena, "P-NOTTEROY", ["0709", "0722"], date(2010, 1, 1))
    h.project_line(budget, project, "1000.01", equal)
    faerder = h.municipality("3911", Y2026)
    assert (
        _payments(faerder) == _old_payments(faerder) == [(arena.pk, 2026, Decimal("500.00"), False)]
    )


def test_payments_query_count_does_not_grow(client: Client, secretariat: Any) -> None:
    larvik = h.municipality("3909", Y2026)
    url = reverse("finance:municipality", args=[larvik.code])
    _grow(secretariat, 0)
    client.get(url)
    cache.clear()  # measure the computation, not the cached figures
    with CaptureQueriesContext(connection) as small_service:
        municipality_payments(larvik)
    with CaptureQueriesContext(connection) as small_reused:  # the splits cached
        municipality_payments(larvik)
    assert len(small_reused) < len(small_service)
    cache.clear()
    with CaptureQueriesContext(connection) as small_page:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as cached_page:
        assert client.get(url).status_code == 200
    assert len(cached_page) < len(small_page)
    for index in range(1, 4):
        _grow(secretariat, index)
    cache.clear()
    with CaptureQueriesContext(connection) as large_service:
        assert len(municipality_payments(larvik)) > 8
    with CaptureQueriesContext(connection) as large_reused:
        assert len(municipality_payments(larvik)) > 8
    cache.clear()
    with CaptureQueriesContext(connection) as large_page:
        assert client.get(url).status_code == 200
    assert len(small_service) == len(large_service)
    assert len(small_reused) == len(large_reused)
    assert len(small_page) == len(large_page)


def test_sums_by_budget_leaves_out_only_the_budget_that_fails(secretariat: Any) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    equal = h.key(arena, 100, 0)
    usage = AllocationKey.objects.create(arena=arena, name="Forbruk", usage=Decimal(100))
    good = h.budget(arena, 2026, "1000.00", equal)
    bad = h.budget(arena, 2027, "1000.00", usage)  # no usage recorded
    also_good = h.budget(arena, 2028, "999.99", equal)
    planner = Planner([good, bad, also_good])
    by_budget = planner.sums_by_budget()
    assert set(by_budget) == {good.pk, also_good.pk}
    for budget in (good, also_good):
        summed: dict[int, Decimal] = {}
        for charge in plan([budget])[1]:
            summed[charge.payer_id] = summed.get(charge.payer_id, Decimal(0)) + charge.amount
        assert by_budget[budget.pk] == summed
    larvik = h.municipality("3909", Y2026)
    assert by_budget[good.pk][larvik.pk] == Decimal("250.00")
    assert sum(by_budget[also_good.pk].values()) == Decimal("999.99")
    with pytest.raises(ValidationError, match="Mangler forbruk"):
        planner.charges()


def test_create_runs_queries_do_not_grow_with_the_arenas(secretariat: Any) -> None:
    """A national run's queries are as many for four arenas as for one: the runs' audit
    entries are written together, the invoices and lines with one executemany each, and no
    number or KID asks the database (issue 20)."""
    small, large = _budgeted_arenas(1, 2026), _budgeted_arenas(4, 2027)
    # Warm the caches (content types, the actor's roles) so both counts compare.
    create_runs(_budgeted_arenas(1, 2028), 2028, actor=secretariat, issue_date=date(2028, 2, 1))
    counts = []
    for group, year in ((small, 2026), (large, 2027)):
        with CaptureQueriesContext(connection) as queries:
            create_runs(group, year, actor=secretariat, issue_date=date(year, 2, 1))
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert InvoiceRun.objects.filter(year=2027).count() == 4
    assert AuditEntry.objects.filter(content_type__model="invoicerun").count() == 6


def test_the_rows_a_run_writes_in_bulk_are_whole_records(secretariat: Any) -> None:
    """The invoices, lines and host share lines written without model instances read back as
    records that pass every model check, with the defaults a saved record has, numbered and
    given KIDs by buyer within each run."""
    first = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    h.equal_budget(first, 2026, "1000.00")
    second = h.arena(VESTFOLD_NOW, Y2026, host="3909")
    h.equal_budget(second, 2026, "999.99")
    runs = create_runs([first, second], 2026, actor=secretariat, issue_date=date(2026, 2, 1))
    for run in runs:
        invoices = list(run.invoices.order_by("buyer__code"))
        assert invoices
        for sequence, invoice in enumerate(invoices, start=1):
            invoice.full_clean()
            assert invoice.number == f"2026-{run.pk}-{invoice.buyer.code}"
            assert invoice.kid == make_kid(f"2026{run.pk:06d}{sequence:05d}")
            assert (invoice.kind, invoice.reason, invoice.issued_at) == ("invoice", "", None)
            assert (invoice.credited_id, invoice.replaces_id) == (None, None)
            assert (invoice.issue_date, invoice.due_date) == (date(2026, 2, 1), date(2026, 3, 3))
            lines = list(invoice.lines.all())
            assert [line.position for line in lines] == list(range(1, len(lines) + 1))
            for line in lines:
                line.full_clean()
            assert invoice.total == sum(line.amount for line in lines)
        hosts = list(run.host_share_lines.all())
        assert hosts
        for host in hosts:
            host.full_clean()
            assert host.municipality_id == run.seller_id
        billed = sum(i.total for i in invoices) + sum(host.amount for host in hosts)
        assert billed == run.arena.budgets.get(year=2026).lines.get().amount


def test_create_runs_still_refuses_a_seller_that_does_not_exist(secretariat: Any) -> None:
    [arena] = _budgeted_arenas(1, 2026)
    ghost = Municipality(pk=999999, code="9998x", number="9998", name="Borte")
    with pytest.raises(ValidationError) as caught:
        create_runs([arena], 2026, actor=secretariat, seller=ghost)
    assert "seller" in caught.value.message_dict
    assert not InvoiceRun.objects.exists()


def test_payments_page_shows_the_years_arenas_25_at_a_time(client: Client) -> None:
    larvik = h.municipality("3909", Y2026)
    for index in range(51):
        arena = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name=f"S{index:02}")
        h.equal_budget(arena, 2027, "600.00")
    url = reverse("finance:municipality", args=[larvik.code])
    first = client.get(url).content.decode()
    # the year's sum covers every arena, the table 25 of them a page
    assert "7 650,00" in first.replace("\xa0", " ")  # 51 arenas × 600 kr / 4 members
    assert first.count("<td>budsjettert</td>") == 25
    assert "Side 1 av 3" in first
    assert "page=2#per-arena" in first
    last = client.get(url, {"year": 2027, "page": 3}).content.decode()
    assert last.count("<td>budsjettert</td>") == 1
    assert "150,00" in last
    assert "/okonomi/arena/" in last
    english = client.get(url, {"page": 3, "lang": "en"}).content.decode()
    assert "150.00" in english  # amounts follow the language, cached apart


def test_the_run_tells_its_progress_in_the_singular_for_one_arena(secretariat: Any) -> None:
    """A clerk's trial read «fordeler kostnadene på 1 arenaer»."""

    def said(count: int, year: int) -> list[str]:
        steps: list[str] = []
        create_runs(
            _budgeted_arenas(count, year),
            year,
            actor=secretariat,
            issue_date=date(year, 2, 1),
            progress=lambda step: steps.append(str(step)),  # a phrase, as the task's page reads it
        )
        return steps

    assert "Budsjettet er kontrollert; fordeler kostnadene på 1 arena." in said(1, 2026)
    assert "Budsjettene er kontrollert; fordeler kostnadene på 2 arenaer." in said(2, 2027)
