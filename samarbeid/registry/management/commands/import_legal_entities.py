from pathlib import Path

from samarbeid.registry import services
from samarbeid.registry.management.file_import import ExampleFileImport


class Command(ExampleFileImport):
    help = (
        "Import units (registered names and addresses by organisation number) from the "
        "Central Coordinating Register for Legal Entities' download of units (Enhetsregisteret, "
        "'enheter'), as JSON or CSV. Checked whole: nothing is written if any unit is bad. "
        "Idempotent."
    )

    def load(self, path: Path, *, example: bool) -> str:
        summary = services.import_legal_entities(path, example=example)
        return (
            f"Legal entities from {path.name}: {summary.created} created, "
            f"{summary.updated} updated, {summary.unchanged} unchanged."
        )
