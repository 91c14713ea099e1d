"""Reads Statistics Norway's municipality classification as grouped in the project's data
files, and works out each code's period and its successors. Pure: no Django.

Layout of the main file (semicolon, UTF-8, header `GRUPPEKODE;GRUPPETEKST;KODE;TEKST`):
every code in use in some period, grouped under the current municipality that holds its area.
`TEKST` carries the period in parentheses unless the code is current: `(2020-2023)`,
`(-2017)` (until the end of 2017, start before 1994), `(1964-2019)`.

The periods of current codes are not in the file; they are inferred (see `_infer_start`).
Codes under `K.Rest` (municipalities split between several successors) get their
successors from the manual file, `predecessor;successor;year;note`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from samarbeid.registry.file_problems import FileError, LocatedProblem, utf8_text

MAIN_HEADER = ["GRUPPEKODE", "GRUPPETEKST", "KODE", "TEKST"]
MANUAL_HEADER = ["predecessor", "successor", "year", "note"]
REST_GROUP = "Rest"
UNKNOWN_CODE = "9999"

# The first year each county number was used after the county reforms: a code with such a
# prefix cannot be older than its county.
REFORM_PREFIX_YEAR = {
    "50": 2018,
    "30": 2020,
    "34": 2020,
    "38": 2020,
    "42": 2020,
    "46": 2020,
    "54": 2020,
    "31": 2024,
    "32": 2024,
    "33": 2024,
    "39": 2024,
    "40": 2024,
    "55": 2024,
    "56": 2024,
}

_CODE_RE = re.compile(r"^\d{4}[a-z]?$")
_GROUP_RE = re.compile(r"^K\.(\d{4}|Rest|\d{2}(?:-\d{2})?)$")
# Svalbard, Jan Mayen and the continental shelf are statistical areas, not municipalities.
NON_MUNICIPAL_GROUPS = {"21-22", "23"}
_PERIOD_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<first>\d{4})?-(?P<last>\d{4})\)$")


# A problem's words in English (the command's); pages and tasks word each code in bokmål
# from the catalogue (registry.file_messages). Each follows the file and the line.
ENGLISH = {
    "empty": "the file is empty",
    "not_semicolons": "expected semicolon-separated columns %(header)s",
    "header": "expected the header %(header)s, found %(found)s",
    "not_utf8": "the file is not UTF-8 encoded; save it as UTF-8",
    "column_count": "expected %(expected)s columns, found %(found)s",
    "unknown_group": "unknown group %(group)s",
    "not_a_number": "%(code)s is not a municipality number (4 digits)",
    "no_code": "KODE is empty (a municipality number of 4 digits)",
    "twice": "%(code)s is given twice (also line %(first)s)",
    "ends_before_start": "the period of %(code)s ends before it starts",
    "no_name": "%(code)s has no name",
    "unknown_code": "unknown municipality code %(code)s",
    "not_a_year": "%(year)s is not a year",
}


class ClassificationProblem(LocatedProblem):
    """One problem in the classification or the manual changes: a code (a key of ENGLISH),
    the file, the line and what it names."""

    ENGLISH = ENGLISH


class ClassificationError(FileError):
    """Every problem found in a file, each naming the file and the line."""


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    group: str  # the current number of the area, or REST_GROUP
    first_year: int | None  # None: in use before 1994, start not recorded
    last_year: int | None  # None: current
    line: int

    @property
    def number(self) -> str:
        return self.code[:4]

    @property
    def base_name(self) -> str:
        """The name without Sami/Kven parallel names or a county qualifier, for matching."""
        name = self.name.split(" - ")[0]
        return re.sub(r"\s*\(.*\)$", "", name).strip().lower()

    def valid_in(self, year: int) -> bool:
        return (self.first_year is None or self.first_year <= year) and (
            self.last_year is None or year <= self.last_year
        )


@dataclass(frozen=True)
class Link:
    predecessor: str
    successor: str
    year: int  # the change takes effect on 1 January of this year
    kind: str  # merger, renumbering or split
    manual: bool
    note: str = ""


@dataclass(frozen=True)
class Classification:
    codes: list[Code]
    links: list[Link]
    warnings: list[str]


def _problem(
    code: str, filename: str, line: int | None = None, /, **params: object
) -> ClassificationProblem:
    """The problem `code` in `filename` (on `line`, if it has one), naming `params`."""
    where: dict[str, object] = {"file": filename}
    if line is not None:
        where["line"] = line
    return ClassificationProblem(code, {**where, **params})


def _read_rows(text: str, filename: str, header: list[str]) -> list[tuple[int, list[str]]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    columns = ";".join(header)
    if not lines:
        raise ClassificationError([_problem("empty", filename, header=columns)])
    first = lines[0]
    if ";" not in first:
        raise ClassificationError([_problem("not_semicolons", filename, 1, header=columns)])
    reader = csv.reader(io.StringIO(text), delimiter=";")
    rows = list(reader)
    if [cell.strip() for cell in rows[0]] != header:
        raise ClassificationError(
            [_problem("header", filename, 1, header=columns, found=repr(first))]
        )
    return [(index + 2, row) for index, row in enumerate(rows[1:]) if any(c.strip() for c in row)]


def _cells(
    text: str, filename: str, header: list[str], problems: list[ClassificationProblem]
) -> Iterator[tuple[int, list[str]]]:
    """Each row of the file after its header, with its line, its cells stripped; a row
    without the header's number of columns is a problem (in `problems`), not a row."""
    columns = ";".join(header)
    for line, row in _read_rows(text, filename, header):
        if len(row) != len(header):
            problems.append(
                _problem(
                    "column_count",
                    filename,
                    line,
                    expected=len(header),
                    found=len(row),
                    header=columns,
                )
            )
            continue
        yield line, [cell.strip() for cell in row]


