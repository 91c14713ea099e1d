"""Permission-matrix rows for arenas and memberships (see samarbeid/tests/matrix.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from samarbeid.tests.matrix import (
    ApiRow,
    FormRow,
    World,
    delete_row,
    form_on,
    form_row,
    post_row,
    row,
    the_arena,
    versioned_form,
    versioned_row,
)


def _create_arena(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/arenas", {"name": "Ny arena", "short_name": "NY", "kind": "other"}


def _membership(world: World) -> Any:
    return world.membership


def _ended_membership(world: World) -> Any:
    """The world's membership ended by mistake (the factory's way, outside the write path)."""
    membership = world.membership
    membership.left = date(2025, 12, 31)
    membership.save()
    return membership


def _arena_with_ceased_member(world: World) -> Any:
    """The world's arena with Nøtterøy (ceased 2017) still a member: carrying it on to
    Færder writes."""
    from samarbeid.arenas.tests.factories import MembershipFactory
    from samarbeid.registry.models import Municipality

    MembershipFactory(
        arena=world.arena,
        municipality=Municipality.objects.get(code="0722"),
        joined=date(2008, 1, 1),
    )
    return world.arena


# --- Across arenas (issue 23): what a write links to must be within the writer's rights -----


def _sub_arena(world: World) -> Any:
    """A sub-arena of the world's arena (within the one-arena secretariat's rights)."""
    from samarbeid.arenas.tests.factories import ArenaFactory

    return ArenaFactory(name="Faggruppe", short_name="FAG", parent=world.arena)


# A new sub-arena as the API takes it, but for its parent.
SUB_ARENA = {"name": "Faggruppe", "short_name": "FAG", "kind": "other"}


def _create_sub_arena(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/arenas", {**SUB_ARENA, "parent": world.arena.pk}


def _create_under_other(world: World) -> tuple[str, dict[str, Any]]:
    return "/api/v1/arenas", {**SUB_ARENA, "parent": world.other_arena().pk}


def _move_under_other(world: World) -> tuple[str, dict[str, Any]]:
    """KS-V's sub-arena moved under 12K."""
    arena = _sub_arena(world)
    return f"/api/v1/arenas/{arena.pk}", {
        "version": arena.version,
        "parent": world.other_arena().pk,
    }


def _transfer_to_other(world: World) -> tuple[str, dict[str, Any]]:
    arena = _sub_arena(world)
    return f"/api/v1/arenas/{arena.pk}", {
        "version": arena.version,
        "status": "transferred",
        "transferred_to": world.other_arena().pk,
        "status_reason": "Overført",
    }


def _member_on_other_arenas_decision(world: World) -> tuple[str, dict[str, Any]]:
    """Horten joins the world's arena, resting on Horten's decision to join 12K (which
    would hand 12K's decision to this arena's secretariat)."""
    from samarbeid.arenas.tests.factories import MembershipFactory

    other = MembershipFactory(arena=world.other_arena(), municipality=world.horten)
    return f"/api/v1/arenas/{world.arena.pk}/memberships", {
        "municipality": "3901",
        "joined": "2024-05-01",
        "decision_id": other.decision_id,
    }


ARENAS = "/api/v1/arenas"
ACROSS_ARENAS = [
    ApiRow("POST", ARENAS, row(secretariat=201), _create_sub_arena),
    ApiRow("POST", ARENAS, row(secretariat=201, arena_secretariat=403), _create_under_other),
    ApiRow(
        "PATCH",
        "/api/v1/arenas/{arena_id}",
        row(secretariat=200, arena_secretariat=403),
        _move_under_other,
    ),
    ApiRow(
        "PATCH",
        "/api/v1/arenas/{arena_id}",
        row(secretariat=200, arena_secretariat=403),
        _transfer_to_other,
    ),
    ApiRow(
        "POST",
        "/api/v1/arenas/{arena_id}/memberships",
        row(secretariat=201, arena_secretariat=403),
        _member_on_other_arenas_decision,
    ),
]

# a top-level arena: a secretariat for every arena (one arena's secretariat: sub-arenas)
API_ROWS = [
    ApiRow("POST", "/api/v1/arenas", row(secretariat=201, arena_secretariat=403), _create_arena),
    versioned_row(
        "PATCH", "/api/v1/arenas/{arena_id}", row(secretariat=200), the_arena, purpose="Nytt"
    ),
    post_row(
        "/api/v1/arenas/{arena_id}/memberships",
        row(secretariat=201),
        the_arena,
        municipality="3901",
        joined="2024-05-01",
        decision={"body": "council", "meeting_date": "2024-04-01"},
    ),
    versioned_row(
        "PATCH",
        "/api/v1/memberships/{membership_id}",
        row(secretariat=200),
        _membership,
        next_review="2027-01-01",
    ),
    delete_row("/api/v1/memberships/{membership_id}", row(secretariat=204), _membership),
    post_row(
        "/api/v1/arenas/{arena_id}/successions", row(secretariat=200), _arena_with_ceased_member
    ),
    *ACROSS_ARENAS,
]


def _arena_create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("arenas:arena_create"), {
        "name": "Ny",
        "short_name": "NY",
        "kind": "other",
        "status": "active",
        "published": "on",
    }


def _sub_arena_create_form(world: World) -> tuple[str, dict[str, Any]]:
    url, data = _arena_create_form(world)
    return url, data | {"parent": world.arena.pk}


def _arena_edit_form(world: World) -> tuple[str, dict[str, Any]]:
    arena = world.arena
    return reverse("arenas:arena_edit", args=[arena.pk]), {
        "version": arena.version,
        "name": arena.name,
        "short_name": arena.short_name,
        "kind": arena.kind,
        "status": arena.status,
        "established": "2020-01-01",
        "published": "on",
    }


def _membership_create_form(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("arenas:membership_create", args=[world.arena.pk]), {
        "m-municipality": world.horten.pk,
        "m-joined": "2024-05-01",
        "d-body": "council",
        "d-meeting_date": "2024-04-01",
        "d-outcome": "adopted",
    }


def _membership_end_form(world: World) -> tuple[str, dict[str, Any]]:
    membership = world.membership
    return reverse("arenas:membership_end", args=[membership.pk]), {
        "m-version": membership.version,
        "m-left": "2025-12-31",
        "m-leave_reason": "Slutt",
        "d-body": "council",
        "d-meeting_date": "2025-06-01",
        "d-outcome": "adopted",
    }


FORM_ROWS = [
    # a top-level arena: the one-arena secretariat gets the form back with the error (200)
    FormRow(
        "arenas:arena_create", form_row(secretariat=302, arena_secretariat=200), _arena_create_form
    ),
    FormRow("arenas:arena_create", form_row(secretariat=302), _sub_arena_create_form),
    FormRow("arenas:arena_edit", form_row(secretariat=302), _arena_edit_form),
    FormRow("arenas:membership_create", form_row(secretariat=302), _membership_create_form),
    FormRow("arenas:membership_end", form_row(secretariat=302), _membership_end_form),
    versioned_form("arenas:membership_reopen", form_row(secretariat=302), _ended_membership),
    form_on("arenas:successions", form_row(secretariat=302), _arena_with_ceased_member),
]

API_TAGS = {"arenas"}
NAMESPACES = {"arenas"}
READ_ONLY_PAGES = {"arenas:arena_list", "arenas:arena_detail"}
