"""On a 390 px phone a table keeps its words whole: a clerk's trial found the process plan,
the treatment board, a workshop's themes and an invoice run squeezed to a letter or two a
line ("V e d t a m a n d a t", "1 461 832, / 61"). Each column is as wide as its longest
word and a wide table scrolls in its own box; the page stays within the screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from samarbeid.arenas.models import Arena
from samarbeid.finance.models import InvoiceRun
from samarbeid.governance.models import Case, ProcessPlan
from samarbeid.tests.scenarios.clerk import SECRETARIAT, arrive, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Each word (up to 25 characters: an amount, a name, a date) in a table cell that the
# browser drew over more than one line; a line may break after a hyphen or a dash
# ("2026-2-" / "3901", "10.05.2007–" / "30.06.2007"), so those end a word here.
SPLIT_WORDS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll("main td, main th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s\u2010-\u2015-]{1,25}/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) split.push(match[0]);
      }
    }
  }
  return split.slice(0, 10);
}"""


CULPRITS = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > 391)
  .slice(0, 3).map(e => {
    const up = [];
    for (let n = e; n && n.tagName !== 'MAIN'; n = n.parentElement) {
      up.push(n.tagName + '.' + n.className + ':' + Math.round(n.getBoundingClientRect().width));
    }
    return up.join(' < ');
  })"""


def _pages() -> list[str]:
    twelve_k = Arena.objects.get(short_name="12K")
    run = InvoiceRun.objects.filter(arena=twelve_k).order_by("-year").first()
    case = Case.objects.filter(decisions__isnull=False).order_by("pk").first()
    plan = ProcessPlan.objects.order_by("pk").first()
    assert run is not None
    assert case is not None
    assert plan is not None
    return [
        reverse("finance:run_detail", args=[run.pk]),
        case.get_absolute_url(),
        plan.get_absolute_url(),
    ]


def test_table_words_stay_whole_on_a_phone(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, SECRETARIAT)
    found = {}
    for url in _pages():
        page.goto(url)
        arrive(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (url, width, page.evaluate(CULPRITS))
        split = page.evaluate(SPLIT_WORDS)
        if split:
            found[url] = split
    assert not found, found
