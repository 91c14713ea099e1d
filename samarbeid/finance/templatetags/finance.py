from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from samarbeid.lib.money import format_nok

register = template.Library()


@register.filter
def nok(value: Decimal | None) -> str:
    """An amount as "1 234,50" (or "1,234.50" in English); "–" when missing."""
    if value is None or value == "":
        return "–"
    language = get_language() or "nb"
    return format_nok(Decimal(value), "en" if language.startswith("en") else "nb")


@register.filter
def subtract(value: Decimal | None, other: Decimal | None) -> Decimal | None:
    if value is None or other is None:
        return None
    return Decimal(value) - Decimal(other)
