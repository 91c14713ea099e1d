"""The write API: arenas, memberships with their decision, decisions, population figures.
Token and session authentication, problem+json errors, versions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from conftest import bearer, login
from samarbeid.accounts.services import create_token, revoke_token
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.tests.factories import ArenaFactory, MembershipFactory
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import history
from samarbeid.governance.models import Decision
from samarbeid.registry.models import Population

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_create_arena_with_a_token(client: Client, secretariat: Any) -> None:
    response = client.post(
        "/api/v1/arenas",
        {
            "name": "Vestfold IKT",
            "short_name": "VIKT",
            "kind": "joint_task_body",
            "host_municipality": "3909",
            "established": "2021-01-01",
        },
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == 1
    assert body["host_municipality"] == "3909"
    arena = Arena.objects.get(pk=body["id"])
    entry = history(arena).get()
    assert entry.channel == Channel.API
    assert entry.actor == secretariat


def test_create_arena_validation_error_is_problem_json(client: Client, secretariat: Any) -> None:
    response = client.post(
        "/api/v1/arenas",
        {"name": "Innherred", "short_name": "INN", "kind": "joint_municipality"},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["loc"] == ["ended"]


def test_unknown_municipality_is_422(client: Client, secretariat: Any) -> None:
    response = client.post(
        "/api/v1/arenas",
        {"name": "X", "short_name": "X", "kind": "other", "host_municipality": "9876"},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert response.status_code == 422


@pytest.mark.parametrize("persona", ["coordinator", "reader"])
def test_only_the_secretariat_creates_arenas(client: Client, persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    response = client.post(
        "/api/v1/arenas",
        {"name": "X", "short_name": "X", "kind": "other"},
        content_type=JSON,
        headers=bearer(user),
    )
    assert response.status_code == 403
    assert not Arena.objects.filter(short_name="X").exists()


def test_anonymous_and_revoked_tokens_get_401(client: Client, secretariat: Any) -> None:
    body = {"name": "X", "short_name": "X", "kind": "other"}
    assert client.post("/api/v1/arenas", body, content_type=JSON).status_code == 401
    token, key = create_token(secretariat, "old")
    revoke_token(token, actor=secretariat)
    response = client.post(
        "/api/v1/arenas", body, content_type=JSON, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_session_writes_need_the_csrf_token(secretariat: Any) -> None:
    browser = login(Client(enforce_csrf_checks=True), secretariat)
    body = {"name": "X", "short_name": "X", "kind": "other"}
    response = browser.post("/api/v1/arenas", body, content_type=JSON)
    assert response.status_code in (401, 403)
    assert not Arena.objects.filter(short_name="X").exists()


def test_patch_arena_needs_the_version(client: Client, secretariat: Any) -> None:
    arena: Any = ArenaFactory()
    url = f"/api/v1/arenas/{arena.pk}"
    headers = bearer(secretariat)
    assert (
        client.patch(url, {"name": "Nytt"}, content_type=JSON, headers=headers).status_code == 422
    )
    ok = client.patch(url, {"version": 1, "name": "Nytt"}, content_type=JSON, headers=headers)
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "name": "Eldre"}, content_type=JSON, headers=headers)
    assert stale.status_code == 409
    bad = client.patch(url, {"version": 2, "status": "closed"}, content_type=JSON, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["status_reason"]
    missing = client.patch(
        "/api/v1/arenas/999999", {"version": 1}, content_type=JSON, headers=headers
    )
    assert missing.status_code == 404


def test_unpublished_arena_is_404_to_a_user_without_role(client: Client, db: None) -> None:
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("ingen", password="x-pass-123456")
    arena: Any = ArenaFactory(published=False)
    response = client.patch(
        f"/api/v1/arenas/{arena.pk}", {"version": 1}, content_type=JSON, headers=bearer(nobody)
    )
    assert response.status_code == 404


def test_membership_with_inline_decision_then_ended_then_deleted(
    client: Client, secretariat: Any
) -> None:
    arena: Any = ArenaFactory()
    headers = bearer(secretariat)
    created = client.post(
        f"/api/v1/arenas/{arena.pk}/memberships",
        {
            "municipality": "3909",
            "joined": "2024-03-01",
            "decision": {"body": "council", "case_number": "12/24", "meeting_date": "2024-02-01"},
        },
        content_type=JSON,
        headers=headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["decision"]["case_number"] == "12/24"
    assert body["version"] == 1
    membership = Membership.objects.get(pk=body["id"])
    assert membership.decision.municipality
    assert membership.decision.municipality.number == "3909"

    ended = client.patch(
        f"/api/v1/memberships/{membership.pk}",
        {
            "version": 1,
            "left": "2025-12-31",
            "leave_reason": "Ikke nyttig",
            "leave_decision": {"body": "council", "meeting_date": "2025-06-01"},
        },
        content_type=JSON,
        headers=headers,
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["left"] == "2025-12-31"
    assert ended.json()["leave_decision"]
    stale = client.patch(
        f"/api/v1/memberships/{membership.pk}",
        {"version": 1, "next_review": "2026-01-01"},
        content_type=JSON,
        headers=headers,
    )
    assert stale.status_code == 409

    url = f"/api/v1/memberships/{membership.pk}"
    assert client.delete(url, headers=headers).status_code == 422  # the version read: required
    assert client.delete(f"{url}?version=1", headers=headers).status_code == 409
    membership.refresh_from_db()
    deleted = client.delete(f"{url}?version={membership.version}", headers=headers)
    assert deleted.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, object_id=str(membership.pk)
    ).exists()


def test_membership_refusals(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena: Any = ArenaFactory(established=date(2020, 1, 1))
    url = f"/api/v1/arenas/{arena.pk}/memberships"
    no_decision = client.post(
        url,
        {"municipality": "3909", "joined": "2024-03-01"},
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert no_decision.status_code == 422
    too_early = client.post(
        url,
        {
            "municipality": "3909",
            "joined": "2019-03-01",
            "decision": {"body": "council", "meeting_date": "2019-02-01"},
        },
        content_type=JSON,
        headers=bearer(secretariat),
    )
    assert too_early.status_code == 422
    assert not Decision.objects.filter(meeting_date=date(2019, 2, 1)).exists()  # rolled back
    forbidden = client.post(
        url,
        {
            "municipality": "3909",
            "joined": "2024-03-01",
            "decision": {"body": "council", "meeting_date": "2024-02-01"},
        },
        content_type=JSON,
        headers=bearer(coordinator),
    )
    assert forbidden.status_code == 403


def test_existing_membership_read_shows_version(client: Client, db: None) -> None:
    membership: Any = MembershipFactory()
    body = client.get(f"/api/v1/memberships/{membership.pk}").json()
    assert body["version"] == 1
    assert body["municipality"] == "3909"
    detail = client.get(f"/api/v1/arenas/{membership.arena_id}").json()
    assert detail["members"][0]["id"] == membership.pk
    assert client.get("/api/v1/memberships/999999").status_code == 404


def test_population_by_the_coordinator(
    client: Client, coordinator: Any, other_coordinator: Any, larvik: Any
) -> None:
    url = "/api/v1/municipalities/3909/population/2025"
    created = client.put(url, {"count": 48000}, content_type=JSON, headers=bearer(coordinator))
    assert created.status_code == 201, created.content
    changed = client.put(url, {"count": 48100}, content_type=JSON, headers=bearer(coordinator))
    assert changed.status_code == 200
    figure = Population.objects.get(municipality=larvik, year=2025)
    assert figure.count == 48100
    assert [e.action for e in history(figure)] == ["update", "create"]
    horten = client.put(url, {"count": 1}, content_type=JSON, headers=bearer(other_coordinator))
    assert horten.status_code == 403
    negative = client.put(url, {"count": -1}, content_type=JSON, headers=bearer(coordinator))
    assert negative.status_code == 422
    # 3909 was not Larvik's number in 2015 (it was 0709).
    assert (
        client.put(
            "/api/v1/municipalities/3909/population/2015",
            {"count": 1},
            content_type=JSON,
            headers=bearer(coordinator),
        ).status_code
        == 404
    )
    deleted = client.delete(url, headers=bearer(coordinator))
    assert deleted.status_code == 204
    assert not Population.objects.filter(municipality=larvik, year=2025).exists()
    assert client.delete(url, headers=bearer(coordinator)).status_code == 404


def test_the_api_checks_an_arena_as_the_page_does(client: Client, secretariat: Any) -> None:
    """Issue 18: the API fills the arena page's form, so its rules are the page's: an
    organisation number with a wrong check digit is refused in the page's words, on create
    and on edit, and nothing is written."""
    headers = bearer(secretariat)
    body = {"name": "Vestfold IKT", "short_name": "VIKT", "kind": "other"}
    bad = client.post(
        "/api/v1/arenas",
        {**body, "organisation_number": "123456789"},
        content_type=JSON,
        headers=headers,
    )
    assert bad.status_code == 422, bad.content
    [error] = bad.json()["errors"]
    assert error["loc"] == ["organisation_number"]
    assert "kontrollsiffer" in error["msg"]
    assert not Arena.objects.filter(short_name="VIKT").exists()
    ok = client.post(
        "/api/v1/arenas",
        {**body, "organisation_number": "974575086"},
        content_type=JSON,
        headers=headers,
    )
    assert ok.status_code == 201, ok.content
    url = f"/api/v1/arenas/{ok.json()['id']}"
    patch = client.patch(
        url, {"version": 1, "organisation_number": "974575087"}, content_type=JSON, headers=headers
    )
    assert patch.status_code == 422
    assert patch.json()["errors"][0]["loc"] == ["organisation_number"]
    assert Arena.objects.get(short_name="VIKT").organisation_number == "974575086"
    # a PATCH leaves what it does not send as it was
    renamed = client.patch(
        url, {"version": 1, "name": "Vestfold IKT-samarbeid"}, content_type=JSON, headers=headers
    )
    assert renamed.status_code == 200, renamed.content
    arena = Arena.objects.get(short_name="VIKT")
    assert (arena.name, arena.organisation_number) == ("Vestfold IKT-samarbeid", "974575086")


def test_a_date_in_year_9999_is_a_typing_error(client: Client, secretariat: Any) -> None:
    """A clerk's trial saved an arena established 31.12.9999, on the page and in the API."""
    headers = bearer(secretariat)
    body = {"name": "Framtida", "short_name": "FRAM", "kind": "other"}
    bad = client.post(
        "/api/v1/arenas", {**body, "established": "9999-12-31"}, content_type=JSON, headers=headers
    )
    assert bad.status_code == 422, bad.content
    assert bad.json()["errors"][0]["loc"] == ["established"]
    # issue 19: the refusal says the plausible window of an arena's start (core.dates)
    assert "Datoen 31.12.9999 er utenfor" in bad.json()["errors"][0]["msg"]
    login(client, secretariat)
    page = client.post(
        "/arenaer/ny/",
        {**body, "legal_form": "none", "status": "active", "established": "9999-12-31"},
    )
    assert "Datoen 31.12.9999 er utenfor" in page.content.decode()
    assert not Arena.objects.filter(short_name="FRAM").exists()


def test_a_session_write_without_the_csrf_token_is_told_in_the_readers_language(
    secretariat: Any,
) -> None:
    """Found in a clerk's trial: the answer was a bare English «CSRF check Failed»."""
    browser = login(Client(enforce_csrf_checks=True), secretariat)
    body = {"name": "X", "short_name": "X", "kind": "other"}
    refused = browser.post("/api/v1/arenas", body, content_type=JSON)
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    problem = refused.json()
    assert problem["title"] == "Forbidden"
    assert problem["detail"] == (
        "Skriving med innloggingen fra nettleseren krever CSRF-nøkkelen i X-CSRFToken; "
        "et program bruker en API-nøkkel."
    )
    english = browser.post("/api/v1/arenas?lang=en", body, content_type=JSON)
    assert english.json()["detail"] == (
        "Writing with the browser's log-in needs the CSRF token in X-CSRFToken; "
        "a program uses an API key."
    )
