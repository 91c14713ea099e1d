"""Template helpers for strategy and reports: money and links that may not exist yet."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch

from samarbeid.core.templatetags.samarbeid import nok
from samarbeid.strategy.services.account import AccountRow, PeriodAccount, named_rows

register = template.Library()
# One money format for every page: the house's own filter, under this library too.
register.filter("nok", nok)


@register.filter
def url_or_empty(obj: Any) -> str:
    """obj.get_absolute_url(), or "" when the page is not there (yet)."""
    try:
        return str(obj.get_absolute_url())
    except (NoReverseMatch, AttributeError):
        return ""


@register.simple_tag(takes_context=True)
def account_rows(context: template.Context, account: PeriodAccount) -> list[tuple[str, AccountRow]]:
    """The rows of `strategy/_account_table.html` with their names: the includer's
    `named_rows` when it gives them (a report names each municipality as it was in its
    year), else each named by its record (`named_rows`)."""
    given: list[tuple[str, AccountRow]] | None = context.get("named_rows")
    return given if given is not None else named_rows(account)
