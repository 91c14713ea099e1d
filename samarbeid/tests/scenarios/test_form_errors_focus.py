"""A form sent back with errors takes the focus to its error summary and says so in the
title, so a screen reader user hears at once that nothing was saved and why (a clerk's
trial found focus left on the page body)."""

from __future__ import annotations

from typing import Any

import pytest

from samarbeid.tests.scenarios.clerk import SECRETARIAT, arrive, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_the_error_summary_has_the_focus(page: Any) -> None:
    log_in(page, SECRETARIAT)
    page.goto("/prosjekter/ny/")
    arrive(page)
    page.get_by_role("button", name="Lagre").click()
    arrive(page)
    focused = page.evaluate("document.activeElement.className")
    assert "ds-error-summary" in focused, focused
    assert page.title().startswith("Feil i skjemaet: "), page.title()
