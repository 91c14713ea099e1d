"""Template helpers for strategy and reports: money and links that may not exist yet."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch

from samarbeid.core.templatetags.samarbeid import nok

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
