from __future__ import annotations

from typing import Any

import pytest

from samarbeid.arenas import demo as arenas_demo
from samarbeid.review import demo, services
from samarbeid.review.models import (
    CooperationProposal,
    ModelComparison,
    ReviewItem,
    ReviewRound,
    Score,
)

pytestmark = pytest.mark.django_db


def test_demo_builds_the_seed_review_and_comparison_idempotently(secretariat: Any) -> None:
    arenas_demo.load(secretariat)
    demo.load(secretariat)
    review = ReviewRound.objects.get()
    assert review.arena.short_name == "KS-V"
    assert review.items.count() == len(demo.KS_PROJECTS) == 29
    assert not review.items.filter(recommendation="").exists()
    transfers = ReviewItem.objects.filter(recommendation__in=["transfer", "merge"])
    assert {i.target_arena.short_name for i in transfers if i.target_arena} == {
        "n-k",
        "VUF",
        "Partnerskap",
    }
    comparison = ModelComparison.objects.get()
    assert comparison.alternatives.count() == 6 and comparison.criteria.count() == 4
    assert Score.objects.count() == 2 * 6 * 4
    result = services.comparison_result(comparison)
    assert result.missing == [] and result.ranking[0].alternative.name == "Søke nytt 4-årig forsøk"
    assert CooperationProposal.objects.get().criteria.filter(state="met").count() == 2

    demo.load(secretariat)
    assert ReviewRound.objects.count() == 1 and ModelComparison.objects.count() == 1
    assert CooperationProposal.objects.count() == 1
