"""On a 390 px phone a clerk ticks boxes with a finger: every check box and radio button is
at least 24 × 24 px (WCAG 2.5.8), and the header's "Min side" / "Bakgrunnsoppgaver" each stay on
one line (the fourth meetings trial saw them broken over two)."""

from __future__ import annotations

from typing import Any

from samarbeid.tests.browser.conftest import log_in

PHONE = {"width": 390, "height": 844}


def test_boxes_are_big_enough_to_tick_and_header_links_stay_whole(
    page: Any, coordinator_user: Any
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, coordinator_user)
    page.goto("/konto/paminnelser/")
    boxes = page.locator("main input[type=checkbox], main input[type=radio]")
    assert boxes.count() > 2
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        assert box["width"] >= 24, box
        assert box["height"] >= 24, box
    for name in ("Min side", "Bakgrunnsoppgaver"):
        link = page.locator("header").get_by_role("link", name=name, exact=True)
        height = link.evaluate("e => e.getClientRects().length")
        assert height == 1, f"{name} broken over {height} lines"
    # and apart, as the menu's links are: not read as one phrase
    mine = page.locator("header").get_by_role("link", name="Min side", exact=True).bounding_box()
    tasks = page.locator("header").get_by_role("link", name="Bakgrunnsoppgaver").bounding_box()
    same_line = abs(mine["y"] - tasks["y"]) < 4
    assert not same_line or tasks["x"] - (mine["x"] + mine["width"]) >= 16, (mine, tasks)
