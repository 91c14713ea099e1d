"""A clerk's trial of the background tasks (issue 20): the list shows how far each task has
come, when it ended and its result, a page at a time; the page names the step being worked
on; no green "queued" above a red failure; a second click goes to the task already under
way (page and API); a failed task links to where it can be mended."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from conftest import bearer, login
from samarbeid.arenas.models import Arena, Membership
from samarbeid.finance.models import InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.jobs import services
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import failed_task, finish, run_worker
from samarbeid.jobs.views import TASKS_PER_PAGE

pytestmark = pytest.mark.django_db


def _steps(actor: Any, steps: int = 3, arena: Any = None) -> Job:
    return services.start(
        "test_steps", actor=actor, title="Telling", arena=arena, params={"steps": steps}
    )


# 1. the list: progress, end time, result; paged ---------------------------------------------


def test_the_list_shows_progress_end_time_and_result(client: Client, secretariat: Any) -> None:
    done = _steps(secretariat, steps=3)
    failed = failed_task(secretariat)
    done.refresh_from_db()
    assert Job.objects.get(pk=failed.pk).status == Job.Status.FAILED
    running = _steps(secretariat, steps=2)
    Job.objects.filter(pk=running.pk).update(
        status=Job.Status.RUNNING, steps_done=0, steps_total=2, step_text="Samler tallene"
    )
    login(client, secretariat)
    page = client.get(reverse("jobs:job_list")).content.decode()
    for column in ("Status", "Resultat", "Avsluttet"):
        assert f'<th scope="col">{column}</th>' in page
    assert "Steg 1 av 2" in page  # the running one, on its first step
    assert "Steg 0 av 2" not in page
    # the finished one: its end time, its link and its file
    assert f"{done.finished_at.astimezone().strftime('%d.%m.%Y %H:%M:%S')}" in page
    assert '<a class="ds-link job-link" href="/arenaer/">Til arenaene</a>' in page
    assert reverse("jobs:job_download", args=[done.pk]) in page
    assert "Last ned telling.csv" in page
    # the result of a failed task is why it failed (its status already says "Feilet")
    assert '<td data-label="Resultat">Tallene for 1902 mangler.</td>' in page


def test_the_list_is_paged_with_a_bounded_number_of_queries(
    client: Client, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    login(client, secretariat)
    for n in range(3):
        _steps(secretariat, steps=n + 1)
    client.get(reverse("jobs:job_list"))  # warmed up
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("jobs:job_list"))
    for n in range(TASKS_PER_PAGE + 5):
        _steps(secretariat, steps=n + 10)
    with django_assert_max_num_queries(12) as many:
        page = client.get(reverse("jobs:job_list")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert page.count('<th scope="row">') == TASKS_PER_PAGE
    assert "Side 1 av 2" in page
    second = client.get(reverse("jobs:job_list") + "?page=2").content.decode()
    assert second.count('<th scope="row">') == 3 + TASKS_PER_PAGE + 5 - TASKS_PER_PAGE


def test_the_header_link_names_the_page(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    page = client.get(reverse("jobs:job_list")).content.decode()
    assert f'href="{reverse("jobs:job_list")}">Bakgrunnsoppgaver</a>' in page
    assert "Mine oppgaver" not in page


# 2. the step being worked on ----------------------------------------------------------------


def test_the_page_names_the_step_being_worked_on(client: Client, secretariat: Any) -> None:
    job = _steps(secretariat, steps=2)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        steps_done=0,
        steps_total=2,
        step_text="Samler tallene for årsrapporten",
    )
    login(client, secretariat)
    status = reverse("jobs:job_status", args=[job.pk])
    shown = client.get(status).content.decode()
    assert "Steg 1 av 2" in shown
    assert "Steg 0 av 2" not in shown
    assert "Samler tallene for årsrapporten" in shown
    # the last step's wrap-up is still the last step, never "3 of 2"
    Job.objects.filter(pk=job.pk).update(steps_done=2, step_text="Lagret")
    assert "Steg 2 av 2" in client.get(status).content.decode()
    # the API keeps its counts: steps done, not the step under way
    task = client.get(f"/api/v1/tasks/{job.pk}").json()
    assert (task["steps_done"], task["steps_total"]) == (2, 2)


# 3. no success flash where a task is queued ------------------------------------------------


def test_a_queued_task_does_not_flash_success_above_its_failure(
    client: Client, secretariat: Any
) -> None:
    # the members leave after the task is queued: the 2026 budget passed the checks made
    # before queueing, and the task fails as it splits the costs (nobody to split them among)
    arena = h.run_ready_arena()
    login(client, secretariat)
    response = client.post(reverse("finance:run_create", args=[arena.pk]), h.RUN_FORM)
    assert response.status_code == 302
    Membership.objects.filter(arena=arena).update(joined=date(2027, 1, 1))
    job = finish(response)
    assert job.status == Job.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "Oppgaven feilet" in page
    assert "lages i bakgrunnen" not in page
    assert 'data-color="success"' not in page
    # trying again flashes nothing green either
    retried = client.post(reverse("jobs:job_retry", args=[job.pk]))
    assert retried.status_code == 302
    run_worker()
    page = client.get(retried["Location"]).content.decode()
    assert "Oppgaven feilet" in page
    assert "lagt i kø igjen" not in page
    assert 'data-color="success"' not in page


def test_every_arena_drafted_flashes_nothing(client: Client, secretariat: Any) -> None:
    h.run_ready_arena()
    login(client, secretariat)
    form = {"alle-year": "2026", "alle-issue_date": "2026-03-02", "alle-due_days": "30"}
    response = client.post(reverse("finance:runs_create_all"), form)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "lages i bakgrunnen" not in page
    assert 'data-color="success"' not in page


# 4. a double click queues one task ----------------------------------------------------------


def test_a_second_click_goes_to_the_task_under_way(client: Client, secretariat: Any) -> None:
    arena = h.run_ready_arena()
    login(client, secretariat)
    url = reverse("finance:run_create", args=[arena.pk])
    first = client.post(url, h.RUN_FORM)
    second = client.post(url, h.RUN_FORM)
    job = Job.objects.get()  # one task, not two
    assert first["Location"] == job.get_absolute_url()
    assert second["Location"] == f"{reverse('jobs:job_detail', args=[job.pk])}?allerede=1"
    page = client.get(second["Location"]).content.decode()
    assert "Du har allerede startet denne oppgaven" in page
    # the page's polling keeps saying so while the task waits
    assert f'hx-get="{reverse("jobs:job_status", args=[job.pk])}?allerede=1"' in page
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert InvoiceRun.objects.count() == 1
    # once it has ended, the page no longer says it is under way
    assert "allerede startet denne oppgaven" not in client.get(second["Location"]).content.decode()
    # and a new start after it ended is not sent to the ended task: here it is refused at
    # once, since the run it would make exists, and nothing is queued
    again = client.post(url, h.RUN_FORM)
    assert again.status_code == 422
    assert "BT har allerede en fakturakjøring for 2026." in again.content.decode()
    assert Job.objects.count() == 1


def test_a_second_start_of_a_different_target_is_its_own_task(
    secretariat: Any, coordinator: Any
) -> None:
    one = _steps(secretariat, steps=2)
    assert _steps(secretariat, steps=2).pk == one.pk
    assert _steps(secretariat, steps=2).already_queued
    assert not one.already_queued
    assert _steps(secretariat, steps=3).pk != one.pk  # other parameters
    assert Job.objects.count() == 2
    # a failed one is not under way: starting it again queues a new task
    failed = failed_task(secretariat)
    again = services.start("test_fails", actor=secretariat, title="Folketall")
    assert again.pk != failed.pk
    assert not again.already_queued


def test_the_api_answers_202_with_the_task_under_way(client: Client, secretariat: Any) -> None:
    arena = h.run_ready_arena()
    headers = bearer(secretariat)
    body = json.dumps({"arena": arena.pk, "year": 2026, "issue_date": "2026-03-02"})
    first = client.post(
        "/api/v1/finance/run-tasks", body, content_type="application/json", headers=headers
    )
    second = client.post(
        "/api/v1/finance/run-tasks", body, content_type="application/json", headers=headers
    )
    assert (first.status_code, second.status_code) == (202, 202)
    job = Job.objects.get()
    assert first["Location"] == second["Location"] == f"/api/v1/tasks/{job.pk}"
    assert second.json()["id"] == job.pk
    assert second.json()["url"] == reverse("jobs:job_detail", args=[job.pk])
    # a page's click while the API's task waits goes to it too (how it was asked differs)
    login(client, secretariat)
    page = client.post(reverse("finance:run_create", args=[arena.pk]), h.RUN_FORM)
    assert page["Location"].startswith(reverse("jobs:job_detail", args=[job.pk]))
    assert Job.objects.count() == 1


# 5. a failed task links to where it is mended -----------------------------------------------


def test_a_failed_draft_links_to_its_budget(client: Client, secretariat: Any) -> None:
    arena = h.run_ready_arena()
    Arena.objects.filter(pk=arena.pk).update(host_municipality=None)  # refused: no host
    login(client, secretariat)
    response = client.post(reverse("finance:run_create", args=[arena.pk]), h.RUN_FORM)
    job = finish(response)
    assert job.status == Job.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    budget = arena.budgets.get(year=2026)
    assert f'href="{budget.get_absolute_url()}">Gå til budsjettet 2026 for BT</a>' in page


def test_a_failed_run_action_links_to_the_run(client: Client, secretariat: Any) -> None:
    arena = h.run_ready_arena()
    login(client, secretariat)
    assert finish(client.post(reverse("finance:run_create", args=[arena.pk]), h.RUN_FORM)).link
    run = InvoiceRun.objects.get()
    # queued on the run as it was; someone else changes the run before the worker comes to
    # it: the task is refused as it runs, nothing written
    response = client.post(
        reverse("finance:run_action", args=[run.pk, "refresh"]), {"version": run.version}
    )
    InvoiceRun.objects.filter(pk=run.pk).update(version=F("version") + 1)
    job = finish(response)
    assert job.status == Job.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert f'href="{run.get_absolute_url()}">Gå til fakturakjøringen 2026 for BT</a>' in page


def test_a_task_without_a_target_links_nowhere_new(client: Client, secretariat: Any) -> None:
    job = failed_task(secretariat)
    login(client, secretariat)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Gå til" not in page


# 6. status first on the page ----------------------------------------------------------------


def test_the_status_comes_before_what_the_task_is(client: Client, secretariat: Any) -> None:
    job = _steps(secretariat)
    run_worker()
    login(client, secretariat)
    page = client.get(job.get_absolute_url()).content.decode()
    assert page.index('id="job-status"') < page.index("Startet av") < page.index("Avsluttet")
    assert page.index("Telte til 3.") < page.index("Lagt i kø")
    # the poll brings the facts too (started, ended), outside the live region
    poll = client.get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert 'id="job-facts" hx-swap-oob="true"' in poll
    assert "Avsluttet" in poll


# 7. counts made singular --------------------------------------------------------------------


def test_one_draft_is_said_in_the_singular(client: Client, secretariat: Any) -> None:
    h.run_ready_arena()
    login(client, secretariat)
    form = {"alle-year": "2026", "alle-issue_date": "2026-03-02", "alle-due_days": "30"}
    job = finish(client.post(reverse("finance:runs_create_all"), form))
    assert job.status == Job.Status.DONE, job.error
    assert job.message == "1 utkast til fakturakjøring for 2026 er laget."
    with translation.override("en"):
        assert (
            ngettext("Kontrollerer %(count)s budsjett", "Kontrollerer %(count)s budsjetter", 1)
            % {"count": 1}
            == "Checking 1 budget"
        )


def test_the_population_task_page_says_which_file_it_reads(
    client: Client, secretariat: Any
) -> None:
    """A second trial: the task's own upload page said only «Fil», where the municipality's
    population page names SSB's table 07459 and its form."""
    login(client, secretariat)
    page = client.get(reverse("jobs:job_start", args=["import_population"])).content.decode()
    assert "SSB-tabell 07459 (befolkning 1. januar)" in page
    assert "semikolonseparert CSV i UTF-8" in page
    # the task list's "Start en oppgave" links are the 24 px tall links of the task pages
    listing = client.get(reverse("jobs:job_list")).content.decode()
    start = reverse("jobs:job_start", args=["import_population"])
    assert f'<a class="ds-link job-link" href="{start}">' in listing
