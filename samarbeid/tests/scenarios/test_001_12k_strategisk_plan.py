"""Seed 001 "12-kommunesamarbeidet i Vestfold, strategisk plan 2008–2011": ~50 projects
completed, 18 ongoing, 4 professional groups; the plan sent to every council; the account
1997–2006 (administration 5,1 MNOK; the 35 MNOK of electricity savings "er ikke
inkludert"); the costs split and invoiced through the host municipality Tønsberg."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from samarbeid.tests.scenarios.clerk import (
    COORDINATOR_LARVIK,
    READER,
    SECRETARIAT,
    arrive,
    click,
    column,
    kr,
    log_in,
    menu,
    table,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# <year>-<run id>- at the start of an invoice number
RUN_ID = re.compile(r"^(\d{4})-\d+-")

# The 2008 split by hand (samarbeid/finance/demo.py; data/demo/befolkning-eksempel.csv).
# Key 50/50: half in equal shares, half per capita on 1 January 2007.
# Population 2007 of the twelve: Horten 25 400, Holmestrand 10 200, Tønsberg 37 900,
# Sandefjord 43 300, Larvik 41 900, Hof 3 100, Re 8 600, Andebu 5 300, Stokke 10 700,
# Nøtterøy 20 700, Tjøme 4 800, Lardal 2 400 = 214 300.
# Base contribution 1 200 000: each 600 000 / 12 = 50 000 + 600 000 × own / 214 300.
# Project lines, split 50/50 over the participants (portfolio demo: project k is declined by
# member m when (7k + 5m) mod 13 = 0; members ordered 0701, 0702, 0704, …, 0728):
#   12K-06-01 450 000, Horten declined  → 11 participants, population 188 900
#   12K-06-02 350 000, Nøtterøy declined → 11 participants, population 193 600
#   12K-06-03 250 000, Hof declined      → 11 participants, population 211 200
# Horten: base 50 000 + 71 115,26 = 121 115,26; 06-02 15 909,09 + 22 959,71 = 38 868,80;
#   06-03 11 363,64 + 15 033,14 = 26 396,78 → 121 115,26 + 38 868,80 + 26 396,78 = 186 380,84
HORTEN_2008 = "186 380,84"
# Tønsberg (host; Re joined it in 2020, so today's Tønsberg answers for both):
#   0704: base 156 112,93 + 06-01 65 597,48 + 06-02 50 167,87 + 06-03 33 794,98 = 305 673,26
#   0716 Re: 74 078,39 + 30 698,06 + 23 682,85 + 16 453,60                     = 144 912,90
HOST_SHARE_2008 = Decimal("450586.16")  # 305 673,26 + 144 912,90
# Larvik (Lardal joined it in 2018):
#   0709: 167 312,18 + 70 361,90 + 53 783,57 + 36 162,41 = 327 620,06
#   0728 Lardal: 56 719,55 + 23 313,20 + 18 078,51 + 12 784,09 = 110 895,35
LARVIK_2008 = "438 515,41"  # 327 620,06 + 110 895,35
BUDGET_2008 = Decimal("2250000.00")  # 1 200 000 + 450 000 + 350 000 + 250 000
# Færder (Nøtterøy 176 681,65 + Tjøme 124 063,44) = 300 745,09 invoiced; Tjøme's base
# contribution 63 439,10 credited and invoiced again 2 188,35 lower: 61 250,75.
# 300 745,09 − 63 439,10 + 61 250,75 = 298 556,74
TWELVE_2008 = [
    "0701 Horten",
    "0702 Holmestrand",
    "0704 Tønsberg",
    "0706 Sandefjord",
    "0709 Larvik",
    "0714 Hof",
    "0716 Re",
    "0719 Andebu",
    "0720 Stokke",
    "0722 Nøtterøy",
    "0723 Tjøme",
    "0728 Lardal",
]


def test_portfolio_counts_and_professional_groups(page: Any) -> None:
    """A reader sees the document's figures: ~50 completed projects, 18 ongoing, 4
    professional groups (slide 2)."""
    log_in(page, READER)
    text = menu(page, "Prosjekter")
    assert "50 gjennomført, 18 pågående, 4 faggrupper" in text
    groups = page.get_by_role("region", name="Faggrupper og nettverk").inner_text()
    for group in ("IKT og digitalisering", "plan, areal og næring", "skole", "økonomi og innkjøp"):
        assert f"Faggruppe {group}" in groups
    # The focus areas of slide 11 carry the 68 projects: 50 + 18. The one project without a
    # focus area is the demo's invented 2025 project with the county governor's grant
    # (issue 24; decided, not ongoing, so the document's 18 stand).
    areas = table(page, "Etter innsatsområde")
    total = sum(int(row[1]) for row in areas[1:] if row[0] != "(ikke angitt)")
    assert total == 68
    assert [int(row[1]) for row in areas[1:] if row[0] == "(ikke angitt)"] == [1]
    # The list, filtered as a clerk would: 12K's ongoing projects, then its completed ones.
    click(page, "Se prosjektlisten")
    page.get_by_label("Arena").select_option(label="12-kommunesamarbeidet i Vestfold")
    for status, count in (("Pågående", 18), ("Gjennomført", 50)):
        page.get_by_label("Status").select_option(label=status)
        page.get_by_role("button", name="Filtrer").click()
        assert f"{count} prosjekter" in arrive(page), status


def test_plan_adopted_by_each_council(page: Any) -> None:
    """The plan is sent to the twelve councils of 2008 (slide 12), named as they were then;
    each adopted it."""
    log_in(page, READER)
    menu(page, "Strategi og resultater")
    text = click(page, "Strategisk plan for 12-kommunesamarbeidet i Vestfold")
    assert "12K har gjennomført ca. 50 prosjekter, har 18 pågående prosjekter" in text
    goals = table(page, "Mål")
    assert [row[1] for row in goals[1:]] == [
        "Utvikle, forbedre og effektivisere kommunenes tjenestetilbud",
        "Samordne kommunenes plan-, areal- og næringspolitikk",
        "Være talerør for kommunale fellesinteresser i Vestfold",
    ]
    assert "Vedtatt: 12 · Avvist: 0 · Venter: 0" in text
    treatment = column(table(page, "Politisk behandling per kommune"), "Behandling")
    assert list(treatment) == TWELVE_2008
    assert set(treatment.values()) == {"Vedtatt"}


def test_the_plan_has_one_case_and_nothing_overdue(page: Any) -> None:
    """Depends on issue 17 point 8 (one case per plan): the case list holds one case for
    the 12K strategic plan 2008–2011, and no treatment of it is overdue (the ceased
    Nøtterøy, Tjøme and Lardal cannot treat anything). Today the demo holds a duplicate case
    with 9 of 12 treated and 2 overdue."""
    log_in(page, SECRETARIAT)
    menu(page, "Prosjekter")
    click(page, "Saker og vedtak")
    cases = table(page, "Forsinket")
    plan_cases = [row for row in cases[1:] if row[0].startswith("Strategisk plan 2008–2011")]
    assert len(plan_cases) == 1, plan_cases
    assert column([cases[0], *plan_cases], "Forsinket")[plan_cases[0][0]] == "0"


def _account_1997_2006(page: Any) -> str:
    log_in(page, READER)
    menu(page, "Strategi og resultater")
    click(page, "Oversikt for 12-kommunesamarbeidet i Vestfold")
    click(page, "Regnskap for en periode")
    page.get_by_label("Fra år").fill("1997")
    page.get_by_label("Til og med år").fill("2006")
    page.get_by_role("button", name="Vis").click()
    return arrive(page)


def test_account_1997_2006_shows_the_administration_cost(page: Any) -> None:
    """Slide 4: administration of 12K 1997–2006 cost 5,1 MNOK; the page shows the source."""
    text = _account_1997_2006(page)
    assert "Regnskap 1997–2006" in text
    account = table(page, "Regnskap for 12-kommunesamarbeidet i Vestfold 1997–2006")
    assert column(account, "Administrasjon")["Sum"] == "5 100 000,00"
    assert "Utgifter til administrasjon av 12k 1997–2006: 5,1 mill" in text
    # The 35 MNOK are the document's figure too; they are on the page.
    assert "35 000 000,00" in text


def test_account_leaves_the_electricity_savings_out_of_the_net(page: Any) -> None:
    """Depends on issue 17 point 5: the 35 MNOK of electricity savings are "ikke
    inkludert" (slide 4). They are shown apart with that reason and the net leaves them
    out: 0 − 5 100 000,00 = −5 100 000,00. Today they are netted: 29 900 000,00."""
    text = _account_1997_2006(page)
    account = table(page, "Regnskap for 12-kommunesamarbeidet i Vestfold 1997–2006")
    net = column(account, "Realisert innsparing minus kostnader")["Sum"]
    assert kr(net) == Decimal("-5100000.00"), net
    assert "29 900 000" not in text
    assert "35 000 000,00" in text
    assert re.search(r"ikke inkludert", text, re.IGNORECASE)


def _run_2008(page: Any) -> str:
    log_in(page, SECRETARIAT)
    menu(page, "Økonomi")
    click(page, "12-kommunesamarbeidet i Vestfold (12K)")
    return click(page, "Fakturakjøring 2008")


def test_2008_budget_split_and_invoices(page: Any) -> None:
    """The secretariat reads the 2008 budget (base contribution + project invoicing), its
    split per municipality of 2008 and the invoices to their successors today."""
    log_in(page, SECRETARIAT)
    menu(page, "Økonomi")
    click(page, "12-kommunesamarbeidet i Vestfold (12K)")
    click(page, "Budsjett 2008")
    lines = column(table(page, "Budsjett og regnskap per linje"), "Budsjett (kr)")
    assert kr(lines["Sum"]) == BUDGET_2008
    split = table(page, "Fordeling per kommune")
    total = column(split, "Sum (kr)")
    assert [name for name in total if name != "Sum"] == TWELVE_2008
    assert total["0701 Horten"] == HORTEN_2008
    assert kr(total["0704 Tønsberg"]) + kr(total["0716 Re"]) == HOST_SHARE_2008
    assert kr(total["Sum"]) == BUDGET_2008
    assert sum(kr(v) for k, v in total.items() if k != "Sum") == BUDGET_2008

    page.go_back()
    arrive(page)
    click(page, "Fakturakjøring 2008")
    # An invoice number is <year>-<run id>-<buyer>: the run id is left out, as it depends on
    # what the database handed out before (PostgreSQL's sequences survive other tests).
    invoices = {
        RUN_ID.sub(r"\1-", number): amount
        for number, amount in column(table(page, "Fakturaer"), "Beløp (kr)").items()
    }
    assert "2008-3901" in invoices, invoices
    assert invoices["2008-3901"] == HORTEN_2008
    assert invoices["2008-3909"] == LARVIK_2008
    assert invoices["2008-3911"] == "300 745,09"
    assert invoices["2008-3911-K (kreditnota)"] == "-63 439,10"
    assert invoices["2008-3911-2 (korrigert faktura)"] == "61 250,75"
    totals = column(table(page, "Sum per kommune"), "Beløp (kr)")
    assert totals["3911 Færder"] == "298 556,74"
    assert totals["3909 Larvik"] == LARVIK_2008


def test_larviks_coordinator_reads_what_larvik_pays(page: Any) -> None:
    """Larvik's coordinator finds what Larvik pays: its own 2008 share and Lardal's."""
    log_in(page, COORDINATOR_LARVIK)
    click(page, "3909 Larvik")
    click(page, "Hva kommunen betaler per arena og år")
    years = column(table(page, "Sum per år"), "Beløp (kr)")
    assert years["2008"] == LARVIK_2008


def test_2008_run_host_pays_its_share_without_an_invoice(page: Any) -> None:
    """Depends on issue 17 point 3 (the host does not invoice itself): Tønsberg, the host,
    gets no invoice (no 2008-1-3905); its own share 450 586,16 is shown in the run, and the
    invoices (before the correction of Færder's) + the host's share = the budget, 2 250
    000,00, to the øre."""
    _run_2008(page)
    invoices = table(page, "Fakturaer")
    body = invoices[1:]
    assert not any(RUN_ID.sub(r"\1-", row[0]).startswith("2008-3905") for row in body), body
    assert not any(row[1] == "Tønsberg" for row in body), body
    amount = invoices[0].index("Beløp (kr)")
    original = [row for row in body if "(" not in row[0]]  # not credit notes or corrections
    invoiced = sum(kr(row[amount]) for row in original)
    assert invoiced + HOST_SHARE_2008 == BUDGET_2008, invoiced
    main = page.locator("main").inner_text().replace("\u00a0", " ")
    assert "450 586,16" in main


def test_2026_draft_run_bills_each_successor_one_share(page: Any) -> None:
    """Depends on issue 17 point 2 (a merged municipality pays once) and its demo: the 2026
    draft run of 12K, whose project line is split equally over a project Nøtterøy, Tjøme and
    Lardal took part in before 2018. Færder (Nøtterøy + Tjøme) and Larvik (+ Lardal) each
    appear once and pay one equal share of that line, the same as every other participant
    (to the øre, the rounding øre aside)."""
    log_in(page, SECRETARIAT)
    menu(page, "Økonomi")
    text = click(page, "12-kommunesamarbeidet i Vestfold (12K)")
    assert "Fakturakjøring 2026" in text, "the demo has no 2026 run of 12K"
    click(page, "Fakturakjøring 2026")
    totals = table(page, "Sum per kommune")
    names = [row[0] for row in totals[1:] if row[0] != "Sum"]
    assert len(names) == len(set(names)), names
    assert "3911 Færder" in names
    assert "3909 Larvik" in names
    page.go_back()
    arrive(page)
    click(page, "Budsjett 2026")
    split = table(page, "Fordeling per kommune")
    projects = column(split, "Prosjekter (kr)")
    shares = {name: kr(v) for name, v in projects.items() if name != "Sum" and v and kr(v)}
    assert "3911 Færder" in shares, shares
    assert "3909 Larvik" in shares, shares
    assert max(shares.values()) - min(shares.values()) <= Decimal("0.01"), shares
