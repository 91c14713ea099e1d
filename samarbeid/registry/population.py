"""Reads Statistics Norway's CSV export of table 07459 (population on 1 January). Pure.

The export: two title lines, then a header such as `"region";"Personer 2023";"Personer 2024"`,
then one line per region: `"K-3901 Horten";27488;27631`. The region cell is "code name",
possibly with a `K-` prefix. SSB writes `..` or `.` where there is no figure.

Only the table's own header is read: the first column `region`, every other column the
measure `Personer` and a year. A column of another measure ("Kvinner 2023"), a first column
of another name ("kommune") or a column without a year refuses the file.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from samarbeid.registry.file_problems import FileError, FileProblem, utf8_text

_YEAR_RE = re.compile(r"(\d{4})\s*$")
# The export's header: the region column, then the measure "Personer" per year.
REGION_COLUMN = "region"
_POPULATION_RE = re.compile(r"Personer\s+(\d{4})", re.IGNORECASE)
_REGION_RE = re.compile(r"^(?:K-)?(\d{4})(?:\s+(.*))?$")
_MISSING = {"..", ".", ":", "-", ""}


# A problem's words in English (the command's); pages and tasks word each code in bokmål
# from the catalogue (registry.population_messages), told in their reader's language.
ENGLISH = {
    "not_utf8": "%(file)s, line %(line)s: the file is not UTF-8 encoded; export it as UTF-8",
    "too_short": "%(file)s: expected two title lines, a header and at least one region",
    "not_semicolons": (
        "%(file)s, line 3: expected semicolon-separated columns (found delimiter: %(found)s)"
    ),
    "not_region": (
        "%(file)s, line 3: the first column is %(column)s; table 07459 names it 'region'"
    ),
    "column_not_a_year": "%(file)s, line 3: column %(column)s does not name a year",
    "not_population": (
        "%(file)s, line 3: column %(column)s is not the population; table 07459 names it "
        "'Personer' and the year, e.g. 'Personer 2024'"
    ),
    "year_twice": "%(file)s, line 3: the year %(year)s is given twice",
    "no_years": "%(file)s, line 3: no year columns such as 'Personer 2024'",
    "column_count": "%(file)s, line %(line)s: expected %(expected)s columns, found %(found)s",
    "not_a_municipality": (
        "%(file)s, line %(line)s: %(region)s is not a municipality "
        "('code name', e.g. 'K-3901 Horten')"
    ),
    "not_whole": (
        "%(file)s, line %(line)s: population %(cell)s for %(number)s in %(year)s "
        "is not a whole number"
    ),
    "negative": "%(file)s, line %(line)s: population for %(number)s in %(year)s is negative",
    "twice": (
        "%(file)s, line %(line)s: %(number)s in %(year)s is given twice (also line %(first)s)"
    ),
    "unknown_municipality": "%(file)s, line %(line)s: unknown municipality number %(number)s",
}


class PopulationProblem(FileProblem):
    """One problem in the file: a code (a key of ENGLISH) and what it names."""

    ENGLISH = ENGLISH


class PopulationFileError(FileError):
    pass


@dataclass(frozen=True)
class PopulationFigure:
    number: str
    region_name: str
    year: int
    count: int
    line: int


@dataclass(frozen=True)
class PopulationRead:
    """A file read row by row: the good figures, every row's problems in file order, and
    the municipality number of each row with a figure given (good or bad), by line, so the
    caller can name the numbers it does not know on the same lines."""

    figures: list[PopulationFigure]
    problems: list[PopulationProblem]
    numbers: dict[int, str]


def parse_population(data: bytes, filename: str) -> list[PopulationFigure]:
    """The file's figures; PopulationFileError names every problem of the file."""
    read = read_population(data, filename)
    if read.problems:
        raise PopulationFileError(read.problems)
    return read.figures


def read_population(data: bytes, filename: str) -> PopulationRead:
    """Read the file whole. A file that cannot be read as the table (encoding, too short,
    delimiter, header) raises PopulationFileError; every row is then read to the end, its
    problems collected in file order."""
    text = utf8_text(data, filename, PopulationProblem, PopulationFileError)
    lines = text.splitlines()
    if len(lines) < 4:
        raise PopulationFileError([PopulationProblem("too_short", {"file": filename})])
    header_line = lines[2]
    if ";" not in header_line:
        delimiter = "," if "," in header_line else ("tab" if "\t" in header_line else "none")
        raise PopulationFileError(
            [PopulationProblem("not_semicolons", {"file": filename, "found": delimiter})]
        )
    rows = list(csv.reader(io.StringIO("\n".join(lines[2:])), delimiter=";"))
    header = rows[0]
    problems: list[PopulationProblem] = []
    years: list[int] = []
    if header[0].strip().casefold() != REGION_COLUMN:
        problems.append(
            PopulationProblem("not_region", {"file": filename, "column": repr(header[0])})
        )
    for column in header[1:]:
        if not _YEAR_RE.search(column.strip()):
            problems.append(
                PopulationProblem("column_not_a_year", {"file": filename, "column": repr(column)})
            )
            continue
        match = _POPULATION_RE.fullmatch(column.strip())
        if not match:
            problems.append(
                PopulationProblem("not_population", {"file": filename, "column": repr(column)})
            )
            continue
        year = int(match[1])
        if year in years:
            problems.append(PopulationProblem("year_twice", {"file": filename, "year": year}))
        years.append(year)
    if not years and not problems:
        problems.append(PopulationProblem("no_years", {"file": filename}))
    if problems:
        raise PopulationFileError(problems)

    figures: list[PopulationFigure] = []
    numbers: dict[int, str] = {}
    seen: dict[tuple[str, int], int] = {}
    for offset, row in enumerate(rows[1:]):
        line = offset + 4
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                PopulationProblem(
                    "column_count",
                    {"file": filename, "line": line, "expected": len(header), "found": len(row)},
                )
            )
            continue
        region = _REGION_RE.match(row[0].strip())
        if not region:
            problems.append(
                PopulationProblem(
                    "not_a_municipality", {"file": filename, "line": line, "region": repr(row[0])}
                )
            )
            continue
        number, name = region[1], (region[2] or "").strip()
        for year, cell in zip(years, row[1:], strict=True):
            value = cell.strip().replace(" ", "").replace("\u00a0", "")
            if value in _MISSING:
                continue
            numbers[line] = number
            if not value.lstrip("-").isdigit():
                problems.append(
                    PopulationProblem(
                        "not_whole",
                        {
                            "file": filename,
                            "line": line,
                            "cell": repr(cell),
                            "number": number,
                            "year": year,
                        },
                    )
                )
                continue
            count = int(value)
            if count < 0:
                problems.append(
                    PopulationProblem(
                        "negative", {"file": filename, "line": line, "number": number, "year": year}
                    )
                )
                continue
            key = (number, year)
            if key in seen:
                problems.append(
                    PopulationProblem(
                        "twice",
                        {
                            "file": filename,
                            "line": line,
                            "number": number,
                            "year": year,
                            "first": seen[key],
                        },
                    )
                )
                continue
            seen[key] = line
            figures.append(PopulationFigure(number, name, year, count, line))
    return PopulationRead(figures, problems, numbers)
