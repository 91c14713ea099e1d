"""A clerk's trial: a secretariat reading the pages in English made a user, and the
invitation went out in English. A user has no language of their own in accounts (and the
invited has chosen nothing yet): the invitation and the «Glemt passord?» mail are written
in bokmål (LANGUAGE_CODE) whatever language the sender or asker reads."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import _user, login

pytestmark = pytest.mark.django_db

ENTRY = {"username": "nina.ny", "first_name": "Nina", "last_name": "Ny"}


@pytest.fixture(autouse=True)
def _no_earlier_mails() -> None:
    cache.clear()


def _in_bokmal(message: Any, *, invitation: bool) -> None:
    if invitation:
        assert message.subject == "Du har fått en bruker i Samarbeid"
        assert "Du har fått en bruker i Samarbeid." in message.body
    else:
        assert message.subject == "Velg nytt passord i Samarbeid"
        assert "Noen har bedt om å få velge nytt passord" in message.body
    assert "Brukernavn:" in message.body
    assert "Username" not in message.body
    assert "You have" not in message.body


def test_an_english_reading_secretariat_invites_in_bokmal(client: Client, secretariat: Any) -> None:
    """English as the secretariat chose it (the header's language button's cookie; the
    browser's Accept-Language is ignored by design, `core.locale`)."""
    login(client, secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    new = reverse("accounts:user_create")
    response = client.post(new, {**ENTRY, "email": "nina@example.no"}, follow=True)
    # the secretariat reads English (the page's message) ...
    assert "The user Nina Ny (nina.ny) has been created." in html.unescape(
        response.content.decode()
    )
    # ... the new user gets bokmål
    [invitation] = mail.outbox
    _in_bokmal(invitation, invitation=True)
    # and so does the invitation sent again
    cache.clear()
    nina = get_user_model().objects.get(username="nina.ny")
    resend = reverse("accounts:invitation_resend", args=[nina.pk])
    assert client.post(resend).status_code == 302
    _in_bokmal(mail.outbox[-1], invitation=True)


def test_forgot_password_asked_in_english_is_answered_in_bokmal(client: Client) -> None:
    kari = _user("kari")
    kari.email = "kari@example.no"
    kari.save()
    forgot = reverse("accounts:password_forgot")
    asked = client.post(f"{forgot}?lang=en", {"email": "kari@example.no"})
    assert asked.status_code == 302
    [reset] = mail.outbox
    _in_bokmal(reset, invitation=False)
