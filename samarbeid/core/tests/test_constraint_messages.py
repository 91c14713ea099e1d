"""Every check constraint says in words what it refuses: a constraint's name
("line_amount_not_negative") must never reach a page or the API."""

from __future__ import annotations

from django.apps import apps
from django.db.models import CheckConstraint, Field
from django.utils import translation


def test_every_check_constraint_has_a_message_in_bokmal_and_english() -> None:
    missing, untranslated = [], []
    for model in apps.get_models():
        if not model.__module__.startswith("samarbeid."):
            continue
        for constraint in model._meta.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            where = f"{model.__name__}.{constraint.name}"
            message = constraint.violation_error_message
            if message in (None, constraint.default_violation_error_message):
                missing.append(where)
                continue
            with translation.override("nb"):
                bokmal = str(message)
            with translation.override("en"):
                english = str(message)
            if english == bokmal:
                untranslated.append(where)
    assert not missing, missing
    assert not untranslated, untranslated


def test_every_unique_rule_a_user_can_break_says_so_in_words() -> None:
    """Issue 19 point 1: a unique constraint, or a unique field a form shows, refuses with its
    own message in bokmål and English, not Django's "Arena med Kortnavn finnes allerede"."""
    from django.db.models import UniqueConstraint

    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("samarbeid."):
            continue
        for constraint in model._meta.constraints:
            if not isinstance(constraint, UniqueConstraint):
                continue
            message = constraint.violation_error_message
            if message in (None, constraint.default_violation_error_message):
                missing.append(f"{model.__name__}.{constraint.name}")
        for field in model._meta.concrete_fields:
            # a hash or token made by the system is never typed, so never refused to anyone
            typed = field.editable and field.name not in ("key_hash", "token_hash")
            default = field.error_messages["unique"] == Field.default_error_messages["unique"]
            if field.unique and not field.primary_key and typed and default:
                missing.append(f"{model.__name__}.{field.name}")
    assert not missing, missing
