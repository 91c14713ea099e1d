from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samarbeid.portal.transfer import export_to


class Command(BaseCommand):
    help = "Write the whole database (users, roles, audit trail, all domain records) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        count = export_to(options["file"])
        self.stdout.write(self.style.SUCCESS(f"Exported {count} records to {options['file']}."))
