from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samarbeid.portal.transfer import ImportRefused, import_from


class Command(BaseCommand):
    help = (
        "Load a file written by export_all into an empty database (after migrate). "
        "Everything is checked first; on any problem nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            count = import_from(path)
        except ImportRefused as exc:
            lines = [str(problem) for problem in exc.problems[:200]]
            raise CommandError(
                "Nothing was imported. Problems:\n" + "\n".join(f"  {line}" for line in lines)
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {count} records from {path}."))
