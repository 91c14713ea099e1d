"""Reads the Central Coordinating Register for Legal Entities' download of units
(Enhetsregisteret, Brønnøysundregistrene: "enheter", data.brreg.no). Pure.

Two forms of the same data:

* JSON: a list of units (or `{"_embedded": {"enheter": [...]}}`, as the search API
  answers), each `{"organisasjonsnummer": "...", "navn": "...", "forretningsadresse": {...},
  "postadresse": {...}}`, an address being `{"adresse": ["line", ...], "postnummer": "...",
  "poststed": "...", "kommunenummer": "...", "landkode": "NO"}`.
* CSV: one unit a line, comma (or semicolon) separated, a header naming the columns
  `organisasjonsnummer`, `navn` and the address parts as `forretningsadresse.adresse`,
  `postadresse.postnummer` and so on (other columns are ignored). Address lines in one
  cell are separated by line breaks.

Every unit is checked; a problem names the file, the record (JSON: its place in the list,
from 1) or line (CSV) and what is wrong.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from stdnum.no import orgnr

from samarbeid.registry.file_problems import FileError, LocatedProblem, utf8_text

ADDRESS_KINDS = ("forretningsadresse", "postadresse")
ADDRESS_PARTS = ("adresse", "postnummer", "poststed", "kommunenummer", "landkode")

_POST_CODE = re.compile(r"[0-9]{4}")
_MUNICIPALITY = re.compile(r"[0-9]{4}")
_COUNTRY = re.compile(r"[A-Z]{2}")


# A problem's words in English (the command's); pages and tasks word each code in bokmål
# from the catalogue (registry.file_messages). Each follows the file and the record or line.
ENGLISH = {
    "not_utf8": "the file is not UTF-8 encoded",
    "empty": "the file is empty",
    "not_json": "not valid JSON (%(error)s)",
    "not_a_list": "expected a list of units (enheter)",
    "not_an_object": "a unit must be an object",
    "no_columns": "the header has no column %(columns)s",
    "no_units": "the file holds no units",
    "twice_record": "organisation number %(number)s is also in record %(first)s",
    "twice_line": "organisation number %(number)s is also in line %(first)s",
    "invalid_number": "invalid organisation number %(number)s (9 digits with a MOD11 check digit)",
    "no_number": "the unit has no organisation number (organisasjonsnummer)",
    "no_name": "the unit has no name (navn)",
    "name_too_long": "the name (navn) is longer than 200 characters",
    "address_not_an_object": "%(kind)s must be an object",
    "lines_not_a_list": "%(kind)s.adresse must be a list of address lines",
    "part_not_text": "%(kind)s.%(part)s must be text",
    "country": "%(kind)s.landkode %(value)s is not a two-letter country code",
    "post_code": "%(kind)s.postnummer %(value)s is not four digits",
    "municipality": "%(kind)s.kommunenummer %(value)s is not four digits",
    "address_too_long": "%(kind)s is too long",
}


class UnitProblem(LocatedProblem):
    """One problem in the download: a code (a key of ENGLISH), the file, the record (JSON)
    or line (CSV) and what it names."""

    ENGLISH = ENGLISH


class LegalEntityFileError(FileError):
    pass


# What is wrong with a record, before the file and the place are added: (code, params).
Found = tuple[str, dict[str, object]]


@dataclass(frozen=True)
class Address:
    street: str = ""
    postal_code: str = ""
    city: str = ""
    municipality_number: str = ""
    country: str = ""


@dataclass(frozen=True)
class Unit:
    organisation_number: str
    name: str
    business: Address
    postal: Address
    where: str  # "record 3" or "line 4", for messages


def parse_units(data: bytes, filename: str) -> list[Unit]:
    """The units in a JSON or CSV download. Raises LegalEntityFileError listing every
    problem (nothing is returned when any unit is bad)."""
    text = utf8_text(data, filename, UnitProblem, LegalEntityFileError)
    stripped = text.lstrip()
    if not stripped:
        raise LegalEntityFileError([UnitProblem("empty", {"file": filename})])
    if stripped[0] in "[{":
        records, problems = _json_records(text, filename)
    else:
        records, problems = _csv_records(text, filename)
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for key, at, record in records:
        place = {"file": filename, key: at}
        unit, found = _unit(record, f"{key} {at}")
        problems.extend(UnitProblem(code, {**place, **params}) for code, params in found)
        if unit is None:
            continue
        number = unit.organisation_number
        if number in seen:
            problems.append(
                UnitProblem(f"twice_{key}", {**place, "number": number, "first": seen[number]})
            )
            continue
        seen[number] = at
        units.append(unit)
    if not records and not problems:
        problems.append(UnitProblem("no_units", {"file": filename}))
    if problems:
        raise LegalEntityFileError(problems)
    return units


# Each record with its place: ("record", 3) in a JSON list, ("line", 4) in a CSV file.
Records = list[tuple[str, int, dict[str, Any]]]


def _json_records(text: str, filename: str) -> tuple[Records, list[UnitProblem]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [
            UnitProblem("not_json", {"file": filename, "line": exc.lineno, "error": exc.msg})
        ]
    if isinstance(data, dict):
        data = data.get("_embedded", {}).get("enheter")
    if not isinstance(data, list):
        return [], [UnitProblem("not_a_list", {"file": filename})]
    records: Records = []
    problems: list[UnitProblem] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(UnitProblem("not_an_object", {"file": filename, "record": index}))
            continue
        records.append(("record", index, item))
    return records, problems


def _csv_records(text: str, filename: str) -> tuple[Records, list[UnitProblem]]:
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in ("organisasjonsnummer", "navn") if name not in header]
    if missing:
        return [], [
            UnitProblem("no_columns", {"file": filename, "line": 1, "columns": ", ".join(missing)})
        ]
    records: Records = []
    for row in reader:
        cells = {(k or "").strip(): (v or "") for k, v in row.items() if isinstance(v, str)}
        record: dict[str, Any] = {
            "organisasjonsnummer": cells.get("organisasjonsnummer", ""),
            "navn": cells.get("navn", ""),
        }
        for kind in ADDRESS_KINDS:
            parts: dict[str, Any] = {
                part: cells.get(f"{kind}.{part}", "") for part in ADDRESS_PARTS
            }
            if any(value.strip() for value in parts.values()):
                parts["adresse"] = [line for line in parts["adresse"].splitlines() if line]
                record[kind] = parts
        # the line the record ends on (a quoted cell may hold line breaks)
        records.append(("line", reader.line_num, record))
    return records, []


def _unit(record: dict[str, Any], where: str) -> tuple[Unit | None, list[Found]]:
    problems: list[Found] = []
    given = record.get("organisasjonsnummer")
    number = given.strip().replace(" ", "") if isinstance(given, str) else ""
    if given is None or (isinstance(given, str) and not number):
        problems.append(("no_number", {}))
    elif not (len(number) == 9 and number.isdigit() and orgnr.is_valid(number)):
        problems.append(("invalid_number", {"number": repr(given)}))
    name = record.get("navn")
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        problems.append(("no_name", {}))
    elif len(name) > 200:
        problems.append(("name_too_long", {}))
    addresses: dict[str, Address] = {}
    for kind in ADDRESS_KINDS:
        address, address_problems = _address(record.get(kind), kind)
        addresses[kind] = address
        problems.extend(address_problems)
    if problems:
        return None, problems
    return (
        Unit(
            organisation_number=number,
            name=name,
            business=addresses["forretningsadresse"],
            postal=addresses["postadresse"],
            where=where,
        ),
        [],
    )


def _address(value: Any, kind: str) -> tuple[Address, list[Found]]:
    if value is None:
        return Address(), []
    if not isinstance(value, dict):
        return Address(), [("address_not_an_object", {"kind": kind})]
    problems: list[Found] = []
    lines = value.get("adresse") or []
    if isinstance(lines, str):
        lines = [lines]
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        problems.append(("lines_not_a_list", {"kind": kind}))
        lines = []
    street = ", ".join(line.strip() for line in lines if line.strip())
    texts: dict[str, str] = {}
    for part in ("postnummer", "poststed", "kommunenummer", "landkode"):
        raw = value.get(part)
        if raw is not None and not isinstance(raw, str):
            problems.append(("part_not_text", {"kind": kind, "part": part}))
            raw = ""
        texts[part] = (raw or "").strip()
    country = texts["landkode"].upper()
    if country and not _COUNTRY.fullmatch(country):
        problems.append(("country", {"kind": kind, "value": repr(texts["landkode"])}))
    if (
        (country in ("", "NO"))
        and texts["postnummer"]
        and not _POST_CODE.fullmatch(texts["postnummer"])
    ):
        problems.append(("post_code", {"kind": kind, "value": repr(texts["postnummer"])}))
    if texts["kommunenummer"] and not _MUNICIPALITY.fullmatch(texts["kommunenummer"]):
        problems.append(("municipality", {"kind": kind, "value": repr(texts["kommunenummer"])}))
    if len(street) > 200 or len(texts["poststed"]) > 100:
        problems.append(("address_too_long", {"kind": kind}))
    return (
        Address(
            street=street,
            postal_code=texts["postnummer"],
            city=texts["poststed"],
            municipality_number=texts["kommunenummer"],
            country=country,
        ),
        problems,
    )
