"""Users made through the API (`POST /api/v1/accounts/users`) and the command
(`create_user`) as the page makes them: the page's form (`NewUserForm`) and service
(`create_user`), its rules and messages by field, the invitation e-mailed, audited on the
channel used; only who may manage roles."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from conftest import _user, api_call, problem_of
from samarbeid.accounts.services import DUPLICATE_EMAIL
from samarbeid.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

URL = "/api/v1/accounts/users"
ENTRY = {"username": "nina.ny", "first_name": "Nina", "last_name": "Ny"}


@pytest.fixture(autouse=True)
def _no_earlier_mails() -> None:
    cache.clear()


def _users() -> Any:
    return get_user_model().objects


def _created(user: Any) -> AuditEntry:
    return AuditEntry.objects.get(
        content_type__model="user", object_id=str(user.pk), action="create"
    )


def test_the_secretariat_makes_a_user_through_the_api(client: Client, secretariat: Any) -> None:
    body = {**ENTRY, "email": " Nina.Ny@Larvik.Kommune.no "}
    response = api_call(client, "POST", URL, body, user=secretariat)
    assert response.status_code == 201, response.content
    nina = _users().get(username="nina.ny")
    assert response.json() == {
        "id": nina.pk,
        "username": "nina.ny",
        "first_name": "Nina",
        "last_name": "Ny",
        "email": "Nina.Ny@larvik.kommune.no",
        "invitation_sent": True,
    }
    assert not nina.has_usable_password()
    [invitation] = mail.outbox
    assert invitation.to == ["Nina.Ny@larvik.kommune.no"]
    assert invitation.subject == "Du har fått en bruker i Samarbeid"
    entry = _created(nina)
    assert (entry.actor, entry.channel) == (secretariat, "api")


@pytest.mark.parametrize(
    ("entry", "field", "error"),
    [
        ({"email": ""}, "email", "Feltet er påkrevd."),
        ({"email": "ikke-en-adresse"}, "email", "Skriv inn en gyldig e-postadresse."),
        ({"email": "KARI@example.no"}, "email", str(DUPLICATE_EMAIL)),
        ({"username": "KARI", "email": "ny@example.no"}, "username", None),
        ({"username": "ugyldig navn!", "email": "ny@example.no"}, "username", None),
        ({"username": "", "email": "ny@example.no"}, "username", "Feltet er påkrevd."),
    ],
)
def test_a_refused_user_is_a_problem_naming_the_field(
    client: Client, secretariat: Any, entry: dict[str, str], field: str, error: str | None
) -> None:
    kari = _user("kari")
    kari.email = "kari@example.no"
    kari.save()
    before = _users().count()
    body = problem_of(api_call(client, "POST", URL, {**ENTRY, **entry}, user=secretariat), 422)
    assert {tuple(e["loc"]) for e in body["errors"]} == {(field,)}
    if error is not None:
        assert [e["msg"] for e in body["errors"]] == [error]
    assert _users().count() == before
    assert mail.outbox == []


def test_only_who_manages_roles_makes_users_through_the_api(
    client: Client, arena_secretariat: Any, coordinator: Any, reader: Any
) -> None:
    body = {**ENTRY, "email": "nina@example.no"}
    for user in (arena_secretariat, coordinator, reader):
        problem_of(api_call(client, "POST", URL, body, user=user), 403)
        # refused before the form is read: an invalid entry is no hint of the rules
        problem_of(api_call(client, "POST", URL, {**ENTRY, "email": "x"}, user=user), 403)
    problem_of(api_call(Client(), "POST", URL, body), 401)
    assert not _users().filter(username="nina.ny").exists()
    assert mail.outbox == []


def _command(*args: str) -> str:
    out = StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


def test_the_command_makes_a_user_and_sends_the_invitation(secretariat: Any) -> None:
    said = _command(
        "nina.ny",
        "--email",
        "nina@example.no",
        "--first-name",
        "Nina",
        "--last-name",
        "Ny",
        "--user",
        secretariat.username,
    )
    nina = _users().get(username="nina.ny")
    assert (nina.first_name, nina.last_name, nina.email) == ("Nina", "Ny", "nina@example.no")
    assert not nina.has_usable_password()
    assert "The link to choose a password was sent to nina@example.no." in said
    [invitation] = mail.outbox
    assert invitation.to == ["nina@example.no"]
    entry = _created(nina)
    assert (entry.actor, entry.channel) == (secretariat, "command")


def test_the_command_without_the_invitation(secretariat: Any) -> None:
    said = _command(
        "nina.ny", "--email", "nina@example.no", "--user", secretariat.username, "--no-invite"
    )
    assert "No e-mail was sent (--no-invite)." in said
    assert _users().filter(username="nina.ny").exists()
    assert mail.outbox == []


def test_the_command_names_the_field_it_refuses(secretariat: Any, coordinator: Any) -> None:
    kari = _user("kari")
    kari.email = "kari@example.no"
    kari.save()
    me = ["--user", secretariat.username]
    with pytest.raises(CommandError, match=r"^email: Skriv inn en gyldig e-postadresse\."):
        _command("nina.ny", "--email", "ikke-en-adresse", *me)
    with pytest.raises(CommandError, match=rf"^email: {DUPLICATE_EMAIL}"):
        _command("nina.ny", "--email", "Kari@Example.no", *me)
    with pytest.raises(CommandError, match=r"^username: "):
        _command("KARI", "--email", "ny@example.no", *me)
    with pytest.raises(CommandError, match="may not make users"):
        _command("nina.ny", "--email", "nina@example.no", "--user", coordinator.username)
    with pytest.raises(CommandError, match="No active user 'ingen'"):
        _command("nina.ny", "--email", "nina@example.no", "--user", "ingen")
    assert not _users().filter(username__in=["nina.ny", "KARI"]).exists()
    assert mail.outbox == []
