from __future__ import annotations

from typing import Any

import pytest

from samarbeid.arenas import demo as arenas_demo
from samarbeid.review import demo
from samarbeid.review.models import (
    CooperationProposal,
    ModelComparison,
    ReviewItem,
    ReviewRound,
    Score,
)
from samarbeid.review.services.comparisons import comparison_result
from samarbeid.review.services.overlap import OverlapScope, overlap_list
from samarbeid.review.services.rounds import round_facts

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
    assert comparison.alternatives.count() == 6
    assert comparison.criteria.count() == 4
    assert Score.objects.count() == 2 * 6 * 4
    result = comparison_result(comparison)
    assert result.missing == []
    assert result.ranking[0].alternative.name == "Søke nytt 4-årig forsøk"
    assert CooperationProposal.objects.get().criteria.filter(state="met").count() == 2

    demo.load(secretariat)
    assert ReviewRound.objects.count() == 1
    assert ModelComparison.objects.count() == 1
    assert CooperationProposal.objects.count() == 1


def test_demo_overlap_over_whole_lives_finds_9k_12k_with_the_nine_by_name(
    secretariat: Any, client: Any
) -> None:
    """Compared over their whole lives, 9K and 12K share 9 of 12 members, named, and rank
    first on the page and in the API: 9K was carried on in 12K, so their purpose is the same
    (KS-V, VUF and Partnerskap share all 14 Vestfold members but describe different work)."""
    arenas_demo.load(secretariat)
    rows = overlap_list(min_score=0.15, scope=OverlapScope())
    [row] = [r for r in rows if {r.a.short_name, r.b.short_name} == {"9K", "12K"}]
    assert row.pair.members_jaccard == 0.75
    assert row.shared_count == 9
    assert row.shared_names == [
        "Horten",
        "Holmestrand",
        "Tønsberg",
        "Hof",
        "Re",
        "Andebu",
        "Stokke",
        "Nøtterøy",
        "Tjøme",
    ]
    today = overlap_list(min_score=0.0)
    assert not [r for r in today if "9K" in (r.a.short_name, r.b.short_name)]
    assert (rows[0].a.short_name, rows[0].b.short_name) == ("12K", "9K")
    assert "9K ble videreført i 12K (samme formål)" in rows[0].reason
    page = client.get("/gjennomgang/overlapp/").content.decode()
    assert "Horten, Holmestrand, Tønsberg, Hof, Re, Andebu, Stokke, Nøtterøy, Tjøme" in page
    assert page.index("9-kommunesamarbeidet i Vestfold") < page.index("Vestfold utviklingsforum")
    api = client.get("/api/v1/overlaps").json()
    top = api["items"][0]
    assert {top["a_name"], top["b_name"]} == {
        "9-kommunesamarbeidet i Vestfold",
        "12-kommunesamarbeidet i Vestfold",
    }
    assert top["continued"] == "b_in_a"
    assert top["shared_member_count"] == 9


def test_the_2004_round_lists_the_members_of_2004(secretariat: Any) -> None:
    """A clerk's trial: KS Vestfold's round "ajour pr 01.01.04" listed today's seven members
    (Drammen and Færder among them), not the 14 of 2004."""
    arenas_demo.load(secretariat)
    demo.load(secretariat)
    review = ReviewRound.objects.get()
    facts = round_facts(review, secretariat)
    inherited = [f for f in facts if f.participants_inherited_from is not None]
    assert inherited
    participants = inherited[0].participants
    assert len(participants) == 14, participants
    assert "Drammen" not in participants
    assert "Færder" not in participants
    assert "Nøtterøy" in participants
