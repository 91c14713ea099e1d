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

ADDRESS_KINDS = ("forretningsadresse", "postadresse")
ADDRESS_PARTS = ("adresse", "postnummer", "poststed", "kommunenummer", "landkode")

_POST_CODE = re.compile(r"[0-9]{4}")
_MUNICIPALITY = re.compile(r"[0-9]{4}")
_COUNTRY = re.compile(r"[A-Z]{2}")


class LegalEntityFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LegalEntityFileError(
            [f"{filename}, line {line}: the file is not UTF-8 encoded"]
        ) from exc
    stripped = text.lstrip()
    if not stripped:
        raise LegalEntityFileError([f"{filename}: the file is empty"])
    if stripped[0] in "[{":
        records, problems = _json_records(text, filename)
    else:
        records, problems = _csv_records(text, filename)
    units: list[Unit] = []
    seen: dict[str, str] = {}
    for where, record in records:
        unit, record_problems = _unit(record, where)
        problems.extend(f"{filename}, {where}: {p}" for p in record_problems)
        if unit is None:
            continue
        if unit.organisation_number in seen:
            problems.append(
                f"{filename}, {where}: organisation number {unit.organisation_number} is "
                f"also in {seen[unit.organisation_number]}"
            )
            continue
        seen[unit.organisation_number] = where
        units.append(unit)
    if not records and not problems:
        problems.append(f"{filename}: the file holds no units")
    if problems:
        raise LegalEntityFileError(problems)
    return units


def _json_records(text: str, filename: str) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [f"{filename}, line {exc.lineno}: not valid JSON ({exc.msg})"]
    if isinstance(data, dict):
        data = data.get("_embedded", {}).get("enheter")
    if not isinstance(data, list):
        return [], [f"{filename}: expected a list of units (enheter)"]
    records: list[tuple[str, dict[str, Any]]] = []
    problems: list[str] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(f"{filename}, record {index}: a unit must be an object")
            continue
        records.append((f"record {index}", item))
    return records, problems


def _csv_records(text: str, filename: str) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in ("organisasjonsnummer", "navn") if name not in header]
    if missing:
        return [], [f"{filename}, line 1: the header has no column {', '.join(missing)}"]
    records: list[tuple[str, dict[str, Any]]] = []
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
        records.append((f"line {reader.line_num}", record))
    return records, []


def _unit(record: dict[str, Any], where: str) -> tuple[Unit | None, list[str]]:
    problems: list[str] = []
    number = record.get("organisasjonsnummer")
    number = number.strip().replace(" ", "") if isinstance(number, str) else ""
    if not (len(number) == 9 and number.isdigit() and orgnr.is_valid(number)):
        problems.append(
            f"invalid organisation number {record.get('organisasjonsnummer')!r} "
            "(9 digits with a MOD11 check digit)"
        )
    name = record.get("navn")
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        problems.append("the unit has no name (navn)")
    elif len(name) > 200:
        problems.append("the name (navn) is longer than 200 characters")
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


def _address(value: Any, kind: str) -> tuple[Address, list[str]]:
    if value is None:
        return Address(), []
    if not isinstance(value, dict):
        return Address(), [f"{kind} must be an object"]
    problems: list[str] = []
    lines = value.get("adresse") or []
    if isinstance(lines, str):
        lines = [lines]
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        problems.append(f"{kind}.adresse must be a list of address lines")
        lines = []
    street = ", ".join(line.strip() for line in lines if line.strip())
    texts: dict[str, str] = {}
    for part in ("postnummer", "poststed", "kommunenummer", "landkode"):
        raw = value.get(part)
        if raw is not None and not isinstance(raw, str):
            problems.append(f"{kind}.{part} must be text")
            raw = ""
        texts[part] = (raw or "").strip()
    country = texts["landkode"].upper()
    if country and not _COUNTRY.fullmatch(country):
        problems.append(f"{kind}.landkode {texts['landkode']!r} is not a two-letter country code")
    if (
        (country in ("", "NO"))
        and texts["postnummer"]
        and not _POST_CODE.fullmatch(texts["postnummer"])
    ):
        problems.append(f"{kind}.postnummer {texts['postnummer']!r} is not four digits")
    if texts["kommunenummer"] and not _MUNICIPALITY.fullmatch(texts["kommunenummer"]):
        problems.append(f"{kind}.kommunenummer {texts['kommunenummer']!r} is not four digits")
    if len(street) > 200 or len(texts["poststed"]) > 100:
        problems.append(f"{kind} is too long")
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
