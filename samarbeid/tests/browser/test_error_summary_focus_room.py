"""A clerk's trial: a form sent back with errors moves focus to the box that lists them
(`js/forms.js`), and the box's focus outline touched the line above it (the contact page's
«Bruker: …»). The outline keeps clear of the text above: the room between them is more than
the outline reaches outside the box."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse

from samarbeid.tests.browser.conftest import log_in

SHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_focused_error_summary_keeps_clear_of_the_line_above(
    page: Any, coordinator_user: Any, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, coordinator_user)
    page.goto(reverse("accounts:user_contact", args=[coordinator_user.pk]))
    page.get_by_label("E-postadresse").fill("ikke-en-adresse")
    page.get_by_role("button", name="Lagre").click()
    summary = page.locator(".ds-error-summary")
    summary.wait_for()
    assert summary.evaluate("el => document.activeElement === el")
    reach = summary.evaluate(
        """el => {
          const style = getComputedStyle(el);
          if (style.outlineStyle === "none") return 0;
          return parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset || "0");
        }"""
    )
    assert reach > 0  # the focus is shown
    # the text right above the box: the form's previous sibling (the «Bruker: …» line)
    above = summary.evaluate(
        """el => {
          const form = el.closest("form");
          const before = form.previousElementSibling;
          return before.getBoundingClientRect().bottom;
        }"""
    )
    top = summary.bounding_box()["y"]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/error_summary_{width}.png")
    assert top - reach >= above + 2, (top, reach, above)
