from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from samarbeid.strategy.models import Benefit, GoalAssessment, ProjectFocusArea
from samarbeid.strategy.tests.helpers import (
    admin_cost,
    area,
    arena_of,
    goal,
    money,
    on,
    plan,
    project,
)

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _book(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


@pytest.fixture
def arena_with_data() -> Any:
    arena = arena_of(["3909", "3901"], name="Vestfoldsamarbeidet", short_name="VS")
    p = plan(arena, first=2023, last=2026, title="Strategisk plan VS")
    g = goal(p, 1, "Bedre tjenester")
    GoalAssessment.objects.create(
        goal=g, attainment="partly_met", evidence="Evaluering 2024", assessed_on=date(2024, 11, 1)
    )
    ikt = area(p, "Digitalisering")
    a = project(arena, "A", title="Felles arkiv", budget=Decimal("800000.00"))
    project(arena, "B", title="Felles innkjøp", budget=Decimal("200000.00"))
    ProjectFocusArea.objects.create(project=a, focus_area=ikt)
    larvik, horten = on("3909", date(2024, 6, 1)), on("3901", date(2024, 6, 1))
    money(a, "150000.00", 2024, municipality=larvik)
    money(a, "50000.00", 2024, municipality=horten, basis="estimated")
    admin_cost(arena, "30000.00", 2024, 2024)
    return arena, p


def test_annual_report_page_pdf_excel(client: Client, arena_with_data: Any) -> None:
    arena, _p = arena_with_data
    url = reverse("reports:annual", args=[arena.pk, 2024])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Felles arkiv" in html
    assert "data:image/svg+xml;base64," in html
    assert 'style="' not in html  # strict CSP: no inline style attributes
    pdf = client.get(reverse("reports:annual_as", args=[arena.pk, 2024, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Årsrapport 2024: Vestfoldsamarbeidet" in text
    assert "Felles arkiv" in text
    assert "Bedre tjenester" in text
    assert "120 000,00" in text.replace("\u00a0", " ")  # 150 000 realised − 30 000 admin
    xlsx = client.get(reverse("reports:annual_as", args=[arena.pk, 2024, "xlsx"]))
    book = _book(xlsx.content)
    sheet = book["Regnskap"]
    rows = list(sheet.iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "Sum")
    assert Decimal(str(total[1])) == Decimal("50000")  # estimated
    assert Decimal(str(total[2])) == Decimal("150000")  # realised
    assert Decimal(str(total[3])) == Decimal("30000")  # administration
    assert Decimal(str(total[7])) == Decimal("120000")
    assert [r[1] for r in book["Prosjekter"].iter_rows(min_row=2, values_only=True)] == [
        "Felles arkiv",
        "Felles innkjøp",
    ]


def test_annual_report_says_what_its_account_keeps_outside(
    client: Client, arena_with_data: Any
) -> None:
    """The annual report shows its account with the period account page's own table: a
    result the source keeps outside the account is listed apart with its reason there too
    (the report's copy of the table had not learnt it), and the rows keep the names of the
    report's year."""
    arena, _p = arena_with_data
    larvik = on("3909", date(2024, 6, 1))
    kept = money(
        project(arena, "C", title="Felles strøm"), "35000000.00", 2024, municipality=larvik
    )
    kept.kept_outside_reason = "Besparelser på felles innkjøp av strøm er ikke inkludert"
    kept.save(update_fields=["kept_outside_reason"])
    html = client.get(reverse("reports:annual", args=[arena.pk, 2024])).content.decode()
    assert "Holdt utenfor regnskapet" in html
    assert "Besparelser på felles innkjøp av strøm er ikke inkludert" in html
    assert "120 000,00" in html.replace("\u00a0", " ")  # the net without the 35 MNOK
    assert "Samarbeidet samlet (ikke fordelt)" in html  # the administration cost's row
    pdf = _pdf_text(client.get(reverse("reports:annual_as", args=[arena.pk, 2024, "pdf"])).content)
    assert "Holdt utenfor regnskapet" in pdf


def test_annual_report_for_empty_year_says_so(client: Client) -> None:
    arena = arena_of(["3909"])
    page = client.get(reverse("reports:annual", args=[arena.pk, 1990])).content.decode()
    assert "Ingen aktivitet, prosjekter, resultater eller penger er registrert for 1990" in page
    pdf = client.get(reverse("reports:annual_as", args=[arena.pk, 1990, "pdf"]))
    assert "Ingen aktivitet" in _pdf_text(pdf.content)
    xlsx = client.get(reverse("reports:annual_as", args=[arena.pk, 1990, "xlsx"]))
    assert xlsx.status_code == 200
    rows = list(_book(xlsx.content)["Regnskap"].iter_rows(values_only=True))
    assert rows[1][0].startswith("Ingen innsparinger")


def test_annual_report_hidden_arena_and_unknown_format(client: Client) -> None:
    arena = arena_of(["3909"], published=False)
    assert client.get(reverse("reports:annual", args=[arena.pk, 2024])).status_code == 404
    visible = arena_of(["3901"])
    assert (
        client.get(reverse("reports:annual_as", args=[visible.pk, 2024, "doc"])).status_code == 404
    )


def test_plan_report(client: Client, arena_with_data: Any) -> None:
    _arena, p = arena_with_data
    page = client.get(reverse("reports:plan", args=[p.pk])).content.decode()
    assert "Digitalisering" in page
    assert "80,00 %" in page
    text = _pdf_text(client.get(reverse("reports:plan_as", args=[p.pk, "pdf"])).content)
    assert "Bedre tjenester" in text
    assert "Digitalisering" in text
    book = _book(client.get(reverse("reports:plan_as", args=[p.pk, "xlsx"])).content)
    coverage = list(book["Dekning"].iter_rows(min_row=2, values_only=True))
    assert coverage[0][0] == "Digitalisering"
    assert Decimal(str(coverage[0][3])) == Decimal("80")
    assert coverage[1][0] == "Utenfor innsatsområdene"


def test_an_empty_plans_report_says_nothing_of_goals_without_projects(
    client: Client, secretariat: Any
) -> None:
    """Found in a clerk's trial: a plan with no goals said «Mål uten prosjekt: ingen.»."""
    p = plan(arena_of(["3909"]), title="Tom plan")
    client.force_login(secretariat)
    page = client.get(reverse("reports:plan", args=[p.pk])).content.decode()
    assert "Planen har ingen mål." in page
    assert "Mål uten prosjekt" not in page


def test_municipality_statement(client: Client, arena_with_data: Any, larvik: Any) -> None:
    arena, _p = arena_with_data
    Benefit.objects.create(
        project=arena.projects.get(code="A"),
        municipality=larvik,
        description="Sparte arkivtimer",
        owner="Arkivleder",
        target_date=timezone.localdate() - timedelta(days=2),
    )
    url = reverse("reports:municipality", args=[larvik.code])
    query = {"first_year": 2024, "last_year": 2024}
    page = client.get(url, query).content.decode()
    assert "Sparte arkivtimer" in page
    assert "Vestfoldsamarbeidet" in page
    assert "150\u00a0000,00" in page
    text = _pdf_text(
        client.get(reverse("reports:municipality_as", args=[larvik.code, "pdf"]), query).content
    )
    assert "Sparte arkivtimer" in text
    book = _book(
        client.get(reverse("reports:municipality_as", args=[larvik.code, "xlsx"]), query).content
    )
    per_year = list(book["Per år"].iter_rows(min_row=2, values_only=True))
    assert per_year[0][0] == 2024
    assert Decimal(str(per_year[0][2])) == Decimal("150000")
    response = client.get(url, {"first_year": 2024, "last_year": 2020})
    assert response.status_code == 422
    assert "kan ikke være før startåret" in response.content.decode()
    horten = on("3901", date(2024, 6, 1))
    empty_url = reverse("reports:municipality", args=[horten.code])
    empty = client.get(empty_url, {"first_year": 1990, "last_year": 1991}).content.decode()
    assert "Ingen arenaer, prosjekter, betalinger" in empty


def test_municipality_lookup_and_index(client: Client, larvik: Any) -> None:
    assert client.get(reverse("reports:index")).status_code == 200
    response = client.get(reverse("reports:municipality_lookup"), {"number": "3909"})
    assert response["Location"] == reverse("reports:municipality", args=[larvik.code])
    assert client.get(reverse("reports:municipality_lookup"), {"number": "0000"}).status_code == 404


def test_statement_uses_finance_payments(monkeypatch: Any, larvik: Any) -> None:
    from types import SimpleNamespace

    from samarbeid.finance import figures as finance
    from samarbeid.reports.services import municipality_statement

    arena = arena_of(["3909"])
    money(project(arena), "900.00", 2024, municipality=larvik)

    def fake_payments(m: Any) -> list[Any]:
        return [
            SimpleNamespace(
                arena_id=arena.pk,
                arena_name="A",
                year=2024,
                amount=Decimal("250.50"),
                invoiced=True,
            ),
            SimpleNamespace(
                arena_id=arena.pk,
                arena_name="A",
                year=2025,
                amount=Decimal("99.00"),
                invoiced=False,
            ),
            SimpleNamespace(
                arena_id=arena.pk, arena_name="A", year=2010, amount=Decimal("1.00"), invoiced=True
            ),
        ]

    monkeypatch.setattr(finance, "municipality_payments", fake_payments)
    statement = municipality_statement(larvik, 2024, 2025, None)
    assert statement.paid_total == Decimal("349.50")
    assert statement.saved_realised_total == Decimal("900.00")
    assert [p.invoiced for p in statement.payments] == [True, False]
    assert len(statement.charts) == 1


def test_statement_leaves_out_what_is_kept_outside_the_account(larvik: Any) -> None:
    """A saving kept outside the account (as the 12K document keeps its 35 MNOK of
    electricity savings) is listed but not summed in the municipality statement."""
    from samarbeid.reports.services import municipality_statement

    arena = arena_of(["3909"])
    proj = project(arena)
    money(proj, "900.00", 2024, municipality=larvik)
    kept = money(proj, "35000000.00", 2024, municipality=larvik)
    kept.kept_outside_reason = "Besparelser på felles innkjøp av strøm er ikke inkludert"
    kept.save(update_fields=["kept_outside_reason"])
    statement = municipality_statement(larvik, 2024, 2024, None)
    assert statement.saved_realised_total == Decimal("900.00")
    assert len(statement.savings) == 2
