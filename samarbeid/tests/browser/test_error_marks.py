"""A clerk's trial: a text box with an error kept its grey border while a list box turned red
(the error rule was less specific than the inputs' own), and the error summary's danger icon
stood on the box's left border (the summary's padding took the alert's room for it)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.urls import reverse

from samarbeid.tests.browser.conftest import log_in

SHOTS = os.environ.get("SCREENSHOT_DIR")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_field_in_error_is_red_and_the_icon_stands_inside_the_summary(
    page: Any, secretariat_user: Any, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, secretariat_user)
    page.goto(reverse("accounts:user_create"))
    page.get_by_label("E-postadresse").fill("ikke-en-adresse")
    page.get_by_role("button", name="Opprett bruker").click()
    summary = page.locator(".ds-error-summary")
    summary.wait_for()
    page.wait_for_load_state("load")  # the style sheets too, before reading computed styles
    colours = page.evaluate(
        """() => {
          const colour = el => getComputedStyle(el).borderTopColor;
          const danger = document.createElement("div");
          danger.style.color = "var(--ds-color-danger-border-default)";
          document.body.append(danger);
          const want = getComputedStyle(danger).color;
          danger.remove();
          return {want, username: colour(document.getElementById("id_username")),
                  email: colour(document.getElementById("id_email"))};
        }"""
    )
    assert colours["username"] == colours["want"], colours
    assert colours["email"] == colours["want"], colours
    room = summary.evaluate(
        """el => {
          const heading = el.querySelector("h2");
          const icon = getComputedStyle(heading, "::before");
          const box = el.getBoundingClientRect();
          const border = parseFloat(getComputedStyle(el).borderLeftWidth) || 0;
          const start = heading.getBoundingClientRect().left
            + parseFloat(icon.marginLeft);  // the icon is pulled left of the heading
          return start - (box.left + border);
        }"""
    )
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/error_marks_{width}.png")
    assert room >= 4, room
