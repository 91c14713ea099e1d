"""Reads for the first page: the cooperation proposals and review rounds still being
worked on."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet

from samarbeid.review.models import CooperationProposal, ReviewRound


def draft_proposals(arena_ids: Collection[int] | None) -> QuerySet[CooperationProposal]:
    """Proposals under work (draft) for the arenas (every one when `arena_ids` is None;
    a proposal for no arena is then included too)."""
    proposals = CooperationProposal.objects.filter(status=CooperationProposal.Status.DRAFT)
    if arena_ids is not None:
        proposals = proposals.filter(arena_id__in=arena_ids)
    return proposals.select_related("arena").order_by("title", "pk")


def open_rounds(arena_ids: Collection[int] | None) -> QuerySet[ReviewRound]:
    """Review rounds by the arenas still under work: no decision yet, not applied."""
    rounds = ReviewRound.objects.filter(decision__isnull=True, applied_on__isnull=True)
    if arena_ids is not None:
        rounds = rounds.filter(arena_id__in=arena_ids)
    return rounds.select_related("arena").order_by("-opened", "pk")
