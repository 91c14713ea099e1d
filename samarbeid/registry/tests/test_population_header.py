"""A clerk's trial: `import_population` read any column ending in a year as population, so
«Kvinner 2023» was stored as Horten's population and «kommune» passed for «region». Only
table 07459's own header is read now (`region`, then `Personer` and a year); any other is
refused naming the file, the line and the column, and nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from conftest import login
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish
from samarbeid.registry.models import Population
from samarbeid.registry.population_messages import worded
from samarbeid.registry.services import ImportProblem, import_population_data

pytestmark = pytest.mark.django_db

TITLES = '"07459: Befolkning, etter region, statistikkvariabel og år"\n""\n'
DEMO_FILE = Path(__file__).resolve().parents[3] / "data" / "demo" / "befolkning-eksempel.csv"


def _command(tmp_path: Path, header: str, row: str) -> str:
    path = tmp_path / "07459.csv"
    path.write_text(TITLES + header + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_population", str(path))
    assert Population.objects.count() == 0
    return str(caught.value)


def test_another_measure_is_not_population(tmp_path: Path) -> None:
    said = _command(tmp_path, '"region";"Kvinner 2023"', '"K-3901 Horten";11111')
    assert (
        "07459.csv, line 3: column 'Kvinner 2023' is not the population; table 07459 names "
        "it 'Personer' and the year, e.g. 'Personer 2024'"
    ) in said


def test_each_column_of_another_measure_is_named(tmp_path: Path) -> None:
    said = _command(tmp_path, '"region";"Folk 2024";"Personer 2025"', '"K-3901 Horten";1;2')
    assert "column 'Folk 2024' is not the population" in said
    assert "Personer 2025" not in said.split("e.g.")[0]  # the good column is not named


def test_a_first_column_other_than_region_is_refused(tmp_path: Path) -> None:
    said = _command(tmp_path, '"kommune";"Personer 2024"', '"K-3901 Horten";27800')
    assert (
        "07459.csv, line 3: the first column is 'kommune'; table 07459 names it 'region'"
    ) in said


def test_every_header_problem_is_named_at_once() -> None:
    data = (TITLES + '"kommune";"Kvinner 2023";"Innbyggere"\n"K-3901 Horten";1;2\n').encode()
    with pytest.raises(ImportProblem) as caught:
        import_population_data(data, "feil.csv")
    assert [d.code for d in caught.value.details] == [
        "not_region",
        "not_population",
        "column_not_a_year",
    ]
    with translation.override("nb"):
        bokmal = [worded(d) for d in caught.value.details]
    assert bokmal[:2] == [
        "feil.csv, linje 3: første kolonne heter 'kommune'; i tabell 07459 heter den «region».",
        "feil.csv, linje 3: kolonnen 'Kvinner 2023' er ikke folketallet; i tabell 07459 heter "
        "den «Personer» og året, som «Personer 2024».",
    ]
    with translation.override("en"):
        assert worded(caught.value.details[0]) == (
            "feil.csv, line 3: the first column is 'kommune'; table 07459 names it “region”."
        )
    assert Population.objects.count() == 0


def test_the_upload_task_refuses_another_measure_in_the_readers_language(
    client: Client, secretariat: Any
) -> None:
    login(client, secretariat)
    content = TITLES + '"region";"Kvinner 2023"\n"K-3901 Horten";11111\n'
    job = finish(
        client.post(
            "/oppgaver/ny/import_population/",
            {"file": SimpleUploadedFile("07459.csv", content.encode(), "text/csv")},
        )
    )
    assert job.status == Job.Status.FAILED
    page = client.get(job.get_absolute_url()).content.decode()
    assert "kolonnen &#x27;Kvinner 2023&#x27; er ikke folketallet" in page
    assert Population.objects.count() == 0


def test_the_exports_own_header_is_read(tmp_path: Path) -> None:
    path = tmp_path / "07459.csv"
    path.write_text(
        TITLES + '"Region";"Personer 2023";" Personer 2024 "\n"K-3901 Horten";27500;27800\n',
        encoding="utf-8",
    )
    call_command("import_population", str(path))
    assert sorted(Population.objects.values_list("year", "count")) == [
        (2023, 27500),
        (2024, 27800),
    ]


def test_the_shipped_example_is_read() -> None:
    stored = import_population_data(DEMO_FILE.read_bytes(), DEMO_FILE.name)
    assert stored > 0
