"""The review API as the twin of the review pages (issue 18 point 2): its writes fill the
pages' forms (so they check and clean input as the pages do), every list has a read
endpoint, and the outputs name their enums in the OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import api_call, login
from samarbeid.arenas.models import Arena
from samarbeid.review.models import (
    CooperationProposal,
    ModelComparison,
    ReviewItem,
    ReviewRound,
)
from samarbeid.review.services.comparisons import (
    create_comparison,
    set_score,
)
from samarbeid.review.tests.api_helpers import (
    assert_problem,
    new_comparison,
    new_proposal,
    new_round,
    post_review,
)

pytestmark = pytest.mark.django_db


def _comparison(ks: Arena, actor: Any, *, alternatives: int = 2) -> ModelComparison:
    comparison, _parts = new_comparison(
        actor,
        arena=ks,
        alternatives=[f"Alternativ {n}" for n in range(alternatives)],
        criteria=[("Økonomi", 60)],
        participants=["Rådmenn"],
    )
    return comparison


# --- writes check and clean as the pages do (each failed before: the API kept the spaces) ---


def test_the_api_cleans_a_proposal_as_the_page_does(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    payload = {"title": "  Felles innkjøp  ", "need": " Bedre avtaler\n", "arena": ks.pk}
    response = api_call(client, "POST", "/api/v1/proposals", payload, secretariat)
    assert response.status_code == 201, response.content
    by_api = CooperationProposal.objects.get(pk=response.json()["id"])
    login(client, secretariat)
    page = client.post(
        reverse("review:proposal_create"),
        {"title": "  Felles innkjøp  ", "need": " Bedre avtaler\n", "arena": ks.pk},
    )
    assert page.status_code == 302
    by_page = CooperationProposal.objects.exclude(pk=by_api.pk).get()
    assert (by_api.title, by_api.need) == (by_page.title, by_page.need)
    assert (by_api.title, by_api.need) == ("Felles innkjøp", "Bedre avtaler")
    assert response.json()["title"] == "Felles innkjøp"


def test_the_api_cleans_a_review_round_and_its_items_as_the_page_does(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    response = post_review(
        client,
        secretariat,
        {"title": " Rydding 2025 ", "arena": ks.pk, "primary_task": " Arbeidsgiverrollen "},
    )
    assert response.status_code == 201, response.content
    review = ReviewRound.objects.get(pk=response.json()["id"])
    assert (review.title, review.primary_task) == ("Rydding 2025", "Arbeidsgiverrollen")
    item = review.items.get()
    patched = api_call(
        client,
        "PATCH",
        f"/api/v1/review-items/{item.pk}",
        {"version": item.version, "recommendation": "close", "reason": "  Utenfor  "},
        secretariat,
    )
    assert patched.status_code == 200, patched.content
    item.refresh_from_db()
    assert item.reason == "Utenfor"


def test_the_api_cleans_a_criterion_and_comparison_parts_as_the_pages_do(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    proposal = new_proposal(ks, secretariat)
    criterion = proposal.criteria.first()
    assert criterion is not None
    response = api_call(
        client,
        "PATCH",
        f"/api/v1/proposal-criteria/{criterion.pk}",
        {"version": criterion.version, "state": "met", "evidence": "  Styrevedtak 12/25 "},
        secretariat,
    )
    assert response.status_code == 200, response.content
    criterion.refresh_from_db()
    assert criterion.evidence == "Styrevedtak 12/25"
    comparison = create_comparison(ModelComparison(title="Modeller", arena=ks), actor=secretariat)
    url = f"/api/v1/comparisons/{comparison.pk}"
    assert (
        api_call(client, "POST", f"{url}/alternatives", {"name": " IKS "}, secretariat).json()[
            "name"
        ]
        == "IKS"
    )
    assert (
        api_call(
            client, "POST", f"{url}/criteria", {"name": " Økonomi ", "weight": 50}, secretariat
        ).json()["name"]
        == "Økonomi"
    )
    assert (
        api_call(client, "POST", f"{url}/participants", {"name": " Rådmenn "}, secretariat).json()[
            "name"
        ]
        == "Rådmenn"
    )
    assert set(comparison.alternatives.values_list("name", flat=True)) == {"IKS"}


def test_a_transfer_without_target_is_an_error_on_its_field_on_the_page_as_in_the_api(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    """Failed before: the page's form met the database's constraint first, which names no
    field, so the page showed the error above the form while the API named target_arena."""
    item = new_round(ks, secretariat, published=True).items.get()
    login(client, secretariat)
    page = client.post(
        reverse("review:item_edit", args=[item.pk]),
        {"recommendation": "transfer", "reason": "Passer ikke", "version": item.version},
    )
    assert page.status_code == 200
    assert "target_arena" in page.context["form"].errors
    api = api_call(
        client,
        "PATCH",
        f"/api/v1/review-items/{item.pk}",
        {"version": item.version, "recommendation": "transfer", "reason": "Passer ikke"},
        secretariat,
    )
    assert_problem(api, 422, "target_arena")
    item.refresh_from_db()
    assert item.recommendation == ""


def test_a_write_names_the_form_field_refuses_outsiders_and_stale_versions(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any
) -> None:
    proposal = new_proposal(ks, secretariat)
    url = f"/api/v1/proposals/{proposal.pk}"
    assert_problem(
        api_call(client, "PATCH", url, {"version": 1, "arena": 987654}, secretariat), 422, "arena"
    )
    assert_problem(
        api_call(client, "PATCH", url, {"version": 1, "title": "Annet"}, coordinator), 403
    )
    assert_problem(
        api_call(client, "PATCH", "/api/v1/proposals/987654", {"version": 1}, secretariat), 404
    )
    assert (
        api_call(client, "PATCH", url, {"version": 1, "title": "Annet"}, secretariat).status_code
        == 200
    )
    assert_problem(
        api_call(client, "PATCH", url, {"version": 1, "title": "Tredje"}, secretariat), 409
    )
    proposal.refresh_from_db()
    assert proposal.title == "Annet"


def test_an_unpublished_proposal_is_not_found_by_an_outsider(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any
) -> None:
    hidden = new_proposal(ks, secretariat, published=False)
    criterion = hidden.criteria.first()
    assert criterion is not None
    body = {"version": criterion.version, "state": "met", "evidence": "x"}
    assert_problem(
        api_call(client, "PATCH", f"/api/v1/proposal-criteria/{criterion.pk}", body, None), 401
    )
    assert client.get(f"/api/v1/proposal-criteria/{criterion.pk}").status_code == 404
    assert client.get(f"/api/v1/proposals/{hidden.pk}/criteria").status_code == 404


def test_weight_patch_refuses_what_the_page_refuses(
    client: Client, ks: Arena, secretariat: Any, reader: Any
) -> None:
    comparison = _comparison(ks, secretariat)
    criterion = comparison.criteria.get()
    url = f"/api/v1/comparison-criteria/{criterion.pk}"
    assert_problem(
        api_call(client, "PATCH", url, {"version": 1, "weight": 101}, secretariat), 422, "weight"
    )
    assert_problem(api_call(client, "PATCH", url, {"version": 1, "weight": 10}, reader), 403)
    assert_problem(
        api_call(
            client,
            "PATCH",
            "/api/v1/comparison-criteria/987654",
            {"version": 1, "weight": 1},
            secretariat,
        ),
        404,
    )
    assert (
        api_call(client, "PATCH", url, {"version": 1, "weight": 10}, secretariat).status_code == 200
    )
    assert_problem(api_call(client, "PATCH", url, {"version": 1, "weight": 20}, secretariat), 409)
    criterion.refresh_from_db()
    assert criterion.weight == 10


# --- every list has a read endpoint ---


def test_a_rounds_items_read_as_in_the_round(client: Client, ks: Arena, secretariat: Any) -> None:
    review = new_round(ks, secretariat, published=True)
    item = review.items.get()
    items = client.get(f"/api/v1/reviews/{review.pk}/items")
    assert items.status_code == 200
    assert items.json() == client.get(f"/api/v1/reviews/{review.pk}").json()["items"]
    one = client.get(f"/api/v1/review-items/{item.pk}")
    assert one.status_code == 200
    assert one.json() == items.json()[0]
    assert one.json()["recommendation"] == ReviewItem.Recommendation.NONE
    assert client.get("/api/v1/reviews/987654/items").status_code == 404
    assert client.get("/api/v1/review-items/987654").status_code == 404


def test_an_unpublished_rounds_items_are_not_found_by_the_public(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = new_round(ks, secretariat)
    item = review.items.get()
    assert client.get(f"/api/v1/reviews/{review.pk}/items").status_code == 404
    assert client.get(f"/api/v1/review-items/{item.pk}").status_code == 404
    assert (
        api_call(client, "GET", f"/api/v1/review-items/{item.pk}", None, secretariat).status_code
        == 200
    )


def test_a_proposals_criteria_read_one_by_one_and_all(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    proposal = new_proposal(ks, secretariat)
    criteria = client.get(f"/api/v1/proposals/{proposal.pk}/criteria")
    assert criteria.status_code == 200
    assert criteria.json() == client.get(f"/api/v1/proposals/{proposal.pk}").json()["criteria"]
    assert len(criteria.json()) == 8
    first = criteria.json()[0]
    assert client.get(f"/api/v1/proposal-criteria/{first['id']}").json() == first
    assert client.get("/api/v1/proposals/987654/criteria").status_code == 404


def test_a_comparisons_parts_read_as_in_the_comparison(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    comparison = _comparison(ks, secretariat)
    participant = comparison.participants.get()
    criterion = comparison.criteria.get()
    for alternative in comparison.alternatives.all():
        set_score(alternative, criterion, participant, 7, actor=secretariat)
    url = f"/api/v1/comparisons/{comparison.pk}"
    detail = client.get(url).json()
    assert client.get(f"{url}/alternatives").json() == detail["alternatives"]
    assert client.get(f"{url}/criteria").json() == detail["criteria"]
    assert client.get(f"{url}/participants").json() == detail["participant_records"]
    assert client.get(f"{url}/scores").json() == detail["scores"]
    assert len(detail["scores"]) == 2
    one = client.get(f"/api/v1/comparison-criteria/{criterion.pk}")
    assert one.json() == detail["criteria"][0]
    for part in ("alternatives", "criteria", "participants", "scores"):
        assert client.get(f"/api/v1/comparisons/987654/{part}").status_code == 404
    assert client.get("/api/v1/comparison-criteria/987654").status_code == 404


def test_a_comparisons_alternatives_read_in_a_fixed_number_of_queries(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    small = _comparison(ks, secretariat, alternatives=1)
    big = _comparison(ks, secretariat, alternatives=6)
    counts = []
    for comparison in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(f"/api/v1/comparisons/{comparison.pk}/alternatives").status_code == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the outputs name their enums ---


def test_the_openapi_document_names_the_reviews_enums(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    for name in (
        "ReviewItemRecommendation",
        "ReviewItemServes",
        "CooperationProposalStatus",
        "ProposalCriterionState",
        "AlternativeKind",
    ):
        assert name in schemas, name
    item = json.dumps(schemas["ReviewItemOut"]["properties"]["recommendation"])
    assert "ReviewItemRecommendation" in item
    proposal = json.dumps(schemas["ProposalOut"]["properties"]["status"])
    assert "CooperationProposalStatus" in proposal


# --- the advisor's list ---


def test_the_advisor_reads_as_the_page_advises(client: Client) -> None:
    response = client.get("/api/v1/legal-form-advice?needs=produce_services&needs=own_legal_entity")
    assert response.status_code == 200, response.content
    advice = {a["form"]: a for a in response.json()}
    page = client.get(
        reverse("review:advisor"), {"needs": ["produce_services", "own_legal_entity"]}
    )
    shown = {a.form.code: a for a in page.context["advice"]}
    assert set(advice) == set(shown)
    for code, a in advice.items():
        assert a["suitable"] == shown[code].suitable
        assert a["reasons"] == shown[code].reasons
    assert advice["iks"]["suitable"] is True
    assert advice["ipr"]["suitable"] is False
    assert advice["ipr"]["reasons"]
    everything = client.get("/api/v1/legal-form-advice")
    assert everything.status_code == 200
    assert client.get("/api/v1/legal-form-advice?needs=fly").status_code == 422
