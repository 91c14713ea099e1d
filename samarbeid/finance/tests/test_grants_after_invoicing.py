"""Once a year is invoiced, what its grants take off the split is as invoiced (the clerk's
trial: a grant changed after the run was issued left invoices and accounts apart). The
follow-up (report, conditions) stays open; the amount counted, a new counting grant and
deleting a counted one are refused on the page and in the API, as a budget change is."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import api_call, bearer, login, problem_of
from samarbeid.finance.models import BudgetLine, Grant, InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_grants import FORM, arena, grant, line
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db
__all__ = ["arena", "line"]  # the fixtures of test_grants: the 12K arena and its project line
FORM_DATE = date(2026, 3, 1)


@pytest.fixture
def invoiced(line: BudgetLine, larvik: Municipality) -> Grant:
    """A grant of 300 000 received on the line, and the year's run issued."""
    made = h.received_grant(line, "400000.00", "300000.00", FORM_DATE)
    h.invoiced(line, larvik, FORM_DATE, FORM_DATE)
    return made


def _form(**changes: str) -> dict[str, str]:
    return {**FORM, **changes}


def test_the_amount_counted_cannot_change_after_invoicing_but_the_follow_up_can(
    client: Client, secretariat: Any, invoiced: Grant
) -> None:
    login(client, secretariat)
    url = reverse("finance:grant_edit", args=[invoiced.pk])
    # the follow-up form shows the counted amount read-only: a posted change is not read
    # (the service's refusal stays: test_the_api_refuses_the_same)
    ignored = client.post(url, _form(amount_received="250 000", version=str(invoiced.version)))
    assert ignored.status_code == 302
    invoiced.refresh_from_db()
    assert invoiced.amount_received == Decimal("300000.00")

    reported = client.post(
        url,
        _form(
            amount_received="300 000",
            reported_on="2026-11-20",
            conditions="Rapport levert",
            version=str(invoiced.version),
        ),
    )
    assert reported.status_code == 302, reported.content.decode()[-800:]
    invoiced.refresh_from_db()
    assert invoiced.reported_on is not None


def test_a_new_counting_grant_and_deleting_a_counted_one_are_refused_after_invoicing(
    client: Client, secretariat: Any, invoiced: Grant, line: BudgetLine
) -> None:
    login(client, secretariat)
    refused = client.post(reverse("finance:grant_create", args=[line.pk]), _form())
    assert refused.status_code == 200
    assert "er fakturert" in refused.content.decode()
    assert Grant.objects.count() == 1
    gone = client.post(
        reverse("finance:grant_delete", args=[invoiced.pk]), {"version": invoiced.version}
    )
    assert Grant.objects.filter(pk=invoiced.pk).exists()
    assert gone.status_code in (200, 302)


def test_the_api_refuses_the_same(secretariat: Any, invoiced: Grant, client: Client) -> None:
    headers = bearer(secretariat)
    response = api_call(
        client,
        "PATCH",
        f"/api/v1/finance/grants/{invoiced.pk}",
        {"amount_received": "250000.00", "version": invoiced.version},
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    )
    problem = problem_of(response, 422)
    assert "er fakturert" in json.dumps(problem, ensure_ascii=False)
    invoiced.refresh_from_db()
    assert invoiced.amount_received == Decimal("300000.00")


def test_a_draft_made_before_a_grant_changed_must_be_refreshed_before_approval(
    line: BudgetLine, secretariat: Any, client: Client
) -> None:
    """A clerk's trial: a draft run made before a grant changed still billed the old split
    and 'Godkjenn' approved it. The run now says it no longer matches the budget, approval
    is refused, and refreshing the draft clears it."""
    from samarbeid.finance.invoicing import create_run
    from samarbeid.finance.run_steps import approval_problems, approve_run, refresh_run

    run = create_run(line.budget.arena, 2026, actor=secretariat, issue_date=date(2026, 3, 2))
    before = approval_problems(run)
    assert "stale" not in before
    grant(line, amount_received=Decimal("300000.00"))
    assert "stemmer ikke lenger med budsjettet" in str(approval_problems(run)["stale"])
    login(client, secretariat)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "stemmer ikke lenger med budsjettet" in page
    with pytest.raises(ValidationError) as refused:
        approve_run(run, expected_version=run.version, actor=secretariat)
    assert "stemmer ikke lenger med budsjettet" in str(refused.value)
    run.refresh_from_db()
    assert run.status == InvoiceRun.Status.DRAFT

    refresh_run(run, expected_version=run.version, actor=secretariat)
    run.refresh_from_db()
    assert "stale" not in approval_problems(run)
    assert run.invoices.order_by("number").first().lines.get().amount == Decimal("175000.00")  # type: ignore[union-attr]
