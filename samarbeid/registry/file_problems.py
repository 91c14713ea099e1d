"""A problem in a file the register imports (Statistics Norway's classification and
population table, Enhetsregisteret's units, the shipped organisation numbers and map
points). Pure: no Django.

A problem is a code and what it names (the file, the line or record, the cell), so it can
be told in more than one language: its reader's table words it in English (the commands,
the API's population upload), registry.file_messages in bokmål from the catalogue (the
pages and the tasks, which tell it in their reader's language)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class FileProblem:
    """One problem: a code (a key of the class's ENGLISH) and its parameters. Each reader
    has its own subclass with its own table."""

    code: str
    params: dict[str, object] = field(default_factory=dict)

    ENGLISH: ClassVar[Mapping[str, str]] = {}

    def __str__(self) -> str:
        return self.ENGLISH[self.code] % self.params


class LocatedProblem(FileProblem):
    """A problem whose words (ENGLISH) say only what is wrong; where it is comes first, from
    its parameters: `file`, then `line` or `record` (a JSON file's place in the list, from
    1) if it has one."""

    def __str__(self) -> str:
        return f"{self.place()}: {self.ENGLISH[self.code] % self.params}"

    def place(self) -> str:
        """Where, in English: "kommuner.csv, line 3", "enheter.json, record 2"."""
        file = self.params["file"]
        for key in ("line", "record"):
            if key in self.params:
                return f"{file}, {key} {self.params[key]}"
        return str(file)


class FileError(ValueError):
    """Every problem found in a file: `details` (the codes), `problems` (in English)."""

    def __init__(self, details: Sequence[FileProblem]) -> None:
        self.details = list(details)
        self.problems = [str(d) for d in details]
        super().__init__("\n".join(self.problems))


def utf8_text(
    data: bytes,
    filename: str,
    problem: type[FileProblem],
    error: type[FileError],
    *,
    encoding: str = "utf-8-sig",
) -> str:
    """`data` read as UTF-8 text (by default without a leading byte order mark); a file that
    is not raises `error` with the `problem` "not_utf8", naming the file and the line of the
    first byte that is not UTF-8 (every reader of the register's files refuses it so)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error([problem("not_utf8", {"file": filename, "line": line})]) from exc
