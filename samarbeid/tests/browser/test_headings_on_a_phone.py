"""Headings and the needs list fit a 390 px phone on the demo's data (a clerk's trial,
fund3 point 3): on a run page, the budget page, the arena's pages and the proposals page
with needs, no h1 or h2 is wider than its box, no word of a heading is broken across lines
(a Range over each word has its rects on one line; a word may break after its hyphen, as
"12-" / "kommunesamarbeidet"), and the needs list's links keep their text on one line.
Without site.css's smaller h1/h2 at 390 px every 12K page's h1 breaks "kommunesamarbeidet";
with a needs row that does not wrap, "Planstrategien til Færder" takes a line a letter."""

from __future__ import annotations

from datetime import date
from typing import Any

from samarbeid.arenas.models import Arena
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import Budget, InvoiceRun
from samarbeid.portal.demo import load_demo
from samarbeid.review.models import CooperationProposal
from samarbeid.tests.browser.conftest import log_in

PHONE = {"width": 390, "height": 844}

HEADINGS = """() => {
  const problems = [];
  for (const h of document.querySelectorAll('main h1, main h2')) {
    const said = h.textContent.replace(/\\s+/g, ' ').trim();
    if (h.scrollWidth > h.clientWidth) {
      problems.push(`${h.tagName} «${said}» is ${h.scrollWidth} px wide in ${h.clientWidth}`);
    }
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
          .map(r => Math.round(r.top)));
        if (lines.size > 1) {
          problems.push(`${h.tagName} «${said}»: «${m[0]}» is broken over ${lines.size} lines`);
        }
      }
    }
  }
  return problems;
}"""

NEED_LINKS = """() => [...document.querySelectorAll('main .checkbox-row > a')]
  .map(a => {
    const range = document.createRange();
    range.selectNodeContents(a);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    return {text: a.textContent.trim(), lines: new Set(rects.map(r => Math.round(r.top))).size,
            right: Math.max(...rects.map(r => r.right))};
  })"""


def _pages() -> list[str]:
    twelve_k = Arena.objects.get(short_name="12K")
    budget = Budget.objects.get(arena=twelve_k, year=2025)  # the grant's budget
    runs = list(InvoiceRun.objects.filter(arena=twelve_k).order_by("year"))
    proposals = CooperationProposal.objects.filter(planning_needs__isnull=False).distinct()
    return [
        *(f"/okonomi/kjoring/{run.pk}/" for run in runs),
        f"/okonomi/budsjett/{budget.pk}/",
        f"/okonomi/arena/{twelve_k.pk}/",
        twelve_k.get_absolute_url(),
        "/gjennomgang/forslag/",
        *(proposal.get_absolute_url() for proposal in proposals),
    ]


def test_headings_and_the_needs_list_fit_a_phone(page: Any, secretariat_user: Any) -> None:
    load_demo()
    twelve_k = Arena.objects.get(short_name="12K")
    # the trial's draft run of 2025: the grant's line with its external funding
    create_run(twelve_k, 2025, actor=secretariat_user, issue_date=date(2026, 12, 4))
    pages = _pages()
    assert len(pages) >= 6, pages
    log_in(page, secretariat_user)
    page.set_viewport_size(PHONE)
    problems: list[str] = []
    links: list[dict[str, Any]] = []
    for url in pages:
        response = page.goto(url)
        assert response is not None, url
        assert response.status == 200, url
        assert page.locator("main h1").count() == 1, url
        problems += [f"{url}: {problem}" for problem in page.evaluate(HEADINGS)]
        if url == "/gjennomgang/forslag/":
            links = page.evaluate(NEED_LINKS)
    assert not problems, "\n".join(problems)
    assert links, "the proposals page lists no needs with links"
    for link in links:
        assert link["lines"] == 1, link
        assert link["right"] <= PHONE["width"], link
