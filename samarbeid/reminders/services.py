"""Writing a person's reminder settings: their own, in a transaction, audited, and refused
over a newer version (a second tab, the unsubscribe link meanwhile)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from samarbeid.accounts.permissions import require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.conflicts import is_unique_violation
from samarbeid.core.services import create_record, update_record
from samarbeid.core.versioning import VersionConflict
from samarbeid.reminders.models import ReminderSettings

# The version an edit started from when the person had never saved settings (the form
# showed the defaults): settings saved other than the defaults since make the edit stale.
NEVER_SAVED = 0


def save_settings(
    prefs: ReminderSettings,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ReminderSettings:
    """Set `prefs.user`'s reminder settings (`changes`: kinds, frequency, language): only
    their own. Made on first save. Refused with VersionConflict (the settings as stored now)
    when they were saved since the version the edit started from (NEVER_SAVED: from the
    defaults); None skips the check (the unsubscribe link, commands)."""
    user = prefs.user
    own = getattr(actor, "pk", None)
    require(own is not None and own == user.pk)
    with transaction.atomic():
        stored = ReminderSettings.objects.select_for_update().filter(user=user).first()
        if stored is None:
            try:
                return create_record(
                    ReminderSettings(user=user, **changes), actor=actor, channel=channel
                )
            except IntegrityError as exc:  # made this moment by another tab (PostgreSQL)
                if not is_unique_violation(exc):
                    raise
                raise VersionConflict(ReminderSettings.objects.get(user=user)) from None
        if expected_version == NEVER_SAVED:
            # the edit started from the defaults: stale if someone chose otherwise since
            # (not for the row the sender made to note when it sent, with the defaults)
            if _choices(stored) != _choices(ReminderSettings(user=user)):
                raise VersionConflict(stored)
            expected_version = stored.version
        return update_record(
            stored, dict(changes), expected_version=expected_version, actor=actor, channel=channel
        )


def _choices(prefs: ReminderSettings) -> tuple[list[str], str, str]:
    """What a person chooses in their settings (not when the sender last sent)."""
    return list(prefs.kinds), prefs.frequency, prefs.language
