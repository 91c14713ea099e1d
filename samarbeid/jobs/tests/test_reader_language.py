"""A task reads in the reader's language, not its starter's (issue 20, from a clerk's trial):
a clerk starts an invoice run's draft in bokmål, a colleague reads its page, the list and
the API in English. A refusal a service worded keeps its starter's language and is marked
so (lang attribute, WCAG 3.1.2), with a line that says why."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import bearer
from samarbeid.arenas.models import Membership
from samarbeid.finance.models import InvoiceRun
from samarbeid.finance.run_steps import delete_run
from samarbeid.finance.tests import helpers as h
from samarbeid.jobs import services
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import failed_task, finish, run_worker

pytestmark = pytest.mark.django_db


def _drafted(client: Client) -> Job:
    arena = h.run_ready_arena()
    job = finish(client.post(reverse("finance:run_create", args=[arena.pk]), h.RUN_FORM))
    assert job.status == Job.Status.DONE, job.error
    return job


def test_a_draft_started_in_bokmal_reads_in_english(
    secretariat_client: Client, secretariat: Any
) -> None:
    job = _drafted(secretariat_client)
    norwegian = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert "Utkast til fakturakjøring 2026 for BT" in norwegian
    assert "Gå til fakturakjøringen 2026 for BT" in norwegian

    english = secretariat_client.get(job.get_absolute_url() + "?lang=en").content.decode()
    assert "Draft invoice run 2026 for BT" in english
    assert "Utkast til fakturakjøring" not in english
    assert "Gå til fakturakjøringen" not in english
    assert "Go to the invoice run 2026 for BT" in english

    listed = secretariat_client.get(reverse("jobs:job_list") + "?lang=en").content.decode()
    assert "Draft invoice run 2026 for BT" in listed
    assert "Utkast til fakturakjøring" not in listed


def test_the_api_tells_a_task_in_the_callers_language(
    client: Client, secretariat_client: Client, secretariat: Any
) -> None:
    job = _drafted(secretariat_client)
    headers = bearer(secretariat)
    url = f"/api/v1/tasks/{job.pk}"
    norwegian = client.get(url, headers=headers).json()
    english = client.get(url + "?lang=en", headers=headers).json()
    assert norwegian["title"] == "Utkast til fakturakjøring 2026 for BT"
    assert english["title"] == "Draft invoice run 2026 for BT"
    assert english["message"] != norwegian["message"]
    assert "Utkast" not in english["message"]


def test_a_step_under_way_reads_in_the_readers_language(secretariat: Any) -> None:
    job = services.start("test_steps", actor=secretariat, title="Telling", params={"steps": 1})
    progress = services.Progress(job)
    progress(services.phrase("Leser og kontrollerer filen"), done=0, total=2)
    stored = Job.objects.get(pk=job.pk)
    stored.status = Job.Status.RUNNING
    with translation.override("en"):
        assert stored.shown_step == "Reading and checking the file"
    with translation.override("nb"):
        assert stored.shown_step == "Leser og kontrollerer filen"


def test_a_refusal_worded_by_a_service_is_marked_with_its_language(
    secretariat_client: Client, secretariat: Any
) -> None:
    job = failed_task(secretariat)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error_language == "nb"

    english = secretariat_client.get(job.get_absolute_url() + "?lang=en").content.decode()
    assert '<p class="ds-paragraph" lang="nb">Tallene for 1902 mangler.</p>' in english
    assert "The error is in the language of whoever started the task." in english
    norwegian = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert "Tallene for 1902 mangler." in norwegian
    assert "Feilen står på språket til den som startet oppgaven." not in norwegian


def test_a_refusal_this_layer_words_reads_in_the_readers_language(
    secretariat_client: Client, secretariat: Any
) -> None:
    """A task whose starter has lost the right fails with the jobs layer's own phrase: it
    reads in English for an English reader, unmarked."""
    job = services.start("test_refused", actor=secretariat, title="Nektet")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error_language == ""
    english = secretariat_client.get(job.get_absolute_url() + "?lang=en").content.decode()
    assert "Den som startet oppgaven" not in english
    assert "no longer" in english
    assert '<p class="ds-paragraph" lang="nb">' not in english


def test_a_finished_drafts_page_says_its_run_was_deleted_since(
    secretariat_client: Client, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    """The draft's task linked to its run; the run was deleted afterwards: the task's page
    and the list say so instead of a link that answers 404, and the page leads to the
    budget the run was made from."""
    job = _drafted(secretariat_client)
    run = InvoiceRun.objects.get()
    assert job.link == run.get_absolute_url()
    delete_run(run, expected_version=run.version, actor=secretariat)
    assert secretariat_client.get(job.link).status_code == 404

    page = secretariat_client.get(job.get_absolute_url()).content.decode()
    assert "Fakturakjøringen er slettet etter at oppgaven var ferdig." in page
    assert f'href="{job.link}"' not in page
    assert "Gå til budsjettet 2026 for BT" in page
    english = secretariat_client.get(job.get_absolute_url() + "?lang=en").content.decode()
    assert "The invoice run was deleted after the task had finished." in english

    with django_assert_max_num_queries(12):
        listed = secretariat_client.get(reverse("jobs:job_list")).content.decode()
    assert "Fakturakjøringen er slettet etter at oppgaven var ferdig." in listed
    assert f'href="{job.link}"' not in listed


def test_a_refusal_a_service_gives_as_a_phrase_reads_in_the_readers_language(
    secretariat_client: Client, secretariat: Any
) -> None:
    """A service that refuses with phrases (ValidationError(phrase(...)), on a field or
    not) is told in the reader's language, unmarked, like the task's other texts."""
    job = services.start("test_refused_in_phrases", actor=secretariat, title="Nektet")
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "BT har ikke noe budsjett for 2027."  # as its starter read it
    assert job.error_language == ""
    english = secretariat_client.get(job.get_absolute_url() + "?lang=en").content.decode()
    assert "BT has no budget for 2027." in english
    assert "har ikke noe budsjett" not in english
    assert "The error is in the language" not in english


def test_the_api_says_a_drafts_run_was_deleted_since(
    client: Client, secretariat_client: Client, secretariat: Any
) -> None:
    """The API, like the page, gives no link that answers 404 once the run is deleted."""
    job = _drafted(secretariat_client)
    run = InvoiceRun.objects.get()
    headers = bearer(secretariat)
    before = client.get(f"/api/v1/tasks/{job.pk}", headers=headers).json()
    assert (before["link"], before["result_gone"]) == (run.get_absolute_url(), "")
    delete_run(run, expected_version=run.version, actor=secretariat)
    after = client.get(f"/api/v1/tasks/{job.pk}?lang=en", headers=headers).json()
    assert after["link"] == ""
    assert after["result_gone"] == "The invoice run was deleted after the task had finished."
    listed = client.get("/api/v1/tasks", headers=headers).json()
    task = next(t for t in listed["items"] if t["id"] == job.pk)
    assert task["link"] == ""
    assert task["result_gone"] == "Fakturakjøringen er slettet etter at oppgaven var ferdig."


def test_the_api_names_the_language_of_an_error_a_service_worded(
    client: Client, secretariat: Any
) -> None:
    job = failed_task(secretariat)
    task = client.get(f"/api/v1/tasks/{job.pk}?lang=en", headers=bearer(secretariat)).json()
    assert (task["error"], task["error_language"]) == ("Tallene for 1902 mangler.", "nb")


def test_a_drafts_refusal_in_the_task_reads_in_english(
    secretariat_client: Client, secretariat: Any
) -> None:
    """A real refusal met in the task (the members left after the draft was queued) is the
    planner's phrase: read in English, unmarked."""
    arena = h.run_ready_arena()
    queued = secretariat_client.post(reverse("finance:run_create", args=[arena.pk]), h.RUN_FORM)
    assert queued.status_code == 302
    Membership.objects.filter(arena=arena).update(joined=date(2027, 1, 1))
    job = finish(queued)
    assert job.status == Job.Status.FAILED
    assert "har ingen medlemmer i 2026" in job.error
    assert job.error_language == ""
    english = secretariat_client.get(job.get_absolute_url() + "?lang=en").content.decode()
    assert "has no members in 2026" in english
    assert "har ingen medlemmer" not in english


def test_the_list_gives_a_failed_imports_first_problem(
    secretariat_client: Client, secretariat: Any
) -> None:
    """A second trial read «Ingenting ble lagret. Filen har disse feilene: kommuner-feil.csv,
    linje 2: KODE…» cut off in the list: it gives the first problem, and that there are more."""
    job = services.start("test_fails", actor=secretariat, title="Import")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED,
        error="Ingenting ble lagret. Filen har disse feilene:\nf.csv, linje 2: feil A\n"
        "f.csv, linje 3: feil B",
    )
    listed = secretariat_client.get(reverse("jobs:job_list")).content.decode()
    assert "Første av flere feil: f.csv, linje 2: feil A" in listed


def test_each_import_start_page_says_which_file_it_wants(secretariat_client: Client) -> None:
    for kind, words in (
        ("import_municipalities", "GRUPPEKODE;GRUPPETEKST;KODE;TEKST"),
        ("import_legal_entities", "organisasjonsnummer og navn"),
        ("import_population", "07459"),
    ):
        page = secretariat_client.get(reverse("jobs:job_start", args=[kind])).content.decode()
        assert words in page, kind
