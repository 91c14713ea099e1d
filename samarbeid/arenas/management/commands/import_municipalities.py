from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samarbeid.arenas.services import arenas_with_ceased_members
from samarbeid.registry import services
from samarbeid.registry.management.file_import import file_import


class Command(BaseCommand):
    help = (
        "Load or update the municipality register from Statistics Norway's classification "
        "(semicolon CSV GRUPPEKODE;GRUPPETEKST;KODE;TEKST). Idempotent; a later change file "
        "in the same layout adds to the register."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=services.DEFAULT_CLASSIFICATION)
        parser.add_argument(
            "--manual",
            default=str(services.DEFAULT_MANUAL_CHANGES),
            help="Successors entered by hand (split municipalities)",
        )
        parser.add_argument(
            "--no-extras",
            action="store_true",
            help="Do not load the shipped organisation numbers and map points (for change files)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        extras = not options["no_extras"]
        with file_import(path):
            summary = services.import_municipalities(
                path,
                manual_path=Path(options["manual"]) if options["manual"] else None,
                organisation_numbers_path=services.DEFAULT_ORGANISATION_NUMBERS if extras else None,
                points_path=services.DEFAULT_POINTS if extras else None,
            )
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"Municipalities: {summary.created} created, {summary.updated} updated; "
            f"{summary.links} changes between them."
        )
        waiting = arenas_with_ceased_members().count()
        if waiting:
            # A merger ends memberships only when a secretariat carries them on.
            self.stdout.write(
                f"{waiting} arena(s) have members that ceased: carry them on to the successors "
                "with `python manage.py follow_successors --user USERNAME` (or on each arena's "
                "page)."
            )