def decode(data: bytes, filename: str) -> str:
    """The file as text (a byte order mark is kept: the rows' reader skips it)."""
    return utf8_text(data, filename, ClassificationProblem, ClassificationError, encoding="utf-8")


def parse_codes(text: str, filename: str) -> list[Code]:
    problems: list[ClassificationProblem] = []
    codes: list[Code] = []
    seen: dict[str, int] = {}
    for line, (group_cell, _group_name, code, label) in _cells(
        text, filename, MAIN_HEADER, problems
    ):
        group_match = _GROUP_RE.match(group_cell)
        if not group_match:
            problems.append(_problem("unknown_group", filename, line, group=repr(group_cell)))
            continue
        if not code:
            problems.append(_problem("no_code", filename, line))
            continue
        if not _CODE_RE.match(code):
            problems.append(_problem("not_a_number", filename, line, code=repr(code)))
            continue
        if code in seen:
            problems.append(_problem("twice", filename, line, code=code, first=seen[code]))
            continue
        seen[code] = line
        if group_match[1] in NON_MUNICIPAL_GROUPS:
            continue
        period = _PERIOD_RE.match(label)
        first: int | None = None
        last: int | None = None
        name = label
        if period:
            name = period["name"]
            first = int(period["first"]) if period["first"] else None
            last = int(period["last"])
            if first is not None and first > last:
                problems.append(_problem("ends_before_start", filename, line, code=code))
                continue
        if not name:
            problems.append(_problem("no_name", filename, line, code=code))
            continue
        codes.append(Code(code, name, group_match[1], first, last, line))
    if problems:
        raise ClassificationError(problems)
    return codes


def parse_manual_links(text: str, filename: str, known: set[str]) -> list[Link]:
    problems: list[ClassificationProblem] = []
    links: list[Link] = []
    for line, (predecessor, successor, year, note) in _cells(
        text, filename, MANUAL_HEADER, problems
    ):
        for column, code in (("predecessor", predecessor), ("successor", successor)):
            if code not in known:
                problems.append(
                    _problem("unknown_code", filename, line, code=repr(code), column=column)
                )
        if not year.isdigit() or not 1838 <= int(year) <= 2100:
            problems.append(_problem("not_a_year", filename, line, year=repr(year)))
            continue
        links.append(Link(predecessor, successor, int(year), "", True, note))
    if problems:
        raise ClassificationError(problems)
    return links


