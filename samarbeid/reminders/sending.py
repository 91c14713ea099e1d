"""Send each person one digest of what is new for them, and remember what was sent."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from samarbeid.accounts.models import RoleAssignment
from samarbeid.reminders.digest import Digest, digest_for, is_due, prefs_for
from samarbeid.reminders.mail import digest_message
from samarbeid.reminders.models import SentReminder

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    sent: list[Digest] = field(default_factory=list)  # or, in a dry run, would be sent
    failed: list[tuple[Any, str]] = field(default_factory=list)
    nothing_new: int = 0
    not_due: int = 0
    no_address: list[Any] = field(default_factory=list)  # users skipped: no e-mail address

    @property
    def no_address_names(self) -> list[str]:
        return [display_name(user) for user in self.no_address]


def display_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def recipients() -> Any:
    """Active users with a role that has deadlines (coordinators and secretariats; a reader
    has none); those without an e-mail address are skipped and told by name."""
    with_role = RoleAssignment.objects.filter(role__in=["secretariat", "coordinator"]).values(
        "user_id"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=with_role)
        .select_related("reminder_settings")
        .order_by("pk")
    )


def send_reminders(now: datetime | None = None, *, dry_run: bool = False) -> Outcome:
    now = now or timezone.now()
    today = timezone.localdate(now)
    outcome = Outcome()
    for user in recipients():
        prefs = prefs_for(user)
        if not is_due(prefs, now):
            outcome.not_due += 1
            continue
        if not user.email:
            outcome.no_address.append(user)
            continue
        digest = digest_for(user, prefs, today)
        if not digest.parts:
            outcome.nothing_new += 1
            continue
        if dry_run:
            outcome.sent.append(digest)
            continue
        try:
            digest_message(digest).send()
        except Exception as exc:  # an SMTP or network failure: tell, and go on with the rest
            log.warning("reminder_failed user=%s error=%s", user.pk, exc)
            outcome.failed.append((user, str(exc) or type(exc).__name__))
            continue
        with transaction.atomic():
            prefs.last_sent = now
            # only when it was sent: not the person's choices, which they may be saving now
            # (nor their version: an open settings form stays current)
            prefs.save(update_fields=["last_sent"] if prefs.pk else None)
            SentReminder.objects.bulk_create(
                [SentReminder(user=user, key=key) for key in digest.keys],
                ignore_conflicts=True,
            )
        log.info("reminder_sent user=%s reminders=%s", user.pk, digest.count)
        outcome.sent.append(digest)
    return outcome
