"""A draft invoice run started in a real browser runs as a background task: the run page's
button queues it and shows the task's page, which polls its status (htmx) while the
worker runs it, and then says "Ferdig" and links to the run."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from samarbeid.tests.browser.conftest import log_in
from samarbeid.tests.browser.test_accessibility import _scan


def test_a_draft_run_is_followed_on_its_task_page(page: Any, secretariat_user: Any) -> None:
    from samarbeid.finance.models import InvoiceRun
    from samarbeid.finance.tests import helpers as h
    from samarbeid.jobs.models import Job
    from samarbeid.jobs.tests.helpers import run_worker

    arena = h.arena(["3901", "3905", "3909"], date(2026, 1, 1), host="3905", short_name="BT")
    h.budget(arena, 2026, "300000.00", h.key(arena, 100, 0))

    log_in(page, secretariat_user)
    page.goto(reverse("finance:arena", args=[arena.pk]))
    page.get_by_label("År").fill("2026")
    page.get_by_label("Fakturadato").fill("2026-03-02")
    page.get_by_role("button", name="Lag utkast").click()
    page.get_by_role("heading", level=1, name="Utkast til fakturakjøring 2026 for BT").wait_for()
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
