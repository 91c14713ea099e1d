"""Seed 004, slide 8 ("ISK – Hva skjer videre?") read as of a date (issue 19, point 5): the
public opens the Innherred plan of 2007 and asks how it stood on 01.10.2007. Worked by hand
from the demo (portfolio/demo.py): steps 1–4 were done by 30.06.2007; step 5 (due 14.09)
and step 6 (26.09) were open and past due, so overdue; step 7 (November) not yet due. Today
all three open steps are overdue. The case behind it, read as of 01.05.2007, had no
treatment yet: the joint board met on 03.05 and the councils on 09.05."""

from __future__ import annotations

from typing import Any

import pytest

from samarbeid.tests.scenarios.clerk import arrive, click, menu, open_site, table

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PLAN = "Innherred samkommune – hva skjer videre? (2007)"


def _as_of(page: Any, day: str) -> str:
    page.get_by_label("Per dato").fill(day)
    page.get_by_role("button", name="Vis", exact=True).click()
    return arrive(page)


def test_the_innherred_plan_as_of_1_october_2007(page: Any) -> None:
    open_site(page)
    menu(page, "Prosjekter")
    click(page, "Saker og vedtak")
    text = click(page, PLAN)
    assert "3 steg er forsinket." in text
    text = _as_of(page, "2007-10-01")
    assert "Vurdert per 01.10.2007" in text
    assert "2 steg er forsinket." in text
    assert "per=2007-10-01" in page.url
    done = [row[5] for row in table(page, "Planlagt")[1:]]
    assert [cell.split(" Marker")[0] for cell in done] == [
        "03.05.2007",
        "09.05.2007",
        "30.06.2007",
        "13.06.2007",
        "forsinket",
        "forsinket",
        "ikke ennå",
    ]
    text = _as_of(page, "2007-05-05")
    assert "Vurdert per 05.05.2007" in text
    assert "forsinket" not in text  # step 1 done, step 2 (09.05) not due yet


def test_the_case_board_as_of_a_day_before_the_meetings(page: Any) -> None:
    open_site(page)
    menu(page, "Prosjekter")
    click(page, "Saker og vedtak")
    click(page, PLAN)
    text = click(page, "Forprosjekt «ISK 2» – videre organisering etter forsøket")
    assert "2 av 2 har sluttet seg til" in text
    text = _as_of(page, "2007-05-01")
    assert "Vurdert per 01.05.2007" in text
    assert "0 av 2 har sluttet seg til" in text
    states = [row[1] for row in table(page, "Behandlingstavle")[1:]]
    assert states == ["venter", "venter", "venter"]
