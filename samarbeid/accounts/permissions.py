"""Who may do what. Pages, API and services all ask these functions, so a rule lives once.

The public sees published records; readers, coordinators and the secretariat also see
internal ones. Writes: the secretariat within its arenas; a coordinator only for its own
municipality's decisions, participations, votes, population, benefits and
planning strategy.

Every record a write links to (a decision's case, a case's project, an arena's parent, a
budget line's project, …) must be within the writer's rights too, not only the record it
writes: `can_link` says so for the arena the linked record belongs to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from samarbeid.accounts.models import Role, RoleAssignment

if TYPE_CHECKING:
    from samarbeid.arenas.models import Arena
    from samarbeid.registry.models import Municipality


def _roles(user: Any) -> list[RoleAssignment]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached: list[RoleAssignment] | None = getattr(user, "_samarbeid_roles", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("arena"))
        user._samarbeid_roles = cached
    return cached


def is_internal(user: Any) -> bool:
    """Sees unpublished records: any signed-in user with a role, or a superuser."""
    return bool(getattr(user, "is_superuser", False) or _roles(user))


RecordsT = TypeVar("RecordsT", bound=QuerySet[Any])


def published_to(queryset: RecordsT, user: Any, *paths: str) -> RecordsT:
    """`queryset` cut to what `user` may see: all of it for internal users; for others the
    records published themselves ("" in `paths`, the default) and through each path (e.g.
    "arena": their arena is published). The one rule of visibility: arenas, projects and
    governance's records (which reach an arena only through their own foreign keys) use it."""
    if is_internal(user):
        return queryset
    return queryset.filter(
        **{f"{path}__published" if path else "published": True for path in paths or ("",)}
    )


def is_secretariat(user: Any, arena: Arena | None = None) -> bool:
    """Secretariat for `arena` (or for anything, when arena is None and the role is global)."""
    if getattr(user, "is_superuser", False):
        return True
    for role in _roles(user):
        if role.role != Role.SECRETARIAT:
            continue
        if role.arena_id is None:
            return True
        if arena is not None and _within(arena, role.arena_id):
            return True
    return False


def is_any_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        role.role == Role.SECRETARIAT for role in _roles(user)
    )


def secretariat_arena_ids(user: Any) -> set[int] | None:
    """The arenas a secretariat user serves, as named by its roles (each with its
    sub-arenas, which the caller adds): None for a global secretariat or a superuser
    (every arena), an empty set for a user who is no secretariat."""
    if getattr(user, "is_superuser", False):
        return None
    ids: set[int] = set()
    for role in _roles(user):
        if role.role != Role.SECRETARIAT:
            continue
        if role.arena_id is None:
            return None
        ids.add(role.arena_id)
    return ids


def _within(arena: Arena, arena_id: int) -> bool:
    seen = 0
    current: Arena | None = arena
    while current is not None and seen < 10:  # parents nest a few levels at most
        if current.pk == arena_id:
            return True
        current = current.parent
        seen += 1
    return False


def coordinator_municipality_ids(user: Any) -> set[int]:
    return {
        role.municipality_id
        for role in _roles(user)
        if role.role == Role.COORDINATOR and role.municipality_id is not None
    }


def is_coordinator_for(user: Any, municipality: Municipality) -> bool:
    return municipality.pk in coordinator_municipality_ids(user)


def can_edit_arena(user: Any, arena: Arena | None) -> bool:
    if arena is None:
        return is_any_secretariat(user)
    return is_secretariat(user, arena)


def can_link(user: Any, *arenas: Arena | None) -> bool:
    """Whether `user` may link what it writes to records of each of `arenas` (the arena a
    linked case, project, parent arena or decision belongs to): their secretariat. A
    record in no arena (None) is the business of a secretariat for every arena."""
    return all(is_secretariat(user, arena) for arena in arenas)


def can_record_decision(
    user: Any,
    *,
    municipality: Municipality | None,
    arena: Arena | None,
    municipal_body: bool = True,
    linked: tuple[Arena | None, ...] = (),
) -> bool:
    """A municipality's own decision (`municipal_body`: made by its council or another of
    its own bodies, not by an arena's body): its coordinator, or the secretariat of the
    arena it concerns. An arena body's decision: that arena's secretariat only. A decision
    that concerns no arena: the municipality's coordinator or a secretariat for every
    arena. A secretariat must also hold every arena in `linked` (its case's arena)."""
    if municipal_body and municipality is not None and is_coordinator_for(user, municipality):
        return True
    return can_link(user, arena, *linked)


def can_edit_population(user: Any, municipality: Municipality) -> bool:
    """Population figures: the municipality's own coordinator, or a global secretariat."""
    return is_coordinator_for(user, municipality) or is_secretariat(user, None)


def can_edit_planning_strategy(user: Any, municipality: Municipality) -> bool:
    """A municipality's planning strategy and the cooperation needs it names: as its
    population figures, its own coordinator or a global secretariat."""
    return can_edit_population(user, municipality)


def can_restore(user: Any) -> bool:
    """Putting back an earlier version from the history page: a global secretariat."""
    return is_secretariat(user, None)


def can_manage_roles(user: Any) -> bool:
    """Assigning roles: a superuser or a global secretariat."""
    return is_secretariat(user, None)


def require(allowed: bool) -> None:
    """Refuse with the general refusal: the 403 page and the API's problem say it in the
    reader's language. A refusal that names who may raises PermissionDenied with its own
    message instead."""
    if not allowed:
        raise PermissionDenied
