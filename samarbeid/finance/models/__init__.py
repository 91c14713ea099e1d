"""Financing: allocation keys, budgets per arena and year, invoice runs and invoices.

Budgets and keys are plans; an invoice run turns a budget into one invoice per paying
municipality. Issued invoices never change: a correction is a credit note.

One module per aggregate (keys, budgets, invoices); the years and the account number check
that several of them use are here, where the migrations name them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.no import kontonr

from samarbeid.core import dates

# The years money is planned and invoiced for: a year outside them is a typing error (0,
# 99999), and would break every page that lists what a municipality pays.
FIRST_YEAR: int = 1900
LAST_YEAR: int = 2100
# A form checks the narrower window of a year a budget is plausibly made for (core.dates:
# 1990 to ten years ahead), which says why; the database keeps the wide one (a check).
YEAR_VALIDATORS: list[Any] = [dates.BUDGET_YEAR]
YEAR_MESSAGE = _("Året må være mellom 1900 og 2100.")


def year_in_range(name: str, field: str = "year") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR}),
        name=name,
        violation_error_message=YEAR_MESSAGE,
    )


def account_number(value: str) -> str:
    """A Norwegian bank account number as stored: 11 digits, from the usual groupings
    ("9710.12.34561", "9710 12 34561"). Refused, saying what is wrong: other characters
    than digits, dots and spaces, the number of digits, or the MOD11 check digit."""

    text = value.strip()
    digits = text.replace(" ", "").replace(".", "").replace("\xa0", "")
    if not (digits.isascii() and digits.isdigit()):
        raise ValidationError(
            _(
                "Kontonummeret %(value)s kan bare ha siffer, gjerne gruppert med punktum eller "
                "mellomrom (9710.12.34561)."
            )
            % {"value": text}
        )
    if len(digits) != 11:
        raise ValidationError(
            _("Kontonummeret %(value)s har %(count)s siffer; et kontonummer har 11.")
            % {"value": text, "count": len(digits)}
        )
    if not kontonr.is_valid(digits):
        raise ValidationError(
            _(
                "Kontonummeret %(value)s er ikke gyldig: kontrollsifferet (det siste sifferet, "
                "MOD11) stemmer ikke. Se etter en skrivefeil."
            )
            % {"value": text}
        )
    return digits


def validate_account_number(value: str) -> None:
    """A Norwegian bank account number as stored: 11 digits, the last a MOD11 check digit
    (empty: none given)."""
    if value and account_number(value) != value:
        raise ValidationError(_("Kontonummeret lagres som 11 siffer uten skilletegn."))


# The models, by aggregate: Django finds them here.
from samarbeid.finance.models.budgets import Budget, BudgetLine  # noqa: E402
from samarbeid.finance.models.grants import Grant  # noqa: E402
from samarbeid.finance.models.invoices import (  # noqa: E402
    ADDRESS,
    REGISTERED,
    ChargeLine,
    HostShareLine,
    ImmutableInvoice,
    Invoice,
    InvoiceLine,
    InvoiceQuerySet,
    InvoiceReference,
    InvoiceRun,
)
from samarbeid.finance.models.keys import (  # noqa: E402
    AllocationKey,
    KeyFixedPercent,
    KeyUsage,
    component_label,
    weight_field,
)

__all__ = [
    "ADDRESS",
    "FIRST_YEAR",
    "LAST_YEAR",
    "REGISTERED",
    "YEAR_MESSAGE",
    "YEAR_VALIDATORS",
    "AllocationKey",
    "Budget",
    "BudgetLine",
    "ChargeLine",
    "Grant",
    "HostShareLine",
    "ImmutableInvoice",
    "Invoice",
    "InvoiceLine",
    "InvoiceQuerySet",
    "InvoiceReference",
    "InvoiceRun",
    "KeyFixedPercent",
    "KeyUsage",
    "account_number",
    "component_label",
    "validate_account_number",
    "weight_field",
    "year_in_range",
]
