from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import (
    add_membership,
    create_arena,
    follow_successors,
    update_arena,
    update_membership,
)
from samarbeid.arenas.tests.factories import (
    ArenaFactory,
    DecisionFactory,
    MembershipFactory,
    current,
)
from samarbeid.audit.models import AuditEntry
from samarbeid.core.versioning import VersionConflict
from samarbeid.governance.models import Decision
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def old(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def test_create_arena_is_audited(secretariat: Any) -> None:
    arena = create_arena(
        Arena(name="Vestfold IKT-samarbeid", short_name="VIKT", kind=Arena.Kind.JOINT_TASK_BODY),
        actor=secretariat,
    )
    entry = AuditEntry.objects.get(object_id=str(arena.pk))
    assert entry.action == "create"
    assert entry.actor == secretariat
    assert entry.changes["short_name"] == "VIKT"


def test_only_the_secretariat_creates_arenas(coordinator: Any, reader: Any) -> None:
    for user in (coordinator, reader, None):
        with pytest.raises(PermissionDenied):
            create_arena(Arena(name="X", short_name="X", kind=Arena.Kind.OTHER), actor=user)
    assert not Arena.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"status": Arena.Status.TRANSFERRED, "status_reason": "Flyttet"}, "transferred_to"),
        ({"status": Arena.Status.CLOSED}, "status_reason"),
        ({"established": date(2020, 1, 1), "ended": date(2019, 1, 1)}, "ended"),
        ({"kind": Arena.Kind.JOINT_MUNICIPALITY}, "ended"),
        ({"initiator": Arena.Initiator.MUNICIPALITY}, "initiator_municipality"),
    ],
)
def test_arena_rules(secretariat: Any, fields: dict[str, Any], field: str) -> None:
    arena = Arena(**{"name": "Arena", "short_name": "A", "kind": Arena.Kind.OTHER, **fields})
    with pytest.raises(ValidationError) as caught:
        create_arena(arena, actor=secretariat)
    assert field in caught.value.message_dict
    assert not Arena.objects.exists()


def test_stale_edit_is_refused(secretariat: Any) -> None:
    arena = ArenaFactory()
    first = Arena.objects.get(pk=arena.pk)
    second = Arena.objects.get(pk=arena.pk)
    update_arena(first, {"name": "Nytt navn"}, expected_version=1, actor=secretariat)
    with pytest.raises(VersionConflict) as caught:
        update_arena(second, {"name": "Annet navn"}, expected_version=1, actor=secretariat)
    assert caught.value.current.name == "Nytt navn"  # type: ignore[attr-defined]
    arena.refresh_from_db()
    assert (arena.name, arena.version) == ("Nytt navn", 2)


def test_membership_needs_an_adopted_decision_of_the_municipality(secretariat: Any) -> None:
    arena = ArenaFactory()
    larvik, horten = current("3909"), current("3901")
    rejected = DecisionFactory(municipality=larvik, outcome=Decision.Outcome.REJECTED)
    with pytest.raises(ValidationError, match="vedtatt"):
        add_membership(
            Membership(
                arena=arena, municipality=larvik, joined=date(2024, 3, 1), decision=rejected
            ),
            actor=secretariat,
        )
    hortens = DecisionFactory(municipality=horten)
    with pytest.raises(ValidationError, match="kommunen selv"):
        add_membership(
            Membership(arena=arena, municipality=larvik, joined=date(2024, 3, 1), decision=hortens),
            actor=secretariat,
        )
    late = DecisionFactory(municipality=larvik, meeting_date=date(2024, 6, 1))
    with pytest.raises(ValidationError, match="etter"):
        add_membership(
            Membership(arena=arena, municipality=larvik, joined=date(2024, 3, 1), decision=late),
            actor=secretariat,
        )
    assert not Membership.objects.exists()


def test_membership_dates_and_overlaps(secretariat: Any) -> None:
    arena = ArenaFactory(established=date(2000, 1, 1))
    MembershipFactory(arena=arena, municipality=current("3909"), joined=date(2024, 3, 1))
    decision = DecisionFactory(municipality=current("3909"))
    with pytest.raises(ValidationError, match="allerede medlem"):
        add_membership(
            Membership(
                arena=arena,
                municipality=current("3909"),
                joined=date(2024, 4, 1),
                decision=decision,
            ),
            actor=secretariat,
        )
    with pytest.raises(ValidationError, match="fantes ikke"):
        add_membership(
            Membership(
                arena=arena,
                municipality=old("0722"),
                joined=date(2019, 1, 1),
                decision=DecisionFactory(municipality=old("0722"), meeting_date=date(2016, 1, 1)),
            ),
            actor=secretariat,
        )
    membership = Membership.objects.get()
    with pytest.raises(ValidationError, match="før startdato"):
        update_membership(
            membership, {"left": date(2024, 1, 1)}, expected_version=None, actor=secretariat
        )


def test_mergers_carry_memberships_to_successors(secretariat: Any) -> None:
    arena = ArenaFactory(established=date(2000, 1, 1))
    for code in ("0722", "0723", "0709"):
        municipality = old(code)
        MembershipFactory(
            arena=arena,
            municipality=municipality,
            joined=date(2008, 1, 1),
            decision=DecisionFactory(municipality=municipality, meeting_date=date(2007, 11, 1)),
        )
    created = follow_successors(arena, actor=secretariat)
    today = arena.memberships.active_on(date(2026, 1, 1))
    assert sorted(m.municipality.code for m in today) == ["3909", "3911"]
    notteroy = arena.memberships.get(municipality__code="0722")
    assert notteroy.left == date(2017, 12, 31)  # history stays true
    # one per step: 0729 (once for both), 3811, 3911; 0712, 3805, 3909
    assert created == 6
    assert follow_successors(arena, actor=secretariat) == 0  # idempotent


def test_coordinator_cannot_edit_memberships(coordinator: Any) -> None:
    membership = MembershipFactory()
    with pytest.raises(PermissionDenied):
        update_membership(
            membership, {"left": date(2025, 1, 1)}, expected_version=None, actor=coordinator
        )
