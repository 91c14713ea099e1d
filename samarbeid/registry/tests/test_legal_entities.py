"""The register of legal entities' download of units (Enhetsregisteret, "enheter"): JSON
and CSV, validated whole, idempotent; read in the API."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from samarbeid.registry.models import LegalEntity
from samarbeid.registry.services import (
    DEFAULT_LEGAL_ENTITIES,
    ImportProblem,
    import_legal_entities,
)

pytestmark = pytest.mark.django_db

TONSBERG: dict[str, Any] = {
    "organisasjonsnummer": "921383681",
    "navn": "TØNSBERG KOMMUNE",
    "organisasjonsform": {"kode": "KOMM"},
    "forretningsadresse": {
        "adresse": ["Halfdan Wilhelmsens allé 1"],
        "postnummer": "3126",
        "poststed": "TØNSBERG",
        "kommunenummer": "3905",
        "landkode": "NO",
    },
    "postadresse": {
        "adresse": ["Postboks 2410"],
        "postnummer": "3104",
        "poststed": "TØNSBERG",
        "kommunenummer": "3905",
        "landkode": "NO",
    },
}
LARVIK = {"organisasjonsnummer": "918082956", "navn": "LARVIK KOMMUNE"}

CSV_HEADER = (
    '"organisasjonsnummer","navn","organisasjonsform.kode","forretningsadresse.adresse",'
    '"forretningsadresse.postnummer","forretningsadresse.poststed",'
    '"forretningsadresse.kommunenummer","forretningsadresse.landkode","postadresse.adresse",'
    '"postadresse.postnummer","postadresse.poststed","postadresse.kommunenummer",'
    '"postadresse.landkode"\n'
)


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_units_are_stored_and_updated_idempotently(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps([TONSBERG, LARVIK]), "enheter.json")
    summary = import_legal_entities(path)
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    tonsberg = LegalEntity.objects.get(organisation_number="921383681")
    assert tonsberg.name == "TØNSBERG KOMMUNE"
    assert tonsberg.invoice_address == ("Postboks 2410", "3104", "TØNSBERG", "NO")
    assert LegalEntity.objects.get(organisation_number="918082956").invoice_address == (
        "",
        "",
        "",
        "NO",
    )
    again = import_legal_entities(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    moved = {**TONSBERG, "postadresse": {**TONSBERG["postadresse"], "postnummer": "3105"}}
    changed = import_legal_entities(write(tmp_path, json.dumps([moved]), "endret.json"))
    assert (changed.created, changed.updated) == (0, 1)
    assert LegalEntity.objects.get(organisation_number="921383681").postal_postal_code == "3105"
    assert LegalEntity.objects.count() == 2


def test_csv_units_are_read_like_json(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CSV_HEADER + '"921383681","TØNSBERG KOMMUNE","KOMM","Halfdan Wilhelmsens allé 1","3126",'
        '"TØNSBERG","3905","NO","Postboks 2410","3104","TØNSBERG","3905","NO"\n'
        '"918082956","LARVIK KOMMUNE","KOMM","","","","","","","","","",""\n',
        "enheter.csv",
    )
    assert import_legal_entities(path).created == 2
    tonsberg = LegalEntity.objects.get(organisation_number="921383681")
    assert tonsberg.business_street == "Halfdan Wilhelmsens allé 1"
    assert tonsberg.invoice_address == ("Postboks 2410", "3104", "TØNSBERG", "NO")


def test_a_bad_unit_refuses_the_whole_file(tmp_path: Path) -> None:
    bad = [
        TONSBERG,
        {**LARVIK, "organisasjonsnummer": "918082957"},
        {"organisasjonsnummer": "964951284", "navn": ""},
        {**TONSBERG, "postadresse": {"postnummer": "31O4", "adresse": "Postboks 1"}},
    ]
    path = write(tmp_path, json.dumps(bad), "enheter.json")
    with pytest.raises(ImportProblem) as caught:
        import_legal_entities(path)
    problems = caught.value.problems
    assert problems[0].startswith("enheter.json, record 2: invalid organisation number")
    assert problems[1] == "enheter.json, record 3: the unit has no name (navn)"
    assert "enheter.json, record 4: postadresse.postnummer '31O4' is not four digits" in problems
    assert not LegalEntity.objects.exists()  # not even record 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[{", "enheter.json, line 1: not valid JSON"),
        ('{"a": 1}', "enheter.json: expected a list of units"),
        ("", "enheter.json: the file is empty"),
        ("[]", "enheter.json: the file holds no units"),
    ],
)
def test_broken_files_are_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ImportProblem) as caught:
        import_legal_entities(write(tmp_path, text, "enheter.json"))
    assert caught.value.problems[0].startswith(message)


def test_csv_problems_name_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CSV_HEADER + '"921383681","TØNSBERG KOMMUNE","KOMM","","","","","","","","","",""\n'
        '"921383681","TØNSBERG KOMMUNE","KOMM","","","","","","","","","",""\n',
        "enheter.csv",
    )
    with pytest.raises(ImportProblem, match=r"enheter.csv, line 3: organisation number 921383681"):
        import_legal_entities(path)
    headerless = write(tmp_path, "orgnr;navn\n921383681;X\n", "feil.csv")
    with pytest.raises(ImportProblem, match=r"feil\.csv, line 1: the header has no column"):
        import_legal_entities(headerless)


def test_command_imports_the_shipped_records_and_refuses_bad_files(tmp_path: Path) -> None:
    out = StringIO()
    call_command("import_legal_entities", str(DEFAULT_LEGAL_ENTITIES), "--example", stdout=out)
    assert "9 created" in out.getvalue()
    names = set(LegalEntity.objects.values_list("name", flat=True))
    assert {"TØNSBERG KOMMUNE", "LARVIK KOMMUNE", "FÆRDER KOMMUNE", "HORTEN KOMMUNE"} <= names
    assert all(LegalEntity.objects.values_list("is_example_data", flat=True))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_legal_entities", str(tmp_path / "mangler.json"))
    bad = write(tmp_path, json.dumps([{"navn": "X"}]), "x.json")
    with pytest.raises(CommandError, match=r"Nothing was imported:\nx\.json, record 1"):
        call_command("import_legal_entities", str(bad))


def test_api_reads_registered_units(client: Client, tmp_path: Path) -> None:
    import_legal_entities(write(tmp_path, json.dumps([TONSBERG, LARVIK]), "enheter.json"))
    data: Any = client.get("/api/v1/legal-entities").json()
    assert data["count"] == 2
    one = client.get("/api/v1/legal-entities/921383681").json()
    assert one["name"] == "TØNSBERG KOMMUNE"
    assert one["postal_address"] == {
        "street": "Postboks 2410",
        "postal_code": "3104",
        "city": "TØNSBERG",
        "municipality_number": "3905",
        "country": "NO",
    }
    assert client.get("/api/v1/legal-entities/123456789").status_code == 404