def _infer_start(code: Code, group: list[Code]) -> int | None:
    """The first year of a current code, which the file does not give.

    A current code continues an older code of the same name in its group (Færder 3911 after
    Færder 3811), so it starts the year after that one ends; a code under a county number
    created by a reform cannot be older than the reform. Otherwise the code predates 1994
    (Oslo 0301; Bodø 1804, which absorbed Skjerstad but kept its number).
    """
    candidates = [
        other.last_year + 1
        for other in group
        if other.last_year is not None and other.base_name == code.base_name
    ]
    if code.number[:2] in REFORM_PREFIX_YEAR:
        candidates.append(REFORM_PREFIX_YEAR[code.number[:2]])
    return max(candidates) if candidates else None


def _pick_successor(code: Code, group: list[Code]) -> tuple[list[Code], str | None]:
    assert code.last_year is not None
    year = code.last_year + 1
    starting = [other for other in group if other is not code and other.first_year == year]
    if starting:
        if len(starting) > 1:
            same_name = [other for other in starting if other.base_name == code.base_name]
            if len(same_name) == 1:
                return same_name, None
        return starting, None
    ongoing = [other for other in group if other is not code and other.valid_in(year)]
    if len(ongoing) == 1:
        return ongoing, None
    same_name = [other for other in ongoing if other.base_name == code.base_name]
    if len(same_name) == 1:
        return same_name, None
    return [], f"no successor found for {code.code} {code.name} (ended {code.last_year})"


def build(codes: list[Code], manual: list[Link]) -> Classification:
    by_group: dict[str, list[Code]] = defaultdict(list)
    for code in codes:
        by_group[code.group].append(code)

    completed: list[Code] = []
    for code in codes:
        if code.last_year is None and code.first_year is None and code.group != REST_GROUP:
            code = replace(code, first_year=_infer_start(code, by_group[code.group]))
        completed.append(code)
    # A manual link also fixes the start of its successor (Haram 1580 split off in 2024).
    by_code = {code.code: code for code in completed}
    for link in manual:
        successor = by_code[link.successor]
        if successor.first_year is None or successor.first_year < link.year:
            by_code[link.successor] = replace(successor, first_year=link.year)
    completed = [by_code[code.code] for code in completed]

    groups: dict[str, list[Code]] = defaultdict(list)
    for code in completed:
        groups[code.group].append(code)

    manual_predecessors = {link.predecessor for link in manual}
    raw: list[Link] = list(manual)
    warnings: list[str] = []
    for code in completed:
        if code.last_year is None or code.code in manual_predecessors:
            continue
        if code.group == REST_GROUP:
            if code.number != UNKNOWN_CODE:
                warnings.append(
                    f"{code.code} {code.name} was split; its successors must be entered by hand"
                )
            continue
        successors, problem = _pick_successor(code, groups[code.group])
        if problem:
            warnings.append(problem)
        for successor in successors:
            raw.append(Link(code.code, successor.code, code.last_year + 1, "", False))

    predecessor_count: dict[str, int] = defaultdict(int)
    successor_count: dict[str, int] = defaultdict(int)
    for link in raw:
        predecessor_count[link.successor] += 1
        successor_count[link.predecessor] += 1
    links = []
    for link in raw:
        if successor_count[link.predecessor] > 1:
            kind = "split"
        elif predecessor_count[link.successor] > 1:
            kind = "merger"
        else:
            kind = "renumbering"
        links.append(replace(link, kind=kind))
    return Classification(completed, links, warnings)


def load(main_path: Path, manual_path: Path | None) -> Classification:
    codes = parse_codes(decode(main_path.read_bytes(), main_path.name), main_path.name)
    codes = [code for code in codes if code.number != UNKNOWN_CODE]
    manual: list[Link] = []
    if manual_path is not None:
        known = {code.code for code in codes}
        manual = parse_manual_links(
            decode(manual_path.read_bytes(), manual_path.name), manual_path.name, known
        )
    return build(codes, manual)
