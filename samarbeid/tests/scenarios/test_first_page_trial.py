"""What a clerk's trial of the first page found, on the demo (brief s27-dashfix): Larvik's
long past due invoice is listed and tagged "forfalt"; the secretariat is not offered a run
for n-k 2009, which has no members that year; on a 390 px phone the charts' labels wrap
between words, never inside one."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from samarbeid.finance.models import Budget, Invoice
from samarbeid.finance.queries import budgets_without_run, invoices_to_pay
from samarbeid.tests.scenarios.clerk import COORDINATOR_LARVIK, SECRETARIAT, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# For each chart label, the words the browser split over two lines (a word's text drawn
# in more than one line box).
SPLIT_WORDS = """() => {
  const split = [];
  for (const th of document.querySelectorAll("main .bar-chart th[scope=row]")) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def test_larvik_sees_its_long_past_due_invoice_tagged(page: Any) -> None:
    # The number holds the run's key, which PostgreSQL's sequences do not restart: look it up.
    larvik_2008 = invoices_to_pay(
        Invoice.objects.filter(buyer__number="3909").values_list("buyer_id", flat=True)
    ).get(run__arena__short_name="12K", run__year=2008)
    assert larvik_2008.due_date < timezone.localdate()
    log_in(page, COORDINATOR_LARVIK)
    invoices = page.locator("main [data-section=invoices]")
    row = invoices.locator("li", has_text=larvik_2008.number)
    assert row.count() == 1
    tag = row.locator(".ds-tag")
    assert tag.inner_text() == "forfalt"
    assert "Samarbeid registrerer ikke betaling; sjekk mot regnskapet." in invoices.inner_text()


def test_the_secretariat_is_not_offered_a_run_that_would_be_refused(page: Any) -> None:
    log_in(page, SECRETARIAT)
    runs = page.locator("main [data-section=runs]").inner_text()
    assert "n-k 2009" not in runs
    # the section shows its first rows only: the list behind it leaves n-k 2009 out too
    waiting = budgets_without_run(None, timezone.localdate().year)
    assert not waiting.filter(arena__short_name="n-k", year=2009).exists()
    assert Budget.objects.filter(arena__short_name="n-k", year=2009).exists()


def test_chart_labels_wrap_between_words_on_a_phone(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.wait_for_load_state()
    assert page.locator("main .bar-chart th[scope=row]").count() > 0
    assert page.evaluate(SPLIT_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
