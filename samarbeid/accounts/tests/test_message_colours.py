"""A clerk's trial: «Rollen var allerede fjernet.» showed in a green box, as a success.
The base template gave every message but an error the success colour; each level now has
its own (an info is blue, a warning yellow, an error red, a success green), and a removal
that finds the role gone (opened again, or two tabs at once) is an info."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.accounts import views
from samarbeid.accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def _colours(response: Any) -> dict[str, str]:
    """Each message shown on the page, with its alert's colour."""
    page = html.unescape(response.content.decode())
    found = re.findall(
        r'<div class="ds-alert" data-color="(\w+)"><p class="ds-paragraph">(.*?)</p></div>', page
    )
    return {text: colour for colour, text in found}


def test_a_role_removed_already_is_an_info_not_a_success(
    client: Client, secretariat: Any, reader: Any
) -> None:
    role = RoleAssignment.objects.get(user=reader)
    url = reverse("accounts:role_remove", args=[role.pk])
    login(client, secretariat)
    removed = client.post(url, follow=True)
    assert _colours(removed) == {"Rollen er fjernet.": "success"}
    for again in (client.get(url, follow=True), client.post(url, follow=True)):
        assert _colours(again) == {"Rollen var allerede fjernet.": "info"}


def test_a_role_removed_by_another_tab_meanwhile_is_an_info(
    client: Client, secretariat: Any, reader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page found the role; someone else removed it before this removal took it."""
    role = RoleAssignment.objects.get(user=reader)
    real = views.remove_role

    def other_tab_first(assignment: RoleAssignment, **kwargs: Any) -> None:
        views.remove_role = real
        other = Client()
        other.force_login(secretariat)
        assert other.post(reverse("accounts:role_remove", args=[role.pk])).status_code == 302
        real(assignment, **kwargs)

    monkeypatch.setattr(views, "remove_role", other_tab_first)
    login(client, secretariat)
    response = client.post(reverse("accounts:role_remove", args=[role.pk]), follow=True)
    assert _colours(response) == {"Rollen var allerede fjernet.": "info"}
    assert not RoleAssignment.objects.filter(pk=role.pk).exists()


def test_a_refusal_stays_red(client: Client, secretariat: Any) -> None:
    own = RoleAssignment.objects.get(user=secretariat, role=Role.SECRETARIAT)
    login(client, secretariat)
    response = client.post(reverse("accounts:role_remove", args=[own.pk]), follow=True)
    assert _colours(response) == {"Du kan ikke fjerne din egen sekretariatsrolle.": "danger"}


@pytest.mark.parametrize(
    ("level", "colour"),
    [
        (messages.SUCCESS, "success"),
        (messages.INFO, "info"),
        (messages.WARNING, "warning"),
        (messages.ERROR, "danger"),
    ],
)
def test_each_message_level_has_its_colour(rf: Any, level: int, colour: str) -> None:
    request = rf.get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    messages.add_message(request, level, "Melding")
    request.user = AnonymousUser()
    page = render_to_string("base.html", request=request)
    assert f'<div class="ds-alert" data-color="{colour}"><p class="ds-paragraph">Melding' in page
