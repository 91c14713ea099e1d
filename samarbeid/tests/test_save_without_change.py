"""A save that changes nothing (a clerk opening an edit page and pressing «Lagre», an API
client sending back what it read) is still checked against the version, but writes
nothing: it does not raise the version, so it does not refuse someone else's edit over
nothing, and leaves no entry in the history."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.accounts.services import create_token
from samarbeid.arenas.forms import ArenaForm
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.audit.models import AuditEntry
from samarbeid.core.services import update_record
from samarbeid.core.versioning import VersionConflict
from samarbeid.planning.tests.factories import need, strategy
from samarbeid.review.models import CooperationProposal
from samarbeid.review.services.proposals import update_proposal
from samarbeid.tests.test_conflicts import browser_data

pytestmark = pytest.mark.django_db


def _updates(record: Any) -> int:
    return AuditEntry.objects.filter(
        object_id=str(record.pk), action=AuditEntry.Action.UPDATE
    ).count()


def test_an_unchanged_save_on_the_page_does_not_refuse_the_next_editor(secretariat: Any) -> None:
    arena: Any = ArenaFactory(name="Fagnettverk IKT", published=True)
    url = reverse("arenas:arena_edit", args=[arena.pk])
    anne, bjorn = login(Client(), secretariat), login(Client(), secretariat)
    loaded = browser_data(ArenaForm(instance=Arena.objects.get(pk=arena.pk)))
    unchanged = anne.post(url, loaded, follow=True)  # «Lagre» with nothing changed
    assert [str(m) for m in unchanged.context["messages"]] == ["Ingen endringer å lagre."]
    assert Arena.objects.get(pk=arena.pk).version == arena.version
    assert _updates(arena) == 0
    assert bjorn.post(url, {**loaded, "name": "IKT-nettverket"}).status_code == 302
    assert Arena.objects.get(pk=arena.pk).name == "IKT-nettverket"


def test_an_unchanged_patch_answers_the_record_as_it_is(client: Client, secretariat: Any) -> None:
    arena: Any = ArenaFactory(name="Fagnettverk IKT", published=True)
    _token, secret = create_token(secretariat, "test")
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/arenas/{arena.pk}"
    same = client.patch(
        url,
        {"version": arena.version, "name": "Fagnettverk IKT"},
        content_type="application/json",
        headers=headers,
    )
    assert same.status_code == 200
    assert same.json()["version"] == arena.version
    assert _updates(arena) == 0


def test_an_unchanged_save_over_a_newer_version_is_still_refused(secretariat: Any) -> None:
    arena: Any = ArenaFactory(name="Fagnettverk IKT", published=True)
    read = arena.version
    update_record(arena, {"name": "IKT-nettverket"}, expected_version=read, actor=secretariat)
    stale = Arena.objects.get(pk=arena.pk)
    with pytest.raises(VersionConflict):
        update_record(stale, {"name": "IKT-nettverket"}, expected_version=read, actor=secretariat)


def test_a_change_of_a_proposals_needs_alone_is_a_new_version(secretariat: Any) -> None:
    larvik = need(strategy("3909"), "health_care", description="Eldreomsorg i Larvik")
    proposal = CooperationProposal.objects.create(title="Felles eldreomsorg", need="Eldre")
    read = proposal.version
    update_proposal(
        proposal, {"planning_needs": [larvik]}, expected_version=read, actor=secretariat
    )
    assert CooperationProposal.objects.get(pk=proposal.pk).version == read + 1
    # a second tab, from the same version, changing the needs too: refused, not lost
    stale = CooperationProposal.objects.get(pk=proposal.pk)
    with pytest.raises(VersionConflict):
        update_proposal(stale, {"planning_needs": []}, expected_version=read, actor=secretariat)
    unchanged = update_proposal(
        stale, {"planning_needs": [larvik]}, expected_version=read + 1, actor=secretariat
    )
    assert unchanged.version == read + 1
