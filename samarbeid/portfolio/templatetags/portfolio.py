"""`{% load portfolio %}{% municipality_portfolio municipality %}`: the municipality's projects
and pending decisions, for the municipality page (block municipality_extra)."""

from __future__ import annotations

from typing import Any

from django import template

from samarbeid.portfolio.queries import MUNICIPALITY_PAGE_PROJECTS, municipality_context

register = template.Library()


@register.inclusion_tag("portfolio/_municipality_section.html", takes_context=True)
def municipality_portfolio(context: Any, municipality: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    data = municipality_context(user, municipality, limit=MUNICIPALITY_PAGE_PROJECTS)
    data["municipality"] = municipality
    return data
