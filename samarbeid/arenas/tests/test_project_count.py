"""Issue 19 point 4: an arena's "Prosjekter i arenaen" counts the projects kept as
sub-arenas too (KS Vestfold keeps its 29 projects of 2004 as project forums under it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.arenas import demo as arenas_demo
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.portfolio.models import Project
from samarbeid.review import demo as review_demo

pytestmark = pytest.mark.django_db


def test_ks_vestfold_counts_its_projects_kept_as_sub_arenas(
    client: Client, secretariat: Any
) -> None:
    arenas_demo.load(secretariat)
    review_demo.load(secretariat)
    ks = Arena.objects.get(short_name="KS-V")
    assert ks.projects.count() == 0
    page = client.get(ks.get_absolute_url()).content.decode()
    assert "Prosjekter i arenaen (29)" in page
    assert "herav 29 ført som underarenaer" in page


def test_projects_and_project_forums_add_up_for_what_the_user_may_see(
    client: Client, secretariat: Any
) -> None:
    arena = ArenaFactory(name="Regionrådet", short_name="RR")
    ArenaFactory(name="Forum", short_name="RR-1", parent=arena, kind=Arena.Kind.PROJECT_FORUM)
    ArenaFactory(name="Nettverk", short_name="RR-2", parent=arena, kind=Arena.Kind.OTHER)
    Project.objects.create(arena=arena, code="P1", title="Åpent")
    Project.objects.create(arena=arena, code="P2", title="Upublisert", published=False)
    page = client.get(arena.get_absolute_url()).content.decode()
    assert "Prosjekter i arenaen (2)" in page  # P1 and the forum
    login(client, secretariat)
    page = client.get(arena.get_absolute_url()).content.decode()
    assert "Prosjekter i arenaen (3)" in page
    assert "herav 1 ført som underarena " in page
