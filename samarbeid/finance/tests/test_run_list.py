"""Every invoice run, by year and status (/okonomi/kjoringer/): where a national draft of
every arena's runs is followed up, 50 a page with a bounded number of queries, as the
finance overview shows only the latest twenty; every arena's draft task leads there."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish

pytestmark = pytest.mark.django_db
DAY = date(2024, 1, 1)
URL = reverse("finance:run_list")


def _runs(secretariat: Any, count: int, year: int) -> list[InvoiceRun]:
    made = []
    for n in range(count):
        arena = h.arena(["3901", "3905"], DAY, host="3905", short_name=f"A{year}-{n:03d}")
        h.equal_budget(arena, year, "1000.00")
        made.append(create_run(arena, year, actor=secretariat, issue_date=date(year, 3, 2)))
    return made


def test_runs_narrowed_by_year_and_status_a_page_at_a_time(
    client: Client, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    _runs(secretariat, 55, 2026)
    older = _runs(secretariat, 2, 2025)
    InvoiceRun.objects.filter(pk=older[0].pk).update(status=InvoiceRun.Status.APPROVED)
    login(client, secretariat)
    with django_assert_max_num_queries(10):
        page = client.get(URL, {"year": 2026, "status": "draft"}).content.decode()
    assert "55 kjøringer." in page
    assert "Side 1 av 2" in page
    assert page.count('<th scope="row"><a class="ds-link"') == 50
    second = client.get(URL, {"year": 2026, "status": "draft", "page": 2}).content.decode()
    assert second.count('<th scope="row"><a class="ds-link"') == 5
    approved = client.get(URL, {"status": "approved"}).content.decode()
    assert "1 kjøring." in approved
    assert older[0].get_absolute_url() in approved


def test_a_wrong_year_is_told_on_its_field(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    response = client.get(URL, {"year": "tjuetjueseks"})
    assert response.status_code == 200  # a filter, as the others: the error on its field
    assert "Oppgi et heltall." in response.content.decode()
    assert "Ingen fakturakjøringer passer til utvalget." in response.content.decode()


def test_the_public_sees_only_issued_runs_of_published_arenas(
    client: Client, secretariat: Any
) -> None:
    draft = _runs(secretariat, 1, 2026)[0]
    page = client.get(URL).content.decode()
    assert draft.get_absolute_url() not in page
    assert "Ingen fakturakjøringer passer til utvalget." in page


def test_every_arena_drafts_lead_to_the_years_drafts(client: Client, secretariat: Any) -> None:
    for name in ("AA", "BB"):
        arena = h.arena(["3901", "3905"], DAY, host="3905", short_name=name)
        h.equal_budget(arena, 2026, "1000.00")
    login(client, secretariat)
    form = {"alle-year": "2026", "alle-issue_date": "2026-03-02", "alle-due_days": "30"}
    job = finish(client.post(reverse("finance:runs_create_all"), form))
    assert job.status == Job.Status.DONE, job.error
    assert job.link == f"{URL}?year=2026&status=draft"
    assert "Gå til utkastene for 2026" in client.get(job.get_absolute_url()).content.decode()
    drafts = client.get(job.link).content.decode()
    assert "2 kjøringer." in drafts
