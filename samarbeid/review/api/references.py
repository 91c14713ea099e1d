"""What the review's API writes share: payload values as the models store them, and
references to records the caller may see."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from samarbeid.arenas.models import Arena
from samarbeid.review.models import (
    CooperationProposal,
)

# --- Writes -------------------------------------------------------------------------------
# Everything the review pages can create or change. Every write needs a personal token
# (`Authorization: Bearer smb_…`) or the signed-in session with its CSRF token; the same
# services as the pages decide who may (the secretariat of the arena concerned). A change
# of a record carries the `version` it started from; a newer stored version answers 409.


def plain(value: Any) -> Any:
    """An enum member from the payload as the plain value the model stores."""
    return value.value if hasattr(value, "value") else value


def not_null(data: dict[str, Any], names: set[str]) -> None:
    for name in names & set(data):
        if data[name] is None:
            raise ValidationError({name: "May not be null."})


def reference_arena(
    arena_id: int | None, request: HttpRequest, field: str, *, active: bool = False
) -> Arena | None:
    if arena_id is None:
        return None
    arenas = Arena.objects.visible_to(request.user)
    if active:
        arenas = arenas.active()
    found = arenas.filter(pk=arena_id).first()
    if found is None:
        raise ValidationError({field: f"No arena {arena_id}."})
    return found


def reference_proposal(proposal_id: int | None, request: HttpRequest) -> CooperationProposal | None:
    if proposal_id is None:
        return None
    found = CooperationProposal.objects.visible_to(request.user).filter(pk=proposal_id).first()
    if found is None:
        raise ValidationError({"proposal": f"No proposal {proposal_id}."})
    return found
