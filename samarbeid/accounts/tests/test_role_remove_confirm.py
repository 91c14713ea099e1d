"""A role is removed after a confirmation, as the house's other deletions are: the role
list's «Fjern» opens a page that asks «Fjern rollen «…» for …?» with «Fjern» and «Avbryt»;
only its POST (at the URL the list's button posted to before) removes the role."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import _user, login
from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.audit.models import AuditEntry
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


def _removals() -> int:
    return AuditEntry.objects.filter(
        content_type__model="roleassignment", action=AuditEntry.Action.DELETE
    ).count()


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def kari(larvik: Municipality) -> Any:
    user = _user("kari", Role.COORDINATOR, municipality=larvik)
    user.first_name, user.last_name = "Kari", "Nordmann"
    user.save()
    return user


def test_the_list_links_to_a_confirmation_and_posts_nothing(
    client: Client, secretariat: Any, kari: Any
) -> None:
    role = RoleAssignment.objects.get(user=kari)
    url = reverse("accounts:role_remove", args=[role.pk])
    login(client, secretariat)
    page = client.get(reverse("accounts:role_list")).content.decode()
    assert f'href="{url}"' in page
    assert f'action="{url}"' not in page  # no button that removes at once


def test_the_confirmation_asks_and_removes_nothing(
    client: Client, secretariat: Any, kari: Any
) -> None:
    role = RoleAssignment.objects.get(user=kari)
    url = reverse("accounts:role_remove", args=[role.pk])
    login(client, secretariat)
    response = client.get(url)
    assert response.status_code == 200
    page = _text(response)
    question = "Fjern rollen «kommunekoordinator i 3909 Larvik» for Kari Nordmann (kari)?"
    assert f'<h1 class="ds-heading" data-size="lg">{question}</h1>' in page
    assert '<form method="post"' in page
    assert ">Fjern</button>" in page
    assert f'<a class="ds-link" href="{reverse("accounts:role_list")}">Avbryt</a>' in page
    assert RoleAssignment.objects.filter(pk=role.pk).exists()
    assert _removals() == 0

    done = client.post(url, follow=True)
    assert done.redirect_chain == [(reverse("accounts:role_list"), 302)]
    assert "Rollen er fjernet." in _text(done)
    assert not RoleAssignment.objects.filter(pk=role.pk).exists()
    assert _removals() == 1


def test_the_question_names_what_the_role_covers(client: Client, secretariat: Any) -> None:
    arena = ArenaFactory(name="Tolvkommune", short_name="12K")
    person = _user("per")
    login(client, secretariat)
    for scope, said in (
        ({"role": Role.SECRETARIAT, "arena": arena}, "sekretariat i Tolvkommune (12K)"),
        ({"role": Role.SECRETARIAT}, "sekretariat i alle arenaer"),
        ({"role": Role.READER}, "leser"),
    ):
        role = RoleAssignment.objects.create(user=person, **scope)
        page = _text(client.get(reverse("accounts:role_remove", args=[role.pk])))
        assert f"Fjern rollen «{said}» for per?" in page
        role.delete()


def test_a_role_removed_already_is_said_on_the_list_and_an_unknown_one_is_404(
    client: Client, secretariat: Any, kari: Any
) -> None:
    role = RoleAssignment.objects.get(user=kari)
    url = reverse("accounts:role_remove", args=[role.pk])
    login(client, secretariat)
    other_tab = client.get(url)
    assert other_tab.status_code == 200
    assert client.post(url).status_code == 302
    # the confirmation opened again (a second tab, the back button), or confirmed again
    for response in (client.get(url, follow=True), client.post(url, follow=True)):
        assert response.redirect_chain == [(reverse("accounts:role_list"), 302)]
        assert "Rollen var allerede fjernet." in _text(response)
    assert _removals() == 1
    assert client.get(reverse("accounts:role_remove", args=[role.pk + 1000])).status_code == 404


def test_the_own_secretariat_role_is_refused_on_the_page_without_a_button(
    client: Client, secretariat: Any
) -> None:
    role = RoleAssignment.objects.get(user=secretariat, role=Role.SECRETARIAT)
    url = reverse("accounts:role_remove", args=[role.pk])
    login(client, secretariat)
    page = _text(client.get(url))
    assert "Du kan ikke fjerne din egen sekretariatsrolle." in page
    assert "</button>" not in re.sub(r"(?s).*<main", "", page)
    assert ">Tilbake</a>" in page
    refused = client.post(url, follow=True)
    assert "Du kan ikke fjerne din egen sekretariatsrolle." in _text(refused)
    assert RoleAssignment.objects.filter(pk=role.pk).exists()


def test_who_may_not_manage_roles_sees_no_confirmation(
    client: Client, arena_secretariat: Any, reader: Any, kari: Any
) -> None:
    role = RoleAssignment.objects.get(user=kari)
    url = reverse("accounts:role_remove", args=[role.pk])
    for user in (arena_secretariat, reader, kari):
        login(client, user)
        assert client.get(url).status_code == 403
    client.logout()
    assert "/logg-inn/" in client.get(url)["Location"]
