"""The history page of a record (who, when, what, channel) and restoring a version."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import create_arena, update_arena
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def arena(secretariat: Any) -> Arena:
    arena = create_arena(
        Arena(name="Fagnettverk IKT", short_name="IKT", kind=Arena.Kind.PROFESSIONAL_NETWORK),
        actor=secretariat,
    )
    update_arena(
        arena,
        {"name": "Fagnettverk digitalisering"},
        expected_version=1,
        actor=secretariat,
        channel=Channel.API,
    )
    return arena


def url(arena: Arena) -> str:
    return reverse("audit:history", args=["arenas.arena", arena.pk])


def test_history_shows_who_when_what_and_channel(client: Client, arena: Arena, reader: Any) -> None:
    login(client, reader)
    page = client.get(url(arena)).content.decode()
    assert "Fagnettverk IKT" in page
    assert "Fagnettverk digitalisering" in page
    assert "sekretariat" in page
    assert "API" in page
    assert "nettside" in page
    assert "Gjenopprett" not in page  # a reader cannot restore


def test_secretariat_restores_an_earlier_version(
    client: Client, arena: Arena, secretariat: Any
) -> None:
    login(client, secretariat)
    created = history(arena).get(action=AuditEntry.Action.CREATE)
    assert "Gjenopprett" in client.get(url(arena)).content.decode()
    response = client.post(
        reverse("audit:restore", args=["arenas.arena", arena.pk, created.pk]), {"version": 2}
    )
    assert response.status_code == 302
    arena.refresh_from_db()
    assert arena.name == "Fagnettverk IKT"
    assert arena.version == 3
    latest = history(arena).first()
    assert latest is not None
    assert latest.action == AuditEntry.Action.RESTORE
    assert latest.changes["name"] == ["Fagnettverk digitalisering", "Fagnettverk IKT"]


def test_restore_with_a_stale_version_is_a_conflict(
    client: Client, arena: Arena, secretariat: Any
) -> None:
    login(client, secretariat)
    created = history(arena).get(action=AuditEntry.Action.CREATE)
    response = client.post(
        reverse("audit:restore", args=["arenas.arena", arena.pk, created.pk]),
        {"version": 1},
        follow=True,
    )
    assert "endret av noen andre" in response.content.decode()
    arena.refresh_from_db()
    assert arena.name == "Fagnettverk digitalisering"


def test_restore_refused_when_old_values_no_longer_validate(
    client: Client, arena: Arena, secretariat: Any
) -> None:
    login(client, secretariat)
    created = history(arena).get(action=AuditEntry.Action.CREATE)
    # Another arena has taken the short name since.
    update_arena(arena, {"short_name": "DIGI"}, expected_version=2, actor=secretariat)
    create_arena(Arena(name="Annen", short_name="IKT", kind=Arena.Kind.OTHER), actor=secretariat)
    response = client.post(
        reverse("audit:restore", args=["arenas.arena", arena.pk, created.pk]),
        {"version": 3},
        follow=True,
    )
    assert "kan ikke gjenopprettes" in response.content.decode()
    arena.refresh_from_db()
    assert arena.short_name == "DIGI"
    assert arena.version == 3


@pytest.mark.parametrize("persona", ["coordinator", "reader"])
def test_only_the_secretariat_restores(
    client: Client, arena: Arena, persona: str, request: Any
) -> None:
    login(client, request.getfixturevalue(persona))
    created = history(arena).get(action=AuditEntry.Action.CREATE)
    response = client.post(
        reverse("audit:restore", args=["arenas.arena", arena.pk, created.pk]), {"version": 2}
    )
    assert response.status_code == 403


def test_history_is_internal(client: Client, arena: Arena) -> None:
    response = client.get(url(arena))
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"]
    from django.contrib.auth import get_user_model

    login(client, get_user_model().objects.create_user("ingen", password="x-pass-123456"))
    assert client.get(url(arena)).status_code == 403


@pytest.mark.parametrize("label", ["nope.nothing", "accounts.apitoken", "auth.user", "x"])
def test_unknown_record_types_are_404(client: Client, reader: Any, label: str) -> None:
    login(client, reader)
    assert client.get(reverse("audit:history", args=[label, 1])).status_code == 404


def test_deleted_record_keeps_its_history(client: Client, secretariat: Any) -> None:
    from samarbeid.arenas.tests.factories import MembershipFactory
    from samarbeid.core.services import delete_record

    membership: Any = MembershipFactory()
    pk = membership.pk
    delete_record(membership, actor=secretariat)
    login(client, secretariat)
    page = client.get(reverse("audit:history", args=["arenas.membership", pk]))
    assert page.status_code == 200
    assert "slettet" in page.content.decode()
    assert (
        client.get(reverse("audit:history", args=["arenas.membership", 99999])).status_code == 404
    )
