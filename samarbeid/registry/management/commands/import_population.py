from pathlib import Path

from samarbeid.registry import services
from samarbeid.registry.management.file_import import ExampleFileImport


class Command(ExampleFileImport):
    help = (
        "Import population on 1 January from Statistics Norway's table 07459 exported as "
        "semicolon CSV (two title lines, a header with columns like 'Personer 2024')."
    )
    stored = "figures"

    def load(self, path: Path, *, example: bool) -> str:
        count = services.import_population(path, example=example)
        return f"Population: {count} figures stored from {path.name}."
