"""A review's records for a user, found one way by the pages and the API
(`core.api_endpoints.Finder`): 404 to whom may not see the record, 403 (asked with
`change=True`) to whom may see it but not change its arena."""

from __future__ import annotations

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.core.api_endpoints import Finder, through
from samarbeid.review.models import CooperationProposal, ModelComparison, ReviewRound

find_round = Finder(
    lambda user: ReviewRound.objects.visible_to(user).select_related("arena", "decision", "case"),
    through("arena", can_edit_arena),
)
find_proposal = Finder(
    lambda user: CooperationProposal.objects.visible_to(user).select_related("arena"),
    through("arena", can_edit_arena),
)
find_comparison = Finder(
    lambda user: (
        ModelComparison.objects.visible_to(user)
        .select_related("arena", "proposal")
        .with_proposal_readable(user)
    ),
    through("arena", can_edit_arena),
)
