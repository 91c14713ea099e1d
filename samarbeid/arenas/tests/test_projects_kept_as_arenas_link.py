"""KS Vestfold keeps its 29 projects as sub-arenas (project forums): "Prosjekter i arenaen
(29, herav 29 …)" led to an empty project list (a clerk's trial). The link leads to the
arena list cut to the arena's project forums."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from samarbeid.arenas.tests.factories import ArenaFactory

pytestmark = pytest.mark.django_db


def test_the_projects_kept_as_sub_arenas_are_listed_behind_the_link(
    client: Client, secretariat: Any
) -> None:
    ksv: Any = ArenaFactory(name="KS Vestfold", short_name="KS-V", published=True)
    for n in range(3):
        ArenaFactory(name=f"Prosjekt {n}", parent=ksv, kind="project_forum", published=True)
    ArenaFactory(name="Faggruppe IKT", parent=ksv, kind="professional_group", published=True)
    ArenaFactory(name="Prosjekt annet sted", kind="project_forum", published=True)
    page = client.get(ksv.get_absolute_url()).content.decode()
    link = f"/arenaer/?parent={ksv.pk}&amp;kind=project_forum"
    assert f'href="{link}">Prosjekter i arenaen (3)' in page
    listing = client.get("/arenaer/", {"parent": ksv.pk, "kind": "project_forum"})
    names = [arena.name for arena in listing.context["page"]]
    assert names == ["Prosjekt 0", "Prosjekt 1", "Prosjekt 2"]
    assert "Underarenaer av" in listing.content.decode()
    # the filter cuts to the arena's own sub-arenas, whatever their kind
    listing = client.get("/arenaer/", {"parent": ksv.pk})
    assert len(listing.context["page"]) == 4
