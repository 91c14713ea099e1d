"""A project for a user, found one way by portfolio's and strategy's pages and the API
(`core.api_endpoints.Finder`): 404 to whom may not see it, 403 (asked with `change=True`)
to whom may see it but not change its arena."""

from __future__ import annotations

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.core.api_endpoints import Finder, through
from samarbeid.portfolio.models import Project

# with what a project's pages and answers show of it (its arena and the arena's parent,
# the lead municipality, the successor): joined, not queried one by one
find_project = Finder(
    lambda user: Project.objects.visible_to(user).select_related(
        "arena", "arena__parent", "lead_municipality", "transferred_to"
    ),
    through("arena", can_edit_arena),
)
