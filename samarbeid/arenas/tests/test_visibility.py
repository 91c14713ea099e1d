"""`published_to` through an arena: the public sees records of published arenas only,
internal users all."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from samarbeid.accounts.permissions import published_to
from samarbeid.arenas.models import Membership
from samarbeid.arenas.tests.factories import ArenaFactory, MembershipFactory
from samarbeid.portfolio.models import Participation, Project

pytestmark = pytest.mark.django_db


def test_the_public_sees_records_of_published_arenas_only(
    public: Any, reader: Any, larvik: Any
) -> None:
    shown = MembershipFactory(arena=ArenaFactory(published=True), municipality=larvik)
    hidden = MembershipFactory(arena=ArenaFactory(published=False), municipality=larvik)
    memberships = Membership.objects.order_by("pk")
    assert list(published_to(memberships, public, "arena")) == [shown]
    assert list(published_to(memberships, reader, "arena")) == [shown, hidden]


def test_the_arena_is_reached_through_a_relation_path(
    public: Any, reader: Any, larvik: Any
) -> None:
    def participation_in(published: bool) -> Participation:
        arena = ArenaFactory(published=published)
        project = Project.objects.create(arena=arena, code="P1", title="Prosjekt")
        return Participation.objects.create(
            project=project,
            municipality=larvik,
            status=Participation.Status.CONSIDERING,
            since=date(2024, 1, 1),
        )

    shown, hidden = participation_in(True), participation_in(False)
    participations = Participation.objects.order_by("pk")
    assert list(published_to(participations, public, "project__arena")) == [shown]
    assert list(published_to(participations, reader, "project__arena")) == [shown, hidden]
