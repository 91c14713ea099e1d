"""Carrying memberships through municipality mergers and renumberings: the service that
lists what is pending, the page that asks the secretariat, and the API."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import bearer, login
from samarbeid.accounts.models import RoleAssignment
from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import follow_successors, pending_successions
from samarbeid.arenas.tests.factories import ArenaFactory, DecisionFactory, MembershipFactory
from samarbeid.audit.models import Channel
from samarbeid.audit.services import history
from samarbeid.jobs.tests.helpers import finish
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def arena_with_notteroy_and_tjome() -> Arena:
    """Nøtterøy (0722) and Tjøme (0723) joined in 2008; both became Færder (0729) in 2018,
    which became 3811 in 2020 and 3911 in 2024. Larvik (3909) is a current municipality."""
    arena = ArenaFactory(established=date(2000, 1, 1))
    for code in ("0722", "0723", "3909"):
        municipality = Municipality.objects.get(code=code)
        MembershipFactory(
            arena=arena,
            municipality=municipality,
            joined=date(2008, 1, 1) if code != "3909" else date(2020, 1, 1),
            decision=DecisionFactory(municipality=municipality, meeting_date=date(2007, 11, 1)),
        )
    return arena


def test_pending_lists_ceased_members_with_their_successors(secretariat: Any) -> None:
    arena = arena_with_notteroy_and_tjome()
    pending = pending_successions(arena)
    assert [(s.membership.municipality.code, s.ceased) for s in pending] == [
        ("0722", date(2017, 12, 31)),
        ("0723", date(2017, 12, 31)),
    ]
    assert [m.code for m in pending[0].successors] == ["0729"]
    follow_successors(arena, actor=secretariat)
    assert pending_successions(arena) == []


def test_the_arena_page_asks_the_secretariat_only(client: Client, secretariat: Any) -> None:
    arena = arena_with_notteroy_and_tjome()
    assert "har opphørt" not in client.get(arena.get_absolute_url()).content.decode()
    page = login(client, secretariat).get(arena.get_absolute_url()).content.decode()
    assert "2 medlemmer er kommuner som har opphørt" in page
    assert f"/arenaer/{arena.pk}/kommuneendringer/" in page


def test_the_secretariat_carries_members_on_from_the_page(client: Client, secretariat: Any) -> None:
    arena = arena_with_notteroy_and_tjome()
    login(client, secretariat)
    url = f"/arenaer/{arena.pk}/kommuneendringer/"
    shown = client.get(url).content.decode()
    assert "Nøtterøy" in shown
    assert "Færder" in shown
    assert "31.12.2017" in shown
    job = finish(client.post(url))  # carried on by a background task
    assert job.message == "3 etterfølgere ble medlemmer."
    assert job.link == arena.get_absolute_url()
    current = arena.memberships.active_on(date(2026, 1, 1))
    assert sorted(m.municipality.code for m in current) == ["3909", "3911"]
    # History stays true: Nøtterøy's membership ended the day it ceased.
    assert arena.memberships.get(municipality__code="0722").left == date(2017, 12, 31)
    færder = arena.memberships.get(municipality__code="3911")
    assert færder.decision.body_name.startswith("Kommuneendring")
    assert history(færder).get().channel == Channel.PAGE
    again = finish(client.post(url))
    assert (
        "Medlemskapene var allerede ført videre."
        in client.get(again.get_absolute_url()).content.decode()
    )
    assert "Ingen medlemmer er kommuner som har opphørt." in client.get(url).content.decode()


def test_others_may_not_carry_members_on(client: Client, coordinator: Any, reader: Any) -> None:
    arena = arena_with_notteroy_and_tjome()
    url = f"/arenaer/{arena.pk}/kommuneendringer/"
    for user in (coordinator, reader):
        login(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert arena.memberships.count() == 3


def test_the_api_carries_members_on(client: Client, secretariat: Any, reader: Any) -> None:
    arena = arena_with_notteroy_and_tjome()
    url = f"/api/v1/arenas/{arena.pk}/successions"
    assert client.post(url, headers=bearer(reader)).status_code == 403
    response = client.post(url, headers=bearer(secretariat))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 3  # 0729 (once for both), 3811, 3911
    open_members = {m["municipality"] for m in body["members"] if m["left"] is None}
    assert open_members == {"3909", "3911"}
    assert client.post(url, headers=bearer(secretariat)).json()["created"] == 0
    assert (
        client.post("/api/v1/arenas/999999/successions", headers=bearer(secretariat)).status_code
        == 404
    )


def test_the_dashboard_lists_arenas_with_ceased_members_for_internal_users(
    client: Client, reader: Any
) -> None:
    arena = arena_with_notteroy_and_tjome()
    ArenaFactory(name="Uten opphørte medlemmer")
    assert "opphørt ved kommuneendring" not in client.get("/").content.decode()
    page = login(client, reader).get("/").content.decode()
    assert "1 arena har medlemmer som er kommuner som har opphørt" in page
    assert f'href="/arenaer/{arena.pk}/"' in page
    assert "(2 medlemmer)" in page
    assert "Uten opphørte medlemmer</a> (" not in page


def test_a_successor_already_a_member_only_ends_the_old_membership(
    client: Client, secretariat: Any
) -> None:
    """Tønsberg 3803 became 3905 in 2024; the arena recorded 3905 itself from that day."""
    arena = ArenaFactory(established=date(2000, 1, 1))
    for code, joined in (("3803", date(2020, 1, 1)), ("3905", date(2024, 1, 1))):
        MembershipFactory(
            arena=arena, municipality=Municipality.objects.get(code=code), joined=joined
        )
    login(client, secretariat)
    job = finish(client.post(f"/arenaer/{arena.pk}/kommuneendringer/"))
    assert job.message == "1 medlemskap ble avsluttet; etterfølgeren var allerede medlem."
    assert arena.memberships.get(municipality__code="3803").left == date(2023, 12, 31)
    assert arena.memberships.count() == 2


# The command, for a national municipality import that touches many arenas at once.


def test_the_command_carries_members_on_in_every_arena(secretariat: Any) -> None:
    first, second = arena_with_notteroy_and_tjome(), arena_with_notteroy_and_tjome()
    untouched = ArenaFactory()
    out = StringIO()
    call_command("follow_successors", "--user", secretariat.username, stdout=out)
    text = out.getvalue()
    assert f"{first.short_name}: 0722 Nøtterøy (ceased 2017-12-31) -> 0729 Færder" in text
    assert "2 arena(s) carried on; 6 new membership(s) for successors." in text
    for arena in (first, second):
        current = arena.memberships.active_on(date(2026, 1, 1))
        assert sorted(m.municipality.code for m in current) == ["3909", "3911"]
        assert history(arena.memberships.get(municipality__code="3911")).get().channel == (
            Channel.COMMAND
        )
    assert not untouched.memberships.exists()
    again = StringIO()
    call_command("follow_successors", "--user", secretariat.username, stdout=again)
    assert "No arena has members that ceased; nothing to do." in again.getvalue()


def test_the_command_dry_run_and_one_arena(secretariat: Any) -> None:
    first, second = arena_with_notteroy_and_tjome(), arena_with_notteroy_and_tjome()
    out = StringIO()
    call_command("follow_successors", "--user", secretariat.username, "--dry-run", stdout=out)
    assert "Dry run: nothing was changed." in out.getvalue()
    assert len(pending_successions(first)) == len(pending_successions(second)) == 2
    call_command(
        "follow_successors",
        "--user",
        secretariat.username,
        "--arena",
        second.short_name.lower(),
        stdout=StringIO(),
    )
    assert len(pending_successions(first)) == 2
    assert pending_successions(second) == []


def test_the_command_changes_nothing_where_the_user_is_not_the_secretariat(
    secretariat: Any, reader: Any
) -> None:
    mine, theirs = arena_with_notteroy_and_tjome(), arena_with_notteroy_and_tjome()
    RoleAssignment.objects.filter(user=secretariat).update(arena=mine)
    with pytest.raises(CommandError, match=f"not the secretariat of {theirs.short_name}"):
        call_command("follow_successors", "--user", secretariat.username, stdout=StringIO())
    assert len(pending_successions(mine)) == 2  # all or nothing
    with pytest.raises(CommandError, match="not the secretariat"):
        call_command("follow_successors", "--user", reader.username, stdout=StringIO())
    with pytest.raises(CommandError, match="No active user 'nobody'"):
        call_command("follow_successors", "--user", "nobody", stdout=StringIO())
    with pytest.raises(CommandError, match="No arena with id or short name 'XYZ'"):
        call_command("follow_successors", "--user", secretariat.username, "--arena", "XYZ")
    call_command(
        "follow_successors",
        "--user",
        secretariat.username,
        "--arena",
        str(mine.pk),
        stdout=StringIO(),
    )
    assert pending_successions(mine) == []
