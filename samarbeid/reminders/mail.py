"""The digest as an e-mail: text and HTML, in the person's language, every link absolute,
and a link to unsubscribe that works without signing in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from samarbeid.reminders.digest import Digest

SALT = "samarbeid.reminders.unsubscribe"
CONTACT_SALT = "samarbeid.reminders.contact"


def _signed(salt: str, key: str, value: Any) -> str:
    """A token naming `value`, signed with the site's secret: it cannot be made for another."""
    return signing.dumps({key: value}, salt=salt, compress=True)


def _unsigned(token: str, salt: str, key: str) -> Any:
    """What `_signed` named under `key`, or None for a forged or altered token."""
    try:
        data = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return None
    return data.get(key) if isinstance(data, dict) else None


def unsubscribe_token(user: Any) -> str:
    return _signed(SALT, "user", user.pk)


def user_for_token(token: str) -> int | None:
    user_id = _unsigned(token, SALT, "user")
    return user_id if isinstance(user_id, int) else None


def contact_token(email: str) -> str:
    """For an address that is no user's (an invoice contact)."""
    return _signed(CONTACT_SALT, "email", email.casefold())


def email_for_contact_token(token: str) -> str | None:
    email = _unsigned(token, CONTACT_SALT, "email")
    return email if isinstance(email, str) and email else None


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    unsubscribe = absolute(reverse("reminders:unsubscribe", args=[unsubscribe_token(digest.user)]))
    with translation.override(digest.prefs.language):
        context = {
            "digest": digest,
            "parts": [
                {
                    "title": part.section.title,
                    "total": part.section.total,
                    "rows": [
                        {
                            "text": row.text,
                            "url": absolute(row.url),
                            "when": row.when,
                            "late": row.late,
                            "detail": row.detail,
                        }
                        for row in part.rows
                    ],
                    "more": absolute(part.section.more) if part.section.more else "",
                }
                for part in digest.parts
            ],
            "site_name": settings.SITE_NAME,
            "site_url": absolute("/"),
            "settings_url": absolute(reverse("reminders:settings")),
            "unsubscribe_url": unsubscribe,
        }
        subject = ngettext(
            "%(site)s: %(n)s påminnelse", "%(site)s: %(n)s påminnelser", digest.count
        ) % {"site": settings.SITE_NAME, "n": digest.count}
        text = render_to_string("reminders/digest.txt", context)
        html = render_to_string("reminders/digest.html", context)
    return mail_to(digest.user.email, subject, text, html, unsubscribe)


def mail_to(
    to: str, subject: str, text: str, html: str, unsubscribe: str | None
) -> EmailMultiAlternatives:
    """One e-mail of ours: text and HTML, with the unsubscribe link in its header too
    (List-Unsubscribe, and RFC 8058's one-click POST) — none on a formal e-mail (a meeting's
    notice) that an unsubscribe would not stop."""
    headers = (
        {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        if unsubscribe
        else {}
    )
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message
