from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samarbeid.registry import services
from samarbeid.registry.management.file_import import file_import


class Command(BaseCommand):
    help = (
        "Import population on 1 January from Statistics Norway's table 07459 exported as "
        "semicolon CSV (two title lines, a header with columns like 'Personer 2024')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--example", action="store_true", help="Mark the figures as example data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        with file_import(path):
            count = services.import_population(path, example=options["example"])
        self.stdout.write(f"Population: {count} figures stored from {path.name}.")
