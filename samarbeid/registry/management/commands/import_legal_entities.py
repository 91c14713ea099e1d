from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samarbeid.registry import services
from samarbeid.registry.management.file_import import file_import


class Command(BaseCommand):
    help = (
        "Import units (registered names and addresses by organisation number) from the "
        "Central Coordinating Register for Legal Entities' download of units (Enhetsregisteret, "
        "'enheter'), as JSON or CSV. Checked whole: nothing is written if any unit is bad. "
        "Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--example", action="store_true", help="Mark the records as example data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        with file_import(path):
            summary = services.import_legal_entities(path, example=options["example"])
        self.stdout.write(
            f"Legal entities from {path.name}: {summary.created} created, "
            f"{summary.updated} updated, {summary.unchanged} unchanged."
        )
