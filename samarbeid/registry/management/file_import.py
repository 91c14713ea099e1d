"""What the register's import commands (municipalities, population, legal entities) do
around the service that reads the file."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import CommandError

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
