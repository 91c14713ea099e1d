"""A clerk's trial (issue 20): the municipality register's and Enhetsregisteret's imports
named their problems in English only, so a bokmål task page showed English lines (marked
lang="nb"). Each problem is now a code with its parameters: the task tells it in its
reader's language, saying which column is wrong and what is expected; the command keeps
its English."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import login
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish
from samarbeid.registry.models import LegalEntity, Municipality

pytestmark = pytest.mark.django_db

BAD_MUNICIPALITIES = (
    "GRUPPEKODE;GRUPPETEKST;KODE;TEKST\n39;Vestfold;3999;Nykommune\nK.3901;Horten;39X1;Horten\n"
)
BAD_UNITS = [
    {"organisasjonsnummer": "921383681", "navn": "TØNSBERG KOMMUNE"},
    {"organisasjonsnummer": "964951284", "navn": ""},
    {"organisasjonsnummer": "918082956", "navn": "LARVIK", "postadresse": {"postnummer": "31O4"}},
]


def _failed(client: Client, kind: str, name: str, content: bytes) -> Job:
    response = client.post(
        f"/oppgaver/ny/{kind}/", {"file": SimpleUploadedFile(name, content, "text/csv")}
    )
    job = finish(response)
    assert job.status == Job.Status.FAILED
    return job


def _error(client: Client, job: Job, query: str = "") -> str:
    """The task page's error, as its reader reads it (the paragraph after the heading)."""
    page = client.get(job.get_absolute_url() + query).content.decode()
    start = page.index('<div class="ds-alert" data-color="danger">')
    return html.unescape(page[start : page.index("</div>", start)])


def test_a_bad_municipality_file_reads_in_the_readers_language(
    client: Client, secretariat: Any
) -> None:
    login(client, secretariat)  # the task is started in bokmål
    before = Municipality.objects.count()
    job = _failed(client, "import_municipalities", "kommuner-feil.csv", BAD_MUNICIPALITIES.encode())
    assert Municipality.objects.count() == before

    english = _error(client, job, "?lang=en")
    assert "Nothing was saved. The file has these errors:" in english
    assert (
        "kommuner-feil.csv, line 2: GRUPPEKODE is '39'; it must be “K.” and the four-digit "
        "municipality number (e.g. “K.3901”), “K.Rest” or an area such as “K.21-22”."
    ) in english
    assert (
        "kommuner-feil.csv, line 3: KODE is '39X1'; it must be a four-digit municipality "
        "number (e.g. “3901”)."
    ) in english
    assert "Ingenting" not in english
    assert "den skal" not in english
    assert "lang=" not in english  # told in the reader's language, not marked as another

    norwegian = _error(client, job)
    assert "Ingenting ble lagret. Filen har disse feilene:" in norwegian
    # which column, what it holds and what is expected
    assert (
        "kommuner-feil.csv, linje 2: GRUPPEKODE er '39'; den skal være «K.» og kommunenummeret "
        "med fire sifre (som «K.3901»), «K.Rest» eller et område som «K.21-22»."
    ) in norwegian
    assert (
        "kommuner-feil.csv, linje 3: KODE er '39X1'; den skal være et kommunenummer med fire "
        "sifre (som «3901»)."
    ) in norwegian
    assert "unknown group" not in norwegian
    assert "line 2" not in norwegian
    assert "lang=" not in norwegian


def test_a_bad_enhetsregisteret_file_reads_in_the_readers_language(
    client: Client, secretariat: Any
) -> None:
    login(client, secretariat)
    job = _failed(client, "import_legal_entities", "enheter.json", json.dumps(BAD_UNITS).encode())
    assert not LegalEntity.objects.exists()

    english = _error(client, job, "?lang=en")
    assert "enheter.json, record 2: the unit has no name (navn)." in english
    assert (
        "enheter.json, record 3: postadresse.postnummer is '31O4'; a Norwegian postcode has "
        "four digits, such as 3104."
    ) in english
    assert "mangler" not in english

    norwegian = _error(client, job)
    assert "enheter.json, post 2: enheten mangler navn (navn)." in norwegian
    assert (
        "enheter.json, post 3: postadresse.postnummer er '31O4'; et norsk postnummer har fire "
        "sifre, som 3104."
    ) in norwegian
    assert "record 2" not in norwegian
    assert "has no name" not in norwegian


def test_a_bad_csv_of_units_names_the_line_in_the_readers_language(
    client: Client, secretariat: Any
) -> None:
    login(client, secretariat)
    content = "organisasjonsnummer,navn\n921383681,TØNSBERG KOMMUNE\n921383681,TØNSBERG\n"
    job = _failed(client, "import_legal_entities", "enheter.csv", content.encode())
    assert (
        "enheter.csv, line 3: the organisation number 921383681 is also on line 2; each unit "
        "must be given once."
    ) in _error(client, job, "?lang=en")
    assert (
        "enheter.csv, linje 3: organisasjonsnummeret 921383681 står også på linje 2; hver enhet "
        "skal stå én gang."
    ) in _error(client, job)


def test_the_commands_keep_their_english(tmp_path: Path) -> None:
    municipalities = tmp_path / "kommuner-feil.csv"
    municipalities.write_text(BAD_MUNICIPALITIES, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command(
            "import_municipalities", "--file", str(municipalities), "--manual", "", "--no-extras"
        )
    assert str(caught.value).splitlines() == [
        "Nothing was imported:",
        "kommuner-feil.csv, line 2: unknown group '39'",
        "kommuner-feil.csv, line 3: '39X1' is not a municipality number (4 digits)",
    ]

    units = tmp_path / "enheter.json"
    units.write_text(json.dumps(BAD_UNITS), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_legal_entities", str(units))
    assert str(caught.value).splitlines() == [
        "Nothing was imported:",
        "enheter.json, record 2: the unit has no name (navn)",
        "enheter.json, record 3: postadresse.postnummer '31O4' is not four digits",
    ]


def test_one_population_figure_is_told_in_the_singular(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    content = '"07459: Befolkning"\n""\n"region";"Personer 2024"\n"K-3909 Larvik";47123\n'
    response = client.post(
        "/oppgaver/ny/import_population/",
        {"file": SimpleUploadedFile("07459.csv", content.encode(), "text/csv")},
    )
    job = finish(response)
    assert job.status == Job.Status.DONE, job.error
    page = client.get(job.get_absolute_url() + "?lang=en").content.decode()
    assert "One population figure was read from 07459.csv and saved." in page
    assert "1 population figures" not in page
    assert "Ett folketall er lest fra 07459.csv og lagret." in (
        client.get(job.get_absolute_url()).content.decode()
    )
