"""The reminder settings in a real browser (a clerk's trial): «Hvor ofte»'s radio buttons
sat above their labels («daglig» under its button), not beside them as in the app's other
choice lists; on a desktop and on a 390 px phone each button and its label share a line."""

from __future__ import annotations

from typing import Any

import pytest

from samarbeid.tests.browser.conftest import log_in


@pytest.mark.parametrize("width", [1280, 390])
def test_each_radio_button_sits_beside_its_label(
    page: Any, coordinator_user: Any, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, coordinator_user)
    page.goto("/konto/paminnelser/")
    group = page.get_by_role("group", name="Hvor ofte")
    group.wait_for()
    for name in ("daglig", "ukentlig", "aldri"):
        radio = group.get_by_label(name, exact=True)
        button = radio.bounding_box()
        label = group.locator(f"label[for='{radio.get_attribute('id')}']").bounding_box()
        assert label["x"] >= button["x"] + button["width"], (name, button, label)
        # on one line: the label's box and the button's overlap vertically
        assert label["y"] < button["y"] + button["height"], (name, button, label)
        assert button["y"] < label["y"] + label["height"], (name, button, label)
    # the check boxes above were already so, and stay so
    box = page.get_by_role("group", name="Påminnelser om").get_by_role("checkbox").first
    button = box.bounding_box()
    label = page.locator(f"label[for='{box.get_attribute('id')}']").bounding_box()
    assert label["x"] >= button["x"] + button["width"]
    assert label["y"] < button["y"] + button["height"]
