"""A draft invoice run started in a real browser runs as a background task: the run page's
button queues it and shows the task's page, which polls its status (htmx) while the
worker runs it, and then says "Ferdig" and links to the run."""

from __future__ import annotations

from typing import Any

from samarbeid.tests.browser.conftest import draft_run_on_its_page
from samarbeid.tests.browser.test_accessibility import _scan


def test_a_draft_run_is_followed_on_its_task_page(page: Any, secretariat_user: Any) -> None:
    from samarbeid.finance.models import InvoiceRun
    from samarbeid.jobs.models import Job
    from samarbeid.jobs.tests.helpers import run_worker

    arena = draft_run_on_its_page(page, secretariat_user)
    status = page.locator("#job-status")
    assert status.get_attribute("aria-live") == "polite"
    assert "Venter" in status.inner_text()
    assert not InvoiceRun.objects.exists()
    problems = _scan(page, page.url)

    run_worker(in_test_transaction=False)  # the worker, as `make run` starts it beside

    # the page's own polling brings the result, without a reload
    page.get_by_text("Ferdig", exact=True).wait_for(timeout=15_000)
    run = InvoiceRun.objects.get(arena=arena, year=2026)
    link = page.get_by_role("link", name="Gå til fakturakjøringen 2026 for BT")
    assert link.get_attribute("href") == run.get_absolute_url()
    assert Job.objects.get().status == Job.Status.DONE
    problems += _scan(page, page.url)
    link.click()
    page.wait_for_url(f"**{run.get_absolute_url()}")
    assert not problems, "\n".join(problems)
