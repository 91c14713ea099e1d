"""A round nothing builds on yet (no decision, no recommendation, on no meeting's agenda) and a
comparison not in use (no scores) can be deleted, by page and by API; otherwise the service
refuses, saying why, and the page says it instead of offering the button."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import api_call, login
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import AuditEntry
from samarbeid.audit.services import history
from samarbeid.core.versioning import VersionConflict
from samarbeid.meetings.models import AgendaItem
from samarbeid.meetings.tests.factories import body, meeting
from samarbeid.review.models import (
    Alternative,
    ComparisonCriterion,
    ModelComparison,
    ReviewItem,
    ReviewRound,
)
from samarbeid.review.services.comparisons import delete_comparison, set_score, set_scores
from samarbeid.review.services.round_edit import delete_round
from samarbeid.review.services.rounds import confirm_round, update_item
from samarbeid.review.tests.api_helpers import assert_problem, new_comparison, new_round

pytestmark = pytest.mark.django_db


def _round(ks: Arena, actor: Any) -> ReviewRound:
    return new_round(ks, actor, include_projects=False, published=True)


def _recommend(review: ReviewRound, actor: Any) -> None:
    for item in review.items.all():
        update_item(
            item,
            {"recommendation": ReviewItem.Recommendation.CONTINUE},
            expected_version=item.version,
            actor=actor,
        )


def _scored(ks: Arena, actor: Any) -> ModelComparison:
    comparison, parts = new_comparison(
        actor, arena=ks, alternatives=["A"], criteria=[("Økonomi", 50)], participants=["Gruppe 1"]
    )
    [alternative], [criterion], [participant] = (
        parts.alternatives,
        parts.criteria,
        parts.participants,
    )
    set_score(alternative, criterion, participant, 7, actor=actor)
    return comparison


# --- the services ---


def test_delete_round_deletes_it_with_its_items_each_audited(ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    pk = review.pk
    [item] = review.items.all()
    delete_round(review, expected_version=review.version, actor=secretariat)
    assert not ReviewRound.objects.filter(pk=pk).exists()
    assert not ReviewItem.objects.filter(pk=item.pk).exists()
    assert history(item).filter(action=AuditEntry.Action.DELETE).get().actor == secretariat
    deleted = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, object_id=str(pk))
    assert "Rydding" in [entry.object_repr for entry in deleted]


def test_delete_round_refuses_outsiders_a_stale_version_and_what_builds_on_it(
    ks: Arena, secretariat: Any, coordinator: Any, reader: Any
) -> None:
    review = _round(ks, secretariat)
    for outsider in (coordinator, reader):
        with pytest.raises(PermissionDenied):
            delete_round(review, expected_version=review.version, actor=outsider)
    with pytest.raises(VersionConflict):
        delete_round(review, expected_version=review.version + 1, actor=secretariat)
    assert review.items.count() == 1  # nothing deleted by the refused delete
    _recommend(review, secretariat)
    with pytest.raises(ValidationError) as refused:
        delete_round(review, expected_version=review.version, actor=secretariat)
    assert "Forum A" in refused.value.messages[0]
    assert "anbefaling" in refused.value.messages[0]
    confirm_round(review, meeting_date=date(2025, 2, 1), actor=secretariat)
    review.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        delete_round(review, expected_version=review.version, actor=secretariat)
    assert "vedtatt" in refused.value.messages[0]
    assert ReviewRound.objects.filter(pk=review.pk).exists()


def test_a_round_on_a_meetings_agenda_is_not_deleted(ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    one = meeting(body(ks))
    AgendaItem.objects.create(
        meeting=one, body=one.body, title="Rydding i arenaer", review_round=review
    )
    with pytest.raises(ValidationError) as refused:
        delete_round(review, expected_version=review.version, actor=secretariat)
    assert "sakslisten" in refused.value.messages[0]
    assert AgendaItem.objects.get().review_round == review


def test_delete_comparison_deletes_its_parts_and_refuses_one_in_use(
    ks: Arena, secretariat: Any, coordinator: Any
) -> None:
    comparison, _parts = new_comparison(
        secretariat, arena=ks, alternatives=["A", "B"], criteria=[("Økonomi", 50)]
    )
    with pytest.raises(PermissionDenied):
        delete_comparison(comparison, expected_version=1, actor=coordinator)
    with pytest.raises(VersionConflict):
        delete_comparison(comparison, expected_version=2, actor=secretariat)
    delete_comparison(comparison, expected_version=1, actor=secretariat)
    assert not ModelComparison.objects.filter(pk=comparison.pk).exists()
    assert not Alternative.objects.exists()
    assert not ComparisonCriterion.objects.exists()
    scored = _scored(ks, secretariat)
    with pytest.raises(ValidationError) as refused:
        delete_comparison(scored, expected_version=scored.version, actor=secretariat)
    assert "poeng" in refused.value.messages[0]
    assert ModelComparison.objects.filter(pk=scored.pk).exists()


def test_scores_given_to_a_comparison_deleted_meanwhile_are_refused(
    ks: Arena, secretariat: Any
) -> None:
    """Scores sent from a page opened before the comparison was deleted: refused in words
    (set_scores takes the comparison's row first, as delete_comparison does)."""
    comparison, parts = new_comparison(
        secretariat, arena=ks, alternatives=["A"], criteria=[("Økonomi", 50)],
        participants=["Gruppe 1"],
    )  # fmt: skip
    [alternative], [criterion], [participant] = (
        parts.alternatives,
        parts.criteria,
        parts.participants,
    )
    ModelComparison.objects.filter(pk=comparison.pk).delete()
    with pytest.raises(ValidationError) as refused:
        set_scores(comparison, participant, [("s", alternative, criterion, 5)], actor=secretariat)
    assert refused.value.messages == [f"Sammenligningen «{comparison}» er slettet."]


# --- the pages ---


def test_round_delete_page_asks_then_deletes(client: Client, ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    url = reverse("review:round_delete", args=[review.pk])
    login(client, secretariat)
    assert url in client.get(review.get_absolute_url()).content.decode()
    page = client.get(url).content.decode()
    assert "Slett gjennomgangen" in page
    assert "Forum A" in page
    response = client.post(url, {"version": review.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:index")
    assert not ReviewRound.objects.filter(pk=review.pk).exists()


def test_round_delete_page_says_why_not_and_offers_no_button(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = _round(ks, secretariat)
    _recommend(review, secretariat)
    url = reverse("review:round_delete", args=[review.pk])
    page = login(client, secretariat).get(url).content.decode()
    assert "disse punktene har en anbefaling: Forum A" in page
    assert "Slett gjennomgangen</button>" not in page
    response = client.post(url, {"version": review.version})
    assert response.status_code == 200
    assert "disse punktene har en anbefaling" in response.content.decode()
    assert ReviewRound.objects.filter(pk=review.pk).exists()


def test_delete_pages_refuse_the_coordinator_and_the_reader(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any, reader: Any
) -> None:
    review = _round(ks, secretariat)
    comparison, _parts = new_comparison(secretariat, arena=ks)
    for url in (
        reverse("review:round_delete", args=[review.pk]),
        reverse("review:comparison_delete", args=[comparison.pk]),
    ):
        for outsider in (coordinator, reader):
            assert login(client, outsider).post(url, {"version": 1}).status_code == 403
    assert ReviewRound.objects.filter(pk=review.pk).exists()
    assert ModelComparison.objects.filter(pk=comparison.pk).exists()


def test_comparison_delete_page_deletes_and_says_why_not(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    comparison, _parts = new_comparison(secretariat, arena=ks, alternatives=["A"])
    url = reverse("review:comparison_delete", args=[comparison.pk])
    login(client, secretariat)
    assert url in client.get(comparison.get_absolute_url()).content.decode()
    response = client.post(url, {"version": comparison.version})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:comparison_list")
    assert not ModelComparison.objects.filter(pk=comparison.pk).exists()
    scored = _scored(ks, secretariat)
    page = client.get(reverse("review:comparison_delete", args=[scored.pk])).content.decode()
    assert "deltakerne har gitt poeng" in page
    assert "Slett sammenligningen</button>" not in page


# --- the API ---


def test_delete_review_api(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any, reader: Any
) -> None:
    review = _round(ks, secretariat)
    url = f"/api/v1/reviews/{review.pk}"
    for outsider in (coordinator, reader):
        assert_problem(api_call(client, "DELETE", f"{url}?version=1", None, outsider), 403)
    assert_problem(api_call(client, "DELETE", f"{url}?version=2", None, secretariat), 409)
    assert_problem(api_call(client, "DELETE", url, None, secretariat), 422)
    other = _round(ks, secretariat)
    _recommend(other, secretariat)
    refused = assert_problem(
        api_call(client, "DELETE", f"/api/v1/reviews/{other.pk}?version=1", None, secretariat),
        422,
    )
    assert "anbefaling" in refused["detail"]
    assert api_call(client, "DELETE", f"{url}?version=1", None, secretariat).status_code == 204
    assert client.get(url).status_code == 404


def test_delete_comparison_api(client: Client, ks: Arena, secretariat: Any, reader: Any) -> None:
    comparison, _parts = new_comparison(secretariat, arena=ks, criteria=[("Økonomi", 50)])
    url = f"/api/v1/comparisons/{comparison.pk}"
    assert_problem(api_call(client, "DELETE", f"{url}?version=1", None, reader), 403)
    assert_problem(api_call(client, "DELETE", f"{url}?version=2", None, secretariat), 409)
    scored = _scored(ks, secretariat)
    refused = assert_problem(
        api_call(client, "DELETE", f"/api/v1/comparisons/{scored.pk}?version=1", None, secretariat),
        422,
    )
    assert "poeng" in refused["detail"]
    assert api_call(client, "DELETE", f"{url}?version=1", None, secretariat).status_code == 204
    assert client.get(url).status_code == 404
