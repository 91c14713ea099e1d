"""Permission-matrix rows for accounts: roles and personal API tokens
(see samarbeid/tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.urls import reverse

from samarbeid.accounts.forms import opened_field
from samarbeid.accounts.models import RoleAssignment
from samarbeid.accounts.services import contact_of
from samarbeid.tests.matrix import ApiRow, FormRow, World, form_row, row


def _role_add(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("accounts:role_list"), {"user": world.users["reader"].pk, "role": "secretariat"}


def _role_remove(world: World) -> tuple[str, dict[str, Any]]:
    role = RoleAssignment.objects.get(user=world.users["reader"])
    return reverse("accounts:role_remove", args=[role.pk]), {}


def _user_create(world: World) -> tuple[str, dict[str, Any]]:
    data = {"username": "nina.ny", "first_name": "Nina", "last_name": "Ny"}
    return reverse("accounts:user_create"), {**data, "email": "nina.ny@example.no"}


def _invitation_resend(world: World) -> tuple[str, dict[str, Any]]:
    invited = get_user_model().objects.create(
        username="nina.ny", email="nina.ny@example.no", password=UNUSABLE_PASSWORD_PREFIX
    )
    return reverse("accounts:invitation_resend", args=[invited.pk]), {}


def _api_user_create(world: World) -> tuple[str, dict[str, Any]]:
    body = {"username": "nina.ny", "first_name": "Nina", "last_name": "Ny"}
    return "/api/v1/accounts/users", {**body, "email": "nina.ny@example.no"}


def _token_create(world: World) -> tuple[str, dict[str, Any]]:
    return reverse("accounts:account"), {"name": "ny nøkkel"}


def _token_revoke(world: World) -> tuple[str, dict[str, Any]]:
    token = world.users["reader"].api_tokens.first()
    return reverse("accounts:token_revoke", args=[token.pk]), {}


def _contact(world: World) -> tuple[str, dict[str, Any]]:
    reader = world.users["reader"]
    data = {"first_name": "Lise", "last_name": "Leser", "email": "leser@example.no"}
    data["opened"] = opened_field(contact_of(reader))  # the form as opened
    return reverse("accounts:user_contact", args=[reader.pk]), data


EVERY_USER = dict.fromkeys(
    ("secretariat", "arena_secretariat", "coordinator", "other_coordinator", "reader"), 200
)

# roles: a secretariat for every arena (the secretariat of one arena may not hand out roles)
FORM_ROWS = [
    FormRow("accounts:role_list", form_row(secretariat=302, arena_secretariat=403), _role_add),
    # the confirmation page (GET) at the URL the removal posts to: the secretariat for every
    # arena sees it, everyone else is refused as their post is
    FormRow(
        "accounts:role_remove",
        form_row(secretariat=302, arena_secretariat=403),
        _role_remove,
        gets=form_row(secretariat=200, arena_secretariat=403),
    ),
    # a new user: who hands out roles (the secretariat for every arena) makes users too;
    # the page opens for them only
    FormRow(
        "accounts:user_create",
        form_row(secretariat=302, arena_secretariat=403),
        _user_create,
        gets=form_row(secretariat=200, arena_secretariat=403),
    ),
    # the invitation sent again to a user who has not chosen a password: who makes users
    # (a POST only: the GET is 405 for the signed-in)
    FormRow(
        "accounts:invitation_resend",
        form_row(secretariat=302, arena_secretariat=403),
        _invitation_resend,
        gets=form_row(
            secretariat=405,
            arena_secretariat=405,
            coordinator=405,
            other_coordinator=405,
            reader=405,
        ),
    ),
    # a user's name and address: the secretariat for every arena sets anyone's, a user
    # their own (here the reader's); a coordinator may not edit another user
    FormRow(
        "accounts:user_contact",
        form_row(secretariat=302, arena_secretariat=403, reader=302),
        _contact,
    ),
    # every signed-in user makes tokens of their own (the page shows the new key: 200)
    FormRow("accounts:account", form_row(**EVERY_USER), _token_create, writes=False),
    # someone else's token is not found (404); the reader revokes its own
    FormRow(
        "accounts:token_revoke",
        form_row(
            secretariat=404,
            arena_secretariat=404,
            coordinator=404,
            other_coordinator=404,
            reader=302,
        ),
        _token_revoke,
        writes=False,
    ),
]

# a new user through the API: who manages roles (the secretariat for every arena)
API_ROWS = [
    ApiRow(
        "POST",
        "/api/v1/accounts/users",
        row(secretariat=201, arena_secretariat=403),
        _api_user_create,
    ),
]

API_TAGS = {"accounts"}
NAMESPACES = {"accounts"}
# Choosing a password by an e-mailed link: pages for the public (who cannot sign in yet),
# whose right is the link's token («Glemt passord?» asks for one and never says whether the
# address is a user's); not a signed-in form the matrix's personas can fill. What they do
# and refuse is tested in tests/test_new_user_and_password.py.
READ_ONLY_PAGES = {
    "accounts:password_forgot",
    "accounts:password_sent",
    "accounts:password_set",
    "accounts:password_saved",
}
