"""API fuzzing with schemathesis: every operation of the OpenAPI document (discovered from
the running app, so every domain's endpoints are covered as they land) is called with
generated data, anonymously and with a secretariat token. No response may be a 5xx, and
every response must match the document: documented status code, content type and schema.

Bounded for the suite: SCHEMATHESIS_MAX_EXAMPLES (default 4) examples per operation for
each of two callers (anonymous with generated ids; a secretariat token with ids of real
records, so writes get past authentication and lookups). Run it longer with e.g.
    SCHEMATHESIS_MAX_EXAMPLES=500 .venv/bin/pytest samarbeid/tests/test_api_fuzz.py
or against a running server with the CLI:
    .venv/bin/schemathesis run http://127.0.0.1:8000/api/v1/openapi.json \\
        -H "Authorization: Bearer smb_…" --max-examples 1000
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from samarbeid.accounts.services import create_token
from samarbeid.arenas.tests.factories import MembershipFactory

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_test_connection")]


def _ok(result: Any) -> Any:
    return result.ok()


def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    return [_ok(result) for result in schema.get_all_operations()]


def _fuzz(operation: Any, headers: dict[str, str], path_parameters: dict[str, Any]) -> None:
    pinned = {
        name: value
        for name, value in path_parameters.items()
        if name in {p.name for p in operation.path_parameters}
    }

    @given(case=operation.as_strategy(path_parameters=pinned or None))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.fixture
def quiet_request_log() -> Any:
    """Thousands of expected 4xx answers would otherwise each log a warning."""
    import logging

    loggers = [logging.getLogger(name) for name in ("django.request", "django.security.csrf")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_every_operation_survives_fuzzing(secretariat: Any, quiet_request_log: None) -> None:
    membership: Any = MembershipFactory()
    _token, key = create_token(secretariat, "fuzz")
    known = {
        "arena_id": membership.arena_id,
        "membership_id": membership.pk,
        "number": "3909",
        "year": 2024,
    }
    operations = _operations()
    assert len(operations) >= 10
    failures: list[str] = []
    callers: list[tuple[str, dict[str, str], dict[str, Any]]] = [
        ("anonymous", {}, {}),
        ("token", {"Authorization": f"Bearer {key}"}, known),
    ]
    for operation in operations:
        for who, headers, params in callers:
            try:
                _fuzz(operation, headers, params)
            except Exception as exc:  # collect every operation's failure, then report
                failures.append(f"{operation.label} ({who}): {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)


def test_every_write_operation_documents_its_errors() -> None:
    """Operations with input document 422; those needing a token document 401."""
    for operation in _operations():
        raw = operation.definition.raw
        codes = set(raw.get("responses", {}))
        if raw.get("parameters") or raw.get("requestBody"):
            assert "422" in codes, operation.label
        if raw.get("security"):
            assert "401" in codes, operation.label


def _models_in(annotation: Any, found: set[type]) -> None:
    from typing import get_args

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found)
    for arg in get_args(annotation):
        _models_in(arg, found)


def test_schema_names_are_unique_across_apps() -> None:
    """Two apps' schemas with the same class name share one OpenAPI component, so one of
    them is documented wrongly. Each schema name must be unique in the whole API."""
    from samarbeid.api import api

    found: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models_in(model, found)
                for model in (operation.response_models or {}).values():
                    _models_in(model, found)
    by_name: dict[str, set[str]] = {}
    for model in found:
        if model.__module__.startswith("samarbeid."):
            by_name.setdefault(model.__name__, set()).add(model.__module__)
    clashes = {name: sorted(mods) for name, mods in by_name.items() if len(mods) > 1}
    assert not clashes, f"schema names used by more than one app: {clashes}"


def test_huge_page_numbers_are_refused_not_500(client: Any) -> None:
    response = client.get("/api/v1/arenas?limit=100000000000000000000")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/arenas?offset=100000000000000000000").status_code < 500
