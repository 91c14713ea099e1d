"""What the register's import commands (municipalities, population, legal entities) do
around the service that reads the file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samarbeid.registry import services


@contextlib.contextmanager
def file_import(path: Path) -> Iterator[None]:
    """Refuse a `path` that is not there; when the service inside refuses the file, say
    that nothing was imported, with each of its problems."""
    if not path.exists():
        raise CommandError(f"{path}: no such file")
    try:
        yield
    except services.ImportProblem as exc:
        raise CommandError("Nothing was imported:\n" + "\n".join(exc.problems)) from exc


class ExampleFileImport(BaseCommand):
    """A command that imports one file, its records marked as example data on `--example`
    (population, legal entities): a subclass names what it stores and reads the file."""

    stored = "records"  # what `--example` marks, in its help

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--example", action="store_true", help=f"Mark the {self.stored} as example data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        with file_import(path):
            said = self.load(path, example=options["example"])
        self.stdout.write(said)

    def load(self, path: Path, *, example: bool) -> str:
        """Import the file through its service; what the command says it did."""
        raise NotImplementedError
