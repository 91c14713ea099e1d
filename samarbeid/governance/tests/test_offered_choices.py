"""The decision, case and plan pages offer only what the user may record (a clerk's trial:
Larvik's coordinator was offered every municipality and every arena). A choice sent by hand
outside them is refused on the page as before, and the services still refuse it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members, current
from samarbeid.governance.models import Case, Decision
from samarbeid.governance.tests.helpers import post_council_decision
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def _options(response: Any, name: str) -> set[str]:
    """The values offered in the form's <select name=…> (the empty one left out)."""
    form = response.context["form"]
    if name not in form.fields:
        return set()
    found: set[str] = set()
    for value, label in form.fields[name].choices:
        # a group ("Tidligere kommuner") holds its own choices
        pairs = label if isinstance(label, list) else [(value, label)]
        found |= {str(v) for v, _label in pairs if str(v)}
    return found


def test_a_coordinator_is_offered_only_the_own_municipality(
    client: Client, coordinator: Any
) -> None:
    ArenaFactory(name="Vestfoldarenaen")
    login(client, coordinator)
    response = client.get(reverse("governance:decision_create"))
    offered = _options(response, "municipality")
    assert str(current("3909").pk) in offered
    assert str(current("3901").pk) not in offered
    # Lardal's council's decisions are Larvik's coordinator's to record (its predecessor)
    assert any(str(m.pk) in offered for m in Municipality.objects.filter(number="0728"))
    # no arena, and not an arena's own body: those are the secretariat's
    assert _options(response, "arena") == set()
    assert "arena_board" not in _options(response, "body")
    # a voting rule counts an arena body's votes: not asked of a council's decision
    assert "voting_rule" not in response.context["form"].fields
    html = response.content.decode()
    assert "Horten" not in html
    assert "Vestfoldarenaen" not in html


def test_a_coordinator_sending_another_municipality_is_refused(
    client: Client, coordinator: Any
) -> None:
    login(client, coordinator)
    response = post_council_decision(client, "3901")
    assert response.status_code == 200
    assert "ikke tilgang" in response.content.decode()
    assert not Decision.objects.exists()


def test_an_arena_secretariat_is_offered_its_arenas_and_their_members(
    client: Client, arena_secretariat: Any, own_arena: Any
) -> None:
    arena_with_members(["3909"], parent=own_arena, name="Underarena")
    other = arena_with_members(["3901"], name="Annen arena")
    login(client, arena_secretariat)
    response = client.get(reverse("governance:decision_create"))
    arenas = _options(response, "arena")
    assert str(own_arena.pk) in arenas
    assert str(other.pk) not in arenas
    assert len(arenas) == 2  # its arena and the sub-arena
    municipalities = _options(response, "municipality")
    assert municipalities == {str(current("3909").pk)}


def test_the_case_and_plan_pages_offer_only_the_served_arenas(
    client: Client, arena_secretariat: Any, own_arena: Any
) -> None:
    other = ArenaFactory(name="Annen arena")
    login(client, arena_secretariat)
    for name in ("governance:case_create", "governance:plan_create"):
        offered = _options(client.get(reverse(name)), "arena")
        assert offered == {str(own_arena.pk)}, name
    response = client.post(
        reverse("governance:case_create"),
        {"title": "Sak", "subject": "other", "opened": "2024-02-01", "arena": other.pk},
    )
    assert response.status_code == 200
    assert "ikke sekretariat" in response.content.decode()
    assert not Case.objects.exists()


def test_a_secretariat_for_every_arena_is_offered_everything(
    client: Client, secretariat: Any
) -> None:
    arena = ArenaFactory(name="Vestfoldarenaen")
    login(client, secretariat)
    response = client.get(reverse("governance:decision_create"))
    assert str(arena.pk) in _options(response, "arena")
    assert str(current("3901").pk) in _options(response, "municipality")
    assert "arena_board" in _options(response, "body")
    assert "voting_rule" in response.context["form"].fields
