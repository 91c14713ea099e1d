from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.tests.factories import ArenaFactory, MembershipFactory, arena_with_members

pytestmark = pytest.mark.django_db


def test_public_sees_published_arenas_only(client: Client) -> None:
    published = ArenaFactory(name="Åpen arena")
    hidden = ArenaFactory(name="Intern arena", published=False)
    listing = client.get("/arenaer/").content.decode()
    assert "Åpen arena" in listing
    assert "Intern arena" not in listing
    assert client.get(published.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_reader_sees_internal_arenas(client: Client, reader: Any) -> None:
    hidden = ArenaFactory(published=False)
    assert login(client, reader).get(hidden.get_absolute_url()).status_code == 200


def test_list_filters(client: Client) -> None:
    arena_with_members(["3909"], name="Larviks arena", kind=Arena.Kind.PROFESSIONAL_GROUP)
    ArenaFactory(name="Annen arena", kind=Arena.Kind.KS_BODY)
    by_member = client.get("/arenaer/?member=3909").content.decode()
    assert "Larviks arena" in by_member
    assert "Annen arena" not in by_member
    by_kind = client.get("/arenaer/?kind=ks_body").content.decode()
    assert "Annen arena" in by_kind
    assert "Larviks arena" not in by_kind
    assert "Larviks arena" in client.get("/arenaer/?county=39").content.decode()


def test_detail_shows_members_and_decisions(client: Client) -> None:
    arena = arena_with_members(["3909", "3901"])
    text = client.get(arena.get_absolute_url()).content.decode()
    assert "Larvik" in text
    assert "Horten" in text
    assert "Kommunestyre i Larvik" in text


def test_secretariat_creates_arena(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    response = client.post(
        "/arenas/ny/".replace("/arenas/", "/arenaer/"),
        {
            "name": "Vestfold IKT",
            "short_name": "VIKT",
            "kind": "joint_task_body",
            "status": "active",
        },
    )
    assert response.status_code == 302
    assert Arena.objects.get(short_name="VIKT").name == "Vestfold IKT"


def test_arena_form_shows_field_errors(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    response = client.post(
        "/arenaer/ny/",
        {"name": "Arena", "short_name": "A", "kind": "other", "status": "closed"},
    )
    assert response.status_code == 200
    assert "Skriv begrunnelsen" in response.content.decode()
    assert not Arena.objects.exists()


def test_outsiders_cannot_create(client: Client, coordinator: Any) -> None:
    assert client.get("/arenaer/ny/").status_code == 302  # to log-in
    assert login(client, coordinator).get("/arenaer/ny/").status_code == 403


def test_add_member_with_its_decision(client: Client, secretariat: Any) -> None:
    arena = ArenaFactory()
    from samarbeid.registry.models import Municipality

    larvik = Municipality.objects.current().get(number="3909")
    login(client, secretariat)
    data = {
        "m-municipality": larvik.pk,
        "m-joined": "2024-03-01",
        "d-body": "council",
        "d-case_number": "PS 12/24",
        "d-meeting_date": "2024-02-15",
        "d-outcome": "adopted",
    }
    response = client.post(f"/arenaer/{arena.pk}/medlemmer/ny/", data)
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert membership.decision.case_number == "PS 12/24"
    # a decision after the start is refused and nothing is saved
    data["m-municipality"] = Municipality.objects.current().get(number="3901").pk
    data["d-meeting_date"] = "2024-05-01"
    response = client.post(f"/arenaer/{arena.pk}/medlemmer/ny/", data)
    assert response.status_code == 200
    assert "datert etter" in response.content.decode()
    assert Membership.objects.count() == 1


def test_end_membership(client: Client, secretariat: Any) -> None:
    membership = MembershipFactory()
    login(client, secretariat)
    response = client.post(
        f"/arenaer/medlemskap/{membership.pk}/avslutt/",
        {
            "m-left": "2025-12-31",
            "m-leave_reason": "Utmeldt",
            "m-version": membership.version,
            "d-body": "council",
            "d-meeting_date": "2025-06-01",
            "d-outcome": "adopted",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left is not None
    assert membership.leave_decision is not None


def test_edit_conflict_shows_both_values(client: Client, secretariat: Any) -> None:
    arena = ArenaFactory(name="Original")
    login(client, secretariat)
    form = {"name": "Først", "short_name": arena.short_name, "kind": arena.kind, "status": "active"}
    assert client.post(f"/arenaer/{arena.pk}/endre/", {**form, "version": 1}).status_code == 302
    response = client.post(f"/arenaer/{arena.pk}/endre/", {**form, "name": "Sist", "version": 1})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Først" in text
    assert "Sist" in text
    arena.refresh_from_db()
    assert arena.name == "Først"
