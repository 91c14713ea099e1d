"""The item-minutes form of a project item (issue 22, the clerk's third trial) on a 390 px
phone: "Kommuner" is the legend of its group of check boxes and sits above the first box,
with the help text under it, and only the seats on the meeting's day are offered (not 0719
Andebu, gone before 2026)."""

from __future__ import annotations

from typing import Any

from samarbeid.meetings.tests.test_third_trial import _andebu_item
from samarbeid.tests.browser.conftest import log_in

PHONE = {"width": 390, "height": 844}


def test_the_kommuner_legend_sits_above_its_boxes(page: Any, secretariat_user: Any) -> None:
    item = _andebu_item()
    page.set_viewport_size(PHONE)
    log_in(page, secretariat_user)
    page.goto(f"/moter/sak/{item.pk}/protokoll/")
    group = page.get_by_role("group", name="Kommuner")
    assert group.count() == 1
    legend = group.locator("legend").bounding_box()
    help_text = group.locator(".field-help").bounding_box()
    first_box = group.get_by_role("checkbox").first.bounding_box()
    assert legend["y"] + legend["height"] <= help_text["y"] + 1, (legend, help_text)
    assert help_text["y"] + help_text["height"] <= first_box["y"] + 1, (help_text, first_box)
    assert group.get_by_role("checkbox").count() == 1
    assert group.get_by_role("checkbox", name="3909 Larvik").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
