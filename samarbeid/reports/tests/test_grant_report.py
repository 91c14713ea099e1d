"""Grant follow-up (issue 24, point 2): a report due within 30 days or overdue, not yet
sent, is flagged to the arena's secretariat on its finance page and the first page; the
grant report (page, PDF, Excel) shows the purpose, the decision, what was spent and the
project's results."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from samarbeid.arenas.models import Arena
from samarbeid.finance.models import BudgetLine, Grant
from samarbeid.finance.tests import helpers as h
from samarbeid.strategy.models import Result

pytestmark = pytest.mark.django_db
Y2026 = date(2026, 1, 1)


@pytest.fixture
def line() -> BudgetLine:
    arena = h.arena(["3901", "3909"], Y2026, host="3901", short_name="12K")
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, None, key)
    project = h.project(arena, "P-7", ["3901", "3909"], Y2026)
    return h.project_line(budget, project, "800000.00", key)


def granted(line: BudgetLine, due: date, **fields: Any) -> Grant:
    return h.grant(
        line,
        purpose="Felles velferdsteknologi",
        applied_on=date(2026, 1, 10),
        status=Grant.Status.GRANTED,
        decided_on=date(2026, 2, 20),
        amount_granted=Decimal("300000.00"),
        conditions="Sluttrapport med regnskap innen fristen",
        report_due=due,
        **fields,
    )


def test_a_report_due_soon_is_flagged_on_the_arena_finance_page(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    today = timezone.localdate()
    granted(line, today + timedelta(days=20))
    later = granted(line, today + timedelta(days=60))
    client.force_login(secretariat)
    page = client.get(reverse("finance:arena", args=[line.budget.arena_id])).content.decode()
    assert "Tilskudd som skal rapporteres" in page
    assert page.count("Statsforvalteren i Vestfold og Telemark:") == 1  # not the one in 60 days
    assert "snart" in page
    assert later.get_absolute_url() not in page


def test_an_overdue_report_is_flagged_as_such_and_a_sent_one_not(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    today = timezone.localdate()
    granted(line, today - timedelta(days=3))
    granted(line, today - timedelta(days=30), reported_on=today - timedelta(days=31))
    client.force_login(secretariat)
    page = client.get(reverse("finance:arena", args=[line.budget.arena_id])).content.decode()
    assert page.count("Statsforvalteren i Vestfold og Telemark:") == 1
    assert "forfalt" in page


def test_a_reader_is_not_asked_to_report(client: Client, reader: Any, line: BudgetLine) -> None:
    granted(line, timezone.localdate() + timedelta(days=5))
    client.force_login(reader)
    page = client.get(reverse("finance:arena", args=[line.budget.arena_id])).content.decode()
    assert "Tilskudd som skal rapporteres" not in page


def test_the_first_page_lists_the_report_for_the_secretariat(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    cache.clear()
    grant = granted(line, timezone.localdate() - timedelta(days=1))
    client.force_login(secretariat)
    page = client.get("/").content.decode()
    assert "Tilskudd som skal rapporteres" in page
    assert grant.get_absolute_url() in page


def test_the_grant_report_shows_purpose_decision_spending_and_results(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    grant = granted(line, date(2026, 12, 1), amount_received=Decimal("300000.00"))
    BudgetLine.objects.filter(pk=line.pk).update(actual=Decimal("780000.00"))
    Result.objects.create(
        project=line.project,
        kind=Result.Kind.PROFESSIONAL,
        title="Digitalt tilsyn i 40 hjem",
        recorded_on=date(2026, 6, 1),
    )
    client.force_login(secretariat)
    page = client.get(grant.get_absolute_url()).content.decode().replace("\xa0", " ")
    for text in (
        "Felles velferdsteknologi",
        "Sluttrapport med regnskap innen fristen",
        "300 000,00",
        "780 000,00",
        "regnskap",
        "Digitalt tilsyn i 40 hjem",
        "01.12.2026",
    ):
        assert text in page, text
    pdf = client.get(reverse("reports:grant_as", args=[grant.pk, "pdf"]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("reports:grant_as", args=[grant.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    values = [c.value for row in book["Tilskudd"].iter_rows() for c in row]
    assert "Sluttrapport med regnskap innen fristen" in values
    assert Decimal("780000.00") == Decimal(
        str(values[values.index("Brukt på linjen (regnskap)") + 1])
    )
    assert book["Resultater"]["A2"].value == "Digitalt tilsyn i 40 hjem"


def test_the_public_gets_404_for_a_grant_of_an_unpublished_arena(
    client: Client, line: BudgetLine
) -> None:
    Arena.objects.filter(pk=line.budget.arena_id).update(published=False)
    grant = granted(line, date(2026, 12, 1))
    assert client.get(grant.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:grant_as", args=[grant.pk, "doc"])).status_code == 404


def test_the_first_page_says_a_report_is_due_soon_and_what_the_date_is(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    """A clerk's trial: the first page listed "– 15.12.2026" with no word of what the date
    was, while the arena's finance page says "snart"."""
    cache.clear()
    soon = granted(line, timezone.localdate() + timedelta(days=11))
    late = granted(line, timezone.localdate() - timedelta(days=2))
    client.force_login(secretariat)
    page = client.get("/").content.decode()
    section = page[page.index('id="next-grant-reports"') :]
    rows = section.split("<li>")[1:3]
    soon_row = next(r for r in rows if soon.get_absolute_url() in r)
    late_row = next(r for r in rows if late.get_absolute_url() in r)
    assert f"rapportfrist {soon.report_due:%d.%m.%Y}" in soon_row
    assert '<span class="ds-tag" data-color="info">snart</span>' in soon_row
    assert "snart" not in late_row
    assert '<span class="ds-tag" data-color="warning">forfalt</span>' in late_row


def test_the_grant_report_excel_names_the_arena_and_the_budget_year(
    client: Client, secretariat: Any, line: BudgetLine
) -> None:
    """A clerk's trial (trial A): the page and the PDF named them, the Excel did not."""
    grant = granted(line, date(2026, 12, 1))
    client.force_login(secretariat)
    xlsx = client.get(reverse("reports:grant_as", args=[grant.pk, "xlsx"]))
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(xlsx.content))["Tilskudd"]]
    by_field = {row[0]: row[1] for row in rows}
    assert by_field["Arena"] == line.budget.arena.name
    assert str(by_field["Budsjettår"]) == "2026"
