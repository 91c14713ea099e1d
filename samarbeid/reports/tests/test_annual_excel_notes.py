"""The annual report's Excel says what its account leaves out, as the page does (a clerk's
trial found the sheet without the page's «ikke tatt med» note): a result kept outside the
account by its source, with the reason, and a result whose years reach beyond the report's
year, which no single year's account can hold."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from samarbeid.arenas.models import Arena
from samarbeid.strategy.models import EconomicResult
from samarbeid.strategy.tests.helpers import admin_cost, arena_of, project

pytestmark = pytest.mark.django_db

REASON = "Kilden holder besparelsen utenfor"


@pytest.fixture
def arena() -> Arena:
    start = date(2006, 1, 1)
    arena = arena_of(["0701", "0709"], joined=start, short_name="12K", established=start)
    arena.published = True
    arena.save()
    admin_cost(arena, "100000.00", 2006, 2006)
    strom = project(arena, "12K-STROM", title="Felles innkjøp av strøm", start=None)
    EconomicResult.objects.create(
        project=strom,
        kind=EconomicResult.Kind.SAVING,
        basis="realised",
        year=2006,
        amount=Decimal("35000.00"),
        source="12K",
        kept_outside_reason=REASON,
    )
    EconomicResult.objects.create(
        project=strom,
        kind=EconomicResult.Kind.SAVING,
        basis="realised",
        year=2005,
        to_year=2007,
        amount=Decimal("9000.00"),
        source="12K",
    )
    return arena


def _sheet_rows(client: Client, arena: Arena) -> list[tuple[object, ...]]:
    """The rows of the account's sheet (the third, named in the reader's language)."""
    response = client.get(reverse("reports:annual_as", args=[arena.pk, 2006, "xlsx"]))
    assert response.status_code == 200
    return list(
        load_workbook(io.BytesIO(response.content)).worksheets[2].iter_rows(values_only=True)
    )


def test_the_excel_names_what_is_kept_outside_and_left_out(client: Client, arena: Arena) -> None:
    page = client.get(reverse("reports:annual", args=[arena.pk, 2006])).content.decode()
    assert "Ikke tatt med (går utenfor perioden):" in page  # what the sheet must say too
    rows = _sheet_rows(client, arena)
    firsts = [r[0] for r in rows]
    # the sum still leaves both out: 0 realised, 100 000 administration
    total = rows[firsts.index("Sum")]
    assert Decimal(str(total[2])) == Decimal("0")
    assert Decimal(str(total[3])) == Decimal("100000.00")
    kept = firsts.index("Holdt utenfor regnskapet")
    # the page's sentence too: a reader of the sheet alone learns they are in no sum
    assert rows[kept + 1][0] == (
        "Disse beløpene er ikke med i radene, summene eller nettoen over, fordi kilden holder "
        "dem utenfor."
    )
    assert rows[kept + 2][:5] == ("Prosjekt", "Type", "År", "Grunnlag", "Beløp (kr)")
    strom = rows[kept + 3]
    assert strom[0] == "Felles innkjøp av strøm"
    assert Decimal(str(strom[4])) == Decimal("35000.00")
    assert strom[5] == REASON
    left_out = firsts.index("Ikke tatt med (går utenfor perioden):")
    assert "2005–2007" in str(rows[left_out + 1][0])
    assert "Felles innkjøp av strøm" in str(rows[left_out + 1][0])


def test_in_english_too(client: Client, arena: Arena) -> None:
    client.cookies["django_language"] = "en"
    firsts = [r[0] for r in _sheet_rows(client, arena)]
    assert "Kept outside the account" in firsts
    assert "Not included (falls outside the period):" in firsts


def test_an_empty_year_reads_as_on_the_page(client: Client) -> None:
    """The page says «… registrert for 2006.»; the sheet said «… for perioden.»"""
    arena = arena_of(["0701"], joined=date(2006, 1, 1), short_name="T", published=True)
    rows = _sheet_rows(client, arena)
    assert rows[1][:1] == ("Ingen innsparinger eller kostnader er registrert for 2006.",)
