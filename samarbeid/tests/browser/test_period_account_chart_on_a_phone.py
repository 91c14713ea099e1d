"""The period account's cost chart fits a 390 px phone: no chart wider than the screen, and
each bar and its figure are seen (issue 19 point 7)."""

from __future__ import annotations

from datetime import date
from typing import Any

from samarbeid.strategy.models import EconomicResult
from samarbeid.strategy.tests import helpers as h

PHONE = {"width": 390, "height": 844}


def test_the_cost_chart_fits_a_phone(page: Any) -> None:
    arena: Any = h.arena_of(["3909", "3901", "3905"], published=True)
    project = h.project(arena, published=True)
    day = date(2024, 1, 1)
    for number, amount in (("3909", "2500000.00"), ("3901", "500000.00"), ("3905", "12000.00")):
        h.money(
            project, amount, 2024, municipality=h.on(number, day), kind=EconomicResult.Kind.COST
        )
    h.admin_cost(arena, "1000000.00", 2024, 2024)
    page.set_viewport_size(PHONE)
    page.goto(f"/strategi/arena/{arena.pk}/regnskap/?first_year=2024&last_year=2024")
    chart = page.locator("figure.bar-chart")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= PHONE["width"], box
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('figure.bar-chart, figure.bar-chart *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= PHONE["width"], widest
    bars = page.locator("figure.bar-chart svg")
    assert bars.count() == 4
    assert all(bars.nth(i).bounding_box()["width"] > 0 for i in range(4))
    assert page.locator("figure.bar-chart").get_by_text("2 500 000,00").count() == 1


def test_the_account_tables_caption_stays_on_a_phone(page: Any) -> None:
    """The account's table is wider than a phone and scrolls in its box; its caption is read
    within the screen, and stays there while the table is scrolled (a clerk's trial found it
    as wide as the table, its end out of sight)."""
    arena: Any = h.arena_of(["3909", "3901", "3905"], published=True)
    h.admin_cost(arena, "1000000.00", 2024, 2024)
    page.set_viewport_size(PHONE)
    page.goto(f"/strategi/arena/{arena.pk}/regnskap/?first_year=2024&last_year=2024")
    wrap = page.locator(".table-wrap", has=page.locator("caption")).first
    caption = wrap.locator("caption")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # the table does scroll
    box = caption.bounding_box()
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= PHONE["width"], box
    wrap.evaluate("w => { w.scrollLeft = 300 }")
    scrolled = caption.bounding_box()
    assert scrolled["x"] == box["x"], (box, scrolled)
