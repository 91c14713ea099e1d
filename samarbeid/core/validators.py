"""Validators every domain's models share: one rule, whatever writes the record (page, API,
import of an export)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr


def validate_organisation_number(value: str) -> None:
    """A Norwegian organisation number: nine digits whose last is the MOD11 check digit
    (Brønnøysundregistrene). Empty is "not given" and passes."""
    if value and not (len(value) == 9 and value.isdigit() and orgnr.is_valid(value)):
        raise ValidationError(
            _("Ugyldig organisasjonsnummer (9 siffer, kontrollsiffer)."), code="orgnr"
        )
