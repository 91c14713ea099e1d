"""The first page says what to do next (issue 19 point 7), on the demo: Larvik's coordinator
sees its municipality's cases, benefits, invoices and reviews, each row a link to where the
clerk acts; no serious accessibility finding, on a desktop and on a 390 px phone."""

from __future__ import annotations

from typing import Any

import pytest

from samarbeid.tests.browser.test_accessibility import violations
from samarbeid.tests.scenarios.clerk import COORDINATOR_LARVIK, SECRETARIAT, arrive, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
COORDINATOR_SECTIONS = {
    "treatments": "Saker kommunen skal behandle",
    "benefits": "Gevinster som har passert måldatoen",
    "invoices": "Fakturaer til betaling",
    "reviews": "Medlemskap som skal gjennomgås",
}
SECRETARIAT_SECTIONS = {
    "drafts": "Utkast",
    "steps": "Forsinkede steg i prosessplaner",
    "ceased": "Medlemmer som har opphørt ved kommuneendring",
    "runs": "Fakturering som venter",
}


def _follow_every_section(page: Any, sections: dict[str, str]) -> int:
    """Each section's first row leads to a page that answers; returns how many did."""
    followed = 0
    for slug, heading in sections.items():
        page.goto("/")
        section = page.locator(f"main [data-section={slug}]")
        assert section.get_by_role("heading", name=heading, exact=True).count() == 1, heading
        links = section.locator("li a")
        if links.count():
            href = links.first.get_attribute("href")
            with page.expect_navigation() as navigation:
                links.first.click()
            response = navigation.value
            assert response is not None, href
            assert response.status == 200, href
            arrive(page)
            followed += 1
    return followed


def _fits_a_phone(page: Any) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the first page is {width} px wide on a phone"
    problems = violations(page)
    assert not problems, "\n".join(problems)


def test_larviks_coordinator_sees_what_to_do_next(page: Any) -> None:
    text = log_in(page, COORDINATOR_LARVIK)
    assert "Dette venter på deg" in text
    for heading in COORDINATOR_SECTIONS.values():
        assert heading in text
    assert "Forsinkede steg" not in text  # a secretariat's work is not a coordinator's
    assert "Arenaer etter type" in text  # the overview stays, as a chart with its figures
    _follow_every_section(page, COORDINATOR_SECTIONS)
    _fits_a_phone(page)


def test_the_secretariat_sees_its_work(page: Any) -> None:
    text = log_in(page, SECRETARIAT)
    for heading in SECRETARIAT_SECTIONS.values():
        assert heading in text
    assert _follow_every_section(page, SECRETARIAT_SECTIONS) >= 1
    _fits_a_phone(page)
