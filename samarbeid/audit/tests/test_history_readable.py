"""The history page shows stored values as the pages do (a clerk's trial read "council",
"adopted", "True" and an internal municipality id), and a restore names the version's time
as the list does (it named it in UTC, an hour off)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import login
from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import create_arena, update_arena
from samarbeid.audit.models import AuditEntry
from samarbeid.audit.services import history
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def test_choices_records_and_booleans_read_as_on_the_pages(
    client: Client, secretariat: Any
) -> None:
    larvik = Municipality.objects.current().get(number="3909")
    arena = create_arena(
        Arena(
            name="Fagnettverk IKT",
            short_name="IKT",
            kind=Arena.Kind.PROFESSIONAL_NETWORK,
            host_municipality=larvik,
            established=date(2006, 3, 1),
            published=True,
        ),
        actor=secretariat,
    )
    login(client, secretariat)
    page = client.get(reverse("audit:history", args=["arenas.arena", arena.pk])).content.decode()
    assert arena.get_kind_display() in page
    assert ">professional_network<" not in page
    assert "Larvik" in page
    assert f">{larvik.pk}<" not in page
    assert "01.03.2006" in page
    assert ">True<" not in page
    assert "Ja" in page


def test_the_restore_message_gives_the_time_as_the_list_does(
    client: Client, secretariat: Any
) -> None:
    arena = create_arena(
        Arena(name="Fagnettverk IKT", short_name="IKT", kind=Arena.Kind.PROFESSIONAL_NETWORK),
        actor=secretariat,
    )
    update_arena(arena, {"name": "Nytt navn"}, expected_version=1, actor=secretariat)
    created = history(arena).get(action=AuditEntry.Action.CREATE)
    login(client, secretariat)
    response = client.post(
        reverse("audit:restore", args=["arenas.arena", arena.pk, created.pk]),
        {"version": 2},
        follow=True,
    )
    local = timezone.localtime(created.at).strftime("%d.%m.%Y %H:%M")
    assert f"Versjonen fra {local} er gjenopprettet." in response.content.decode()
