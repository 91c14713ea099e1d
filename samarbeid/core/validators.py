"""Validators every domain's models share: one rule, whatever writes the record (page, API,
import of an export)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.no import orgnr


def validate_organisation_number(value: str) -> None:
    """A Norwegian organisation number: nine digits whose last is the MOD11 check digit
    (Brønnøysundregistrene). Empty is "not given" and passes."""
    if not value or (len(value) == 9 and value.isdigit() and orgnr.is_valid(value)):
        return
    if not value.isdigit():
        raise ValidationError(
            _("Et organisasjonsnummer har bare sifre (ni, gjerne i grupper på tre)."), code="orgnr"
        )
    if len(value) != 9:
        raise ValidationError(
            _("Organisasjonsnummeret har %(n)s sifre; det skal ha ni."),
            code="orgnr",
            params={"n": len(value)},
        )
    raise ValidationError(
        _("Organisasjonsnummeret har feil kontrollsiffer; sjekk det."), code="orgnr"
    )
