"""Seed 003 "9-kommunesamarbeidet i Vestfold, Hankø 12.03.04": groups answer question A
(are the strategies right?) and question B (the 3–5 most important themes for 2004–07);
the plenary sums up which areas several groups prioritised (slide 5) and the others
mentioned (slide 6)."""

from __future__ import annotations

from typing import Any

import pytest

from samarbeid.tests.scenarios.clerk import (
    SECRETARIAT,
    arrive,
    click,
    log_in,
    menu,
    open_site,
    table,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ADM = "Adm. tjenester: lønn, regnskap, IKT (felles IKT-drift)"
SCHOOL = "Digital kompetanse i skolen"
LAND = "Areal, bolig, næring"
CARE = "Korttidsopphold sykehjem (1½-linjetjeneste)"

# Each group's flip-over sheet, most important first (samarbeid/workshops/demo.py).
SHEETS = {
    "Gruppe 1": [ADM, SCHOOL, LAND, "Kompetanseutvikling / rekruttering"],
    "Gruppe 2": ["IKT-drift", CARE, SCHOOL, "Ressurskrevende brukere", "Finansforvaltning"],
    "Gruppe 3": [LAND, "felles IKT", "Forebyggende arbeid (rus, psykiatri)", "Veisamarbeid"],
    "Gruppe 4": [CARE, SCHOOL, "VAR-samarbeid", "Kultur"],
    "Gruppe 5": [LAND, ADM, CARE, "Energi"],
}

# By hand: Borda points, place 1 = 5, place 2 = 4, …; "IKT-drift" and "felles IKT" merged
# into the administrative services by the facilitator.
#   Adm:  G1 5 + G2 5 (IKT-drift) + G3 4 (felles IKT) + G5 4 = 18, 4 groups
#   Areal: G1 3 + G3 5 + G5 5 = 13, 3 groups
#   Korttidsopphold: G2 4 + G4 5 + G5 3 = 12, 3 groups
#   Digital kompetanse: G1 4 + G2 3 + G4 4 = 11, 3 groups
#   Others once: Forebyggende 3 (G3, 3rd), VAR 3 (G4, 3rd), Energi 2, Kompetanseutvikling
#   2, Kultur 2, Ressurskrevende 2, Veisamarbeid 2 (all 4th), Finansforvaltning 1 (G2, 5th)
# The page orders by groups, then points, then name.
PRIORITISED = [(ADM, "4", "18"), (LAND, "3", "13"), (CARE, "3", "12"), (SCHOOL, "3", "11")]
OTHERS = [
    ("Forebyggende arbeid (rus, psykiatri)", "3"),
    ("VAR-samarbeid", "3"),
    ("Energi", "2"),
    ("Kompetanseutvikling / rekruttering", "2"),
    ("Kultur", "2"),
    ("Ressurskrevende brukere", "2"),
    ("Veisamarbeid", "2"),
    ("Finansforvaltning", "1"),
]


def test_the_groups_and_their_themes(page: Any) -> None:
    """The secretariat opens the Hankø workshop: five groups of the nine municipalities'
    mayors and chief executives, both questions closed with five answers; each group's page
    shows its own sheet."""
    log_in(page, SECRETARIAT)
    menu(page, "Samlinger")
    text = click(page, "9-kommunesamarbeidet i Vestfold, Hankø")
    assert "12.03.2004 · Hankø" in text
    assert "Grupper (5)" in text
    assert "Deltakere (18)" in text  # 9 municipalities × (ordfører + rådmann)
    questions = table(page, "Spørsmål til gruppene")
    answers = {row[0][:2]: row[3] for row in questions[1:] if row and row[0][:2] in ("A.", "B.")}
    assert answers == {"A.": "5", "B.": "5"}
    click(page, "Gruppelenker og QR-koder")
    # One figure per group: its name, its QR code and the link the group opens.
    links = {
        name: page.locator("main figure", has=page.get_by_role("heading", name=name, exact=True))
        .get_by_role("link")
        .get_attribute("href")
        for name in SHEETS
    }
    for name, href in links.items():
        page.goto(href)
        arrive(page)
        answer = (
            page.locator("main")
            .get_by_text("Gruppens svar")
            .last.locator("xpath=following-sibling::*[1]")
        )
        themes = [line.strip() for line in answer.inner_text().splitlines() if line.strip()]
        assert themes == SHEETS[name], (name, themes)


def test_the_plenarys_priorities(page: Any) -> None:
    """The public reads the workshop's summary: the areas several groups prioritised, in
    the order the page shows them, and the other areas mentioned once (slides 5–6)."""
    open_site(page)
    menu(page, "Samlinger")
    click(page, "9-kommunesamarbeidet i Vestfold, Hankø")
    click(page, "Oppsummering", exact=True)
    themes = table(page, "Borda-poeng")
    shown = [(row[0].splitlines()[0], row[1], row[2]) for row in themes[1:]]
    assert shown[:4] == PRIORITISED
    assert [(name, points) for name, _groups, points in shown[4:]] == OTHERS
    assert all(groups == "1" for _name, groups, _points in shown[4:])
    main = page.locator("main").inner_text()
    several = main.split("Flere grupper prioriterte", 1)[1].split("Øvrige nevnte områder", 1)[0]
    order = [several.index(name) for name, _g, _p in PRIORITISED]
    assert order == sorted(order)
    # The fourth prioritised area became a project idea in 9K's portfolio.
    text = click(page, "9K-H04-1 Digital kompetanse i skolen")
    assert "9-kommunesamarbeidet i Vestfold" in text
