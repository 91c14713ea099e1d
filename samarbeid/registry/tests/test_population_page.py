"""The population page (issue 19 point 3): a municipality's figures entered and corrected on a
page, Statistics Norway's file loaded next to them (checked whole, as the command does), the
API twin of the upload, and every "Mangler folketall" message linking there."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.finance.tests import helpers as h
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish, finish_api
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.tests.helpers import put_population

pytestmark = pytest.mark.django_db

FILES = "/api/v1/population-files"
JSON = "application/json"

GOOD_FILE = (
    '"07459: Befolkning, etter region og år"\n'
    '"1. januar"\n'
    '"region";"Personer 2024";"Personer 2025"\n'
    '"K-3909 Larvik";47001;47500\n'
    '"K-3901 Horten";27631;27700\n'
)
BAD_FILE = (
    '"07459: Befolkning, etter region og år"\n'
    '"1. januar"\n'
    '"region";"Personer 2024";"Personer 2025"\n'
    '"K-3909 Larvik";47001;47500\n'
    '"K-3901 Horten";27631;mange\n'
    '"K-9876 Ukjent";100;100\n'
)


def _page(larvik: Municipality) -> str:
    return reverse("registry:population", args=[larvik.code])


def _save(larvik: Municipality) -> str:
    return reverse("registry:population_save", args=[larvik.code])


def _upload(larvik: Municipality) -> str:
    return reverse("registry:population_import", args=[larvik.code])


def _file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("07459.csv", text.encode(), "text/csv")


# --- Who may ---------------------------------------------------------------------------------


def test_the_municipality_page_links_there_for_those_who_may(
    client: Client, larvik: Municipality, secretariat: Any, reader: Any
) -> None:
    detail = larvik.get_absolute_url()
    assert _page(larvik) not in client.get(detail).content.decode()  # the public
    assert _page(larvik) not in login(client, reader).get(detail).content.decode()
    page = login(client, secretariat).get(detail).content.decode()
    assert f'href="{_page(larvik)}"' in page
    assert "Registrer eller rett folketall" in page


def test_the_anonymous_are_sent_to_log_in_and_others_refused(
    client: Client, larvik: Municipality, reader: Any, other_coordinator: Any
) -> None:
    anonymous = client.get(_page(larvik))
    assert anonymous.status_code == 302
    assert "/logg-inn/" in anonymous["Location"]
    assert login(client, reader).get(_page(larvik)).status_code == 403
    assert login(client, other_coordinator).get(_page(larvik)).status_code == 403
    refused = client.post(_save(larvik), {"year": "2024", "count": "1", "version": "0"})
    assert refused.status_code == 403
    assert client.get(reverse("registry:population", args=["9876"])).status_code == 404
    assert not Population.objects.exists()


def test_the_coordinator_enters_their_own_figure_but_not_the_file(
    client: Client, larvik: Municipality, coordinator: Any
) -> None:
    login(client, coordinator)
    page = client.get(_page(larvik)).content.decode()
    assert "Lagre folketallet" in page
    assert "Last inn filen" not in page  # the file is the secretariat's
    response = client.post(_save(larvik), {"year": "2024", "count": "47001", "version": "0"})
    assert response.status_code == 302
    assert Population.objects.get(municipality=larvik, year=2024).count == 47001
    refused = client.post(_upload(larvik), {"file": _file(GOOD_FILE)})
    assert refused.status_code == 403
    assert Population.objects.count() == 1


# --- Entering and correcting a figure --------------------------------------------------------


def test_the_secretariat_enters_a_figure_audited_on_the_page_channel(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    login(client, secretariat)
    response = client.post(
        _save(larvik), {"year": "2025", "count": "47 512", "version": "0"}, follow=True
    )
    content = response.content.decode()
    assert "Folketallet for Larvik per 1. januar 2025 er lagret." in content
    assert "47" in content
    assert "512" in content
    figure = Population.objects.get(municipality=larvik, year=2025)
    assert (figure.count, figure.version, figure.is_example_data) == (47512, 1, False)
    entry = AuditEntry.objects.get(object_id=str(figure.pk), action=AuditEntry.Action.CREATE)
    assert entry.channel == Channel.PAGE
    assert entry.actor == secretariat


def test_a_correction_starts_from_the_stored_figure_and_its_version(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    figure = Population.objects.create(municipality=larvik, year=2024, count=47000)
    login(client, secretariat)
    form = client.get(_page(larvik), {"year": "2024"}).context["form"]
    assert form.initial == {"year": 2024, "version": 1, "count": 47000}
    response = client.post(_save(larvik), {"year": "2024", "count": "47100", "version": "1"})
    assert response.status_code == 302
    figure.refresh_from_db()
    assert (figure.count, figure.version) == (47100, 2)
    assert AuditEntry.objects.filter(
        object_id=str(figure.pk), action=AuditEntry.Action.UPDATE
    ).exists()


def test_a_figure_someone_saved_meanwhile_is_not_overwritten(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    figure = Population.objects.create(municipality=larvik, year=2024, count=47000)
    login(client, secretariat)
    # began from version 1; someone saved since (version 2)
    Population.objects.filter(pk=figure.pk).update(count=47050, version=2)
    stale = client.post(_save(larvik), {"year": "2024", "count": "47100", "version": "1"})
    assert stale.status_code == 200
    assert "Noen andre har lagret en nyere versjon" in stale.content.decode()
    # began from the empty form (no figure seen) while one was stored
    unseen = client.post(_save(larvik), {"year": "2024", "count": "47100", "version": "0"})
    assert "Noen andre har lagret en nyere versjon" in unseen.content.decode()
    figure.refresh_from_db()
    assert figure.count == 47050


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": "2024", "count": "mange"}, "count", "Oppgi et heltall."),
        # a population is at least 1 (the clerk's trial: 0 was accepted)
        ({"year": "2024", "count": "-5"}, "count", "Folketallet må være minst 1."),
        ({"year": "2024", "count": "3000000"}, "count", "mindre enn eller lik 2000000"),
        ({"year": "1800", "count": "10"}, "year", "større enn eller lik 1900"),
        ({"year": "", "count": "10"}, "year", "Feltet er påkrevd."),
    ],
)
def test_bad_figures_are_field_errors_and_nothing_is_saved(
    client: Client,
    larvik: Municipality,
    secretariat: Any,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    login(client, secretariat)
    response = client.post(_save(larvik), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert not Population.objects.exists()


def test_a_former_municipality_takes_figures_only_for_its_own_years(
    client: Client, secretariat: Any
) -> None:
    lardal = Municipality.objects.get(code="0728")
    login(client, secretariat)
    late = client.post(_save(lardal), {"year": "2020", "count": "2500", "version": "0"})
    assert late.status_code == 200
    assert response_errors(late)["year"] == ["Lardal (0728) fantes ikke 1. januar 2020."]
    ok = client.post(_save(lardal), {"year": "2017", "count": "2450", "version": "0"})
    assert ok.status_code == 302
    assert Population.objects.get().count == 2450


def response_errors(response: Any) -> dict[str, list[str]]:
    return dict(response.context["form"].errors)


def test_a_current_municipality_takes_the_back_calculated_years_before_its_number(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    # 3909 Larvik since 2024; a 2024 budget reads the figure for 1 January 2023
    login(client, secretariat)
    response = client.post(_save(larvik), {"year": "2023", "count": "46900", "version": "0"})
    assert response.status_code == 302
    assert Population.objects.get(municipality=larvik).year == 2023


# --- The file from Statistics Norway ---------------------------------------------------------


def test_the_file_is_loaded_as_a_task_through_the_write_path(
    client: Client, larvik: Municipality, horten: Municipality, secretariat: Any
) -> None:
    Population.objects.create(municipality=larvik, year=2024, count=1)
    login(client, secretariat)
    response = client.post(_upload(larvik), {"file": _file(GOOD_FILE)})
    # queued, not run in the request: kept with the task, nothing written yet
    queued = Job.objects.get()
    assert response["Location"] == queued.get_absolute_url()
    assert (queued.kind, queued.status) == ("import_population", Job.Status.WAITING)
    assert (queued.upload_name, bytes(queued.upload)) == ("07459.csv", GOOD_FILE.encode())
    assert queued.started_by == secretariat
    assert Population.objects.count() == 1
    job = finish(response)  # the real worker
    assert job.status == Job.Status.DONE, job.error
    assert job.message == "4 folketall er lest fra 07459.csv og lagret."
    assert job.link == _page(larvik)  # back to the page it came from
    shown = client.get(job.get_absolute_url()).content.decode()
    assert "4 folketall er lest fra 07459.csv og lagret." in shown
    assert f'href="{_page(larvik)}"' in shown
    stored = {
        (p.municipality.number, p.year): p.count
        for p in Population.objects.select_related("municipality")
    }
    assert stored == {
        ("3909", 2024): 47001,
        ("3909", 2025): 47500,
        ("3901", 2024): 27631,
        ("3901", 2025): 27700,
    }
    audited = AuditEntry.objects.filter(channel=Channel.PAGE, actor=secretariat).exclude(
        content_type__model="job"
    )
    assert audited.filter(action=AuditEntry.Action.CREATE).count() == 3
    assert audited.filter(action=AuditEntry.Action.UPDATE).count() == 1
    assert Population.objects.get(municipality=larvik, year=2024).version == 2


def test_a_file_with_a_bad_line_fails_whole_naming_each_problem(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    Population.objects.create(municipality=larvik, year=2024, count=1)
    login(client, secretariat)
    job = finish(client.post(_upload(larvik), {"file": _file(BAD_FILE)}))
    assert job.status == Job.Status.FAILED
    # the good line before the bad one is not written either: all or nothing
    assert (
        "07459.csv, linje 5: folketallet 'mange' for 3901 i 2025 er ikke et helt tall."
        in job.error.splitlines()
    )
    shown = client.get(job.get_absolute_url()).content.decode()
    assert "07459.csv, linje 5: folketallet &#x27;mange&#x27; for 3901 i 2025" in shown
    unknown = BAD_FILE.replace("mange", "27700")
    job = finish(client.post(_upload(larvik), {"file": _file(unknown)}))
    assert job.status == Job.Status.FAILED
    assert "07459.csv, linje 6: ukjent kommunenummer 9876." in job.error.splitlines()
    assert Population.objects.get().count == 1
    assert not Population.objects.filter(year=2025).exists()


def test_the_task_and_the_command_give_the_same_problems(
    client: Client, larvik: Municipality, secretariat: Any, tmp_path: Any
) -> None:
    from django.core.management import CommandError, call_command

    path = tmp_path / "07459.csv"
    path.write_text(BAD_FILE, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_population", str(path))
    command_problems = str(refused.value).splitlines()[1:]
    login(client, secretariat)
    client.cookies["django_language"] = "en"  # the page words them in bokmål by default
    job = finish(client.post(_upload(larvik), {"file": _file(BAD_FILE)}))
    assert job.params["language"] == "en"
    assert job.error.splitlines()[1:] == command_problems


def test_no_file_is_a_field_error(client: Client, larvik: Municipality, secretariat: Any) -> None:
    login(client, secretariat)
    response = client.post(_upload(larvik), {})
    assert response.status_code == 200
    assert response.context["file_form"].errors["file"] == ["Feltet er påkrevd."]


# --- The API: the PUT on the page's form, the file's twin --------------------------------------


def test_the_api_loads_the_file_as_the_page_does(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    body = {"filename": "07459.csv", "content": GOOD_FILE}
    refused = client.post(
        "/api/v1/population-files",
        body,
        content_type="application/json",
        headers=bearer(coordinator),
    )
    problem_of(refused, 403)
    assert not Job.objects.exists()
    queued = client.post(
        "/api/v1/population-files",
        body,
        content_type="application/json",
        headers=bearer(secretariat),
    )
    # nothing is read in the request: the upload is kept with a task, as the page keeps it
    assert not Population.objects.exists()
    job = Job.objects.get()
    assert (job.kind, job.upload_name, bytes(job.upload)) == (
        "import_population",
        "07459.csv",
        GOOD_FILE.encode(),
    )
    assert job.params["channel"] == Channel.API
    task = finish_api(client, queued, bearer(secretariat))
    assert task["status"] == Job.Status.DONE, task
    assert task["percent"] == 100
    assert "4" in task["message"]
    assert "07459.csv" in task["message"]
    figures = AuditEntry.objects.filter(
        channel=Channel.API, actor=secretariat, content_type__model="population"
    )
    assert figures.count() == 4
    assert Population.objects.count() == 4


def test_the_api_refuses_a_bad_file_whole(client: Client, secretariat: Any) -> None:
    body = {"filename": "mine.csv", "content": BAD_FILE}
    response = client.post(
        "/api/v1/population-files",
        body,
        content_type="application/json",
        headers=bearer(secretariat),
    )
    task = finish_api(client, response, bearer(secretariat))
    assert task["status"] == Job.Status.FAILED
    # the task's error in the caller's language, as the rest of the task: English on request
    english = client.get(response["Location"] + "?lang=en", headers=bearer(secretariat)).json()
    problems = english["error"].splitlines()[1:]
    assert any(p.startswith("mine.csv, line 5: ") for p in problems), problems
    assert any(p.startswith("mine.csv, linje 5: ") for p in task["error"].splitlines())
    assert not Population.objects.exists()


def test_the_api_put_uses_the_page_rules(client: Client, secretariat: Any) -> None:
    response = put_population(client, secretariat, "3909", 2024, count=47001)
    assert response.status_code == 201
    figure = Population.objects.get()
    assert figure.version == 1
    again = put_population(client, secretariat, "3909", 2024, count=47002)
    assert again.status_code == 200
    figure.refresh_from_db()
    assert (figure.count, figure.version) == (47002, 2)


# --- Every message about a missing figure links to the page ----------------------------------


def test_the_budget_warning_links_to_the_population_page(client: Client, secretariat: Any) -> None:
    day = date(2025, 1, 1)
    arena = h.arena(["3905", "3909"], day)
    key = h.key(arena, 50, 50)
    budget = h.budget(arena, 2026, "100000", key)
    tonsberg = h.municipality("3905", day)
    login(client, secretariat)
    content = client.get(budget.get_absolute_url()).content.decode()
    # every municipality lacking it is named (issue: only the first was), each one linked,
    # the link bringing the clerk back to the budget
    assert "Mangler folketall for Tønsberg (3905), Larvik (3909) per 1. januar 2025" in content
    back = f"neste=%2Fokonomi%2Fbudsjett%2F{budget.pk}%2F"
    link = reverse("registry:population", args=[tonsberg.code]) + f"?year=2025&amp;{back}#entry"
    assert f'href="{link}"' in content


def test_the_link_is_markup_only_on_a_page(larvik: Municipality) -> None:
    import json

    from django.core.exceptions import ValidationError
    from django.template import Context, Template

    from samarbeid.core.api_forms import errors_by_field
    from samarbeid.registry.population_links import with_population_link

    message = with_population_link("Mangler folketall for Larvik <3909>", larvik, 2025)
    error = ValidationError([ValidationError(message)])
    # the API's problem+json: the words only
    assert json.dumps(errors_by_field(error)) == (
        '[{"loc": [], "msg": "Mangler folketall for Larvik <3909>"}]'
    )
    # a page: the words escaped, then the link
    shown = Template("{% for m in e.messages %}{{ m }}{% endfor %}").render(Context({"e": error}))
    assert shown == (
        "Mangler folketall for Larvik &lt;3909&gt; "
        f'<a class="ds-link" href="/kommuner/{larvik.code}/folketall/?year=2025#entry">'
        "Registrer folketallet</a>"
    )
    assert with_population_link("Mangler folketall", None, 2025) == "Mangler folketall"


def test_the_page_refuses_a_figure_without_the_version_it_started_from(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    Population.objects.create(municipality=larvik, year=2024, count=47000)
    login(client, secretariat)
    response = client.post(_save(larvik), {"year": "2024", "count": "1"})
    assert response.status_code == 200
    assert "mangler versjonen" in response.context["form"].errors["version"][0]
    assert Population.objects.get().count == 47000


def test_reloading_the_form_shown_with_errors_goes_back_to_the_page(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    login(client, secretariat)
    shown = client.post(_save(larvik), {"year": "", "count": "nei", "version": "0"})
    assert shown.context["form"].errors  # shown again with its errors, at the save address
    reloaded = client.get(_save(larvik))  # the browser's reload of the page at this address
    assert reloaded.status_code == 302
    assert reloaded["Location"] == _page(larvik)
