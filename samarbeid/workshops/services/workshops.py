"""Workshops and their questions: the secretariat of the workshop's arena registers and
changes them (through `samarbeid.core.services`, with an audit entry and the version read)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, update_record
from samarbeid.workshops.models import Question, Workshop


def _check_workshop(workshop: Workshop) -> None:
    if workshop.links_expire and workshop.links_expire < workshop.date:
        raise ValidationError(
            {"links_expire": _("Lenkene kan ikke utløpe før samlingen er holdt.")}
        )


def create_workshop(workshop: Workshop, *, actor: Actor, channel: str = Channel.PAGE) -> Workshop:
    """Register a workshop under an arena; the arena's secretariat may."""
    require(can_edit_arena(actor, workshop.arena))
    _check_workshop(workshop)
    return create_record(workshop, actor=actor, channel=channel)


def update_workshop(
    workshop: Workshop,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Workshop:
    require(can_edit_arena(actor, workshop.arena))
    if "arena" in changes:
        require(can_edit_arena(actor, changes["arena"]))
    update_record(
        workshop,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_workshop,
    )
    return workshop


# --- questions ----------------------------------------------------------------------------------


def _check_question(question: Question) -> None:
    errors: dict[str, str] = {}
    if question.kind == Question.Kind.RANKED and question.max_themes < question.min_themes:
        errors["max_themes"] = _("Høyst antall temaer kan ikke være mindre enn minst antall.")
    if question.kind == Question.Kind.PROS_CONS and not question.alternative_list():
        errors["alternatives"] = _("Skriv minst ett alternativ, ett per linje.")
    if len(question.alternative_list()) > 10:
        errors["alternatives"] = _("Høyst 10 alternativer.")
    if errors:
        raise ValidationError(errors)


def create_question(question: Question, *, actor: Actor, channel: str = Channel.PAGE) -> Question:
    require(can_edit_arena(actor, question.workshop.arena))
    _check_question(question)
    return create_record(question, actor=actor, channel=channel)


def update_question(
    question: Question,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Question:
    """Change a question. Its kind cannot change once groups have answered."""
    require(can_edit_arena(actor, question.workshop.arena))
    if "kind" in changes and changes["kind"] != question.kind and question.answers.exists():
        raise ValidationError({"kind": _("Grupper har svart; typen kan ikke endres.")})
    update_record(
        question,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_question,
    )
    return question


def set_question_status(
    question: Question,
    status: str,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Question:
    """Open a question for answers, or close it (closed refuses new answers; it can be
    reopened)."""
    if status not in Question.Status.values:
        raise ValidationError({"status": _("Ukjent status.")})
    return update_question(
        question,
        {"status": status},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
