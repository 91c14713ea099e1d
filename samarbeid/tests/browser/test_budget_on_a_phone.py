"""The budget page on a 390 px phone (an integrator's trial: its table of lines ran nearly
three screens wide): the page itself never scrolls sideways, however the budget stands
(being made, invoiced, its split drifted from the invoices, or no longer splittable), each
table is in its box, and the lines and the split are read a card a row
(`stack-on-phone`), not sideways."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import BudgetLine
from samarbeid.finance.run_steps import approve_run, issue_run
from samarbeid.finance.tests import helpers as h
from samarbeid.registry.models import Population
from samarbeid.tests.browser.conftest import log_in

PHONE = {"width": 390, "height": 844}
MEMBERS = ["3901", "3905", "3909", "3911"]


def _fits(page: Any, tables: int) -> None:
    page.get_by_role("heading", level=1).wait_for()
    assert page.locator("main table").count() == tables
    # the page does not scroll sideways …
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    # … and nothing on it but a table inside its scrolling box reaches past the screen
    outside = page.evaluate(
        "[...document.querySelectorAll('main *')]"
        ".filter(e => !e.closest('.table-wrap') || e.matches('.table-wrap'))"
        f".filter(e => e.getBoundingClientRect().right > {PHONE['width']} + 0.5)"
        ".map(e => e.tagName + '.' + e.className)"
    )
    assert outside == [], outside
    # every table is in its box, and none but a narrow one is read sideways: the lines
    # (988 px in a trial) and the split (699 px) are stacked on a phone, a card a row
    loose = page.evaluate(
        "[...document.querySelectorAll('main table')]"
        ".filter(t => !t.parentElement.matches('.table-wrap')).length"
    )
    assert loose == 0
    sideways = page.evaluate(
        "[...document.querySelectorAll('main .table-wrap')]"
        ".filter(w => w.scrollWidth > w.clientWidth)"
        ".map(w => w.parentElement.getAttribute('aria-labelledby') + ': ' + w.scrollWidth)"
    )
    assert sideways == [], sideways


def test_the_budget_page_fits_a_phone(page: Any, secretariat_user: Any) -> None:
    arena = h.arena(MEMBERS, date(2026, 1, 1), host="3905")
    for year in (2025, 2026):
        h.populations(year, dict(zip(MEMBERS, (27000, 58000, 48000, 30000), strict=True)))
    key = h.key(arena, 50, 50)
    budget = h.budget(arena, 2026, "1234567.89", key)
    BudgetLine.objects.filter(budget=budget).update(
        description="Basisbidrag til sekretariatsfunksjonen og felles kompetanseutvikling",
        actual="1200000.00",
    )
    project = h.project(arena, "P1", ["3909", "3901"], date(2025, 1, 1))
    line = h.project_line(budget, project, "30000000.01", key)
    h.received_grant(
        line,
        "2500000.00",
        "1250000.00",
        date(2026, 2, 1),
        grantor_name="Statsforvalteren i Vestfold og Telemark, skjønnsmidler til fornying",
    )
    page.set_viewport_size(PHONE)
    log_in(page, secretariat_user)
    url = reverse("finance:budget_detail", args=[budget.pk])
    page.goto(url)
    _fits(page, 3)  # lines, funding, split

    run = create_run(arena, 2026, actor=secretariat_user, issue_date=date(2026, 3, 2))
    h.ready(run)
    approve_run(run, expected_version=None, actor=secretariat_user)
    issue_run(run, expected_version=None, actor=secretariat_user)
    page.goto(url)
    _fits(page, 3)

    Population.objects.filter(municipality__number="3909").update(count=99000)
    page.goto(url)
    assert page.get_by_text("avviker fra det som ble fakturert").count() == 1
    _fits(page, 3)

    Population.objects.filter(municipality__number="3909").delete()
    page.goto(url)
    _fits(page, 3)  # lines, funding, and the split as invoiced
    assert page.get_by_text("slik den ble utstedt").count() == 1
