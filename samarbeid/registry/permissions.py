"""Who may act for a municipality through the register's history: rules that read the
register (mergers and renumberings), so they live above accounts.permissions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.accounts.permissions import (
    can_edit_population,
    coordinator_municipality_ids,
    is_secretariat,
)
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import SuccessorMap


def can_record_for_predecessor(user: Any, municipality: Municipality | None) -> bool:
    """A successor's coordinator may record the decisions of a municipality its own took
    over in a merger or a renumbering (Larvik's coordinator records Lardal's council's
    treatment of a case): the successor holds the predecessor's archives."""
    if municipality is None or municipality.valid_to is None:
        return False
    own = coordinator_municipality_ids(user)
    if not own:
        return False
    cached: set[int] | None = getattr(user, "_samarbeid_predecessors", None)
    if cached is None:
        changes = SuccessorMap()
        cached = {p for mine in own for p in changes.predecessor_ids(mine)}
        user._samarbeid_predecessors = cached
    return municipality.pk in cached


# Who may load SSB's population file, said to whoever may not (its page, API and task).
POPULATION_IMPORT_REFUSAL = gettext_lazy(
    "Bare et sekretariat for alle arenaer kan lese inn folketall fra SSB."
)


def can_import_population(user: Any) -> bool:
    """Statistics Norway's population file names every municipality: a secretariat for
    every arena (or an administrator) loads it."""
    return is_secretariat(user, None)


def require_population_import(user: Any) -> None:
    """Refuse the national population import (the page's upload, the API's file) with who
    may: a secretariat for every arena, never a coordinator."""
    if not can_import_population(user):
        raise PermissionDenied(str(POPULATION_IMPORT_REFUSAL))


def require_population_edit(user: Any, municipality: Municipality) -> None:
    """Refuse entering one municipality's figure with who may: its own coordinator or a
    secretariat for every arena."""
    if not can_edit_population(user, municipality):
        raise PermissionDenied(
            _(
                "Bare koordinatoren for kommunen, eller et sekretariat for alle arenaer, kan "
                "endre folketallet her."
            )
        )
