"""The credit-note and corrected-invoice forms on a 390 px phone (a clerk's trial: the
amount inputs were off screen to the right of the table of lines, the errors beside them
wrapped a few letters a line and «60 000,00» was cut off in an 84 px field). On a phone
each line is a block: its description, what was invoiced, then the labelled amount field
the full width, with its error under it."""

from __future__ import annotations

from typing import Any

from samarbeid.tests.browser.conftest import log_in
from samarbeid.tests.browser.test_credit_flow import _larviks_invoice

PHONE = {"width": 390, "height": 844}


def _usable(page: Any, label: str) -> Any:
    """The amount field `label`: visible, labelled on screen, inside the screen and wide
    enough for «167 312,18»; the page does not scroll sideways."""
    field = page.get_by_label(label)
    field.scroll_into_view_if_needed()
    box = field.bounding_box()
    assert box is not None
    assert box["x"] >= 0, box
    assert box["x"] + box["width"] <= PHONE["width"], box
    assert box["width"] >= 200, box  # «167 312,18» whole, and room for a finger
    # the label is read on screen, above its field (not only by screen readers)
    shown = page.locator(f"label[for='{field.get_attribute('id')}']")
    label_box = shown.bounding_box()
    assert label_box is not None
    assert label_box["width"] > 1
    assert label_box["height"] > 1
    assert label_box["y"] < box["y"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    return field


def test_the_credit_form_fits_a_phone(page: Any, secretariat_user: Any) -> None:
    invoice = _larviks_invoice(["3901", "3905", "3909"], "501936.54", secretariat_user)
    page.set_viewport_size(PHONE)
    log_in(page, secretariat_user)
    page.goto(f"/okonomi/faktura/{invoice.pk}/krediter/")
    page.get_by_role("heading", level=1).wait_for()
    page.get_by_label("Bare beløpene jeg skriver på linjene").check()
    amount = _usable(page, "Krediter på linje 1 (kr)")
    amount.fill("1 000 000,005")
    page.get_by_label("Begrunnelse for kreditering").fill("Feil")
    page.get_by_role("button", name="Utsted kreditnota").click()
    page.locator(".ds-error-summary").wait_for()
    amount = _usable(page, "Krediter på linje 1 (kr)")
    # the error is under its own field, as wide as it (not a few letters a line beside it)
    error = page.locator(f"#{amount.get_attribute('aria-describedby')}")
    error_box, field_box = error.bounding_box(), amount.bounding_box()
    assert error_box["y"] >= field_box["y"] + field_box["height"] - 1
    assert error_box["width"] >= field_box["width"] - 1
    assert not invoice.credit_notes.exists()


def test_the_corrected_invoice_form_fits_a_phone(page: Any, secretariat_user: Any) -> None:
    from samarbeid.finance.corrections import credit_invoice

    invoice = _larviks_invoice(["3901", "3905", "3909"], "501936.54", secretariat_user)
    credit_invoice(invoice, "Feil andel", actor=secretariat_user)  # all of it: 167 312,18
    page.set_viewport_size(PHONE)
    log_in(page, secretariat_user)
    page.goto(f"/okonomi/faktura/{invoice.pk}/ny/")
    page.get_by_role("heading", level=1).wait_for()
    amount = _usable(page, "Nytt beløp på linje 1 (kr)")
    assert amount.input_value().replace("\u00a0", " ") == "167 312,18"
    assert amount.evaluate("e => e.scrollWidth <= e.clientWidth")  # not cut off
