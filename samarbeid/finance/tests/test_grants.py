"""Grants and external funding on budget lines (issue 24, point 1): what the members share
is the line's cost less its external funding, exact to the øre, on the budget page, the
invoices (and their EHF documents) and the API; a line's grants may not exceed its cost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import api_call, bearer, problem_of
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import Budget, BudgetLine, Grant
from samarbeid.finance.outputs import ehf_problems, render_ehf
from samarbeid.finance.planning import plan
from samarbeid.finance.tests import helpers as h
from samarbeid.lib.allocation import Participant, Weights, basis

pytestmark = pytest.mark.django_db
JSON = "application/json"
Y2026 = date(2026, 1, 1)
MEMBERS = ["3901", "3905", "3909", "3911"]  # Horten, Tønsberg, Larvik, Færder


@pytest.fixture
def arena() -> Any:
    return h.arena(MEMBERS, Y2026, host="3905", short_name="12K")


@pytest.fixture
def line(arena: Any) -> BudgetLine:
    """A project line of 1 000 000 kr split equally over the four members."""
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, None, key)
    project = h.project(arena, "P-1", MEMBERS, Y2026)
    return h.project_line(budget, project, "1000000.00", key)


grant = h.grant


FORM = {
    "grantor_kind": "county_governor",
    "grantor_name": "Statsforvalteren i Vestfold og Telemark",
    "purpose": "Forprosjekt felles IKT",
    "applied_on": "2026-01-15",
    "amount_applied": "400 000",
    "status": "granted",
    "decided_on": "2026-03-01",
    "amount_granted": "400 000",
    "conditions": "Rapport innen 1. desember",
    "report_due": "2026-12-01",
    "reported_on": "",
    "amount_received": "300 000",
}


def shares(line: BudgetLine) -> list[Decimal]:
    _planner, charges = plan([line.budget])
    return [c.amount for c in charges if c.line_id == line.pk]


# The split --------------------------------------------------------------------------------------


def test_the_members_share_the_cost_less_what_is_received(line: BudgetLine) -> None:
    assert sum(shares(line)) == Decimal("1000000.00")
    grant(
        line,
        status=Grant.Status.GRANTED,
        decided_on=date(2026, 3, 1),
        amount_granted=Decimal("400000.00"),
        amount_received=Decimal("300000.00"),
    )
    assert shares(line) == [Decimal("175000.00")] * 4  # (1 000 000 − 300 000) / 4


def test_a_budget_may_count_what_is_granted(line: BudgetLine) -> None:
    grant(
        line,
        status=Grant.Status.GRANTED,
        decided_on=date(2026, 3, 1),
        amount_granted=Decimal("400000.00"),
    )
    assert sum(shares(line)) == Decimal("1000000.00")  # nothing received yet
    Budget.objects.filter(pk=line.budget_id).update(external_basis="granted")
    line.budget.refresh_from_db()
    assert shares(line) == [Decimal("150000.00")] * 4


def test_a_refused_grant_funds_nothing(line: BudgetLine) -> None:
    Budget.objects.filter(pk=line.budget_id).update(external_basis="granted")
    line.budget.refresh_from_db()
    grant(line, status=Grant.Status.REFUSED, decided_on=date(2026, 3, 1))
    assert sum(shares(line)) == Decimal("1000000.00")


@settings(max_examples=60, deadline=None)
@given(
    cost=st.integers(min_value=0, max_value=10**11),
    parts=st.lists(st.integers(min_value=0, max_value=10**6), min_size=0, max_size=4),
    people=st.integers(min_value=1, max_value=7),
)
def test_gross_less_external_is_the_sum_of_the_shares(
    cost: int, parts: list[int], people: int
) -> None:
    """For any line cost (in øre) and grants that together do not exceed it, the members'
    shares add up to the cost less the grants, to the øre (lib.allocation's split)."""
    from samarbeid.finance.external import net

    gross = Decimal(cost) / 100
    total = sum(parts) or 1
    grants = [Decimal(cost * p // total) / 100 for p in parts]  # ≤ cost together
    external = sum(grants, Decimal("0.00"))
    assert external <= gross
    participants = [Participant(f"{i:04d}", population=1000 + i) for i in range(people)]
    weights = Weights(equal=Decimal(50), per_capita=Decimal(50))
    split = basis(weights, participants).split(net(gross, external))
    assert sum((s.amount for s in split), Decimal("0.00")) == gross - external


# The invoice ----------------------------------------------------------------------------------


def test_the_invoice_line_shows_gross_external_and_the_net_share(
    line: BudgetLine, secretariat: Any
) -> None:
    grant(line, amount_received=Decimal("300000.00"))
    run = create_run(line.budget.arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    invoice = run.invoices.order_by("number").first()
    assert invoice is not None
    invoice_line = invoice.lines.get()
    assert invoice_line.amount == Decimal("175000.00")
    assert (invoice_line.gross, invoice_line.external) == (
        Decimal("1000000.00"),
        Decimal("300000.00"),
    )
    assert "Brutto kostnad 1 000 000,00 kr, eksterne midler 300 000,00 kr" in (
        invoice_line.full_note.replace("\xa0", " ")
    )
    xml = render_ehf(invoice).decode().replace("\xa0", " ")
    assert '<cbc:LineExtensionAmount currencyID="NOK">175000.00<' in xml
    assert "eksterne midler 300 000,00 kr" in xml
    assert ehf_problems(invoice) == []
    host = run.host_share_lines.get()
    assert (host.amount, host.external) == (Decimal("175000.00"), Decimal("300000.00"))


def test_a_line_without_grants_is_invoiced_as_before(line: BudgetLine, secretariat: Any) -> None:
    run = create_run(line.budget.arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    invoice_line = run.invoices.order_by("number").first().lines.get()  # type: ignore[union-attr]
    assert (invoice_line.amount, invoice_line.gross, invoice_line.external) == (
        Decimal("250000.00"),
        None,
        None,
    )
    assert invoice_line.full_note == ""


# The pages ---------------------------------------------------------------------------------------


def test_the_secretariat_records_a_grant_on_the_page(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    client.force_login(secretariat)
    response = client.post(reverse("finance:grant_create", args=[line.pk]), FORM)
    assert response.status_code == 302
    saved = Grant.objects.get()
    assert (saved.amount_granted, saved.amount_received) == (
        Decimal("400000.00"),
        Decimal("300000.00"),
    )
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Grant),
        object_id=str(saved.pk),
        action=AuditEntry.Action.CREATE,
    ).exists()
    page = client.get(line.budget.get_absolute_url()).content.decode().replace("\xa0", " ")
    assert "Statsforvalteren i Vestfold og Telemark" in page
    assert "700 000,00" in page  # to be split: 1 000 000 − 300 000


def test_a_grant_above_the_line_cost_is_refused_on_its_field(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    grant(line, amount_received=Decimal("900000.00"))
    client.force_login(secretariat)
    response = client.post(
        reverse("finance:grant_create", args=[line.pk]),
        {**FORM, "amount_received": "200 000"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "amount_received" in errors
    assert "mer enn linjens kostnad" in errors["amount_received"][0]
    assert Grant.objects.count() == 1


def test_a_line_cannot_cost_less_than_its_grants(line: BudgetLine, secretariat: Any) -> None:
    from django.core.exceptions import ValidationError

    from samarbeid.finance.budgets import update_line

    grant(line, amount_received=Decimal("600000.00"))
    with pytest.raises(ValidationError) as caught:
        update_line(
            line, {"amount": Decimal("500000.00")}, expected_version=line.version, actor=secretariat
        )
    assert "amount" in caught.value.message_dict


def test_a_reader_sees_the_grants_but_may_not_add_one(
    client: Client, reader: Any, line: BudgetLine
) -> None:
    grant(line)
    client.force_login(reader)
    assert client.get(reverse("finance:grant_create", args=[line.pk])).status_code == 403
    assert client.get(line.budget.get_absolute_url()).status_code == 200


def test_deleting_a_line_deletes_its_grants_audited(line: BudgetLine, secretariat: Any) -> None:
    from samarbeid.finance.budgets import delete_line

    found = grant(line)
    delete_line(line, expected_version=line.version, actor=secretariat)
    assert not Grant.objects.exists()
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Grant),
        object_id=str(found.pk),
        action=AuditEntry.Action.DELETE,
    ).exists()


def test_the_budget_page_reads_grants_in_a_constant_number_of_queries(
    client: Client, secretariat: Any, line: BudgetLine, django_assert_max_num_queries: Any
) -> None:
    from django.core.cache import cache

    client.force_login(secretariat)
    cache.clear()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(line.budget.get_absolute_url())
    for _ in range(5):
        grant(line, amount_received=Decimal("1000.00"))
    cache.clear()
    with CaptureQueriesContext(connection) as six:
        client.get(line.budget.get_absolute_url())
    assert len(six) == len(one)


# The API -----------------------------------------------------------------------------------------


def api_body(line: BudgetLine) -> dict[str, Any]:
    return {
        "line": line.pk,
        "grantor_kind": "county_governor",
        "grantor_name": "Statsforvalteren i Vestfold og Telemark",
        "purpose": "Forprosjekt",
        "applied_on": "2026-01-15",
        "amount_applied": "400000.00",
        "status": "granted",
        "decided_on": "2026-03-01",
        "amount_granted": "400000.00",
        "report_due": "2026-12-01",
    }


def test_the_api_records_changes_and_deletes_a_grant(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    headers = bearer(secretariat)
    made = api_call(client, "POST", "/api/v1/finance/grants", api_body(line), headers=headers)
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["amount_granted"], body["amount_received"], body["arena"]) == (
        "400000.00",
        None,
        line.budget.arena_id,
    )
    url = f"/api/v1/finance/grants/{body['id']}"
    changed = api_call(
        client,
        "PATCH",
        url,
        {"version": body["version"], "amount_received": "400000.00", "reported_on": "2026-03-10"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["amount_received"] == "400000.00"
    assert shares(line) == [Decimal("150000.00")] * 4
    listed = client.get(f"/api/v1/finance/grants?arena={line.budget.arena_id}").json()
    assert [g["id"] for g in listed["items"]] == [body["id"]]
    budget = client.get(f"/api/v1/finance/budgets/{line.budget_id}").json()
    assert budget["external_basis"] == "received"
    stale = api_call(client, "DELETE", f"{url}?version=1", headers=headers)
    problem_of(stale, 409)
    assert api_call(client, "DELETE", url, headers=headers).status_code == 422  # no version
    version = Grant.objects.get().version
    assert (
        api_call(client, "DELETE", f"{url}?version={version}", headers=headers).status_code == 204
    )
    assert not Grant.objects.exists()
    assert (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Grant), channel=Channel.API
        ).count()
        == 3
    )


def test_the_api_refuses_a_grant_above_the_cost_as_the_page_does(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    body = {**api_body(line), "amount_granted": "1000000.01"}
    answer = api_call(client, "POST", "/api/v1/finance/grants", body, headers=bearer(secretariat))
    problem = problem_of(answer, 422)
    assert [e["loc"] for e in problem["errors"]] == [["amount_granted"]]
    assert not Grant.objects.exists()


def test_the_api_answers_404_to_the_public_and_403_to_a_coordinator(
    client: Client, coordinator: Any, line: BudgetLine
) -> None:
    found = grant(line)
    answer = api_call(
        client,
        "PATCH",
        f"/api/v1/finance/grants/{found.pk}",
        {"version": found.version, "purpose": "x"},
        headers=bearer(coordinator),
    )
    problem_of(answer, 403)
    assert client.get("/api/v1/finance/grants/999999").status_code == 404


@pytest.mark.parametrize(
    ("status", "granted", "received", "says"),
    [
        ("refused", "", "10 000", "kan ikke være mottatt"),
        ("applied", "", "10 000", "kan ikke være mottatt"),
        ("granted", "20 000", "40 000", "Mottatt kan ikke være mer enn innvilget (20 000,00 kr)"),
    ],
)
def test_money_is_received_only_on_a_grant_and_not_more_than_granted(
    client: Client, secretariat: Any, line: BudgetLine, status: str, granted: str, received: str,
    says: str,
) -> None:  # fmt: skip
    client.force_login(secretariat)
    form = FORM | {"status": status, "amount_granted": granted, "amount_received": received}
    if status != "granted":
        form["decided_on"] = "" if status == "applied" else form["decided_on"]
    response = client.post(reverse("finance:grant_create", args=[line.pk]), form)
    errors = response.context["form"].errors
    assert says in errors["amount_received"][0].replace("\xa0", " ")
    assert not Grant.objects.exists()
    assert shares(line) == [Decimal("250000.00")] * 4  # nothing taken off the split
