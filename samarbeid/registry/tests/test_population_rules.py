"""A clerk's trial of the population page (issue: popfix): "58.000" was saved as 58, a
population of 0 and a figure for 2099 were accepted. The page and the API's PUT share the
form, so they refuse the same."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from conftest import bearer, login, problem_of
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish, finish_api
from samarbeid.registry.forms import PopulationForm
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.tests.helpers import put_population

pytestmark = pytest.mark.django_db

WHOLE = "Skriv folketallet som et helt tall med mellomrom mellom tusener, som 47 001."


def _post(client: Client, larvik: Municipality, year: Any, count: str) -> Any:
    return client.post(
        reverse("registry:population_save", args=[larvik.code]),
        {"year": str(year), "count": count, "version": "0"},
    )


@pytest.mark.parametrize("typed", ["58.000", "1.234.567", "58,000", "47 001,5", "4.7001"])
def test_a_point_or_comma_in_the_count_is_refused_not_read_as_decimals(
    client: Client, larvik: Municipality, secretariat: Any, typed: str
) -> None:
    login(client, secretariat)
    response = _post(client, larvik, 2025, typed)
    assert response.status_code == 200
    assert WHOLE in response.content.decode()
    assert not Population.objects.exists()


@pytest.mark.parametrize(("typed", "count"), [("58 000", 58000), ("58\u00a0000", 58000)])
def test_spaces_still_group_thousands(
    client: Client, larvik: Municipality, secretariat: Any, typed: str, count: int
) -> None:
    login(client, secretariat)
    assert _post(client, larvik, 2025, typed).status_code == 302
    assert Population.objects.get().count == count


def test_a_population_of_zero_is_refused_on_the_page_and_in_the_api(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    login(client, secretariat)
    response = _post(client, larvik, 2025, "0")
    assert response.status_code == 200
    assert "Folketallet må være minst 1." in response.content.decode()
    problem = problem_of(put_population(client, secretariat, "3909", 2025, count=0), 422)
    assert "Folketallet må være minst 1." in str(problem["errors"])
    assert not Population.objects.exists()
    assert _post(client, larvik, 2025, "1").status_code == 302


def test_a_year_after_this_is_refused_on_the_page_and_in_the_api(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    # Statistics Norway publishes the population on 1 January in February of that year: a
    # later year cannot be known (a clerk's trial: the page took next year's)
    this_year = timezone.localdate().year
    login(client, secretariat)
    for year in (this_year + 1, this_year + 2, 2099):
        response = _post(client, larvik, year, "47 001")
        assert response.status_code == 200
        expected = f"Folketallet for {year} er ikke talt ennå; skriv et år til og med {this_year}."
        assert expected in response.content.decode()
        problem = problem_of(put_population(client, secretariat, "3909", year, count=47001), 422)
        assert expected in str(problem["errors"])
    assert not Population.objects.exists()
    assert _post(client, larvik, this_year, "47 001").status_code == 302
    assert put_population(client, secretariat, "3909", this_year, count=47002).status_code == 200


@given(st.integers(min_value=1, max_value=2_000_000))
def test_every_count_reads_back_as_typed_with_spaces(count: int) -> None:
    typed = f"{count:,}".replace(",", " ")
    year = timezone.localdate().year
    form = PopulationForm({"year": year, "count": typed}, version_required=False)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == count
    dotted = PopulationForm(
        {"year": year, "count": f"{count:,}".replace(",", ".")}, version_required=False
    )
    assert dotted.is_valid() is (count < 1000)


# --- Statistics Norway's file: its problems in the page's language ---------------------------

NEGATIVE_FILE = (
    '"07459: Befolkning, etter region og år"\n'
    '"1. januar"\n'
    '"region";"Personer 2025"\n'
    '"K-3909 Larvik";47001\n'
    '"K-3901 Horten";-5\n'
)


def _upload(client: Client, larvik: Municipality) -> Any:
    return client.post(
        reverse("registry:population_import", args=[larvik.code]),
        {"file": SimpleUploadedFile("neg.csv", NEGATIVE_FILE.encode(), "text/csv")},
    )


def test_the_file_s_problems_are_bokmal_on_the_task_page_and_nothing_is_saved(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    login(client, secretariat)
    job = finish(_upload(client, larvik))
    assert job.status == Job.Status.FAILED
    content = client.get(job.get_absolute_url()).content.decode()
    assert "neg.csv, linje 5: folketallet for 3901 i 2025 er negativt." in content
    assert "is negative" not in content
    assert not Population.objects.exists()


def test_the_file_s_problems_are_english_from_the_catalogue(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    login(client, secretariat)
    client.cookies["django_language"] = "en"
    job = finish(_upload(client, larvik))
    # worded in the language of the page that started it, whichever worker ran it
    assert "neg.csv, line 5: population for 3901 in 2025 is negative" in job.error
    assert job.error.lower().count("nothing was saved") == 1
    assert not Population.objects.exists()


def test_the_api_and_the_command_keep_their_english_problems(
    client: Client, larvik: Municipality, secretariat: Any
) -> None:
    response = client.post(
        "/api/v1/population-files",
        {"filename": "neg.csv", "content": NEGATIVE_FILE},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    # the task the API queued says each problem in the caller's language, as the rest of the
    # task and every refusal of the API: English with ?lang=en (the command's words), whatever
    # the worker's language
    task = finish_api(client, response, bearer(secretariat))
    assert task["status"] == Job.Status.FAILED
    english = client.get(response["Location"] + "?lang=en", headers=bearer(secretariat)).json()
    problems = english["error"].splitlines()
    assert problems[0] == "Nothing was saved. The file has these errors:"
    assert "neg.csv, line 5: population for 3901 in 2025 is negative" in problems
    assert "negativt" not in english["error"]
    norwegian = task["error"].splitlines()
    assert norwegian[0] == "Ingenting ble lagret. Filen har disse feilene:"
    assert "neg.csv, linje 5: folketallet for 3901 i 2025 er negativt." in norwegian
    assert not Population.objects.exists()
