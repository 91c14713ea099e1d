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


def validate_account_number(value: str) -> None:
    """A Norwegian bank account number: 11 digits, the last a MOD11 check digit."""
    from stdnum.no import kontonr

    if value and not (len(value) == 11 and value.isdigit() and kontonr.is_valid(value)):
        raise ValidationError(
            _(
                "Kontonummeret %(value)s er ikke gyldig: 11 siffer der det siste er et "
                "kontrollsiffer (MOD11)."
            )
            % {"value": value}
        )


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
    "component_label",
    "validate_account_number",
    "weight_field",
    "year_in_range",
]
