"""The register's template filters."""

from __future__ import annotations

from typing import Any

from django import template

from samarbeid.accounts.permissions import can_edit_population
from samarbeid.registry.models import Municipality

register = template.Library()


@register.filter
def may_edit_population(user: Any, municipality: Municipality) -> bool:
    """`{% if request.user|may_edit_population:municipality %}`: the link to the population
    page is shown to those who may use it."""
    return can_edit_population(user, municipality)
