"""The user's own page (roles, personal API tokens shown once, revoking) and the
secretariat's role page."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.accounts.models import ApiToken, Role, RoleAssignment
from samarbeid.accounts.services import assign_role, create_token, remove_role, revoke_token
from samarbeid.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_and_works_until_revoked(client: Client, coordinator: Any) -> None:
    login(client, coordinator)
    page = client.post(reverse("accounts:account"), {"name": "sak/arkiv"})
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    key = re.search(r"smb_[A-Za-z0-9_\-]{20,}", page.content.decode())
    assert key is not None
    token = ApiToken.objects.get(user=coordinator)
    assert token.key_hash == ApiToken.hash_key(key.group(0))
    assert key.group(0) not in token.key_hash
    # The key is not shown again.
    again = client.get(reverse("accounts:account")).content.decode()
    assert key.group(0) not in again
    assert "sak/arkiv" in again

    api = Client()
    headers = {"Authorization": f"Bearer {key.group(0)}"}
    put = api.put(
        "/api/v1/municipalities/3909/population/2025",
        {"count": 47000},
        content_type="application/json",
        headers=headers,
    )
    assert put.status_code == 201

    revoked = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None
    put = api.put(
        "/api/v1/municipalities/3909/population/2025",
        {"count": 47001},
        content_type="application/json",
        headers=headers,
    )
    assert put.status_code == 401


def test_token_needs_a_name(client: Client, reader: Any) -> None:
    login(client, reader)
    page = client.post(reverse("accounts:account"), {"name": "  "})
    assert page.status_code == 200
    assert not ApiToken.objects.exists()
    assert "Skjemaet har feil" in page.content.decode()
    with pytest.raises(ValidationError):
        create_token(reader, "")


def test_nobody_revokes_another_users_token(client: Client, reader: Any, coordinator: Any) -> None:
    token, _key = create_token(coordinator, "min")
    login(client, reader)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        revoke_token(token, actor=reader)
    token.refresh_from_db()
    assert token.revoked is None


def test_account_page_needs_log_in(client: Client) -> None:
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"]


def test_secretariat_assigns_and_removes_roles(
    client: Client, secretariat: Any, larvik: Any
) -> None:
    newcomer = get_user_model().objects.create_user("ny", password="x-pass-123456")
    login(client, secretariat)
    page = client.get(reverse("accounts:role_list"))
    assert page.status_code == 200
    response = client.post(
        reverse("accounts:role_list"),
        {"user": newcomer.pk, "role": Role.COORDINATOR, "municipality": larvik.pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=newcomer)
    assert assignment.municipality == larvik
    # A coordinator without municipality is refused with the field named.
    refused = client.post(
        reverse("accounts:role_list"), {"user": newcomer.pk, "role": "coordinator"}
    )
    assert refused.status_code == 200
    assert "En kommunekoordinator må ha en kommune." in refused.content.decode()
    assert client.post(reverse("accounts:role_remove", args=[assignment.pk])).status_code == 302
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("persona", ["coordinator", "reader"])
def test_only_the_secretariat_manages_roles(client: Client, persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    login(client, user)
    assert client.get(reverse("accounts:role_list")).status_code == 403
    with pytest.raises(PermissionDenied):
        assign_role(RoleAssignment(user=user, role=Role.SECRETARIAT), actor=user)


def test_role_rules(secretariat: Any, reader: Any, larvik: Any) -> None:
    with pytest.raises(ValidationError, match="allerede"):
        assign_role(RoleAssignment(user=reader, role=Role.READER), actor=secretariat)
    with pytest.raises(ValidationError):
        assign_role(
            RoleAssignment(user=reader, role=Role.READER, municipality=larvik), actor=secretariat
        )
    own = RoleAssignment.objects.get(user=secretariat)
    with pytest.raises(ValidationError, match="egen"):
        remove_role(own, actor=secretariat)


def test_removing_a_role_already_removed_gives_the_list_back_with_a_message(
    client: Client, secretariat: Any, reader: Any
) -> None:
    """Two tabs (or a double click): the second removal finds the role gone, and says so on
    the role list instead of a 404; an id that never was a role stays a 404."""
    assignment = RoleAssignment.objects.get(user=reader)
    url = reverse("accounts:role_remove", args=[assignment.pk])
    login(client, secretariat)
    assert client.post(url).status_code == 302
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert again.redirect_chain[-1][0] == reverse("accounts:role_list")
    assert "Rollen var allerede fjernet." in again.content.decode()
    removals = AuditEntry.objects.filter(
        content_type__model="roleassignment",
        object_id=str(assignment.pk),
        action=AuditEntry.Action.DELETE,
    )
    assert removals.count() == 1
    never = RoleAssignment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert client.post(reverse("accounts:role_remove", args=[never + 1000])).status_code == 404


def test_the_service_refuses_to_remove_a_role_twice(secretariat: Any, reader: Any) -> None:
    first = RoleAssignment.objects.get(user=reader)
    second = RoleAssignment.objects.get(pk=first.pk)  # the same role, read in another tab
    pk = first.pk
    remove_role(first, actor=secretariat)
    with pytest.raises(ValidationError, match=r"Rollen var allerede fjernet\."):
        remove_role(second, actor=secretariat)
    deleted = AuditEntry.objects.filter(
        content_type__model="roleassignment", object_id=str(pk), action=AuditEntry.Action.DELETE
    )
    assert deleted.count() == 1


def test_the_role_page_names_people_and_tells_same_named_arenas_apart(
    client: Client, secretariat: Any, reader: Any
) -> None:
    """Found in a clerk's trial: the role list showed «koordinator-larvik» after the person's
    name was saved as Ola Hansen, and the arena list offered «Nærings- og regionalpolitisk
    partnerskap» twice with no way to tell which."""
    from samarbeid.arenas.tests.factories import ArenaFactory

    reader.first_name, reader.last_name = "Ola", "Hansen"
    reader.save()
    ArenaFactory(name="Partnerskapet", short_name="NRP-03", established=date(2003, 5, 1))
    ArenaFactory(name="Partnerskapet", short_name="NRP-27", established=None)
    login(client, secretariat)
    page = client.get(reverse("accounts:role_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ola Hansen" in html
    form = page.context["form"]
    users = dict(form.fields["user"].choices)
    assert f"Ola Hansen ({reader.get_username()})" in users.values()
    arenas = [label for value, label in form.fields["arena"].choices if value]
    assert "Partnerskapet (NRP-03, 2003)" in arenas
    assert "Partnerskapet (NRP-27)" in arenas


def test_the_role_list_shows_each_arena_with_its_short_name(
    client: Client, secretariat: Any, reader: Any
) -> None:
    """A clerk's trial: the «Gjelder» column named «Partnerskapet» for two arenas of that
    name; it now adds the short name."""
    from samarbeid.arenas.tests.factories import ArenaFactory

    first = ArenaFactory(name="Partnerskapet", short_name="NRP-03")
    second = ArenaFactory(name="Partnerskapet", short_name="NRP-27")
    for arena in (first, second):
        RoleAssignment.objects.create(user=reader, role=Role.SECRETARIAT, arena=arena)
    login(client, secretariat)
    html = client.get(reverse("accounts:role_list")).content.decode()
    assert "<td>Partnerskapet (NRP-03)</td>" in html
    assert "<td>Partnerskapet (NRP-27)</td>" in html
