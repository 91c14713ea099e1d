"""What a clerk's trial of the first page found (brief s27-dashfix): every issued invoice
still to pay is listed, however long past due, with a plain word that payment is not
recorded; budgets a run would refuse are not offered; "forfalt" is a tag with its word
inside, on every list with dates; the charts say their heading once and keep the choice
labels as written."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, MembershipFactory
from samarbeid.finance.models import Budget
from samarbeid.finance.tests import helpers as h
from samarbeid.portal.tests.test_dashboard import _invoice, _section
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db

TAG = '<span class="ds-tag" data-color="warning">forfalt</span>'


def test_every_unpaid_invoice_is_listed_newest_due_first_with_the_late_ones_marked(
    client: Client, coordinator: Any, larvik: Municipality, today: date
) -> None:
    arena = ArenaFactory(name="Vestfold innkjøp")
    _invoice(arena, larvik, "2008-1-3909", today - timedelta(days=292), year=2008)
    _invoice(arena, larvik, "LAR-2026-1", today + timedelta(days=10), year=2026)
    page = login(client, coordinator).get("/").content.decode()
    invoices = _section(page, "invoices")
    assert "2008-1-3909" in invoices  # long past due: payment is not recorded here
    assert invoices.index("LAR-2026-1") < invoices.index("2008-1-3909")
    rows = re.findall(r"<li>.*?</li>", invoices)
    assert TAG in next(r for r in rows if "2008-1-3909" in r)
    assert TAG not in next(r for r in rows if "LAR-2026-1" in r)
    assert "2 i alt, 1 forfalt" in invoices
    assert invoices.count("Samarbeid registrerer ikke betaling; sjekk mot regnskapet.") == 1
    assert "forfall fra og med" not in page


def _budget(arena: Arena, year: int, *, lines: bool = True) -> Budget:
    return h.budget(
        arena, year, "1000.00" if lines else None, h.key(arena, 100, 0, name=f"Lik {year}")
    )


def test_runs_waiting_leave_out_budgets_a_run_would_refuse(
    client: Client, secretariat: Any, today: date
) -> None:
    larvik = Municipality.objects.current().get(number="3909")
    ready = ArenaFactory(name="Klar arena")
    MembershipFactory(arena=ready, municipality=larvik, joined=date(2008, 1, 1), left=None)
    _budget(ready, today.year)
    no_members = ArenaFactory(name="Arena uten medlemmer")
    _budget(no_members, today.year)
    later = ArenaFactory(name="Arena med senere medlemmer")
    MembershipFactory(arena=later, municipality=larvik, joined=date(today.year, 1, 1))
    _budget(later, today.year - 1)  # no members that year
    gone = ArenaFactory(name="Arena med tidligere medlemmer")
    left = date(today.year - 1, 6, 30)
    MembershipFactory(arena=gone, municipality=larvik, joined=date(2024, 1, 1), left=left)
    _budget(gone, today.year - 1)  # a member for half that year: a run can be made
    _budget(gone, today.year)  # no members this year
    _budget(gone, 2020)  # Larvik (3909) came into being in 2024
    empty = ArenaFactory(name="Arena med tomt budsjett")
    MembershipFactory(arena=empty, municipality=larvik, joined=date(2008, 1, 1), left=None)
    _budget(empty, today.year, lines=False)

    runs = _section(login(client, secretariat).get("/").content.decode(), "runs")
    assert f"Klar arena {today.year}" in runs
    assert f"Arena med tidligere medlemmer {today.year - 1}" in runs
    assert f"Arena med tidligere medlemmer {today.year}" not in runs
    assert "Arena med tidligere medlemmer 2020" not in runs
    assert "Arena uten medlemmer" not in runs
    assert "Arena med senere medlemmer" not in runs
    assert "Arena med tomt budsjett" not in runs
    assert "2 i alt" in runs


def test_overdue_reviews_are_marked_with_a_tag_holding_its_word(
    client: Client, larvik: Municipality, today: date
) -> None:
    ArenaFactory(name="Forfalt gjennomgang", next_review=today - timedelta(days=1))
    ArenaFactory(name="Gjennomgang i dag", next_review=today)
    page = client.get("/").content.decode()
    reviews = page[page.index('id="reviews"') :]
    reviews = reviews[: reviews.index("</section>")]
    rows = re.findall(r"<li>.*?</li>", reviews)
    assert TAG in next(r for r in rows if "Forfalt gjennomgang" in r)
    assert TAG not in next(r for r in rows if "Gjennomgang i dag" in r)
    assert "ds-badge" not in page  # a badge is a count; a word goes in a tag


def test_the_charts_name_themselves_once_and_keep_the_labels_as_written(client: Client) -> None:
    ArenaFactory(kind=Arena.Kind.KS_BODY)
    ArenaFactory(kind=Arena.Kind.STRATEGIC)
    page = client.get("/").content.decode()
    chart = page[page.index('id="chart-kind-caption"') :]
    chart = chart[: chart.index("</figure>")]
    assert '><span class="bar-chart__word">KS-organ</span></a>' in chart
    assert '>Strategisk samarbeidsarena <span class="bar-chart__word">(n-k)</span></a>' in chart
    assert "<figcaption" not in chart
    assert page.count("Arenaer etter type") == 1
    assert "Søyle" not in chart
    assert '<span class="visually-hidden">Andel</span>' in chart
    assert f'href="{reverse("arenas:arena_list")}?kind=ks_body"' in chart


def test_the_chart_labels_wrap_between_words_only() -> None:
    from pathlib import Path

    css = (Path(__file__).parents[2] / "static" / "css" / "site.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules = {m[0].strip(): m[1] for m in re.findall(r"([^{}]+)\{([^}]*)\}", css)}
    label = rules[".bar-chart th[scope=row]"]
    assert "overflow-wrap: break-word" in label
    assert "table-layout: fixed" not in rules[".bar-chart table"]
