"""Issue 20, a clerk's trial: a draft invoice run for a year whose budget cannot be split
(no one to invoice, a line that cannot be split) was offered as the form's year and queued,
and failed only when the task ran. Now it is refused at once, on the year, in the words the
task would have used (the plan create_runs writes, made without writing); the form offers a
year that can be drafted; and every arena's draft leaves out an arena with no one to invoice
instead of failing them all (the rest still written all or nothing)."""

from __future__ import annotations

import gc
import json
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import bearer, login
from samarbeid.arenas.models import Arena, Membership
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import Budget, InvoiceRun
from samarbeid.finance.run_checks import first_open_year
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish

pytestmark = pytest.mark.django_db
DRAFT = {"issue_date": "2026-03-02", "due_days": "30", "seller_account": ""}
ALL = {"alle-issue_date": "2026-03-02", "alle-due_days": "30"}
# What the planner says of a base contribution with no one to share it (the demo's n-k).
NO_MEMBERS = "n-k har ingen medlemmer i 2026, så basisbidraget «Basisbidrag» kan ikke fordeles."


def _n_k() -> Arena:
    """The demo's n-k: a proposed arena, hosted by Tønsberg, that no council has joined,
    with a budget for 2026 (a base contribution split 100 % equally)."""
    arena: Any = h.ArenaFactory(short_name="n-k", host_municipality=h.municipality("3905", Y2026))
    h.equal_budget(arena, 2026, "600000.00")
    return arena


def _drafted(short_name: str, members: list[str], year: int = 2026) -> Arena:
    arena = h.arena(members, Y2026, host="3905", short_name=short_name)
    h.equal_budget(arena, year, "200000.00")
    return arena


def _refused(response: Any, words: str) -> None:
    assert response.status_code == 422
    content = response.content.decode()
    assert words in content
    assert 'aria-invalid="true"' in content  # said on the year's field
    assert not Job.objects.exists()


# One arena: refused before queueing, on the page and in the API --------------------------------


def test_a_budget_with_no_members_in_the_year_is_refused_on_the_page(
    client: Client, secretariat: Any
) -> None:
    arena = _n_k()
    login(client, secretariat)
    response = client.post(reverse("finance:run_create", args=[arena.pk]), DRAFT | {"year": "2026"})
    _refused(response, NO_MEMBERS)


def test_members_who_left_before_the_year_leave_no_one_to_invoice(
    client: Client, secretariat: Any
) -> None:
    arena = h.arena(VESTFOLD_NOW, date(2024, 1, 1), host="3905", short_name="n-k")
    Membership.objects.filter(arena=arena).update(left=date(2025, 12, 31))
    h.equal_budget(arena, 2026, "600000.00")
    login(client, secretariat)
    response = client.post(reverse("finance:run_create", args=[arena.pk]), DRAFT | {"year": "2026"})
    _refused(response, NO_MEMBERS)


def test_a_budget_without_lines_has_nothing_to_invoice(client: Client, secretariat: Any) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="12K")
    h.equal_budget(arena, 2026, None)
    login(client, secretariat)
    response = client.post(reverse("finance:run_create", args=[arena.pk]), DRAFT | {"year": "2026"})
    _refused(response, "12K har ingenting å fakturere for 2026.")


def test_a_line_that_cannot_be_split_is_refused_with_the_planners_words(
    client: Client, secretariat: Any
) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="12K")
    h.budget(arena, 2026, "400000.00", h.key(arena, 50, 50))  # per capita: no figures for 2025
    login(client, secretariat)
    response = client.post(reverse("finance:run_create", args=[arena.pk]), DRAFT | {"year": "2026"})
    assert response.status_code == 422
    content = response.content.decode()
    for name in ("Horten (3901)", "Tønsberg (3905)", "Larvik (3909)", "Færder (3911)"):
        assert name in content
    assert 'aria-invalid="true"' in content
    assert not Job.objects.exists()


