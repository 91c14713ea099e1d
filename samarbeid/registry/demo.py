"""Registry demo: the registered names and addresses of the demo's municipalities (the
shipped extract of the register of legal entities; the addresses are example data)."""

from __future__ import annotations

from samarbeid.audit.services import Actor
from samarbeid.registry.services import DEFAULT_LEGAL_ENTITIES, import_legal_entities


def load(actor: Actor) -> None:
    import_legal_entities(DEFAULT_LEGAL_ENTITIES, example=True)
