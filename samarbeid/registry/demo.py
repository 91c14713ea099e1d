"""Registry demo: the registered names and addresses of the demo's municipalities (the
shipped extract of the register of legal entities; the addresses are example data)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from samarbeid.audit.services import Actor
from samarbeid.registry.services import DEFAULT_LEGAL_ENTITIES, import_legal_entities

# Example population figures for the demo's municipalities (marked as example data).
DEMO_POPULATION = Path(settings.BASE_DIR) / "data" / "demo" / "befolkning-eksempel.csv"


def load(actor: Actor) -> None:
    import_legal_entities(DEFAULT_LEGAL_ENTITIES, example=True)
