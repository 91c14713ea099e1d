"""Personas and shared fixtures, so permission tests read like a specification."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import import_municipalities


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every test database starts with the real municipality register (852 codes)."""
    with django_db_blocker.unblock():
        import_municipalities()


def _user(username: str, role: str | None = None, **scope: Any) -> Any:
    user = get_user_model().objects.create_user(username=username, password="test-pass-123")
    if role:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def race_secretariat(username: str) -> Any:
    """A secretariat for every arena, made inside a transactional race test: the municipality
    register is put back first if an earlier transactional test flushed it."""
    if not Municipality.objects.exists():
        import_municipalities()
    return _user(username, Role.SECRETARIAT)


@pytest.fixture
def secretariat(db: None) -> Any:
    """Secretariat with access to every arena."""
    return _user("sekretariat", Role.SECRETARIAT)


@pytest.fixture
def own_arena(db: None) -> Any:
    """The one arena `arena_secretariat` runs (KS-V in issue 23's probe)."""
    from samarbeid.arenas.tests.factories import ArenaFactory

    return ArenaFactory(name="Kommunesamarbeid Vest", short_name="KS-V")


@pytest.fixture
def arena_secretariat(db: None, own_arena: Any) -> Any:
    """Secretariat of one arena only (`own_arena` and its sub-arenas): must not write into
    other arenas, nor link its records to theirs."""
    return _user("sekretariat-ksv", Role.SECRETARIAT, arena=own_arena)


@pytest.fixture
def larvik() -> Municipality:
    return Municipality.objects.current().get(number="3909")


@pytest.fixture
def horten() -> Municipality:
    return Municipality.objects.current().get(number="3901")


@pytest.fixture
def coordinator(db: None, larvik: Municipality) -> Any:
    """Coordinator for Larvik."""
    return _user("koordinator-larvik", Role.COORDINATOR, municipality=larvik)


@pytest.fixture
def other_coordinator(db: None, horten: Municipality) -> Any:
    """Coordinator for Horten: must not touch Larvik's records."""
    return _user("koordinator-horten", Role.COORDINATOR, municipality=horten)


@pytest.fixture
def reader(db: None) -> Any:
    return _user("leser", Role.READER)


@pytest.fixture
def public() -> AnonymousUser:
    return AnonymousUser()


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def bearer(user: Any) -> dict[str, str]:
    """Headers with a fresh personal API token of `user`."""
    from samarbeid.accounts.services import create_token

    _token, key = create_token(user, "test")
    return {"Authorization": f"Bearer {key}"}


def api_call(
    client: Client, method: str, url: str, body: Any = None, user: Any = None, **extra: Any
) -> Any:
    """`method` `url` with `body` as JSON (none: `{}`), as `user` with a fresh bearer token
    (none: as the client is, logged in or anonymous); `extra` goes to the client (headers)."""
    if user:
        extra["headers"] = bearer(user) | extra.get("headers", {})
    return client.generic(
        method,
        url,
        data=json.dumps({} if body is None else body),
        content_type="application/json",
        **extra,
    )


def problem_of(response: Any, status: int) -> dict[str, Any]:
    """The application/problem+json body of an API error with `status`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@pytest.fixture
def secretariat_client(client: Client, secretariat: Any) -> Client:
    return login(client, secretariat)


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Each test starts with an empty cache: a rolled-back test leaves the data version where
    it was, so aggregates (and pages) it cached would otherwise be served to the next test."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def default_language() -> Any:
    """Each test starts in bokmål: a request with `?lang=en` leaves English active in the
    thread, which the next test's messages would otherwise speak."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def keep_test_connection() -> Any:
    """For tests that call the WSGI application directly (schemathesis): Django would close
    the database connection at the end of each request, which on PostgreSQL ends the test's
    transaction. Django's own test client disconnects these signals the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def pytest_configure(config: Any) -> None:
    """Hash test passwords cheaply: the personas log in hundreds of times."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # uploaded files (meeting documents) go to a directory of the test run, never var/media
    import tempfile

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="samarbeid-media-")
