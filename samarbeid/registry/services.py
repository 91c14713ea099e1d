"""Loading the municipality register and population, and following municipalities through
mergers and renumberings."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.no import orgnr

from samarbeid.accounts.permissions import can_edit_population, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, update_record
from samarbeid.core.stamps import bulk_write
from samarbeid.core.versioning import VersionConflict
from samarbeid.lib.succession import holders_on
from samarbeid.registry import classification
from samarbeid.registry.classification import ClassificationError
from samarbeid.registry.file_problems import FileProblem, LocatedProblem
from samarbeid.registry.legal_entities import LegalEntityFileError, parse_units
from samarbeid.registry.models import LegalEntity, Municipality, MunicipalityChange, Population
from samarbeid.registry.population import PopulationFileError, PopulationProblem, read_population

DATA_DIR = Path(settings.BASE_DIR) / "data"
DEFAULT_CLASSIFICATION = DATA_DIR / "kommuner-1994-2024.csv"
DEFAULT_MANUAL_CHANGES = DATA_DIR / "kommuner-manuelle-endringer.csv"
DEFAULT_ORGANISATION_NUMBERS = DATA_DIR / "organisasjonsnummer.csv"
DEFAULT_POINTS = DATA_DIR / "kommunepunkt.csv"


class ImportProblem(ValueError):
    """An import refused as a whole; `details` name the file, line and problem as codes
    (registry.file_problems: worded in the reader's language on pages and in tasks by
    registry.file_messages), `problems` the same in English (the commands')."""

    def __init__(self, details: Sequence[FileProblem]) -> None:
        self.details = list(details)
        self.problems = [str(d) for d in self.details]
        super().__init__("\n".join(self.problems))


class DataFileProblem(LocatedProblem):
    """A problem in the organisation numbers or the map points the municipality import
    reads beside the classification (a key of ENGLISH), after the file and the line."""

    ENGLISH = {
        "not_utf8": "the file is not UTF-8 encoded",
        "header": "expected the header %(header)s",
        "invalid_number": "invalid organisation number %(number)s",
        "not_numbers": "the coordinates are not numbers",
        "outside_norway": "the point lies outside Norway",
    }


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    links: int
    warnings: list[str]


def _read_keyed(path: Path, header: list[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblem([DataFileProblem("not_utf8", {"file": path.name})]) from exc
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    if reader.fieldnames is None or list(reader.fieldnames) != header:
        raise ImportProblem(
            [DataFileProblem("header", {"file": path.name, "line": 1, "header": ";".join(header)})]
        )
    return [(index + 2, row) for index, row in enumerate(reader)]


def _organisation_numbers(path: Path) -> dict[str, str]:
    problems: list[DataFileProblem] = []
    result: dict[str, str] = {}
    header = ["kommunenummer", "organisasjonsnummer", "kommunenummer_2020_2023", "registrert_navn"]
    for line, row in _read_keyed(path, header):
        number = (row["organisasjonsnummer"] or "").strip()
        if not orgnr.is_valid(number):
            where = {"file": path.name, "line": line}
            problems.append(DataFileProblem("invalid_number", {**where, "number": repr(number)}))
            continue
        result[row["kommunenummer"].strip()] = number
        if row["kommunenummer_2020_2023"]:
            result.setdefault("2020:" + row["kommunenummer_2020_2023"].strip(), number)
    if problems:
        raise ImportProblem(problems)
    return result


def _points(path: Path) -> dict[str, tuple[Decimal, Decimal]]:
    problems: list[DataFileProblem] = []
    result: dict[str, tuple[Decimal, Decimal]] = {}
    header = ["kommunenummer", "kommunenummer_2020_2023", "breddegrad", "lengdegrad"]
    for line, row in _read_keyed(path, header):
        try:
            point = (Decimal(row["breddegrad"]), Decimal(row["lengdegrad"]))
        except (InvalidOperation, TypeError):
            problems.append(DataFileProblem("not_numbers", {"file": path.name, "line": line}))
            continue
        if not (57 <= point[0] <= 72 and 4 <= point[1] <= 32):
            problems.append(DataFileProblem("outside_norway", {"file": path.name, "line": line}))
            continue
        result[row["kommunenummer"].strip()] = point
    if problems:
        raise ImportProblem(problems)
    return result


def import_municipalities(
    path: Path = DEFAULT_CLASSIFICATION,
    *,
    manual_path: Path | None = DEFAULT_MANUAL_CHANGES,
    organisation_numbers_path: Path | None = DEFAULT_ORGANISATION_NUMBERS,
    points_path: Path | None = DEFAULT_POINTS,
) -> ImportSummary:
    """Load or update the register from the classification file (idempotent).

    Everything is read and checked before anything is written; on any problem nothing is
    written and ImportProblem lists them. Codes already in the register but absent from the
    file are kept, so a later change file adds to the register. Changes entered by hand in
    the register (source "manual") are never replaced.
    """
    try:
        result = classification.load(path, manual_path)
    except ClassificationError as exc:
        raise ImportProblem(exc.details) from exc
    org_numbers = (
        _organisation_numbers(organisation_numbers_path) if organisation_numbers_path else {}
    )
    points = _points(points_path) if points_path else {}

    with transaction.atomic(), bulk_write():  # the register feeds every split
        existing = {m.code: m for m in Municipality.objects.all()}
        created = updated = 0
        for code in result.codes:
            values: dict[str, object] = {
                "number": code.number,
                "name": code.name,
                "county_number": code.number[:2],
                "valid_from": date(code.first_year, 1, 1) if code.first_year else None,
                "valid_to": date(code.last_year, 12, 31) if code.last_year else None,
            }
            if code.last_year is None:
                values["organisation_number"] = org_numbers.get(code.number, "")
                point = points.get(code.number)
                values["latitude"], values["longitude"] = point if point else (None, None)
            elif code.first_year == 2020 and code.last_year == 2023:
                # Renumbered in 2024, same organisation: it keeps its number.
                values["organisation_number"] = org_numbers.get("2020:" + code.number, "")
            municipality = existing.get(code.code)
            if municipality is None:
                existing[code.code] = Municipality.objects.create(code=code.code, **values)
                created += 1
            else:
                changed = [
                    key for key, value in values.items() if getattr(municipality, key) != value
                ]
                if changed:
                    for key in changed:
                        setattr(municipality, key, values[key])
                    municipality.save(update_fields=changed)
                    updated += 1

        current_links = {
            (link.predecessor.code, link.successor.code): link
            for link in MunicipalityChange.objects.select_related("predecessor", "successor")
        }
        wanted = set()
        for link in result.links:
            pair = (link.predecessor, link.successor)
            wanted.add(pair)
            values = {
                "effective": date(link.year, 1, 1),
                "kind": link.kind,
                "note": link.note,
                "source": MunicipalityChange.Source.CLASSIFICATION,
            }
            found = current_links.get(pair)
            if found is None:
                MunicipalityChange.objects.create(
                    predecessor=existing[link.predecessor],
                    successor=existing[link.successor],
                    **values,
                )
            elif found.source == MunicipalityChange.Source.CLASSIFICATION:
                changed = [k for k, v in values.items() if getattr(found, k) != v]
                for k in changed:
                    setattr(found, k, values[k])
                if changed:
                    found.save(update_fields=changed)
        stale = [
            link.pk
            for key, link in current_links.items()
            if key not in wanted
            and link.source == MunicipalityChange.Source.CLASSIFICATION
            and key[0] in {code.code for code in result.codes}
        ]
        MunicipalityChange.objects.filter(pk__in=stale).delete()
    return ImportSummary(created, updated, len(result.links), result.warnings)


def import_population(
    path: Path, *, actor: Actor = None, channel: str = Channel.COMMAND, example: bool = False
) -> int:
    """Store population from an SSB 07459 export on disk (the command, the demo): as
    `import_population_data`."""
    return import_population_data(
        path.read_bytes(), path.name, actor=actor, channel=channel, example=example
    )


def import_population_data(
    data: bytes,
    filename: str,
    *,
    actor: Actor = None,
    channel: str = Channel.COMMAND,
    example: bool = False,
) -> int:
    """Store population per municipality per year from an SSB 07459 export: the command's
    file, the page's upload and the API's are read by this one function.

    The region's number is resolved to the municipality that used it on 1 January of the
    year. All rows are checked first; on any problem nothing is written and ImportProblem
    names the file, line and problem. Each new or changed figure is written through the
    write path (versioned, audited). Returns the number of figures in the file (created,
    updated or unchanged).
    """
    try:
        read = read_population(data, filename)
    except PopulationFileError as exc:
        raise ImportProblem(exc.details) from exc
    by_number: dict[str, list[Municipality]] = defaultdict(list)
    for municipality in Municipality.objects.filter(number__in=set(read.numbers.values())):
        by_number[municipality.number].append(municipality)
    # Every row's problems, in file order, each once: the file's own (cells, rows given
    # twice), then a number the register has never had, once per line whatever its years.
    by_line: list[tuple[int, FileProblem]] = [
        (int(str(p.params.get("line", 0))), p) for p in read.problems
    ]
    by_line += [
        (
            line,
            PopulationProblem(
                "unknown_municipality", {"file": filename, "line": line, "number": n}
            ),
        )
        for line, n in read.numbers.items()
        if n not in by_number
    ]
    by_line.sort(key=lambda item: item[0])  # stable: a line's cell problems before its number
    problems: list[FileProblem] = []
    for _line, problem in by_line:
        if problem not in problems:
            problems.append(problem)
    if problems:
        raise ImportProblem(problems)
    resolved: list[tuple[Municipality, int, int]] = []
    for figure in read.figures:
        day = date(figure.year, 1, 1)
        candidates = by_number[figure.number]
        matches = [m for m in candidates if m.is_valid_on(day)]
        if not matches:
            # SSB back-calculates figures for today's numbers (3901 Horten in 2023, when the
            # number was 3801): they belong to the record that carries the number now.
            matches = [max(candidates, key=lambda m: (m.valid_to is None, m.valid_to or day))]
        resolved.append((matches[0], figure.year, figure.count))
    with transaction.atomic(), bulk_write():  # the register feeds every split
        stored = {
            (p.municipality_id, p.year): p
            for p in Population.objects.filter(
                municipality__in={m for m, _, _ in resolved}, year__in={y for _, y, _ in resolved}
            )
        }
        for municipality, year, count in resolved:
            found = stored.get((municipality.pk, year))
            if found is None:
                found = Population(
                    municipality=municipality, year=year, count=count, is_example_data=example
                )
                create_record(found, actor=actor, channel=channel)
                stored[(municipality.pk, year)] = found
            elif found.count != count or found.is_example_data != example:
                update_record(
                    found,
                    {"count": count, "is_example_data": example},
                    expected_version=None,
                    actor=actor,
                    channel=channel,
                )
    return len(resolved)


def set_population(
    municipality: Municipality,
    year: int,
    count: int,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str,
    is_example_data: bool = False,
) -> tuple[Population, bool]:
    """Enter or correct `municipality`'s population on 1 January of `year`; (the figure,
    whether it is new). The municipality's coordinator or a secretariat for every arena may.

    `expected_version`: the version of the figure the user saw; 0 when they saw none (a
    figure someone stored meanwhile is then not overwritten unseen: VersionConflict); None
    skips the check (the API's PUT, commands)."""
    require(can_edit_population(actor, municipality))
    day = date(year, 1, 1)
    # A current municipality also carries the figures Statistics Norway back-calculates for
    # the years before its number (3909 Larvik in 2023): a budget's reference year reads them.
    back_calculated = municipality.is_current and day < (municipality.valid_from or day)
    if not (municipality.is_valid_on(day) or back_calculated):
        raise ValidationError(
            {
                "year": _("%(m)s fantes ikke 1. januar %(year)s.")
                % {"m": f"{municipality.name} ({municipality.number})", "year": year}
            }
        )
    with transaction.atomic():
        found = (
            Population.objects.select_for_update()
            .filter(municipality=municipality, year=year)
            .order_by("pk")
            .first()
        )
        if found is None:
            figure = Population(
                municipality=municipality, year=year, count=count, is_example_data=is_example_data
            )
            create_record(figure, actor=actor, channel=channel)
            return figure, True
        if expected_version is not None and found.version != expected_version:
            raise VersionConflict(found)
        update_record(
            found,
            {"count": count, "is_example_data": is_example_data},
            expected_version=expected_version,
            actor=actor,
            channel=channel,
        )
        return found, False


class SuccessorMap:
    """All municipality changes, loaded once, to follow records to their successors without
    a query per step. Build one per request or per invoice run."""

    def __init__(self) -> None:
        self._next: dict[int, list[tuple[date, int]]] = defaultdict(list)
        self._prev: dict[int, list[int]] = defaultdict(list)
        for predecessor, successor, effective in MunicipalityChange.objects.values_list(
            "predecessor_id", "successor_id", "effective"
        ):
            self._next[predecessor].append((effective, successor))
            self._prev[successor].append(predecessor)

    def successor_ids_on(self, municipality_id: int, day: date) -> list[int]:
        """The municipalities holding `municipality_id`'s area on `day` (itself if unchanged).
        A split gives several."""
        return holders_on(self._next, municipality_id, day)

    def predecessor_ids(self, municipality_id: int) -> list[int]:
        """Every municipality whose area `municipality_id` took over, through every change
        back to the first (Nøtterøy and Tjøme, then 0729 and 3811 Færder, for 3911 Færder),
        nearest first."""
        result: list[int] = []
        frontier = list(self._prev.get(municipality_id, []))
        while frontier:
            current = frontier.pop(0)
            if current not in result and current != municipality_id:
                result.append(current)
                frontier.extend(self._prev.get(current, []))
        return result


def unknown_number(number: str, day: date | None) -> str:
    """Why a municipality number was not found, in the user's words."""
    if day is None:
        return _("Ingen kommune har nummeret %(n)s.") % {"n": number}
    return _("Ingen kommune hadde nummeret %(n)s den %(d)s.") % {
        "n": number,
        "d": shown(day),
    }


def absent_on(municipality: Municipality, day: date) -> str:
    """Why `municipality` cannot be had on `day` (it was made later or had ceased), in the
    user's words: every record about a municipality on a day says it so."""
    return _("%(m)s fantes ikke som kommune %(d)s.") % {
        "m": municipality,
        "d": shown(day),
    }


def resolve_number(number: str, on: date | None = None) -> Municipality | None:
    """The municipality that used `number` on a day, or the current / most recent one."""
    candidates = list(Municipality.objects.filter(number=number))
    if on is not None:
        matches = [m for m in candidates if m.is_valid_on(on)]
        return matches[0] if matches else None
    if not candidates:
        return None
    return max(candidates, key=lambda m: (m.valid_to is None, m.valid_to or date.max))


DEFAULT_LEGAL_ENTITIES = DATA_DIR / "enheter-kommuner.json"

LEGAL_ENTITY_FIELDS = (
    "name",
    "business_street",
    "business_postal_code",
    "business_city",
    "business_municipality_number",
    "business_country",
    "postal_street",
    "postal_postal_code",
    "postal_city",
    "postal_municipality_number",
    "postal_country",
    "is_example_data",
)


@dataclass(frozen=True)
class LegalEntitySummary:
    created: int
    updated: int
    unchanged: int


def import_legal_entities(path: Path, *, example: bool = False) -> LegalEntitySummary:
    """Store the units of a download from the register of legal entities (JSON or CSV,
    see registry.legal_entities), by organisation number: new units created, known ones
    updated (idempotent). Every unit is checked first; on any problem nothing is written
    and ImportProblem names the file, record and problem. `example`: the records are
    example data (invented addresses)."""
    try:
        units = parse_units(path.read_bytes(), path.name)
    except LegalEntityFileError as exc:
        raise ImportProblem(exc.details) from exc
    created = updated = unchanged = 0
    with transaction.atomic(), bulk_write(arenas=()):  # legal entities feed no split
        stored = {
            e.organisation_number: e
            for e in LegalEntity.objects.filter(
                organisation_number__in=[u.organisation_number for u in units]
            )
        }
        for unit in units:
            values: dict[str, object] = {
                "name": unit.name,
                "business_street": unit.business.street,
                "business_postal_code": unit.business.postal_code,
                "business_city": unit.business.city,
                "business_municipality_number": unit.business.municipality_number,
                "business_country": unit.business.country,
                "postal_street": unit.postal.street,
                "postal_postal_code": unit.postal.postal_code,
                "postal_city": unit.postal.city,
                "postal_municipality_number": unit.postal.municipality_number,
                "postal_country": unit.postal.country,
                "is_example_data": example,
            }
            found = stored.get(unit.organisation_number)
            if found is None:
                LegalEntity.objects.create(organisation_number=unit.organisation_number, **values)
                created += 1
                continue
            changed = [k for k, v in values.items() if getattr(found, k) != v]
            if not changed:
                unchanged += 1
                continue
            for key in changed:
                setattr(found, key, values[key])
            found.save(update_fields=[*changed, "updated_at"])
            updated += 1
    return LegalEntitySummary(created, updated, unchanged)
