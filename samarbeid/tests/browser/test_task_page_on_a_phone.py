"""A task started on a 390 px phone (issue 20, a clerk's trial): its status, then its
result, are in the first screen (the title first, what the task is after); the stand-alone
links are targets of at least 24 px; the list's caption spans the page and its task titles
are 24 px targets too."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from samarbeid.tests.browser.conftest import draft_run_on_its_page
from samarbeid.tests.browser.test_accessibility import violations

PHONE = {"width": 390, "height": 844}


def _in_first_screen(box: dict[str, float]) -> bool:
    return box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_the_status_and_result_are_in_the_first_screen(page: Any, secretariat_user: Any) -> None:
    from samarbeid.jobs.tests.helpers import run_worker

    page.set_viewport_size(PHONE)
    draft_run_on_its_page(page, secretariat_user)
    page.evaluate("window.scrollTo(0, 0)")
    status = page.locator("#job-status .ds-tag")
    assert "Venter" in status.inner_text()
    assert _in_first_screen(status.bounding_box()), status.bounding_box()

    run_worker(in_test_transaction=False)
    page.get_by_text("Ferdig", exact=True).wait_for(timeout=15_000)
    page.evaluate("window.scrollTo(0, 0)")
    result = page.get_by_role("link", name="Gå til fakturakjøringen 2026 for BT")
    box = result.bounding_box()
    assert _in_first_screen(box), box
    assert box["height"] >= 24, box
    # what the task is comes after its status and result
    facts = page.locator("#job-facts").bounding_box()
    assert facts["y"] > box["y"]
    # the poll brought the facts up to date too (htmx out-of-band), without a reload
    assert "Avsluttet" in page.locator("#job-facts").inner_text()
    every = page.get_by_role("link", name="Alle bakgrunnsoppgaver").bounding_box()
    assert every["height"] >= 24, every
    problems = violations(page)

    page.goto(reverse("jobs:job_list"))
    caption = page.locator("main table caption").bounding_box()
    assert caption["width"] >= 300, caption  # not squeezed into a narrow column
    title = page.locator("main table tbody th a").first.bounding_box()
    assert title["height"] >= 24, title
    # the list's new columns (status with progress, result, end time) read as they should
    assert page.get_by_role("link", name="Gå til fakturakjøringen 2026 for BT").is_visible()
    problems += violations(page)
    assert not problems, "\n".join(problems)
