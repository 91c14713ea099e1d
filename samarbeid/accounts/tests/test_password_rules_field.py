"""A clerk's trial: on «Velg passord» a refused password («for kort», «for vanlig», «bare
tall», «for likt brukernavnet») was said under «Bekreft nytt passord» (Django puts the
rules' refusals on the confirmation). They stand under «Nytt passord», where the password
is chosen; «De to passordfeltene er ikke like.» stays under the confirmation. The
admin's password forms (a new user, «endre passord») do the same."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from conftest import _user
from samarbeid.accounts.forms import PasswordChangeByAdminForm, UserWithAddressCreationForm
from samarbeid.accounts.passwords import ChoosePasswordForm

pytestmark = pytest.mark.django_db

MISMATCH = "De to passordfeltene er ikke like."  # Django's bokmål
REFUSED = [
    ("Fj-7", "Passordet er for kort. Det må ha minst 8 tegn."),
    ("password123", "Dette passordet er for vanlig."),
    ("8410273659", "Dette passordet inneholder bare tall."),
    ("kari.nordmann1", "Passordet er for likt brukernavn."),
]


def _field_errors(page: str, name: str) -> list[str]:
    """The messages under the field `name` (partials/field.html's error block)."""
    found = re.search(rf'<div id="id_{name}_error">(.*?)</div>', page, re.S)
    if found is None:
        return []
    messages = re.findall(r"</span>(.*?)</p>", found.group(1), re.S)
    return [html.unescape(m).strip() for m in messages]


def _form_url(client: Client, user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    opened = client.get(reverse("accounts:password_set", args=[uid, token]), follow=True)
    assert opened.status_code == 200
    return str(opened.redirect_chain[-1][0])


@pytest.fixture
def kari() -> Any:
    return _user("kari.nordmann")


@pytest.mark.parametrize(("password", "error"), REFUSED)
def test_a_refused_password_is_said_under_the_new_password(
    client: Client, kari: Any, password: str, error: str
) -> None:
    url = _form_url(client, kari)
    refused = client.post(url, {"new_password1": password, "new_password2": password})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert error in _field_errors(page, "new_password1")
    assert _field_errors(page, "new_password2") == []
    # the summary links the refusal to the first field
    assert f'href="#id_new_password1">Nytt passord: {error}</a>' in html.unescape(page)
    kari.refresh_from_db()
    assert kari.check_password("test-pass-123")


def test_two_different_passwords_are_said_under_the_confirmation(client: Client, kari: Any) -> None:
    url = _form_url(client, kari)
    refused = client.post(url, {"new_password1": "Fjordbris-2031", "new_password2": "Fjordbris"})
    page = refused.content.decode()
    assert _field_errors(page, "new_password2") == [MISMATCH]
    assert _field_errors(page, "new_password1") == []
    # both at once: each under its own field
    both = client.post(url, {"new_password1": "Fj-7", "new_password2": "Fj-8"}).content.decode()
    assert _field_errors(both, "new_password1") == [REFUSED[0][1]]
    assert _field_errors(both, "new_password2") == [MISMATCH]


def test_the_forms_put_the_rules_on_the_first_field(kari: Any) -> None:
    short, error = REFUSED[0]
    choose = ChoosePasswordForm(kari, {"new_password1": short, "new_password2": short})
    assert choose.errors == {"new_password1": [error]}
    change = PasswordChangeByAdminForm(kari, {"password1": short, "password2": short})
    assert change.errors == {"password1": [error]}
    new = UserWithAddressCreationForm(
        {"username": "nina.ny", "usable_password": "true", "password1": short, "password2": short}
    )
    assert new.errors == {"password1": [error]}
    # a user without a password (the admin's «Disabled») is not asked for one
    unusable = UserWithAddressCreationForm({"username": "nina.ny", "usable_password": "false"})
    assert unusable.is_valid(), unusable.errors
    assert not get_user_model().objects.filter(username="nina.ny").exists()
