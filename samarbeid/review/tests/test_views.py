from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members
from samarbeid.review.models import (
    ComparisonParticipant,
    CooperationProposal,
    ModelComparison,
    ReviewItem,
    ReviewRound,
    Score,
)
from samarbeid.review.services import costs
from samarbeid.review.services.comparisons import (
    add_participant,
    create_comparison,
    set_score,
)
from samarbeid.review.services.proposals import create_proposal, mark_ready
from samarbeid.review.services.rounds import update_item
from samarbeid.review.tests.api_helpers import new_comparison, new_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def ks() -> Arena:
    arena: Arena = arena_with_members(
        ["3901", "3909"], name="KS Vestfold", short_name="KS-V", kind=Arena.Kind.KS_BODY
    )
    return arena


def _review(ks: Arena, actor: Any, children: int = 2) -> ReviewRound:
    for n in range(children):
        ArenaFactory(name=f"Forum {n}", short_name=f"F{n}-{ks.pk}", parent=ks)
    return new_round(ks, actor, published=True)


def test_index_lists_rounds_and_due_reviews(client: Client, ks: Arena, secretariat: Any) -> None:
    _review(ks, secretariat)
    ArenaFactory(name="Forfalt arena", next_review=date(2020, 1, 1))
    page = client.get(reverse("review:index")).content.decode()
    assert "Rydding" in page
    assert "Forfalt arena" in page
    assert "forfalt" in page


