"""Every problem the register's imports can name (the classification and its manual changes,
Enhetsregisteret's units, the organisation numbers and map points) is met by a real file and
told in bokmål and in English from the catalogue, also once stored as a task keeps it; the
commands' English is the readers' own."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import translation

from samarbeid.core.phrases import as_json, shown
from samarbeid.jobs.services import SHOWN_PROBLEMS, file_refused
from samarbeid.registry import classification, legal_entities, services
from samarbeid.registry.file_messages import WORDS, as_phrase
from samarbeid.registry.file_problems import FileError, FileProblem

pytestmark = pytest.mark.django_db

MAIN = "GRUPPEKODE;GRUPPETEKST;KODE;TEKST\n"
MANUAL = "predecessor;successor;year;note\n"
ORGNR = "kommunenummer;organisasjonsnummer;kommunenummer_2020_2023;registrert_navn\n"
POINTS = "kommunenummer;kommunenummer_2020_2023;breddegrad;lengdegrad\n"
UNIT = {"organisasjonsnummer": "921383681", "navn": "TØNSBERG KOMMUNE"}


def _codes(text: str) -> Callable[[Path], object]:
    return lambda _folder: classification.parse_codes(text, "k.csv")


def _manual(text: str) -> Callable[[Path], object]:
    return lambda _folder: classification.parse_manual_links(text, "m.csv", {"3901"})


def _units(data: object) -> Callable[[Path], object]:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return lambda _folder: legal_entities.parse_units(content, "enheter.json")


def _csv_units(text: str) -> Callable[[Path], object]:
    return lambda _folder: legal_entities.parse_units(text.encode(), "enheter.csv")


def _address(**parts: object) -> Callable[[Path], object]:
    return _units([{**UNIT, "postadresse": parts}])


def _data_file(read: Callable[[Path], object], content: bytes) -> Callable[[Path], object]:
    def run(folder: Path) -> object:
        path = folder / "data.csv"
        path.write_bytes(content)
        return read(path)

    return run


CASES: list[tuple[type[FileProblem], str, Callable[[Path], object]]] = [
    (classification.ClassificationProblem, "empty", _codes("")),
    (classification.ClassificationProblem, "not_semicolons", _codes("GRUPPEKODE,KODE\n")),
    (classification.ClassificationProblem, "header", _codes("KODE;TEKST\n")),
    (
        classification.ClassificationProblem,
        "not_utf8",
        lambda _folder: classification.decode(b"KODE\n\xff", "k.csv"),
    ),
    (classification.ClassificationProblem, "column_count", _codes(MAIN + "K.3901;H;3901\n")),
    (classification.ClassificationProblem, "unknown_group", _codes(MAIN + "39;H;3901;Horten\n")),
    (classification.ClassificationProblem, "not_a_number", _codes(MAIN + "K.3901;H;39X1;H\n")),
    (classification.ClassificationProblem, "no_code", _codes(MAIN + "K.3901;H;;H\n")),
    (
        classification.ClassificationProblem,
        "twice",
        _codes(MAIN + "K.3901;H;3901;Horten\nK.3901;H;3901;Horten\n"),
    ),
    (
        classification.ClassificationProblem,
        "ends_before_start",
        _codes(MAIN + "K.3901;H;3801;Horten (2020-2010)\n"),
    ),
    (classification.ClassificationProblem, "no_name", _codes(MAIN + "K.3901;H;3801;(2020-2023)\n")),
    (classification.ClassificationProblem, "unknown_code", _manual(MANUAL + "9999;3901;2020;x\n")),
    (classification.ClassificationProblem, "not_a_year", _manual(MANUAL + "3901;3901;år;x\n")),
    (legal_entities.UnitProblem, "not_utf8", _units(b"[\n\xff")),
    (legal_entities.UnitProblem, "empty", _units(b"  ")),
    (legal_entities.UnitProblem, "not_json", _units(b"[{")),
    (legal_entities.UnitProblem, "not_a_list", _units({"a": 1})),
    (legal_entities.UnitProblem, "not_an_object", _units([1])),
    (legal_entities.UnitProblem, "no_columns", _csv_units("orgnr;navn\n1;x\n")),
    (legal_entities.UnitProblem, "no_units", _units([])),
    (legal_entities.UnitProblem, "twice_record", _units([UNIT, UNIT])),
    (
        legal_entities.UnitProblem,
        "twice_line",
        _csv_units("organisasjonsnummer,navn\n921383681,A\n921383681,B\n"),
    ),
    (legal_entities.UnitProblem, "invalid_number", _units([{**UNIT, "organisasjonsnummer": 1}])),
    (legal_entities.UnitProblem, "no_number", _units([{"navn": "UTEN NUMMER"}])),
    (legal_entities.UnitProblem, "no_name", _units([{**UNIT, "navn": " "}])),
    (legal_entities.UnitProblem, "name_too_long", _units([{**UNIT, "navn": "x" * 201}])),
    (legal_entities.UnitProblem, "address_not_an_object", _units([{**UNIT, "postadresse": "x"}])),
    (legal_entities.UnitProblem, "lines_not_a_list", _address(adresse=[1])),
    (legal_entities.UnitProblem, "part_not_text", _address(postnummer=3104)),
    (legal_entities.UnitProblem, "country", _address(landkode="NOR")),
    (legal_entities.UnitProblem, "post_code", _address(postnummer="31O4")),
    (legal_entities.UnitProblem, "municipality", _address(kommunenummer="39")),
    (legal_entities.UnitProblem, "address_too_long", _address(poststed="x" * 101)),
    (
        services.DataFileProblem,
        "not_utf8",
        _data_file(services._organisation_numbers, b"\xff"),
    ),
    (services.DataFileProblem, "header", _data_file(services._points, b"a;b\n")),
    (
        services.DataFileProblem,
        "invalid_number",
        _data_file(services._organisation_numbers, (ORGNR + "3901;123;;X\n").encode()),
    ),
    (
        services.DataFileProblem,
        "not_numbers",
        _data_file(services._points, (POINTS + "3901;;nord;10\n").encode()),
    ),
    (
        services.DataFileProblem,
        "outside_norway",
        _data_file(services._points, (POINTS + "3901;;10;10\n").encode()),
    ),
]


def test_every_code_has_a_case_and_its_words() -> None:
    for kind in (
        classification.ClassificationProblem,
        legal_entities.UnitProblem,
        services.DataFileProblem,
    ):
        assert set(WORDS[kind]) == set(kind.ENGLISH), kind
        assert {code for k, code, _run in CASES if k is kind} == set(kind.ENGLISH), kind


@pytest.mark.parametrize(
    ("kind", "code", "run"), CASES, ids=[f"{k.__name__}-{c}" for k, c, _r in CASES]
)
def test_each_problem_is_told_in_bokmal_and_in_english(
    kind: type[FileProblem], code: str, run: Callable[[Path], object], tmp_path: Path
) -> None:
    with pytest.raises((FileError, services.ImportProblem)) as caught:
        run(tmp_path)
    found = [d for d in caught.value.details if (type(d), d.code) == (kind, code)]
    assert found, caught.value.details
    problem = found[0]
    english = str(problem)  # the command's
    assert english.startswith(str(problem.params["file"]))
    stored = as_json(as_phrase(problem))  # as a task keeps it
    with translation.override("nb"):
        bokmal = shown(stored)
    with translation.override("en"):
        catalogue = shown(stored)
    assert bokmal.startswith(str(problem.params["file"]))
    assert bokmal.endswith(".")
    assert catalogue != bokmal
    assert catalogue.startswith(english.split(":")[0])  # the same place: "k.csv, line 2"


def test_a_refusal_of_phrases_is_a_phrase_and_one_worded_problem_keeps_todays_string() -> None:
    problems = [
        as_phrase(legal_entities.UnitProblem("no_name", {"file": "e.json", "record": n}))
        for n in range(1, SHOWN_PROBLEMS + 3)
    ]
    refused = file_refused(problems)
    with translation.override("en"):
        lines = str(refused.reason).splitlines()
    assert lines[0] == "Nothing was saved. The file has these errors:"
    assert lines[1] == "e.json, record 1: the unit has no name (navn)."
    assert lines[-1] == "… and 2 more errors."
    assert len(lines) == SHOWN_PROBLEMS + 2
    with translation.override("nb"):
        assert str(refused.reason).splitlines()[1] == "e.json, post 1: enheten mangler navn (navn)."

    with translation.override("en"):
        worded = file_refused([*problems[:1], "e.json: worded elsewhere"])
    assert worded.reason == (
        "Nothing was saved. The file has these errors:\n"
        "e.json, record 1: the unit has no name (navn).\n"
        "e.json: worded elsewhere"
    )
