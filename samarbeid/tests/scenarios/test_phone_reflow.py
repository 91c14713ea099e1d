"""On a 390 px phone no page is wider than the screen (WCAG 1.4.10 Reflow): wide tables
scroll in their own box, long selects and charts shrink to fit. A clerk's trial measured the
run page at 691 px, the budget page at 900 px, forms at 554-799 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from samarbeid.arenas.models import Arena, Membership
from samarbeid.finance.models import Budget, Invoice, InvoiceRun
from samarbeid.tests.scenarios.clerk import SECRETARIAT, arrive, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}


def _pages() -> list[str]:
    twelve_k = Arena.objects.get(short_name="12K")
    run = InvoiceRun.objects.get(arena=twelve_k, year=2008)
    invoice = run.invoices.filter(kind=Invoice.Kind.INVOICE).order_by("number").first()
    assert invoice is not None
    membership = Membership.objects.filter(arena=twelve_k, municipality__number="3909").first()
    pages = [
        reverse("finance:run_detail", args=[run.pk]),
        reverse("finance:budget_detail", args=[Budget.objects.get(arena=twelve_k, year=2008).pk]),
        reverse("finance:credit_create", args=[invoice.pk]),
        reverse("reports:annual", args=[twelve_k.pk, 2008]),
        reverse("reports:municipality", args=["3909"]),
        reverse("arenas:arena_edit", args=[twelve_k.pk]),
        reverse("governance:case_create"),
        reverse("portfolio:project_create"),
        reverse("registry:population", args=["3909"]),
        reverse("arenas:membership_create", args=[twelve_k.pk]),
    ]
    if membership is not None:
        pages.append(reverse("review:exit_analysis", args=[membership.pk]))
    return pages


def test_no_page_is_wider_than_a_phone(page: Any) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, SECRETARIAT)
    too_wide = []
    for url in _pages():
        page.goto(url)
        arrive(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = page.evaluate(
                """() => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > 391)
                .slice(0, 4).map(e => e.tagName + '.' + e.className + '#' + e.id + ' '
                + Math.round(e.getBoundingClientRect().width))"""
            )
            too_wide.append(f"{url}: {width} px ({'; '.join(culprits)})")
    assert not too_wide, too_wide
