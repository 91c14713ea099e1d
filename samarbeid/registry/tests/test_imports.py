"""Import files: validated whole, errors name the file, line and problem, nothing written."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from samarbeid.arenas.tests.factories import ArenaFactory, MembershipFactory
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.services import (
    DEFAULT_CLASSIFICATION,
    ImportProblem,
    import_municipalities,
    import_population,
)

pytestmark = pytest.mark.django_db

HEADER = '"07459: Befolkning"\n""\n'


def write(tmp_path: Path, text: str, name: str = "07459.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_population_import_stores_figures_per_year(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + '"region";"Personer 2023";"Personer 2024"\n'
        + '"K-3901 Horten";27500;27800\n"3909 Larvik";47900;48300\n"K-3811 Færder";27100;..\n',
    )
    assert import_population(path) == 5
    horten = Municipality.objects.current().get(number="3901")
    assert Population.objects.get(municipality=horten, year=2024).count == 27800
    # 3811 was Færder's number in 2023: the figure belongs to that record
    assert Population.objects.get(municipality__code="3811", year=2023).count == 27100
    # SSB back-calculates today's numbers: Horten 3901's 2023 figure stays with 3901
    assert Population.objects.get(municipality=horten, year=2023).count == 27500
    # importing again updates instead of duplicating
    assert import_population(path) == 5
    assert Population.objects.count() == 5


def test_population_command(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + '"region";"Personer 2024"\n"K-3901 Horten";27800\n')
    call_command("import_population", str(path))
    assert Population.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            HEADER + '"region","Personer 2024"\n"K-3901 Horten",27800\n',
            "line 3: expected semicolon",
        ),
        (
            HEADER + '"region";"Personer 2024"\n"K-9876 Ukjent";100\n',
            "line 4: unknown municipality number 9876",
        ),
        (
            HEADER + '"region";"Personer 2024";"Personer 2024"\n"K-3901 Horten";1;2\n',
            "the year 2024 is given twice",
        ),
        (
            HEADER + '"region";"Personer 2024"\n"K-3901 Horten";-5\n',
            "line 4: population for 3901 in 2024 is negative",
        ),
        (
            HEADER + '"region";"Personer 2024"\n"K-3901 Horten";mange\n',
            "line 4: population 'mange'",
        ),
        (
            HEADER + '"region";"Personer 2024"\n"K-3901 Horten";1\n"3901 Horten";2\n',
            "line 5: 3901 in 2024 is given twice",
        ),
        (HEADER + '"region";"Innbyggere"\n"K-3901 Horten";1\n', "does not name a year"),
    ],
)
def test_bad_population_files_write_nothing(tmp_path: Path, content: str, message: str) -> None:
    # a good row first, so a partial write would show
    lines = content.split("\n")
    path = write(tmp_path, "\n".join(lines))
    with pytest.raises(ImportProblem) as caught:
        import_population(path)
    assert message in str(caught.value)
    assert "07459.csv" in str(caught.value)
    assert Population.objects.count() == 0


def test_population_in_wrong_encoding(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER + '"region";"Personer 2024"\n"K-3911 Færder";27300\n', encoding="latin-1"
    )
    with pytest.raises(ImportProblem, match=r"not UTF-8"):
        import_population(path)
    assert Population.objects.count() == 0


def test_population_command_reports_problems(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + '"region";"Personer 2024"\n"K-3901 Horten";-1\n')
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_population", str(path))


def test_bad_classification_file_names_line_and_writes_nothing(tmp_path: Path) -> None:
    text = DEFAULT_CLASSIFICATION.read_text(encoding="utf-8").splitlines()
    text[5] = "K.3901;Horten;39X1;Horten"
    path = write(tmp_path, "\n".join(text), "kommuner.csv")
    before = Municipality.objects.count()
    with pytest.raises(ImportProblem, match=r"kommuner.csv, line 6: '39X1' is not a municipality"):
        import_municipalities(path)
    assert Municipality.objects.count() == before


def test_classification_with_wrong_delimiter(tmp_path: Path) -> None:
    path = write(tmp_path, "GRUPPEKODE,GRUPPETEKST,KODE,TEKST\n", "kommuner.csv")
    with pytest.raises(ImportProblem, match=r"line 1: expected semicolon"):
        import_municipalities(path)


def test_invalid_organisation_number_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "kommunenummer;organisasjonsnummer;kommunenummer_2020_2023;registrert_navn\n"
        "3901;123456789;3801;HORTEN KOMMUNE\n",
        "orgnr.csv",
    )
    with pytest.raises(ImportProblem, match=r"orgnr\.csv, line 2: invalid organisation number"):
        import_municipalities(organisation_numbers_path=path)


def _horten_merged_into_3999(tmp_path: Path) -> Path:
    """A change file of 2026: Horten (3901) ends in 2025 and becomes part of a new 3999."""
    return write(
        tmp_path,
        "GRUPPEKODE;GRUPPETEKST;KODE;TEKST\n"
        "K.3999;Nykommune;3999;Nykommune\n"
        "K.3999;Nykommune;3901;Horten (2024-2025)\n",
        "endringer-2026.csv",
    )


def test_a_later_change_file_adds_to_the_register(tmp_path: Path) -> None:
    path = _horten_merged_into_3999(tmp_path)
    call_command("import_municipalities", "--file", str(path), "--manual", "", "--no-extras")
    horten = Municipality.objects.get(code="3901")
    assert horten.valid_to is not None
    assert horten.valid_to.year == 2025
    assert [s.code for s in horten.successors.all()] == ["3999"]
    assert Municipality.objects.filter(code="0722").exists()  # older records stay


def test_after_a_change_file_the_command_carries_arena_members_on(
    tmp_path: Path, secretariat: Any
) -> None:
    """The national flow: import the year's change file, be told which arenas have members
    that ceased, carry them on with one command."""
    horten = Municipality.objects.get(code="3901")
    arena = ArenaFactory(established=date(2020, 1, 1))
    MembershipFactory(arena=arena, municipality=horten, joined=date(2024, 1, 1))
    path = _horten_merged_into_3999(tmp_path)
    out = StringIO()
    call_command(
        "import_municipalities", "--file", str(path), "--manual", "", "--no-extras", stdout=out
    )
    assert "1 arena(s) have members that ceased" in out.getvalue()
    call_command("follow_successors", "--user", secretariat.username, stdout=StringIO())
    assert arena.memberships.get(municipality=horten).left == date(2025, 12, 31)
    successor = arena.memberships.get(municipality__code="3999")
    assert successor.joined == date(2026, 1, 1)
    assert successor.left is None
