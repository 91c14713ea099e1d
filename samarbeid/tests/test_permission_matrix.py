"""The permission matrix: every write operation of the API and every form page, for every
persona (secretariat, coordinator of Larvik, coordinator of Horten, reader, public).

How endpoints are found (so the matrix covers every domain as it lands):
- API: every non-GET operation in `api.get_openapi_schema()`. Path parameters are filled
  with real records (by name: arena_id, membership_id, number, year, …; any other id gets
  the id of an existing record), bodies are generated from the document by schemathesis.
- Pages: every URL pattern of the resolver (admin, API and auth views excepted). Each
  argument is filled by name (pk with the ids of real records, code, label, slug, …).

Three layers of assertions:
1. Everywhere (discovered): the public gets 401 from every API write and never writes
   through a page; a reader gets 403 (or 404/422 before any permission question arises)
   and never writes; nothing answers 5xx; no audit entry appears for their attempts.
2. The explicit matrix below (arenas, memberships, population, roles, history): the exact
   status for each persona with a valid request: allowed where it must be, 403 elsewhere,
   401 / a log-in redirect for the anonymous.
3. The explicit matrix must name every write operation and form of the apps it covers, so
   a new endpoint there cannot slip past without a row.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings

from conftest import login
from samarbeid.accounts.services import create_token
from samarbeid.arenas.tests.factories import MembershipFactory
from samarbeid.audit.models import AuditEntry
from samarbeid.registry.models import Population
from samarbeid.tests import matrix
from samarbeid.tests.matrix import PERSONAS, ApiRow, FormRow, World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_test_connection")]
JSON = "application/json"


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Five personas per test: a cheap hasher keeps the matrix fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def quiet() -> Iterator[None]:
    loggers = [logging.getLogger(n) for n in ("django.request", "django.security.csrf")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def world(
    secretariat: Any,
    arena_secretariat: Any,
    own_arena: Any,
    coordinator: Any,
    other_coordinator: Any,
    reader: Any,
    larvik: Any,
) -> dict[str, Any]:
    """Larvik's records in the one arena `arena_secretariat` runs, and every persona (users
    and API tokens)."""
    membership = MembershipFactory(arena=own_arena, joined=date(2024, 3, 1))
    Population.objects.create(municipality=larvik, year=2024, count=47000)
    users = {
        "secretariat": secretariat,
        "arena_secretariat": arena_secretariat,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "reader": reader,
        "public": None,
    }
    tokens = {name: create_token(user, "matrix")[1] for name, user in users.items() if user}
    return {"membership": membership, "arena": membership.arena, "users": users, "tokens": tokens}


def _ok(result: Any) -> Any:
    return result.ok()


def api_client(world: dict[str, Any], persona: str) -> tuple[Client, dict[str, str]]:
    key = world["tokens"].get(persona)
    return Client(), ({"Authorization": f"Bearer {key}"} if key else {})


def page_client(world: dict[str, Any], persona: str) -> Client:
    user = world["users"][persona]
    return login(Client(), user) if user else Client()


# --- 2. The explicit matrix: rows from every app's tests/permission_rows.py -----------------

API_ROWS = matrix.api_rows()
FORM_ROWS = matrix.form_rows()


def _world(world: dict[str, Any], horten: Any, larvik: Any) -> World:
    return World(
        users=world["users"],
        tokens=world["tokens"],
        larvik=larvik,
        horten=horten,
        arena=world["arena"],
        membership=world["membership"],
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("api_row", API_ROWS, ids=lambda r: f"{r.method} {r.path}")
def test_api_matrix(
    world: dict[str, Any], horten: Any, larvik: Any, persona: str, api_row: ApiRow
) -> None:
    url, body = api_row.build(_world(world, horten, larvik))
    client, headers = api_client(world, persona)
    before = AuditEntry.objects.count()
    if api_row.multipart:
        response = client.post(url, body, headers=headers)
    else:
        response = client.generic(
            api_row.method, url, data=json.dumps(body), content_type=JSON, headers=headers
        )
    expected = api_row.expected[persona]
    assert response.status_code == expected, (persona, api_row.method, url, response.content[:300])
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert AuditEntry.objects.count() == before
    elif api_row.writes:
        assert AuditEntry.objects.count() > before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("form_row", FORM_ROWS, ids=lambda r: r.name)
def test_form_matrix(
    world: dict[str, Any], horten: Any, larvik: Any, persona: str, form_row: FormRow
) -> None:
    url, data = form_row.build(_world(world, horten, larvik))
    client = page_client(world, persona)
    get = client.get(url)
    before = AuditEntry.objects.count()
    response = client.post(url, data)
    expected = form_row.expected[persona]
    assert response.status_code == expected, (persona, form_row.name, response.content[-600:])
    if form_row.gets is not None:
        assert get.status_code == form_row.gets[persona], (persona, form_row.name, "GET")
    if persona == "public":
        assert "/logg-inn/" in response["Location"]
        assert get.status_code in (302, 405)
    elif persona in form_row.opens:
        assert get.status_code == 200
    elif expected in (403, 404):
        assert get.status_code in (expected, 405)
    if expected >= 400 or persona == "public":
        assert AuditEntry.objects.count() == before
    if expected == 302 and persona != "public":
        messages = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
        assert not any("kan ikke" in m or "endret av noen andre" in m for m in messages), messages
        if form_row.writes:
            assert AuditEntry.objects.count() > before, "a valid form saved nothing"


# --- 1. Discovered: every API write and every page, for the reader and the public ------------


def _write_operations() -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    return [
        op
        for op in (_ok(result) for result in schema.get_all_operations())
        if op.method.upper() != "GET" and op.definition.raw.get("security")
    ]


def _path_values(world: dict[str, Any]) -> dict[str, Any]:
    return {
        "arena_id": world["arena"].pk,
        "membership_id": world["membership"].pk,
        "number": "3909",
        "year": 2024,
    }


def _attempts(
    operation: Any, pinned: dict[str, Any], headers: dict[str, str], seen: list[int]
) -> Any:
    @given(case=operation.as_strategy(path_parameters=pinned))
    @settings(
        max_examples=3,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def attempt(case: Any) -> None:
        before = AuditEntry.objects.count()
        response = case.call(headers=headers)
        seen.append(response.status_code)
        assert AuditEntry.objects.count() == before, "a write happened"

    return attempt


def test_every_api_write_refuses_the_public_and_the_reader(
    world: dict[str, Any], quiet: None
) -> None:
    operations = _write_operations()
    # every row that writes is an operation that needs a token
    assert len(operations) >= len({(r.method, r.path) for r in API_ROWS if r.writes})
    known = _path_values(world)
    problems: list[str] = []
    refused = 0
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        pinned = {k: v for k, v in known.items() if k in names}
        for other in names - set(pinned):
            pinned[other] = world["membership"].decision_id if other.endswith("_id") else "1"
        for persona in ("public", "reader"):
            _client, headers = api_client(world, persona)
            seen: list[int] = []

            attempt = _attempts(operation, pinned, headers, seen)

            try:
                attempt()
            except Exception as exc:
                problems.append(f"{operation.label} as {persona}: {exc}")
                continue
            allowed = {401} if persona == "public" else {403, 404, 422}
            wrong = sorted(set(seen) - allowed)
            if wrong:
                problems.append(f"{operation.label} as {persona}: answered {wrong}")
            refused += seen.count(403)
    assert not problems, "\n".join(problems)
    assert refused > 0


def _url_patterns() -> Iterator[tuple[str, URLPattern]]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                route = str(pattern.pattern)
                if route.startswith(("admin/", "api/", "i18n/")):
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if pattern.name in {"login", "logout", "healthz"}:
                    continue
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern

    yield from walk(get_resolver().url_patterns, "")


def _fill(pattern: URLPattern, world: dict[str, Any]) -> list[dict[str, Any]]:
    """Arguments for a pattern, filled by name with ids of real records (several tries)."""
    converters: dict[str, Any] = getattr(pattern.pattern, "converters", {})
    names = list(pattern.pattern.regex.groupindex)
    if not names:
        return [{}]
    ids = sorted({world["arena"].pk, world["membership"].pk, world["membership"].decision_id, 1})
    text = {
        "code": world["membership"].municipality.code,
        "number": "3909",
        "label": "arenas.arena",
        "slug": "arenaer",
        "fmt": "json",
    }
    tries = []
    for value in ids:
        kwargs: dict[str, Any] = {}
        for name in names:
            converter = converters.get(name)
            is_int = type(converter).__name__ == "IntConverter"
            kwargs[name] = (
                value if is_int or name.endswith(("pk", "_id")) else text.get(name, value)
            )
        tries.append(kwargs)
    return tries


def test_no_page_lets_the_public_or_a_reader_write(world: dict[str, Any], quiet: None) -> None:
    from django.urls import NoReverseMatch, reverse

    problems: list[str] = []
    checked = 0
    form_like = re.compile(
        r"_(create|edit|new|add|end|delete|remove|revoke|restore|change|status|action|apply|"
        r"confirm|send|done|ready|reopen|renew|link|unlink|vote|votes)$"
    )
    for name, pattern in _url_patterns():
        for kwargs in _fill(pattern, world):
            try:
                url = reverse(name, kwargs=kwargs or None)
            except NoReverseMatch:
                continue
            is_form = bool(form_like.search(name.split(":")[-1]))
            for persona in ("public", "reader") if is_form else ("public",):
                client = page_client(world, persona)
                before = AuditEntry.objects.count()
                response = client.post(url, {})
                checked += 1
                if response.status_code >= 500:
                    problems.append(f"{url} as {persona}: {response.status_code}")
                if AuditEntry.objects.count() != before:
                    problems.append(f"{url} as {persona}: wrote to the database")
                if persona == "public" and is_form:
                    get = client.get(url)
                    ok = get.status_code in (302, 403, 404, 405) and (
                        get.status_code != 302 or "/logg-inn/" in get["Location"]
                    )
                    if not ok:
                        problems.append(f"{url} as public: form answered {get.status_code}")
    assert checked > 40
    assert not problems, "\n".join(problems)


# --- 3. The explicit matrix covers every write and every page --------------------------------


def test_explicit_matrix_names_every_write_and_every_page() -> None:
    """Every API write of a covered tag has a row; every page of a covered namespace has a
    form row or is declared read-only (so a new endpoint or form cannot slip past)."""
    from samarbeid.api import api

    covered_tags, covered_namespaces, read_only = matrix.coverage()
    schema = api.get_openapi_schema()
    rows = {(r.method, r.path) for r in API_ROWS}
    forms = {r.name for r in FORM_ROWS}
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "get" or not set(operation.get("tags", [])) & covered_tags:
                continue
            if (method.upper(), path) not in rows:
                missing.append(f"{method.upper()} {path}")
    for name, _pattern in _url_patterns():
        namespace = name.split(":")[0]
        if namespace in covered_namespaces and name not in forms | read_only:
            missing.append(name)
    assert not missing, f"add these to the permission matrix (or to READ_ONLY_PAGES): {missing}"
    assert not forms & read_only, forms & read_only


def test_every_app_is_covered() -> None:
    """Every app with write operations or pages declares its matrix complete."""
    from samarbeid.api import api

    covered_tags, covered_namespaces, _read_only = matrix.coverage()
    schema = api.get_openapi_schema()
    tags = {
        tag
        for operations in schema["paths"].values()
        for method, operation in operations.items()
        if method != "get"
        for tag in operation.get("tags", [])
    }
    namespaces = {name.split(":")[0] for name, _p in _url_patterns()} - {""}
    uncovered = sorted((tags - covered_tags) | (namespaces - covered_namespaces))
    assert uncovered == sorted(matrix.NOT_YET_COVERED), uncovered
