"""The review's write API: rounds and their items, proposals and their criteria, model
comparisons. Token auth, problem+json errors, versions, audit entries on the API channel."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from conftest import api_call
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, arena_with_members
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import history
from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ComparisonParticipant,
    CooperationProposal,
    ModelComparison,
    ProposalCriterion,
    ReviewItem,
    ReviewRound,
    Score,
)
from samarbeid.review.services.comparisons import (
    add_participant,
    create_comparison,
)
from samarbeid.review.services.proposals import create_proposal
from samarbeid.review.services.rounds import update_item
from samarbeid.review.tests.api_helpers import (
    assert_problem,
    new_comparison,
    new_proposal,
    new_round,
    post_review,
)

pytestmark = pytest.mark.django_db


def api_entry(obj: Model, action: str) -> AuditEntry:
    entry: AuditEntry = history(obj).filter(action=action).latest("pk")
    assert entry.channel == Channel.API
    return entry


def _recommend_all(review: ReviewRound, actor: Any, rec: str = "continue") -> None:
    for item in review.items.all():
        update_item(
            item,
            {"recommendation": rec, "reason": "Utenfor primæroppgaven"},
            expected_version=item.version,
            actor=actor,
        )


# --- review rounds ---


def test_post_review_creates_round_with_items_and_api_audit(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    response = post_review(
        client,
        secretariat,
        {"title": "Rydding", "arena": ks.pk, "primary_task": "Arbeidsgiverrollen"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    review = ReviewRound.objects.get(pk=body["id"])
    assert review.opened == timezone.localdate()
    assert review.arena == ks
    assert [i["name"] for i in body["items"]] == ["Forum A"]
    assert body["version"] == 1
    assert body["items"][0]["version"] == 1
    assert api_entry(review, AuditEntry.Action.CREATE).actor == secretariat
    api_entry(review.items.get(), AuditEntry.Action.CREATE)


def test_post_review_invalid_is_422_and_saves_nothing(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    blank = post_review(client, secretariat, {"title": "R", "arena": ks.pk, "primary_task": "  "})
    assert_problem(blank, 422, "primary_task")
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    ahead = post_review(
        client, secretariat, {"title": "R", "arena": ks.pk, "primary_task": "P", "opened": future}
    )
    assert_problem(ahead, 422, "opened")
    unknown = post_review(client, secretariat, {"title": "R", "arena": 987654, "primary_task": "P"})
    assert_problem(unknown, 422, "arena")
    assert not ReviewRound.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "reader"])
def test_only_the_secretariat_starts_a_review(
    client: Client, ks: Arena, persona: str, request: Any
) -> None:
    user = request.getfixturevalue(persona)
    response = post_review(client, user, {"title": "R", "arena": ks.pk, "primary_task": "P"})
    assert_problem(response, 403)
    assert not ReviewRound.objects.exists()
    assert not AuditEntry.objects.exists()


def test_anonymous_write_is_401(client: Client, ks: Arena) -> None:
    response = post_review(client, None, {"title": "R", "arena": ks.pk, "primary_task": "P"})
    assert_problem(response, 401)


def test_post_item_adds_arena_refuses_duplicate_and_bad_choice(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = new_round(ks, secretariat)
    other = ArenaFactory(name="Annen", short_name="ANNEN")
    url = f"/api/v1/reviews/{review.pk}/items"
    response = api_call(client, "POST", url, {"arena": other.pk}, secretariat)
    assert response.status_code == 201, response.content
    item = ReviewItem.objects.get(pk=response.json()["id"])
    assert item.round == review
    assert item.arena == other
    api_entry(item, AuditEntry.Action.CREATE)
    assert_problem(api_call(client, "POST", url, {"arena": other.pk}, secretariat), 422)
    assert_problem(api_call(client, "POST", url, {}, secretariat), 422)
    assert_problem(api_call(client, "POST", url, {"project": 987654}, secretariat), 422, "project")
    assert review.items.count() == 2
    missing = api_call(client, "POST", "/api/v1/reviews/987654/items", {"arena": 1}, secretariat)
    assert_problem(missing, 404)


def test_patch_item_records_recommendation_with_version(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any
) -> None:
    review = new_round(ks, secretariat)
    item = review.items.get()
    target = ArenaFactory(name="VUF", short_name="VUF")
    url = f"/api/v1/review-items/{item.pk}"
    forbidden = api_call(
        client, "PATCH", url, {"version": 1, "recommendation": "close"}, coordinator
    )
    assert_problem(forbidden, 403)
    no_target = api_call(
        client,
        "PATCH",
        url,
        {"version": 1, "recommendation": "transfer", "reason": "Passer bedre der"},
        secretariat,
    )
    assert_problem(no_target, 422, "target_arena")
    response = api_call(
        client,
        "PATCH",
        url,
        {
            "version": 1,
            "recommendation": "transfer",
            "target_arena": target.pk,
            "reason": "Passer bedre der",
            "serves_primary_task": "no",
        },
        secretariat,
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["target_arena"] == target.pk
    item.refresh_from_db()
    assert (item.recommendation, item.target_arena, item.serves_primary_task) == (
        "transfer",
        target,
        "no",
    )
    entry = api_entry(item, AuditEntry.Action.UPDATE)
    assert "recommendation" in entry.changes
    stale = api_call(client, "PATCH", url, {"version": 1, "reason": "Annet"}, secretariat)
    body = assert_problem(stale, 409)
    assert body["current_version"] == 2
    item.refresh_from_db()
    assert item.reason == "Passer bedre der"
    null = api_call(client, "PATCH", url, {"version": 2, "reason": None}, secretariat)
    assert_problem(null, 422, "reason")


def test_confirm_and_apply_through_the_api(client: Client, ks: Arena, secretariat: Any) -> None:
    review = new_round(ks, secretariat)
    confirm_url = f"/api/v1/reviews/{review.pk}/confirm"
    missing = api_call(client, "POST", confirm_url, {"meeting_date": "2025-02-01"}, secretariat)
    assert_problem(missing, 422)
    _recommend_all(review, secretariat, "close")
    stale = api_call(
        client,
        "POST",
        confirm_url,
        {"meeting_date": "2025-02-01", "version": review.version + 5},
        secretariat,
    )
    assert_problem(stale, 409)
    review.refresh_from_db()
    assert review.decision is None
    assert review.case is None
    response = api_call(
        client,
        "POST",
        confirm_url,
        {"meeting_date": "2025-02-01", "case_number": "7/25", "version": review.version},
        secretariat,
    )
    assert response.status_code == 200, response.content
    review.refresh_from_db()
    assert review.decision is not None
    assert review.decision.case_number == "7/25"
    assert response.json()["decision"] == review.decision.pk
    api_entry(review.decision, AuditEntry.Action.CREATE)
    again = api_call(client, "POST", confirm_url, {"meeting_date": "2025-02-01"}, secretariat)
    assert_problem(again, 422)

    apply_url = f"/api/v1/reviews/{review.pk}/apply"
    response = api_call(client, "POST", apply_url, {"version": review.version}, secretariat)
    assert response.status_code == 200, response.content
    assert response.json()["applied_on"] == "2025-02-01"
    forum = review.items.get().arena
    assert forum is not None
    forum.refresh_from_db()
    assert forum.status == Arena.Status.CLOSED
    api_entry(review, AuditEntry.Action.UPDATE)
    twice = api_call(client, "POST", apply_url, {}, secretariat)
    assert_problem(twice, 422)


# --- proposals ---


def test_post_proposal_creates_a_draft_with_eight_open_criteria(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    response = api_call(
        client,
        "POST",
        "/api/v1/proposals",
        {
            "title": "Felles innkjøp",
            "need": "Bedre avtaler",
            "arena": ks.pk,
            "proposed_form": "ko",
            "needs": ["produce_services", "produce_services"],
        },
        secretariat,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    proposal = CooperationProposal.objects.get(pk=body["id"])
    assert proposal.status == "draft"
    assert proposal.needs == ["produce_services"]
    assert proposal.proposed_form == "ko"
    assert len(body["criteria"]) == 8
    assert {c["state"] for c in body["criteria"]} == {"open"}
    api_entry(proposal, AuditEntry.Action.CREATE)


def test_post_proposal_invalid_is_422(client: Client, ks: Arena, secretariat: Any) -> None:
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = api_call(
        client,
        "POST",
        "/api/v1/proposals",
        {"title": "T", "need": "N", "partners_asked": "Horten", "partners_asked_on": future},
        secretariat,
    )
    assert_problem(response, 422, "partners_asked_on")
    unknown_need = api_call(
        client,
        "POST",
        "/api/v1/proposals",
        {"title": "T", "need": "N", "needs": ["x"]},
        secretariat,
    )
    assert_problem(unknown_need, 422)
    assert not CooperationProposal.objects.exists()


def test_patch_proposal_version_and_permission(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any
) -> None:
    proposal = new_proposal(ks, secretariat)
    url = f"/api/v1/proposals/{proposal.pk}"
    assert_problem(api_call(client, "PATCH", url, {"version": 1, "mandate": "M"}, coordinator), 403)
    response = api_call(client, "PATCH", url, {"version": 1, "mandate": "Mandat"}, secretariat)
    assert response.status_code == 200, response.content
    proposal.refresh_from_db()
    assert proposal.mandate == "Mandat"
    assert proposal.version == 2
    api_entry(proposal, AuditEntry.Action.UPDATE)
    assert_problem(api_call(client, "PATCH", url, {"version": 1, "mandate": "X"}, secretariat), 409)
    assert_problem(api_call(client, "PATCH", url, {"version": 2, "title": None}, secretariat), 422)
    proposal.refresh_from_db()
    assert proposal.mandate == "Mandat"


def test_ready_and_reopen(client: Client, ks: Arena, secretariat: Any) -> None:
    proposal = new_proposal(ks, secretariat)
    ready = f"/api/v1/proposals/{proposal.pk}/ready"
    assert_problem(
        api_call(client, "POST", ready, {"version": 1}, secretariat), 422, "override_reason"
    )
    stale = api_call(
        client, "POST", ready, {"override_reason": "Haster", "version": 9}, secretariat
    )
    assert_problem(stale, 409)
    response = api_call(
        client, "POST", ready, {"override_reason": "Haster", "version": 1}, secretariat
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ready"
    proposal.refresh_from_db()
    assert proposal.status == "ready"
    assert proposal.override_reason == "Haster"
    api_entry(proposal, AuditEntry.Action.UPDATE)
    reopen = f"/api/v1/proposals/{proposal.pk}/reopen"
    assert_problem(api_call(client, "POST", reopen, {"version": 1}, secretariat), 409)
    response = api_call(client, "POST", reopen, {"version": proposal.version}, secretariat)
    assert response.status_code == 200, response.content
    proposal.refresh_from_db()
    assert proposal.status == "draft"
    assert proposal.ready_on is None
    proposal.refresh_from_db()
    assert_problem(
        api_call(client, "POST", reopen, {"version": proposal.version}, secretariat), 422, "status"
    )


def test_patch_proposal_criterion(client: Client, ks: Arena, secretariat: Any) -> None:
    proposal = new_proposal(ks, secretariat)
    criterion = proposal.criteria.get(key="know_why")
    url = f"/api/v1/proposal-criteria/{criterion.pk}"
    no_evidence = api_call(client, "PATCH", url, {"version": 1, "state": "met"}, secretariat)
    assert_problem(no_evidence, 422, "evidence")
    response = api_call(
        client,
        "PATCH",
        url,
        {"version": 1, "state": "met", "evidence": "Utredning 2025"},
        secretariat,
    )
    assert response.status_code == 200, response.content
    criterion.refresh_from_db()
    assert criterion.state == ProposalCriterion.State.MET
    assert criterion.version == 2
    shown = next(c for c in response.json()["criteria"] if c["id"] == criterion.pk)
    assert shown["state"] == "met"
    assert shown["version"] == 2
    api_entry(criterion, AuditEntry.Action.UPDATE)
    assert_problem(
        api_call(client, "PATCH", url, {"version": 1, "state": "open"}, secretariat), 409
    )
    assert_problem(
        api_call(client, "PATCH", "/api/v1/proposal-criteria/987654", {"version": 1}, secretariat),
        404,
    )


# --- model comparison ---


def _comparison(ks: Arena, actor: Any) -> ModelComparison:
    return create_comparison(ModelComparison(title="Modeller", arena=ks), actor=actor)


def test_post_comparison_and_its_parts(client: Client, ks: Arena, secretariat: Any) -> None:
    response = api_call(
        client, "POST", "/api/v1/comparisons", {"title": "Modeller", "arena": ks.pk}, secretariat
    )
    assert response.status_code == 201, response.content
    comparison = ModelComparison.objects.get(pk=response.json()["id"])
    api_entry(comparison, AuditEntry.Action.CREATE)
    base = f"/api/v1/comparisons/{comparison.pk}"
    alt = api_call(
        client,
        "POST",
        f"{base}/alternatives",
        {"name": "Vertskommune", "kind": "legal_form", "form": "host_admin", "pros": "A\nB"},
        secretariat,
    )
    assert alt.status_code == 201, alt.content
    assert alt.json()["pros"] == ["A", "B"]
    api_entry(Alternative.objects.get(pk=alt.json()["id"]), AuditEntry.Action.CREATE)
    crit = api_call(
        client, "POST", f"{base}/criteria", {"name": "Økonomi", "weight": 40}, secretariat
    )
    assert crit.status_code == 201, crit.content
    assert ComparisonCriterion.objects.get(pk=crit.json()["id"]).weight == 40
    part = api_call(
        client,
        "POST",
        f"{base}/participants",
        {"name": "Larvik", "municipality": "3909"},
        secretariat,
    )
    assert part.status_code == 201, part.content
    participant = ComparisonParticipant.objects.get(pk=part.json()["id"])
    assert participant.municipality is not None
    assert participant.municipality.number == "3909"
    detail = client.get(base).json()
    assert detail["participant_records"][0]["id"] == participant.pk


def test_comparison_parts_refuse_invalid_input(client: Client, ks: Arena, secretariat: Any) -> None:
    proposal = create_proposal(
        CooperationProposal(
            title="Tjenester",
            need="N",
            arena=ks,
            needs=["produce_services", "individual_decisions"],
        ),
        actor=secretariat,
    )
    comparison = create_comparison(
        ModelComparison(title="Modeller", arena=ks, proposal=proposal), actor=secretariat
    )
    base = f"/api/v1/comparisons/{comparison.pk}"
    ruled_out = api_call(
        client,
        "POST",
        f"{base}/alternatives",
        {"name": "IPR", "kind": "legal_form", "form": "ipr"},
        secretariat,
    )
    assert_problem(ruled_out, 422, "form")
    heavy = api_call(client, "POST", f"{base}/criteria", {"name": "X", "weight": 101}, secretariat)
    assert_problem(heavy, 422, "weight")
    nowhere = api_call(
        client, "POST", f"{base}/participants", {"name": "X", "municipality": "9999"}, secretariat
    )
    assert_problem(nowhere, 422, "municipality")
    assert not comparison.alternatives.exists()
    assert not comparison.criteria.exists()
    assert not comparison.participants.exists()
    unknown_proposal = api_call(
        client, "POST", "/api/v1/comparisons", {"title": "T", "proposal": 987654}, secretariat
    )
    assert_problem(unknown_proposal, 422, "proposal")


@pytest.mark.parametrize("persona", ["coordinator", "other_coordinator", "reader"])
def test_only_the_secretariat_builds_a_comparison(
    client: Client, ks: Arena, secretariat: Any, persona: str, request: Any
) -> None:
    comparison = _comparison(ks, secretariat)
    before = AuditEntry.objects.count()
    user = request.getfixturevalue(persona)
    response = api_call(
        client,
        "POST",
        f"/api/v1/comparisons/{comparison.pk}/criteria",
        {"name": "Økonomi", "weight": 40},
        user,
    )
    assert_problem(response, 403)
    assert AuditEntry.objects.count() == before
    assert not comparison.criteria.exists()


def _scoring(
    ks: Arena, actor: Any
) -> tuple[ModelComparison, Alternative, Alternative, ComparisonCriterion, ComparisonParticipant]:
    comparison, parts = new_comparison(
        actor,
        arena=ks,
        alternatives=["A", "B"],
        criteria=[("Økonomi", 50)],
        participants=["Larvik"],
    )
    (a, b), (c,), (p,) = parts.alternatives, parts.criteria, parts.participants
    return comparison, a, b, c, p


def test_put_scores_sets_all_or_none(client: Client, ks: Arena, secretariat: Any) -> None:
    comparison, a, b, c, p = _scoring(ks, secretariat)
    url = f"/api/v1/comparisons/{comparison.pk}/scores"

    def put(participant: int, *scores: tuple[int, int]) -> Any:
        """PUT a participant's scores, each (alternative, value) on the one criterion."""
        rows = [{"alternative": alt, "criterion": c.pk, "value": value} for alt, value in scores]
        return api_call(
            client, "PUT", url, {"participant": participant, "scores": rows}, secretariat
        )

    bad = put(p.pk, (a.pk, 8), (b.pk, 11))
    assert_problem(bad, 422, "scores.1.value")
    assert not Score.objects.exists()
    response = put(p.pk, (a.pk, 8), (b.pk, 3))
    assert response.status_code == 200, response.content
    assert [r["alternative"] for r in response.json()["ranking"]] == [a.pk, b.pk]
    # the scores read back name their participant as PUT takes it, by id, and by name
    read = {(s["participant_id"], s["participant"]) for s in response.json()["scores"]}
    assert read == {(p.pk, "Larvik")}
    score = Score.objects.get(alternative=a)
    assert score.value == 8
    api_entry(score, AuditEntry.Action.CREATE)
    again = put(p.pk, (a.pk, 2))
    assert again.status_code == 200
    score.refresh_from_db()
    assert score.value == 2
    api_entry(score, AuditEntry.Action.UPDATE)
    other = _comparison(arena_with_members(["3909"], short_name="ANNEN"), secretariat)
    stranger = add_participant(
        ComparisonParticipant(comparison=other, name="Fremmed"), actor=secretariat
    )
    outsider = put(stranger.pk, (a.pk, 5))
    assert_problem(outsider, 422, "participant")
    wrong_alt = put(p.pk, (987654, 5))
    assert_problem(wrong_alt, 422, "scores.0.alternative")


def test_patch_weight_with_version(client: Client, ks: Arena, secretariat: Any) -> None:
    _cmp, _a, _b, criterion, _p = _scoring(ks, secretariat)
    url = f"/api/v1/comparison-criteria/{criterion.pk}"
    assert_problem(
        api_call(client, "PATCH", url, {"version": 1, "weight": 200}, secretariat), 422, "weight"
    )
    response = api_call(client, "PATCH", url, {"version": 1, "weight": 70}, secretariat)
    assert response.status_code == 200, response.content
    assert response.json() == {"id": criterion.pk, "version": 2, "name": "Økonomi", "weight": 70}
    criterion.refresh_from_db()
    assert criterion.weight == 70
    api_entry(criterion, AuditEntry.Action.UPDATE)
    assert_problem(api_call(client, "PATCH", url, {"version": 1, "weight": 10}, secretariat), 409)
    criterion.refresh_from_db()
    assert criterion.weight == 70
