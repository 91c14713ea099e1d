"""Pages a clerk's trial found with serious axe findings (issue 19 point 11), scanned on the
demo data at desktop size and on a 390 px phone: the period account, the annual report, a
proposal, the legal-form advisor with answers and a model comparison (wide tables must scroll
by keyboard, `scrollable-region-focusable`), and the API's own docs page (`html-has-lang`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from samarbeid.arenas.models import Arena
from samarbeid.review.models import CooperationProposal, ModelComparison
from samarbeid.review.services.advisor import need_choices
from samarbeid.tests.browser.test_accessibility import violations
from samarbeid.tests.scenarios.clerk import SECRETARIAT, arrive, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _pages() -> list[str]:
    twelve_k = Arena.objects.get(short_name="12K")
    needs = "&".join(f"needs={value}" for value, _label in need_choices()[:3])
    pages = [
        reverse("strategy:period_account", args=[twelve_k.pk]),
        reverse("reports:annual", args=[twelve_k.pk, 2008]),
        reverse("review:advisor"),
        reverse("review:advisor") + "?" + needs,
    ]
    pages += [p.get_absolute_url() for p in CooperationProposal.objects.order_by("pk")[:1]]
    pages += [c.get_absolute_url() for c in ModelComparison.objects.order_by("pk")[:1]]
    return pages


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_pages_have_no_serious_findings(page: Any, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    log_in(page, SECRETARIAT)
    urls = _pages()
    assert len(urls) == 6, urls  # the demo has a proposal and a comparison
    for url in urls:
        page.goto(url)
        arrive(page)  # fails on any serious or critical axe finding


def test_the_api_docs_say_their_language(page: Any) -> None:
    page.goto("/api/v1/docs")
    page.wait_for_selector("#swagger-ui .info", state="attached")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert not violations(page)
