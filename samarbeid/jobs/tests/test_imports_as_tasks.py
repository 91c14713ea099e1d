"""The imports (municipalities, population, legal entities) and the export and import of the
whole data set as background tasks: the file uploaded on the start page is kept with the
task in the database, the real worker runs the same service as the command, all or
nothing, and a failed task names the file, the line and the problem."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish
from samarbeid.registry.models import LegalEntity, Municipality, Population

pytestmark = pytest.mark.django_db

SSB = '"07459: Befolkning"\n""\n"region";"Personer 2024"\n'
UNIT = {
    "organisasjonsnummer": "921383681",
    "navn": "TØNSBERG KOMMUNE",
    "organisasjonsform": {"kode": "KOMM"},
}


def _upload(client: Client, kind: str, name: str, content: bytes) -> Any:
    return client.post(
        f"/oppgaver/ny/{kind}/", {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def test_the_start_page_lists_the_imports_to_a_national_secretariat_only(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    login(client, secretariat)
    page = client.get("/oppgaver/").content.decode()
    for kind in ("import_population", "import_municipalities", "import_legal_entities"):
        assert f"/oppgaver/ny/{kind}/" in page
        form = client.get(f"/oppgaver/ny/{kind}/").content.decode()
        assert 'enctype="multipart/form-data"' in form
        assert 'for="id_file"' in form
    login(client, coordinator)
    assert "/oppgaver/ny/import_population/" not in client.get("/oppgaver/").content.decode()
    assert client.get("/oppgaver/ny/import_population/").status_code == 403
    assert _upload(client, "import_population", "07459.csv", b"x").status_code == 403
    assert Job.objects.count() == 0
    assert client.get("/oppgaver/ny/no_such_kind/").status_code == 404


def test_a_population_upload_is_kept_with_the_task_and_run_by_the_worker(
    client: Client, secretariat: Any
) -> None:
    login(client, secretariat)
    content = (SSB + '"K-3909 Larvik";47123\n').encode()
    response = _upload(client, "import_population", "07459.csv", content)
    queued = Job.objects.get()
    # kept in the database (not on this server's disk), for a worker on any machine
    assert (queued.upload_name, bytes(queued.upload)) == ("07459.csv", content)
    assert queued.status == Job.Status.WAITING
    job = finish(response)
    assert job.status == Job.Status.DONE, job.error
    assert "07459.csv" in job.message
    assert (job.steps_done, job.steps_total) == (2, 2)
    larvik = Municipality.objects.current().get(number="3909")
    assert Population.objects.get(municipality=larvik, year=2024).count == 47123


def test_a_bad_row_writes_nothing_and_the_error_names_file_line_and_problem(
    client: Client, secretariat: Any
) -> None:
    login(client, secretariat)
    before = Population.objects.count()
    content = (SSB + '"K-3909 Larvik";47123\n"K-9876 Ukjent";100\n').encode()
    job = finish(_upload(client, "import_population", "07459.csv", content))
    assert job.status == Job.Status.FAILED
    assert "07459.csv" in job.error
    assert "5" in job.error  # the line
    assert "9876" in job.error  # the problem: an unknown number
    assert Population.objects.count() == before  # Larvik's good row is not written either
    page = client.get(job.get_absolute_url()).content.decode()
    assert "9876" in page
    # rerunning the same file cannot help: a corrected file is uploaded instead
    assert "Prøv igjen" not in page
    assert reverse("jobs:job_retry", args=[job.pk]) not in page
    assert "Rett feilene i 07459.csv og last opp den rettede filen." in page
    assert f'href="{reverse("jobs:job_start", args=["import_population"])}"' in page
    assert page.count("ngenting ble lagret") == 1


def test_the_tasks_list_stacks_on_a_phone(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    finish(_upload(client, "import_population", "07459.csv", b"x"))
    page = client.get(reverse("jobs:job_list")).content.decode()
    assert '<table class="ds-table stack-on-phone"' in page
    assert '<td data-label="Status">' in page


def test_legal_entities_and_municipalities_import_as_tasks(
    client: Client, secretariat: Any
) -> None:
    login(client, secretariat)
    job = finish(
        _upload(client, "import_legal_entities", "enheter.json", json.dumps([UNIT]).encode())
    )
    assert job.status == Job.Status.DONE, job.error
    assert LegalEntity.objects.get(organisation_number="921383681").name == "TØNSBERG KOMMUNE"

    bad = json.dumps([UNIT, {"organisasjonsnummer": "123", "navn": "X"}]).encode()
    LegalEntity.objects.all().delete()
    job = finish(_upload(client, "import_legal_entities", "enheter2.json", bad))
    assert job.status == Job.Status.FAILED
    assert "enheter2.json" in job.error
    assert LegalEntity.objects.count() == 0  # the good unit is not written either

    job = finish(_upload(client, "import_municipalities", "klass.csv", b"feil;overskrift\n"))
    assert job.status == Job.Status.FAILED
    assert "klass.csv" in job.error
    assert "linje 1" in job.error  # the column: in its starter's language, bokmål here


def test_export_and_import_of_everything_as_tasks(client: Client, django_user_model: Any) -> None:
    admin = django_user_model.objects.create_superuser("admin", "admin@example.no", "x")
    login(client, admin)
    response = client.post("/oppgaver/ny/export_all/")
    job = finish(response)
    assert job.status == Job.Status.DONE, job.error
    download = client.get(f"/oppgaver/{job.pk}/fil/")
    assert download.status_code == 200
    exported = json.loads(
        b"".join(download.streaming_content if download.streaming else [download.content])
    )
    assert exported["format"] == "samarbeid-export"
    assert any(r["model"] == "registry.municipality" for r in exported["records"])

    # a broken file is refused whole: the error names the file and the record
    broken = {"format": "samarbeid-export", "version": 1, "records": [{"model": "nope.nope"}]}
    job = finish(_upload(client, "import_all", "alt.json", json.dumps(broken).encode()))
    assert job.status == Job.Status.FAILED
    assert "alt.json: nope.nope" in job.error


def test_a_failed_import_is_not_retried_with_the_same_file_by_page_or_api(
    client: Client, secretariat: Any
) -> None:
    """The page asks for a corrected file; the API said `retryable: true` and would run the
    same bad file again (a clerk's trial). One rule: an import that failed needs a new file."""
    login(client, secretariat)
    job = finish(_upload(client, "import_population", "07459.csv", b"x"))
    assert job.status == Job.Status.FAILED
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("jobs:job_retry", args=[job.pk]) not in page
    assert 'data-color="danger"' in page  # "Feilet" does not look like "Ferdig"
    listed = client.get(reverse("jobs:job_list")).content.decode()
    assert 'data-color="danger">Feilet<' in listed
    headers = bearer(secretariat)
    assert client.get(f"/api/v1/tasks/{job.pk}", headers=headers).json()["retryable"] is False
    refused = problem_of(client.post(f"/api/v1/tasks/{job.pk}/retry", headers=headers), 422)
    assert "07459.csv" in json.dumps(refused, ensure_ascii=False)
    assert client.post(reverse("jobs:job_retry", args=[job.pk])).status_code in (200, 302)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
