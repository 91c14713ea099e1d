"""The reminder settings page (issue 21) on a 390 px phone: "Påminnelser om" is the legend
of its group of check boxes and sits above them (WCAG 1.3.1), nothing runs off the screen,
and a screen reader names each box with the group."""

from __future__ import annotations

from typing import Any

from samarbeid.tests.browser.conftest import log_in

PHONE = {"width": 390, "height": 844}


def test_the_legend_sits_above_its_boxes_and_nothing_overflows(
    page: Any, coordinator_user: Any
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, coordinator_user)
    page.goto("/konto/paminnelser/")
    group = page.get_by_role("group", name="Påminnelser om")
    assert group.count() == 1
    legend = group.locator("legend").bounding_box()
    first_box = group.get_by_role("checkbox").first.bounding_box()
    assert legend["y"] + legend["height"] <= first_box["y"] + 1, (legend, first_box)
    # only a coordinator's kinds are offered
    assert group.get_by_role("checkbox", name="Forsinkede steg i prosessplaner").count() == 0
    assert group.get_by_role("checkbox", name="Saker kommunen skal behandle").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # no sideways scrolling
    save = page.get_by_role("button", name="Lagre").bounding_box()
    assert save["x"] + save["width"] <= 390, save
