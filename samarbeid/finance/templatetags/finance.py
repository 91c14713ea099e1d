from __future__ import annotations

from decimal import Decimal

from django import template

from samarbeid.core.templatetags.samarbeid import nok
from samarbeid.lib.money import account_grouped

register = template.Library()
# One money format for every page: the house's own filter, under this library too.
register.filter("nok", nok)
# an account number grouped 4.2.5 as people read it; the stored value stays 11 digits
register.filter("account", account_grouped)


@register.filter
def subtract(value: Decimal | None, other: Decimal | None) -> Decimal | None:
    if value is None or other is None:
        return None
    return Decimal(value) - Decimal(other)
