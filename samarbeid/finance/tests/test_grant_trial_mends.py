"""A clerk's trial of grants (trial A): dates out of order, the follow-up form on an invoiced
budget, and the API's errors in the page's words."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import bearer, problem_of
from samarbeid.finance.models import BudgetLine, Grant
from samarbeid.finance.tests.test_grants import FORM, api_body, arena, call
from samarbeid.finance.tests.test_grants import line as line

pytestmark = pytest.mark.django_db
__all__ = ["arena", "line"]

# 1. Dates out of order ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "says"),
    [
        ("reported_on", "Rapporten kan ikke være levert før vedtaket."),
        ("report_due", "Fristen for rapportering kan ikke være før vedtaket."),
    ],
)
def test_report_dates_before_the_decision_are_refused_on_their_field(
    client: Client, secretariat: Any, line: BudgetLine, field: str, says: str
) -> None:
    client.force_login(secretariat)
    form = FORM | {field: "2026-02-01"}  # decided 2026-03-01
    response = client.post(reverse("finance:grant_create", args=[line.pk]), form)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [says]
    body = api_body(line) | {field: "2026-02-01"}
    answer = call(client, "POST", "/api/v1/finance/grants", body, headers=bearer(secretariat))
    problem = problem_of(answer, 422)
    assert [(e["loc"], e["msg"]) for e in problem["errors"]] == [([field], says)]
    assert not Grant.objects.exists()


def test_report_dates_on_the_decision_day_are_taken(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    client.force_login(secretariat)
    form = FORM | {"reported_on": "2026-03-01", "report_due": "2026-03-01"}
    response = client.post(reverse("finance:grant_create", args=[line.pk]), form)
    assert response.status_code == 302
