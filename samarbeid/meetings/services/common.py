"""What every meetings service shares: the time of the write, the words for a case that
came after its meeting and for a decision's refusals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from samarbeid.core.dates import shown
from samarbeid.governance.models import Decision


def touch(record: Any) -> None:
    """Set the record's `modified` time (every write does)."""
    record.modified = timezone.now()


def case_after_meeting(opened: date, day: date) -> str:
    """Why a case opened after the meeting's day is not decided there (governance refuses a
    decision dated before its case): on the agenda's case choice and on the vote."""
    return _(
        "Saken ble opprettet %(o)s, etter møtet %(d)s: et vedtak i møtet kan ikke være datert "
        "før saken ble opprettet. Sett saken opp på et senere møte."
    ) % {"o": shown(opened), "d": shown(day)}


@contextmanager
def said_of_the_decision(fields: set[str]) -> Iterator[None]:
    """Governance's refusals of the decision a minutes' form writes: those on `fields` (the
    form's own) stay on them, the rest go above the form, a decision's field named in the
    reader's words («Møtedato: …», not the field's name «Meeting date»)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        errors: dict[str, list[str]] = {}
        for name, messages in exc.message_dict.items():
            if name in fields:
                errors.setdefault(name, []).extend(messages)
                continue
            try:
                field = Decision._meta.get_field(name)
                label = capfirst(getattr(field, "verbose_name", name))
            except FieldDoesNotExist:  # about the whole decision ("decision", "__all__")
                label = ""
            errors.setdefault(NON_FIELD_ERRORS, []).extend(
                _("%(field)s: %(error)s") % {"field": label, "error": m} if label else m
                for m in messages
            )
        raise ValidationError(errors) from exc
