"""Template helpers for strategy and reports: money and links that may not exist yet."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.urls import NoReverseMatch
from django.utils.translation import get_language

from samarbeid.lib.money import format_nok

register = template.Library()


@register.filter
def nok(amount: Any) -> str:
    """An amount as NOK text (1 234,50), or – when there is none."""
    if amount is None or amount == "":
        return "–"
    if not isinstance(amount, Decimal):
        amount = Decimal(str(amount))
    return format_nok(amount, "en" if (get_language() or "nb").startswith("en") else "nb")


@register.filter
def url_or_empty(obj: Any) -> str:
    """obj.get_absolute_url(), or "" when the page is not there (yet)."""
    try:
        return str(obj.get_absolute_url())
    except (NoReverseMatch, AttributeError):
        return ""
