"""A user with two roles (secretariat and Larvik's coordinator) gets one section per kind
(a clerk's trial, fund3 point 5): the reviews due are one section holding the arenas' own
reviews and the memberships of the served arenas and of the coordinator's municipality,
each once; the settings page offers each kind once."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import _user, login
from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.arenas.tests.factories import ArenaFactory, MembershipFactory
from samarbeid.registry.models import Municipality
from samarbeid.reminders.digest import digest_for, prefs_for
from samarbeid.reminders.models import KINDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(own_arena: Any, larvik: Municipality) -> Any:
    """The secretariat of KS-V who is also Larvik's coordinator."""
    user = _user("sekretariat-og-koordinator", Role.SECRETARIAT, arena=own_arena)
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR, municipality=larvik)
    user.email = "begge@larvik.example.no"
    user.save()
    return user


@pytest.fixture
def due(own_arena: Any, larvik: Municipality, horten: Municipality, today: date) -> dict[str, Any]:
    """Larvik's membership of KS-V (seen by both roles), Horten's (the secretariat's), KS-V's
    own review, and Larvik's membership of another arena (the coordinator's)."""
    own_arena.next_review = today + timedelta(days=20)
    own_arena.save()
    other = ArenaFactory(name="Et annet samarbeid", short_name="AAS")
    return {
        "larvik": MembershipFactory(
            arena=own_arena, municipality=larvik, next_review=today - timedelta(days=3)
        ),
        "horten": MembershipFactory(
            arena=own_arena, municipality=horten, next_review=today + timedelta(days=5)
        ),
        "elsewhere": MembershipFactory(
            arena=other, municipality=larvik, next_review=today + timedelta(days=10)
        ),
    }


def test_the_digest_has_one_reviews_section_with_each_review_once(
    both: Any, own_arena: Any, due: dict[str, Any], today: date
) -> None:
    digest = digest_for(both, prefs_for(both), today)
    slugs = Counter(part.section.slug for part in digest.parts)
    assert slugs["reviews"] == 1, slugs
    assert all(count == 1 for count in slugs.values()), slugs
    part = next(p for p in digest.parts if p.section.slug == "reviews")
    assert [(row.text, row.when) for row in part.rows] == [
        (own_arena.name, due["larvik"].next_review),
        (own_arena.name, due["horten"].next_review),
        ("Et annet samarbeid", due["elsewhere"].next_review),
        (own_arena.name, own_arena.next_review),
    ]
    assert part.section.total == 4
    assert len(set(digest.keys)) == len(digest.keys)


def test_the_mail_names_each_section_once(both: Any, due: dict[str, Any]) -> None:
    call_command("send_reminders", stdout=None)
    sent = [m for m in mail.outbox if "begge@larvik.example.no" in m.to]
    assert len(sent) == 1
    body = sent[0].body
    assert body.count("som skal gjennomgås") == 1, body
    assert body.count("Et annet samarbeid") == 1, body


def test_the_settings_page_offers_each_kind_once(client: Client, both: Any) -> None:
    page = login(client, both).get(reverse("reminders:settings")).content.decode()
    values = Counter(re.findall(r'name="kinds" value="([^"]+)"', page))
    assert set(values) == {slug for slug, _label in KINDS}
    assert all(count == 1 for count in values.values()), values
    for _slug, label in KINDS:
        assert page.count(f">{label}</label>") == 1, label