def test_round_detail_query_count_is_stable(
    client: Client, ks: Arena, secretariat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Yearly cost comes from finance's arena_costs, one call per arena by its interface;
    # everything the review computes itself runs a fixed number of queries.
    monkeypatch.setattr(costs, "arena_costs", lambda *_a: [])
    small = _review(ks, secretariat, children=1)
    other = arena_with_members(["3901"], short_name="OTHER")
    big = _review(other, secretariat, children=6)
    with CaptureQueriesContext(connection) as first:
        assert client.get(small.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(big.get_absolute_url()).status_code == 200
    assert len(first) == len(second)


def test_round_create_page(client: Client, ks: Arena, secretariat: Any) -> None:
    login(client, secretariat)
    url = reverse("review:round_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"title": "R", "arena": ks.pk, "primary_task": "", "opened": "2025-01-01"},
    )
    assert response.status_code == 200
    assert not ReviewRound.objects.exists()
    response = client.post(
        url,
        {
            "title": "R",
            "arena": ks.pk,
            "primary_task": "Arbeidsgiverrollen",
            "opened": "2025-01-01",
            "include_children": "on",
            "published": "on",
        },
    )
    assert response.status_code == 302


def test_round_create_refused_for_coordinator_and_anonymous(
    client: Client, coordinator: Any
) -> None:
    url = reverse("review:round_create")
    assert client.get(url).status_code == 302
    login(client, coordinator)
    assert client.get(url).status_code == 403


def test_item_edit_transfer_without_target_shows_error(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = _review(ks, secretariat)
    item = review.items.first()
    assert item is not None
    login(client, secretariat)
    url = reverse("review:item_edit", args=[item.pk])
    response = client.post(
        url, {"recommendation": "transfer", "reason": "Passer ikke", "version": item.version}
    )
    assert response.status_code == 200
    assert "Velg arenaen som skal overta" in response.content.decode()
    item.refresh_from_db()
    assert item.recommendation == ""
    target: Arena = ArenaFactory.create(short_name="n-k")
    response = client.post(
        url,
        {
            "recommendation": "transfer",
            "target_arena": target.pk,
            "reason": "Passer ikke",
            "serves_primary_task": "no",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.target_arena == target


def test_item_edit_outsider(client: Client, ks: Arena, secretariat: Any, coordinator: Any) -> None:
    review = _review(ks, secretariat)
    item = review.items.first()
    assert item is not None
    login(client, coordinator)
    assert client.get(reverse("review:item_edit", args=[item.pk])).status_code == 403


def test_unpublished_round_is_404_for_public(client: Client, ks: Arena, secretariat: Any) -> None:
    review = _review(ks, secretariat)
    ReviewRound.objects.filter(pk=review.pk).update(published=False)
    assert client.get(review.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/reviews/{review.pk}").status_code == 404


def test_confirm_and_apply_pages(client: Client, ks: Arena, secretariat: Any) -> None:
    review = _review(ks, secretariat)
    login(client, secretariat)
    confirm = reverse("review:round_confirm", args=[review.pk])
    response = client.post(confirm, {"meeting_date": "2025-02-01"})
    assert response.status_code == 200
    assert "mangler anbefaling" in response.content.decode()
    for item in review.items.all():
        update_item(
            item,
            {"recommendation": "close", "reason": "Utenfor"},
            expected_version=None,
            actor=secretariat,
        )
    assert client.post(confirm, {"meeting_date": "2025-02-01"}).status_code == 302
    apply = reverse("review:round_apply", args=[review.pk])
    assert client.post(apply).status_code == 302
    assert Arena.objects.filter(parent=ks, status="closed").count() == 2
    response = client.post(apply, follow=True)
    assert "to ganger" in response.content.decode()


def test_overlap_page_shows_reason_and_load(client: Client) -> None:
    arena_with_members(["3901", "3909"], short_name="A", purpose="Tariff og lønn for kommunene")
    arena_with_members(["3901", "3909"], short_name="B", purpose="Lønn og tariff")
    page = client.get(reverse("review:overlap")).content.decode()
    assert "Samme 2 medlemmer" in page
    assert "Horten" in page
    assert "Larvik" in page


def test_overlap_api(client: Client) -> None:
    arena_with_members(["3901", "3909"], short_name="A", purpose="Tariff og lønn")
    arena_with_members(["3901", "3909"], short_name="B", purpose="Lønn og tariff")
    data = client.get("/api/v1/overlaps").json()
    assert data["count"] == 1
    assert data["items"][0]["member_relation"] == "identical"
    assert client.get("/api/v1/overlaps?min_score=3").status_code == 422


# --- proposals ---


def test_proposal_create_and_ready_refused_with_open_criteria(
    client: Client, secretariat: Any
) -> None:
    login(client, secretariat)
    response = client.post(reverse("review:proposal_create"), {"title": "Innkjøp", "need": ""})
    assert response.status_code == 200
    assert not CooperationProposal.objects.exists()
    response = client.post(
        reverse("review:proposal_create"),
        {"title": "Innkjøp", "need": "Lavere kostnader", "needs": ["produce_services"]},
    )
    assert response.status_code == 302
    proposal = CooperationProposal.objects.get()
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "Vite hvorfor" in detail
    assert "8 kriterier er åpne" in detail
    ready = reverse("review:proposal_ready", args=[proposal.pk])
    response = client.post(ready, {"override_reason": ""})
    assert response.status_code == 200
    assert "åpne kriterier" in response.content.decode()
    assert client.post(ready, {"override_reason": "Hastesak"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "ready"


def test_criterion_edit_page(client: Client, secretariat: Any, coordinator: Any) -> None:
    proposal = create_proposal(CooperationProposal(title="X", need="Y"), actor=secretariat)
    criterion = proposal.criteria.first()
    assert criterion is not None
    url = reverse("review:criterion_edit", args=[criterion.pk])
    login(client, coordinator)
    assert client.get(url).status_code == 403
    login(client, secretariat)
    response = client.post(url, {"state": "met", "evidence": "", "version": criterion.version})
    assert response.status_code == 200
    assert "dokumentasjon" in response.content.decode()
    response = client.post(
        url, {"state": "met", "evidence": "Behovsanalyse 2009", "version": criterion.version}
    )
    assert response.status_code == 302


def test_proposal_api(client: Client, secretariat: Any) -> None:
    proposal = create_proposal(CooperationProposal(title="X", need="Y"), actor=secretariat)
    data = client.get("/api/v1/proposals").json()
    assert data["count"] == 1
    assert len(data["items"][0]["criteria"]) == 8
    assert client.get(f"/api/v1/proposals/{proposal.pk}").json()["status"] == "draft"
    assert client.get("/api/v1/proposals/99999").status_code == 404
    assert client.get("/api/v1/proposals?status=nonsense").status_code == 422


# --- advisor ---


def test_advisor_page_rules_out_forms_with_reason(client: Client) -> None:
    page = client.get(
        reverse("review:advisor"), {"needs": ["individual_decisions"]}
    ).content.decode()
    assert page.count("Utelukket") == 7  # all but the two host forms
    assert "kan ikke treffe enkeltvedtak" in page
    assert "opphevet av Stortinget 05.04.2016" in page
    response = client.get(reverse("review:advisor"), {"needs": ["political_forum_only"]})
    assert "rent politisk samarbeid skal organiseres som interkommunalt politisk råd" in (
        response.content.decode()
    )


def test_advisor_page_unknown_need_is_a_form_error(client: Client) -> None:
    response = client.get(reverse("review:advisor"), {"needs": ["fly"]})
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode() or "Select a valid" in (
        response.content.decode()
    )


# --- comparisons ---


@pytest.fixture
def comparison(secretariat: Any) -> ModelComparison:
    comparison, parts = new_comparison(
        secretariat,
        title="Innherred",
        alternatives=["IKS"],
        criteria=[("Økonomi", 60)],
        participants=["Verdal"],
    )
    [a], [c], [p] = parts.alternatives, parts.criteria, parts.participants
    set_score(a, c, p, 7, actor=secretariat)
    return comparison


def test_comparison_detail_and_api(client: Client, comparison: ModelComparison) -> None:
    page = client.get(comparison.get_absolute_url()).content.decode()
    assert "IKS" in page
    assert "Økonomi" in page
    assert "Følsomhet" in page
    data = client.get(f"/api/v1/comparisons/{comparison.pk}").json()
    assert data["ranking"][0]["total"] == "7.00"
    assert data["robust"] is True
    assert client.get("/api/v1/comparisons").json()["count"] == 1
    assert client.get("/api/v1/comparisons/99999").status_code == 404


def test_weight_page_refuses_out_of_range(
    client: Client, comparison: ModelComparison, secretariat: Any
) -> None:
    criterion = comparison.criteria.get()
    login(client, secretariat)
    url = reverse("review:weight_edit", args=[criterion.pk])
    response = client.post(url, {"weight": "101", "version": criterion.version})
    assert response.status_code == 200
    assert "0 til 100" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.weight == 60
    assert client.post(url, {"weight": "30", "version": criterion.version}).status_code == 302


def test_criterion_create_page_refuses_weight(
    client: Client, comparison: ModelComparison, secretariat: Any
) -> None:
    login(client, secretariat)
    url = reverse("review:criterion_create", args=[comparison.pk])
    response = client.post(url, {"name": "Fagmiljø", "weight": "150"})
    assert response.status_code == 200
    assert not comparison.criteria.filter(name="Fagmiljø").exists()


def test_scores_page(
    client: Client, comparison: ModelComparison, secretariat: Any, coordinator: Any
) -> None:
    url = reverse("review:scores_edit", args=[comparison.pk])
    login(client, coordinator)
    assert client.get(url).status_code == 403
    login(client, secretariat)
    participant = comparison.participants.get()
    alternative = comparison.alternatives.get()
    criterion = comparison.criteria.get()
    field = f"s_{alternative.pk}_{criterion.pk}"
    response = client.post(url, {"participant": participant.pk, field: "11"})
    assert response.status_code == 200
    assert "0 til 10" in response.content.decode()
    other = create_comparison(ModelComparison(title="Annen"), actor=secretariat)
    stranger = add_participant(
        ComparisonParticipant(comparison=other, name="Steinkjer"), actor=secretariat
    )
    response = client.post(url, {"participant": stranger.pk, field: "5"})
    assert response.status_code == 200
    assert client.post(url, {"participant": participant.pk, field: "4"}).status_code == 302
    assert Score.objects.get(participant=participant).value == 4


def test_alternative_create_page(
    client: Client, comparison: ModelComparison, secretariat: Any
) -> None:
    login(client, secretariat)
    url = reverse("review:alternative_create", args=[comparison.pk])
    response = client.post(url, {"name": "Vertskommune", "kind": "legal_form", "form": ""})
    assert response.status_code == 200
    assert "Velg organisasjonsformen" in response.content.decode()
    response = client.post(
        url, {"name": "Tilbake til start", "kind": "back_to_start", "pros": "Enkelt\nBillig"}
    )
    assert response.status_code == 302


# --- exit analysis and reviews API ---


def test_exit_analysis_page(client: Client, ks: Arena) -> None:
    membership = ks.memberships.get(municipality__number="3909")
    page = client.get(reverse("review:exit_analysis", args=[membership.pk])).content.decode()
    assert "Larvik" in page
    assert "Oppsigelsesfrist" in page
    assert "ukjent" in page
    Arena.objects.filter(pk=ks.pk).update(published=False)
    assert client.get(reverse("review:exit_analysis", args=[membership.pk])).status_code == 404


def test_reviews_api(client: Client, ks: Arena, secretariat: Any) -> None:
    review = _review(ks, secretariat)
    data = client.get("/api/v1/reviews").json()
    assert data["count"] == 1
    detail = client.get(f"/api/v1/reviews/{review.pk}").json()
    assert len(detail["items"]) == 2
    assert detail["items"][0]["participants_inherited_from"] == ks.pk
    assert detail["items"][0]["recommendation"] == ""
    assert client.get("/api/v1/reviews/99999").status_code == 404
    assert ReviewItem.objects.count() == 2


def test_exit_index_lists_current_members(client: Client, ks: Arena) -> None:
    page = client.get(reverse("review:exit_index"), {"arena": ks.pk}).content.decode()
    membership = ks.memberships.get(municipality__number="3909")
    assert reverse("review:exit_analysis", args=[membership.pk]) in page
    assert client.get(reverse("review:exit_index"), {"arena": "x"}).status_code == 200


def test_proposal_reopen(client: Client, secretariat: Any, coordinator: Any) -> None:
    proposal = create_proposal(CooperationProposal(title="X", need="Y"), actor=secretariat)
    url = reverse("review:proposal_reopen", args=[proposal.pk])
    login(client, secretariat)
    response = client.post(url, follow=True)
    assert "Bare forslag som er klare" in response.content.decode()
    mark_ready(proposal, override_reason="Frist", actor=secretariat)
    login(client, coordinator)
    assert client.post(url).status_code == 403
    login(client, secretariat)
    assert client.post(url).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "draft"
    assert proposal.override_reason == ""


@pytest.mark.parametrize(
    "url", ["/api/v1/proposals", "/gjennomgang/forslag/", "/gjennomgang/overlapp/"]
)
def test_lists_run_a_fixed_number_of_queries(client: Client, secretariat: Any, url: str) -> None:
    def add(n: int) -> None:
        for i in range(n):
            create_proposal(
                CooperationProposal(title=f"Forslag {i}-{n}", need="Behov"), actor=secretariat
            )
            arena_with_members(["3901", "3909"], purpose=f"Tariff og lønn {i}")

    add(1)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    add(4)
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(first) == len(second)


def test_comparisons_and_reviews_api_query_count(client: Client, secretariat: Any) -> None:
    create_comparison(ModelComparison(title="A"), actor=secretariat)
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/comparisons")
        client.get("/api/v1/reviews")
    for i in range(3):
        create_comparison(ModelComparison(title=f"B{i}"), actor=secretariat)
    with CaptureQueriesContext(connection) as second:
        client.get("/api/v1/comparisons")
        client.get("/api/v1/reviews")
    assert len(first) == len(second)


def test_item_add_page(client: Client, ks: Arena, secretariat: Any, coordinator: Any) -> None:
    review = _review(ks, secretariat)
    extra: Arena = ArenaFactory.create(name="Miljøforum", short_name="MILJO")
    url = reverse("review:item_add", args=[review.pk])
    login(client, coordinator)
    assert client.get(url).status_code == 403
    login(client, secretariat)
    response = client.post(url, {})
    assert response.status_code == 200
    assert "enten en arena eller et prosjekt" in (response.content.decode())
    assert client.post(url, {"arena": extra.pk}).status_code == 302
    response = client.post(url, {"arena": extra.pk})
    assert response.status_code == 200
    assert "allerede med" in response.content.decode()
    assert review.items.filter(arena=extra).count() == 1


def test_item_add_names_the_item_added(client: Client, ks: Arena, secretariat: Any) -> None:
    """A clerk adding several items in a row reads which one went in each time."""
    review = _review(ks, secretariat)
    extra: Arena = ArenaFactory.create(name="Miljøforum Vestfold", short_name="MILJO")
    login(client, secretariat)
    url = reverse("review:item_add", args=[review.pk])
    page = client.post(url, {"arena": extra.pk}, follow=True).content.decode()
    assert "Lagt til i gjennomgangen: Miljøforum Vestfold." in page
    english = client.post(
        reverse("review:item_add", args=[review.pk]) + "?lang=en",
        {"arena": ArenaFactory.create(name="Klimanettverket", short_name="KLIMA").pk},
        follow=True,
    ).content.decode()
    assert "Added to the review: Klimanettverket." in english
