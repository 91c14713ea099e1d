"""Reads Statistics Norway's CSV export of table 07459 (population on 1 January). Pure.

The export: two title lines, then a header such as `"region";"Personer 2023";"Personer 2024"`,
then one line per region: `"K-3901 Horten";27488;27631`. The region cell is "code name",
possibly with a `K-` prefix. SSB writes `..` or `.` where there is no figure.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

_YEAR_RE = re.compile(r"(\d{4})\s*$")
_REGION_RE = re.compile(r"^(?:K-)?(\d{4})(?:\s+(.*))?$")
_MISSING = {"..", ".", ":", "-", ""}


class PopulationFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class PopulationFigure:
    number: str
    region_name: str
    year: int
    count: int
    line: int


def parse_population(data: bytes, filename: str) -> list[PopulationFigure]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PopulationFileError(
            [f"{filename}, line {line}: the file is not UTF-8 encoded; export it as UTF-8"]
        ) from exc
    lines = text.splitlines()
    if len(lines) < 4:
        raise PopulationFileError(
            [f"{filename}: expected two title lines, a header and at least one region"]
        )
    header_line = lines[2]
    if ";" not in header_line:
        delimiter = "," if "," in header_line else ("tab" if "\t" in header_line else "none")
        raise PopulationFileError(
            [
                f"{filename}, line 3: expected semicolon-separated columns "
                f"(found delimiter: {delimiter})"
            ]
        )
    rows = list(csv.reader(io.StringIO("\n".join(lines[2:])), delimiter=";"))
    header = rows[0]
    problems: list[str] = []
    years: list[int] = []
    for column in header[1:]:
        match = _YEAR_RE.search(column.strip())
        if not match:
            problems.append(f"{filename}, line 3: column {column!r} does not name a year")
            continue
        year = int(match[1])
        if year in years:
            problems.append(f"{filename}, line 3: the year {year} is given twice")
        years.append(year)
    if not years and not problems:
        problems.append(f"{filename}, line 3: no year columns such as 'Personer 2024'")
    if problems:
        raise PopulationFileError(problems)

    figures: list[PopulationFigure] = []
    seen: dict[tuple[str, int], int] = {}
    for offset, row in enumerate(rows[1:]):
        line = offset + 4
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                f"{filename}, line {line}: expected {len(header)} columns, found {len(row)}"
            )
            continue
        region = _REGION_RE.match(row[0].strip())
        if not region:
            problems.append(
                f"{filename}, line {line}: {row[0]!r} is not a municipality "
                "('code name', e.g. 'K-3901 Horten')"
            )
            continue
        number, name = region[1], (region[2] or "").strip()
        for year, cell in zip(years, row[1:], strict=True):
            value = cell.strip().replace(" ", "").replace("\u00a0", "")
            if value in _MISSING:
                continue
            if not value.lstrip("-").isdigit():
                problems.append(
                    f"{filename}, line {line}: population {cell!r} for {number} in {year} "
                    "is not a whole number"
                )
                continue
            count = int(value)
            if count < 0:
                problems.append(
                    f"{filename}, line {line}: population for {number} in {year} is negative"
                )
                continue
            key = (number, year)
            if key in seen:
                problems.append(
                    f"{filename}, line {line}: {number} in {year} is given twice "
                    f"(also line {seen[key]})"
                )
                continue
            seen[key] = line
            figures.append(PopulationFigure(number, name, year, count, line))
    if problems:
        raise PopulationFileError(problems)
    return figures
