"""Choosing a password by e-mail: the link a new user is invited with and the one «Glemt
passord?» sends are the same, Django's password-reset token (PasswordResetTokenGenerator)
for Django's PasswordResetConfirmView (`accounts:password_set`). The link works once and
for PASSWORD_RESET_TIMEOUT (three days by default); setting a password ends it."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    password_validators_help_texts,
)
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.accounts.addresses import address, users_with_address

log = logging.getLogger(__name__)


class MinimumLength(MinimumLengthValidator):
    """Django's rule of a password's least length, its refusal in the house's words: Django's
    own bokmål catalogue translates an older wording of the message, so a too short password
    was refused in English (a clerk's trial)."""

    def get_error_message(self) -> str:
        return _("Passordet er for kort. Det må ha minst %(n)s tegn.") % {"n": self.min_length}


# At most one «Glemt passord?» e-mail to an address in this many seconds, whoever asks (the
# form cannot be used to flood someone's inbox); the page says the same either way.
MAIL_INTERVAL = 15 * 60


def invitation_key(user: Any) -> str:
    """The cache key that holds back a second invitation to `user` for MAIL_INTERVAL (the
    first, on creating the user, counts: «Send invitasjonen på nytt» right after it is
    refused). Per address: an address corrected after a mistyped one gets it at once."""
    digest = hashlib.sha256(address(user.email).encode()).hexdigest()[:16]
    return f"accounts.invitation_mail:{user.pk}:{digest}"


def password_link(user: Any) -> str:
    """The absolute link where `user` chooses a password (SITE_URL, as every e-mail's)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_set", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def send_password_mail(user: Any, *, invitation: bool) -> bool:
    """E-mail `user` the link to choose a password: an invitation (a new user) or a reset
    («Glemt passord?»), through the site's e-mail setup, always in bokmål. False (and
    logged) when it could not be sent."""
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))
    context = {
        "user": user,
        "link": password_link(user),
        "days": days,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL.rstrip("/") + "/",
    }
    kind = "invitation" if invitation else "reset"
    # In bokmål (LANGUAGE_CODE), whatever language the sender reads the pages in: a user has
    # no language of their own here (accounts keeps none; reminders' language is chosen
    # later, by the user, in a layer above), and the one invited has chosen nothing yet.
    with translation.override(settings.LANGUAGE_CODE):
        if invitation:
            subject = _("Du har fått en bruker i %(site)s") % {"site": settings.SITE_NAME}
        else:
            subject = _("Velg nytt passord i %(site)s") % {"site": settings.SITE_NAME}
        body = render_to_string(f"accounts/email/password_{kind}.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[user.email.strip()]).send()
    except Exception as exc:  # the mail server: the user is made all the same
        log.warning("password_mail_failed kind=%s user=%s error=%s", kind, user.pk, exc)
        return False
    log.info("password_mail_sent kind=%s user=%s", kind, user.pk)
    if invitation:
        cache.set(invitation_key(user), True, MAIL_INTERVAL)
    return True


class ForgotPasswordForm(PasswordResetForm):
    """«Glemt passord?»: Django's form, its e-mail sent by `send_password_mail`. It finds
    the active users with the address who have a password, or were invited and have not
    signed in yet (an invitation that ran out); a user who signs in through a provider
    only is not offered a password. It never says whether the address is someone's."""

    email = forms.EmailField(
        label=gettext_lazy("E-postadresse"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email: str) -> Iterator[Any]:
        for user in users_with_address(email).filter(is_active=True):
            if user.has_usable_password() or user.last_login is None:
                yield user

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Send the link to each user found, unless this address had one within
        MAIL_INTERVAL (PasswordResetView's arguments are not used: the link is ours)."""
        email = self.cleaned_data["email"]
        digest = hashlib.sha256(address(email).encode()).hexdigest()
        if not cache.add(f"accounts.password_mail:{digest}", True, MAIL_INTERVAL):
            log.info("password_mail_throttled")
            return
        for user in self.get_users(email):
            send_password_mail(user, invitation=False)


class RulesOnFirstField:
    """For Django's password forms (SetPasswordMixin's): the password rules' refusals (too
    short, too common, only digits, like the user name) stand under the first field, where
    the password is chosen, not under the confirmation (Django's choice); «De to
    passordfeltene er ikke like.» stays under the confirmation. Put it before Django's form
    in the bases."""

    def validate_password_for_user(
        self,
        user: Any,
        password_field_name: str = "password2",  # noqa: S107 - Django's field name
        **kwargs: Any,
    ) -> None:
        first = password_field_name.removesuffix("2") + "1"  # new_password2 → new_password1
        super().validate_password_for_user(  # type: ignore[misc]
            user, password_field_name=first, **kwargs
        )


class ChoosePasswordForm(RulesOnFirstField, SetPasswordForm):
    """Django's form to set a password, its rules said as one paragraph (the house's field
    help is a paragraph, which a list may not stand in) and their refusals under the first
    field (`RulesOnFirstField`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())