def test_the_api_refuses_an_unsplittable_budget_on_the_year(
    client: Client, secretariat: Any
) -> None:
    arena = _n_k()
    response = client.post(
        "/api/v1/finance/run-tasks",
        json.dumps({"arena": arena.pk, "year": 2026}),
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["detail"] == NO_MEMBERS
    assert [(e["loc"][-1], e["msg"]) for e in problem["errors"]] == [("year", NO_MEMBERS)]
    assert not Job.objects.exists()


def test_the_task_still_refuses_in_the_same_words_when_the_members_leave_after_queueing(
    client: Client, secretariat: Any
) -> None:
    """The check before queueing and the task ask the same plan: a task queued while the
    budget could be split, and run after it no longer can, fails with the words the form
    now gives, and writes nothing."""
    arena = h.arena(VESTFOLD_NOW, date(2024, 1, 1), host="3905", short_name="n-k")
    h.equal_budget(arena, 2026, "600000.00")
    login(client, secretariat)
    queued = client.post(reverse("finance:run_create", args=[arena.pk]), DRAFT | {"year": "2026"})
    assert queued.status_code == 302
    Membership.objects.filter(arena=arena).update(left=date(2025, 12, 31))
    job = finish(queued)
    assert job.status == Job.Status.FAILED
    assert NO_MEMBERS in job.error
    assert not InvoiceRun.objects.exists()
    again = client.post(reverse("finance:run_create", args=[arena.pk]), DRAFT | {"year": "2026"})
    assert again.status_code == 422
    assert NO_MEMBERS in again.content.decode()
    assert Job.objects.count() == 1


def test_the_check_before_queueing_runs_a_bounded_number_of_queries(
    client: Client, secretariat: Any
) -> None:
    small = _drafted("SMALL", VESTFOLD_NOW[:2])
    large = _drafted("LARGE", VESTFOLD_NOW)
    h.project(large, "P1", VESTFOLD_NOW, Y2026)
    login(client, secretariat)
    client.get(reverse("finance:arena", args=[small.pk]))  # warm the session and content types
    counts = []
    for arena in (small, large):
        url = reverse("finance:run_create", args=[arena.pk])
        with CaptureQueriesContext(connection) as queries:
            assert client.post(url, DRAFT | {"year": "2026"}).status_code == 302
        counts.append(len(queries))
    assert counts[0] == counts[1]


# The form's year ---------------------------------------------------------------------------------


def test_the_arena_form_skips_a_year_whose_budget_cannot_be_split(
    client: Client, secretariat: Any
) -> None:
    # members from 2026: the 2025 budget has no one to invoice, 2026's can be drafted
    arena = _drafted("12K", VESTFOLD_NOW)
    h.budget(arena, 2025, "100000.00", h.key(arena, 100, 0, name="Likt 2025"))
    login(client, secretariat)
    page = client.get(reverse("finance:arena", args=[arena.pk])).content.decode()
    assert 'name="year" value="2026"' in page
    assert 'name="year" value="2025"' not in page
    assert first_open_year(arena) == 2026
    # none left that can be drafted: no year chosen (the clerk writes one and is told why)
    Budget.objects.filter(arena=arena, year=2026).delete()
    assert first_open_year(arena) is None
    page = client.get(reverse("finance:arena", args=[arena.pk])).content.decode()
    assert 'name="year" value=' not in page


def test_the_arena_page_asks_a_bounded_number_of_queries_for_the_form_year(
    client: Client, secretariat: Any
) -> None:
    small = _drafted("SMALL", VESTFOLD_NOW[:2])
    large = _drafted("LARGE", VESTFOLD_NOW)
    for arena in (small, large):
        h.budget(arena, 2027, "100000.00", h.key(arena, 100, 0, name="Likt 2027"))
    h.budget(large, 2025, "100000.00", h.key(large, 100, 0, name="Likt 2025"))
    login(client, secretariat)
    counts = []
    for arena in (small, large):
        url = reverse("finance:arena", args=[arena.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert 'name="year" value="2026"' in client.get(url).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_every_arena_form_offers_a_year_in_which_some_arena_has_members(
    client: Client, secretariat: Any
) -> None:
    n_k = _n_k()
    Budget.objects.filter(arena=n_k).update(year=2025)
    _drafted("AA", VESTFOLD_NOW)
    login(client, secretariat)
    index = client.get(reverse("finance:index")).content.decode()
    assert 'name="alle-year" value="2026"' in index
    assert first_open_year() == 2026


# Every arena: an arena with no one to invoice is left out, the rest drafted -----------------------


def test_every_arena_draft_leaves_out_an_arena_with_no_members(
    client: Client, secretariat: Any
) -> None:
    _drafted("AA", ["3901", "3905"])
    _drafted("BB", ["3905", "3909"])
    _n_k()
    login(client, secretariat)
    job = finish(client.post(reverse("finance:runs_create_all"), ALL | {"alle-year": "2026"}))
    assert job.status == Job.Status.DONE, job.error
    # the result names the arena left out, so the clerk knows which has no draft and why
    assert job.message == (
        "2 utkast til fakturakjøringer for 2026 er laget. "
        "1 arena har ingen å fakturere i 2026 og er ikke med: n-k."
    )
    drafted = InvoiceRun.objects.filter(year=2026).values_list("arena__short_name", flat=True)
    assert sorted(drafted) == ["AA", "BB"]
    english = client.get(job.get_absolute_url() + "?lang=en").content.decode()
    assert "1 arena has no one to invoice in 2026 and is left out: n-k." in english


def test_every_arena_draft_for_a_year_only_arenas_without_members_have_is_refused(
    client: Client, secretariat: Any
) -> None:
    _n_k()
    login(client, secretariat)
    response = client.post(reverse("finance:runs_create_all"), ALL | {"alle-year": "2026"})
    _refused(
        response,
        "Ingen arena med et budsjett for 2026 uten fakturakjøring har noen å fakturere det året.",
    )
    assert first_open_year() is None


def test_a_project_line_with_participants_is_drafted_without_members(
    client: Client, secretariat: Any
) -> None:
    """An arena with no members whose budget has only a project's line, with participants
    that year, has someone to invoice: it is not left out."""
    from samarbeid.finance.models import BudgetLine

    arena: Any = h.ArenaFactory(short_name="PP", host_municipality=h.municipality("3905", Y2026))
    project = h.project(arena, "P1", ["3901", "3909"], Y2026)
    key = h.key(arena, 100, 0)
    budget = h.budget(arena, 2026, None, key)
    BudgetLine.objects.create(
        budget=budget,
        kind=BudgetLine.Kind.PROJECT,
        project=project,
        description="Prosjekt",
        amount="50000.00",
        key=key,
    )
    assert first_open_year() == 2026
    login(client, secretariat)
    job = finish(client.post(reverse("finance:runs_create_all"), ALL | {"alle-year": "2026"}))
    assert job.status == Job.Status.DONE, job.error
    assert InvoiceRun.objects.get().arena == arena


# The national run pauses the cycle collector ------------------------------------------------


def test_a_run_is_made_with_the_cycle_collector_paused(secretariat: Any) -> None:
    """create_runs pauses Python's cycle collector while it plans and writes (a fifth of a
    national run's CPU); the pause had slipped onto a message function above it."""
    arena = _drafted("12K", VESTFOLD_NOW)
    seen: list[bool] = []
    assert gc.isenabled()
    create_run(arena, 2026, actor=secretariat, progress=lambda _text: seen.append(gc.isenabled()))
    assert seen
    assert not any(seen)
    assert gc.isenabled()
