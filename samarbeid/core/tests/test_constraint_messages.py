"""Every check constraint says in words what it refuses: a constraint's name
("line_amount_not_negative") must never reach a page or the API."""

from __future__ import annotations

from django.apps import apps
from django.db.models import CheckConstraint
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
