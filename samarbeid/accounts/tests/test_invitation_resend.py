"""A clerk's trial: an invited user lost the e-mail (or its link ran out), and there was no
way to send it again but «Glemt passord?». The role list lists the users who have not chosen
a password yet, each with «Send invitasjonen på nytt» (`resend_invitation`): the same
e-mail, at most once in 15 minutes, audited; refused, and said, for a user without an
address or who has chosen a password or signed in already."""

from __future__ import annotations

import html
import re
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import _user, login
from samarbeid.accounts.services import create_user, resend_invitation
from samarbeid.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

ROLES = reverse("accounts:role_list")
LATELY = "En invitasjon ble sendt til nina@example.no for under 15 minutter siden."


@pytest.fixture(autouse=True)
def _no_earlier_mails() -> None:
    cache.clear()


def _text(response: Any) -> str:
    return html.unescape(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _resend(user: Any) -> str:
    return reverse("accounts:invitation_resend", args=[user.pk])


def _invited(username: str = "nina.ny", email: str = "nina@example.no") -> Any:
    return get_user_model().objects.create(
        username=username, email=email, password=UNUSABLE_PASSWORD_PREFIX
    )


def _entries(user: Any) -> Any:
    return AuditEntry.objects.filter(content_type__model="user", object_id=str(user.pk))


def test_the_secretariat_sends_the_invitation_again(client: Client, secretariat: Any) -> None:
    nina = create_user(
        username="nina.ny",
        first_name="Nina",
        last_name="Ny",
        email="nina@example.no",
        actor=secretariat,
    ).user
    assert len(mail.outbox) == 1
    login(client, secretariat)
    page = _text(client.get(ROLES))
    assert "Har ikke valgt passord ennå" in page
    assert f'action="{_resend(nina)}"' in page
    assert "Nina Ny (nina.ny)" in page
    assert "Send invitasjonen på nytt" in page
    # right after the first: refused, said plainly, nothing sent
    refused = client.post(_resend(nina), follow=True)
    assert refused.redirect_chain == [(ROLES, 302)]
    assert _messages(refused) == [LATELY]
    assert len(mail.outbox) == 1
    assert _entries(nina).count() == 1  # its creation
    cache.clear()  # the interval (accounts.passwords.MAIL_INTERVAL) has passed
    sent = client.post(_resend(nina), follow=True)
    assert sent.redirect_chain == [(ROLES, 302)]
    assert _messages(sent) == ["Invitasjonen er sendt til nina@example.no."]
    again = mail.outbox[-1]
    assert len(mail.outbox) == 2
    assert again.to == ["nina@example.no"]
    assert again.subject == "Du har fått en bruker i Samarbeid"
    assert "Brukernavn: nina.ny" in again.body
    entry = _entries(nina).order_by("-pk").first()
    assert entry is not None
    assert (entry.action, entry.actor, entry.channel) == ("update", secretariat, "page")
    assert entry.snapshot["email"] == "nina@example.no"
    # a double click: the second is refused
    assert _messages(client.post(_resend(nina), follow=True)) == [LATELY]
    assert len(mail.outbox) == 2
    # the new link works; then Nina is no longer listed, and a resend is refused
    link = re.search(r"https?://\S+(/konto/passord/velg/\S+/)", again.body)
    assert link
    visitor = Client()
    form_url = visitor.get(link.group(1), follow=True).redirect_chain[-1][0]
    chosen = {"new_password1": "Fjordbris-2031", "new_password2": "Fjordbris-2031"}
    assert visitor.post(form_url, chosen).status_code == 302
    assert f'action="{_resend(nina)}"' not in _text(client.get(ROLES))
    cache.clear()
    done = client.post(_resend(nina), follow=True)
    assert _messages(done) == [
        "Brukeren har allerede logget inn eller valgt passord; det er ingen invitasjon å sende. "
        "Brukeren kan få ny lenke med «Glemt passord?» på innloggingssiden."
    ]
    assert len(mail.outbox) == 2


def test_a_user_without_an_address_is_refused_clearly(client: Client, secretariat: Any) -> None:
    nobody = _invited(email="")
    login(client, secretariat)
    assert "ingen e-postadresse" in _text(client.get(ROLES))
    refused = client.post(_resend(nobody), follow=True)
    assert _messages(refused) == [
        "Brukeren har ingen e-postadresse. Legg inn adressen under «Navn og e-postadresse» "
        "først, så kan invitasjonen sendes."
    ]
    assert mail.outbox == []
    assert not _entries(nobody).exists()


def test_who_has_a_password_or_signs_in_through_a_provider_is_not_invited(
    secretariat: Any,
) -> None:
    kari = _user("kari")
    kari.email = "kari@example.no"
    kari.save()
    provider_only = _invited("oidc-per", "per@example.no")
    provider_only.last_login = timezone.now()
    provider_only.save()
    gone = _invited("slutta", "slutta@example.no")
    gone.is_active = False
    gone.save()
    for user in (kari, provider_only, gone):
        with pytest.raises(ValidationError):
            resend_invitation(user, actor=secretariat)
    assert mail.outbox == []


def test_a_mail_server_that_refuses_is_said_and_does_not_hold_back_the_next_try(
    client: Client, secretariat: Any
) -> None:
    nina = _invited()
    login(client, secretariat)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("nede")):
        refused = client.post(_resend(nina), follow=True)
    assert _messages(refused) == [
        "E-posten til nina@example.no kunne ikke sendes. Prøv igjen senere."
    ]
    assert not _entries(nina).exists()
    sent = client.post(_resend(nina), follow=True)
    assert _messages(sent) == ["Invitasjonen er sendt til nina@example.no."]
    assert len(mail.outbox) == 1


def test_only_who_manages_roles_sends_it(
    client: Client, arena_secretariat: Any, coordinator: Any, reader: Any, secretariat: Any
) -> None:
    nina = _invited()
    for user in (arena_secretariat, coordinator, reader):
        login(client, user)
        assert client.post(_resend(nina)).status_code == 403
        with pytest.raises(PermissionDenied):
            resend_invitation(nina, actor=user)
    client.logout()
    assert "/logg-inn/" in client.post(_resend(nina))["Location"]
    login(client, secretariat)
    assert client.get(_resend(nina)).status_code == 405  # a button's POST, no page
    missing = reverse("accounts:invitation_resend", args=[nina.pk + 1000])
    assert client.post(missing).status_code == 404
    assert mail.outbox == []
    assert not _entries(nina).exists()


def test_a_corrected_address_gets_the_invitation_at_once(client: Client, secretariat: Any) -> None:
    """A clerk's trial: the invitation went to a mistyped address; after the address was
    corrected, «Send invitasjonen på nytt» was refused for 15 minutes and the new user had
    no working link. The interval holds back a second mail to the same address only."""
    tone = create_user(
        username="tone.vik",
        first_name="Tone",
        last_name="Vik",
        email="tone.vik@hortne.kommune.no",
        actor=secretariat,
    ).user
    tone.email = "tone.vik@horten.kommune.no"
    tone.save()
    login(client, secretariat)
    sent = client.post(_resend(tone), follow=True)
    assert _messages(sent) == ["Invitasjonen er sendt til tone.vik@horten.kommune.no."]
    assert mail.outbox[-1].to == ["tone.vik@horten.kommune.no"]
    again = client.post(_resend(tone), follow=True)
    assert _messages(again) == [
        "En invitasjon ble sendt til tone.vik@horten.kommune.no for under 15 minutter siden."
    ]
    assert len(mail.outbox) == 2
