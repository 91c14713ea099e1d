"""A review round and a model comparison can be corrected and published after they started
(a clerk's trial: a typo in a round's title could not be fixed, an internal round stayed
internal for ever), by page and by API; a decided round keeps what the decision was made on."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import api_call, login
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import history
from samarbeid.core.versioning import VersionConflict
from samarbeid.review.models import ModelComparison, ReviewItem, ReviewRound
from samarbeid.review.services.comparisons import update_comparison
from samarbeid.review.services.round_edit import update_round
from samarbeid.review.services.rounds import confirm_round, update_item
from samarbeid.review.tests.api_helpers import assert_problem, new_comparison, new_round

pytestmark = pytest.mark.django_db

MEETING = date(2025, 2, 1)


def _round(ks: Arena, actor: Any, **fields: Any) -> ReviewRound:
    return new_round(ks, actor, include_projects=False, title="Rydding i arenaene", **fields)


def _decided(ks: Arena, actor: Any) -> ReviewRound:
    review = _round(ks, actor)
    for item in review.items.all():
        update_item(
            item,
            {"recommendation": ReviewItem.Recommendation.CONTINUE},
            expected_version=item.version,
            actor=actor,
        )
    confirm_round(review, meeting_date=MEETING, actor=actor)
    review.refresh_from_db()
    return review


def _round_post(review: ReviewRound, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": review.version,
        "title": review.title,
        "primary_task": review.primary_task,
        "opened": review.opened.isoformat(),
    }
    if review.published:
        data["published"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- the service ---


def test_update_round_corrects_and_publishes_with_an_audit_entry(
    ks: Arena, secretariat: Any
) -> None:
    review = _round(ks, secretariat)
    assert not review.published
    update_round(
        review,
        {"title": "Rydding i arenaer", "primary_task": "Arbeidsgiverrollen", "published": True},
        expected_version=review.version,
        actor=secretariat,
    )
    review.refresh_from_db()
    assert (review.title, review.published, review.version) == ("Rydding i arenaer", True, 2)
    entry = history(review).filter(action=AuditEntry.Action.UPDATE).latest("pk")
    assert entry.actor == secretariat
    assert set(entry.changes) == {"title", "published"}


def test_update_round_refuses_others_an_empty_task_a_future_start_and_a_stale_version(
    ks: Arena, secretariat: Any, coordinator: Any, reader: Any
) -> None:
    review = _round(ks, secretariat)
    for outsider in (coordinator, reader):
        with pytest.raises(PermissionDenied):
            update_round(review, {"published": True}, expected_version=1, actor=outsider)
    with pytest.raises(ValidationError) as refused:
        update_round(review, {"primary_task": "  "}, expected_version=1, actor=secretariat)
    assert "primary_task" in refused.value.message_dict
    review.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        update_round(review, {"opened": date(2999, 1, 1)}, expected_version=1, actor=secretariat)
    assert "opened" in refused.value.message_dict
    review.refresh_from_db()
    update_round(review, {"title": "Ny"}, expected_version=1, actor=secretariat)
    with pytest.raises(VersionConflict):
        update_round(review, {"title": "Nyere"}, expected_version=1, actor=secretariat)
    review.refresh_from_db()
    assert (review.title, review.primary_task, review.published) == (
        "Ny",
        "Arbeidsgiverrollen",
        False,
    )


def test_a_decided_round_keeps_what_was_decided_but_can_be_published(
    ks: Arena, secretariat: Any
) -> None:
    review = _decided(ks, secretariat)
    for field, value in (
        ("title", "Annen tittel"),
        ("primary_task", "Noe annet"),
        ("opened", date(2024, 12, 1)),
    ):
        with pytest.raises(ValidationError) as refused:
            update_round(review, {field: value}, expected_version=review.version, actor=secretariat)
        assert list(refused.value.message_dict) == [field]
        assert "vedtatt" in refused.value.message_dict[field][0]
        review.refresh_from_db()
    # the same values again are no change: publishing goes through
    update_round(
        review,
        {"title": review.title, "primary_task": review.primary_task, "published": True},
        expected_version=review.version,
        actor=secretariat,
    )
    review.refresh_from_db()
    assert review.published
    assert review.title == "Rydding i arenaene"


def test_update_comparison_corrects_publishes_and_refuses(
    secretariat: Any, coordinator: Any, reader: Any, ks: Arena
) -> None:
    comparison, _parts = new_comparison(secretariat, title="Modeler", arena=ks)
    for outsider in (coordinator, reader):
        with pytest.raises(PermissionDenied):
            update_comparison(comparison, {"title": "X"}, expected_version=1, actor=outsider)
    with pytest.raises(ValidationError) as refused:
        update_comparison(comparison, {"title": " "}, expected_version=1, actor=secretariat)
    assert "title" in refused.value.message_dict
    comparison.refresh_from_db()
    update_comparison(
        comparison,
        {"title": "Modeller", "description": "Etter seminaret", "published": False},
        expected_version=1,
        actor=secretariat,
        channel=Channel.API,
    )
    comparison.refresh_from_db()
    assert (comparison.title, comparison.description, comparison.published) == (
        "Modeller",
        "Etter seminaret",
        False,
    )
    assert history(comparison).latest("pk").channel == Channel.API
    with pytest.raises(VersionConflict):
        update_comparison(comparison, {"title": "Y"}, expected_version=1, actor=secretariat)


# --- the pages ---


def test_round_page_says_internal_and_offers_endre(
    client: Client, ks: Arena, secretariat: Any, reader: Any
) -> None:
    review = _round(ks, secretariat)
    page = login(client, secretariat).get(review.get_absolute_url()).content.decode()
    assert "Intern: ikke publisert" in page
    assert reverse("review:round_edit", args=[review.pk]) in page
    # a reader sees the round (internal users see it all), not the way to change it
    page = login(client, reader).get(review.get_absolute_url()).content.decode()
    assert "Intern: ikke publisert" in page
    assert reverse("review:round_edit", args=[review.pk]) not in page


def test_round_edit_page_saves_and_publishes(client: Client, ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    url = reverse("review:round_edit", args=[review.pk])
    login(client, secretariat)
    assert "Rydding i arenaene" in client.get(url).content.decode()
    response = client.post(url, _round_post(review, title="Rydding i arenaer", published="on"))
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()
    review.refresh_from_db()
    assert (review.title, review.published) == ("Rydding i arenaer", True)
    assert "Intern: ikke publisert" not in client.get(review.get_absolute_url()).content.decode()


def test_round_edit_page_shows_errors_and_a_conflict_under_the_stored_name(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = _round(ks, secretariat)
    url = reverse("review:round_edit", args=[review.pk])
    login(client, secretariat)
    page = client.post(url, _round_post(review, title="Skrivefeil", primary_task=" ")).content
    text = page.decode()
    assert "Skjemaet har feil som må rettes" in text
    assert 'href="#id_primary_task"' in text
    assert "Endre Rydding i arenaene</h1>" in text
    stale = _round_post(review, title="Fane 2")
    update_round(review, {"title": "Fane 1"}, expected_version=1, actor=secretariat)
    text = client.post(url, stale).content.decode()
    assert "Noen andre har lagret en nyere versjon" in text
    assert "Endre Fane 1</h1>" in text
    review.refresh_from_db()
    assert review.title == "Fane 1"


def test_a_decided_rounds_edit_page_says_what_is_locked_and_publishes(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = _decided(ks, secretariat)
    url = reverse("review:round_edit", args=[review.pk])
    login(client, secretariat)
    text = client.get(url).content.decode()
    assert "Gjennomgangen er vedtatt: tittel, primæroppgave og startdato" in text
    for name in ("title", "primary_task", "opened"):
        assert re.search(rf'name="{name}"[^>]* disabled', text), name
    assert not re.search(r'name="published"[^>]* disabled', text)
    # what a browser would not send, a hand-made post does: the stored title stays
    response = client.post(url, _round_post(review, title="Omskrevet", published="on"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.title, review.published) == ("Rydding i arenaene", True)


def test_round_edit_page_refuses_the_coordinator_and_the_reader(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any, reader: Any
) -> None:
    review = _round(ks, secretariat, published=True)
    url = reverse("review:round_edit", args=[review.pk])
    for outsider in (coordinator, reader):
        assert login(client, outsider).get(url).status_code == 403
        assert client.post(url, _round_post(review, title="X")).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to sign in
    review.refresh_from_db()
    assert review.title == "Rydding i arenaene"


def test_round_edit_page_runs_the_same_queries_however_many_items(
    client: Client, secretariat: Any
) -> None:
    small_arena = ArenaFactory(name="Liten", short_name="LITEN")
    ArenaFactory(name="Under 0", short_name="U0", parent=small_arena)
    big_arena = ArenaFactory(name="Stor", short_name="STOR")
    for n in range(6):
        ArenaFactory(name=f"Under {n}", short_name=f"S{n}", parent=big_arena)
    small = _round(small_arena, secretariat)
    big = _round(big_arena, secretariat)
    login(client, secretariat)
    counts = []
    for review in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("review:round_edit", args=[review.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_comparison_page_says_internal_and_its_edit_page_saves(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any
) -> None:
    comparison, _parts = new_comparison(secretariat, title="Modeler", arena=ks)
    update_comparison(comparison, {"published": False}, expected_version=1, actor=secretariat)
    comparison.refresh_from_db()
    login(client, secretariat)
    page = client.get(comparison.get_absolute_url()).content.decode()
    assert "Intern: ikke publisert" in page
    url = reverse("review:comparison_edit", args=[comparison.pk])
    assert url in page
    assert "Endre Modeler" in client.get(url).content.decode()
    text = client.post(url, {"version": comparison.version, "title": ""}).content.decode()
    assert "Endre Modeler</h1>" in text
    response = client.post(
        url,
        {
            "version": comparison.version,
            "title": "Modeller",
            "description": "Etter seminaret",
            "published": "on",
        },
    )
    assert response.status_code == 302
    comparison.refresh_from_db()
    assert (comparison.title, comparison.description, comparison.published) == (
        "Modeller",
        "Etter seminaret",
        True,
    )
    assert (
        "Intern: ikke publisert" not in client.get(comparison.get_absolute_url()).content.decode()
    )
    assert login(client, coordinator).get(url).status_code == 403


# --- the API ---


def test_patch_review_corrects_publishes_and_answers_published(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any, reader: Any
) -> None:
    review = _round(ks, secretariat)
    url = f"/api/v1/reviews/{review.pk}"
    assert client.get(url).status_code == 404  # internal: the public does not find it
    assert api_call(client, "GET", url, None, reader).json()["published"] is False
    for outsider in (coordinator, reader):
        assert_problem(api_call(client, "PATCH", url, {"version": 1, "title": "X"}, outsider), 403)
    missing = assert_problem(api_call(client, "PATCH", url, {"title": "X"}, secretariat), 422)
    assert ["body", "payload", "version"] in [e["loc"] for e in missing["errors"]]
    assert_problem(
        api_call(client, "PATCH", url, {"version": 1, "primary_task": ""}, secretariat),
        422,
        "primary_task",
    )
    assert_problem(
        api_call(client, "PATCH", url, {"version": 1, "published": None}, secretariat),
        422,
        "published",
    )
    answer = api_call(
        client,
        "PATCH",
        url,
        {"version": 1, "title": "Rydding 2025", "published": True},
        secretariat,
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["title"], body["published"], body["version"]) == ("Rydding 2025", True, 2)
    assert body["primary_task"] == "Arbeidsgiverrollen"
    assert_problem(api_call(client, "PATCH", url, {"version": 1, "title": "Y"}, secretariat), 409)
    assert client.get(url).json()["published"] is True
    listed = client.get("/api/v1/reviews").json()["items"]
    assert [r["published"] for r in listed if r["id"] == review.pk] == [True]


def test_patch_review_refuses_a_decided_rounds_title_but_publishes_it(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = _decided(ks, secretariat)
    url = f"/api/v1/reviews/{review.pk}"
    body = {"version": review.version, "title": "Omskrevet"}
    assert_problem(api_call(client, "PATCH", url, body, secretariat), 422, "title")
    body = {"version": review.version, "published": True}
    answer = api_call(client, "PATCH", url, body, secretariat)
    assert answer.status_code == 200, answer.content
    assert answer.json()["published"] is True
    review.refresh_from_db()
    assert review.title == "Rydding i arenaene"


def test_patch_comparison_corrects_publishes_and_answers_published(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any, reader: Any
) -> None:
    comparison, _parts = new_comparison(secretariat, title="Modeler", arena=ks)
    url = f"/api/v1/comparisons/{comparison.pk}"
    assert client.get(url).json()["published"] is True
    for outsider in (coordinator, reader):
        assert_problem(api_call(client, "PATCH", url, {"version": 1, "title": "X"}, outsider), 403)
    empty = assert_problem(
        api_call(client, "PATCH", url, {"version": 1, "title": ""}, secretariat), 422
    )
    assert ["body", "payload", "title"] in [e["loc"] for e in empty["errors"]]
    assert_problem(
        api_call(client, "PATCH", url, {"version": 1, "title": " "}, secretariat), 422, "title"
    )
    answer = api_call(
        client,
        "PATCH",
        url,
        {"version": 1, "title": "Modeller", "description": "Etter seminaret", "published": False},
        secretariat,
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["title"], body["description"], body["published"]) == (
        "Modeller",
        "Etter seminaret",
        False,
    )
    assert_problem(api_call(client, "PATCH", url, {"version": 1, "title": "Y"}, secretariat), 409)
    assert client.get(url).status_code == 404  # internal now
    listed = api_call(client, "GET", "/api/v1/comparisons", None, reader).json()["items"]
    assert [c["published"] for c in listed if c["id"] == comparison.pk] == [False]
    assert ModelComparison.objects.get(pk=comparison.pk).title == "Modeller"


def test_what_a_post_takes_as_published_a_read_answers(
    client: Client, ks: Arena, secretariat: Any, reader: Any
) -> None:
    """Reviews, comparisons and proposals take `published` on POST: their reads answer it
    (an integrator's trial could not tell an internal record from a public one)."""
    posts: dict[str, dict[str, Any]] = {
        "/api/v1/reviews": {"title": "Rydding", "arena": ks.pk, "primary_task": "Oppgaven"},
        "/api/v1/comparisons": {"title": "Modeller", "arena": ks.pk},
        "/api/v1/proposals": {"title": "Felles innkjøp", "need": "Bedre avtaler"},
    }
    for url, body in posts.items():
        for published in (False, True):
            made = api_call(client, "POST", url, body | {"published": published}, secretariat)
            assert made.status_code == 201, made.content
            assert made.json()["published"] is published
            one = api_call(client, "GET", f"{url}/{made.json()['id']}", None, reader).json()
            assert one["published"] is published, url
        listed = api_call(client, "GET", url, None, reader).json()["items"]
        assert sorted(item["published"] for item in listed) == [False, True], url
