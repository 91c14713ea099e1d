"""No overwrite through pages or the API (issue 23, point 3): every edit carries the version
it was based on. Without it a page answers with a field error and the API with 422, and
nothing is saved; run over every edit row of the permission matrix."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import login
from samarbeid.api import api
from samarbeid.arenas.services import update_arena
from samarbeid.audit.models import AuditEntry
from samarbeid.tests import matrix
from samarbeid.tests.matrix import ApiRow, FormRow, World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_test_connection")]


def _is_version(name: str) -> bool:
    return name == "version" or name.endswith("-version")


API_EDITS = [r for r in matrix.api_rows() if r.expected["secretariat"] < 400]
FORM_EDITS = [r for r in matrix.form_rows() if r.expected["secretariat"] == 302]


@pytest.fixture
def world(
    secretariat: Any,
    arena_secretariat: Any,
    coordinator: Any,
    other_coordinator: Any,
    reader: Any,
    larvik: Any,
    horten: Any,
) -> World:
    from datetime import date

    from samarbeid.accounts.services import create_token
    from samarbeid.arenas.tests.factories import MembershipFactory
    from samarbeid.registry.models import Population

    membership = MembershipFactory(joined=date(2024, 3, 1))
    Population.objects.create(municipality=larvik, year=2024, count=47000)
    users = {"secretariat": secretariat, "arena_secretariat": arena_secretariat}
    return World(
        users=users
        | {
            "coordinator": coordinator,
            "other_coordinator": other_coordinator,
            "reader": reader,
            "public": None,
        },
        tokens={"secretariat": create_token(secretariat, "t")[1]},
        larvik=larvik,
        horten=horten,
        arena=membership.arena,
        membership=membership,
    )


def _api_edits() -> list[ApiRow]:
    """The rows whose valid body carries a version (built lazily: bodies need records)."""
    return API_EDITS


@pytest.mark.parametrize("api_row", _api_edits(), ids=lambda r: f"{r.method} {r.path}")
def test_api_edit_without_version_is_refused(world: World, api_row: ApiRow) -> None:
    url, body = api_row.build(world)
    if not any(_is_version(k) for k in body):
        pytest.skip("creates a record (no version to base it on)")
    before = AuditEntry.objects.count()
    response = Client().generic(
        api_row.method,
        url,
        data=json.dumps({k: v for k, v in body.items() if not _is_version(k)}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['secretariat']}"},
    )
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert b"version" in response.content
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("form_row", FORM_EDITS, ids=lambda r: r.name)
def test_page_edit_without_version_is_refused(world: World, form_row: FormRow) -> None:
    url, data = form_row.build(world)
    if not any(_is_version(k) for k in data):
        pytest.skip("creates a record (no version to base it on)")
    client = login(Client(), world.users["secretariat"])
    before = AuditEntry.objects.count()
    response = client.post(url, {k: v for k, v in data.items() if not _is_version(k)})
    if response.status_code == 302:  # an action button: back to the page with the message
        said = " ".join(str(m) for m in response.wsgi_request._messages)  # type: ignore[attr-defined]
        assert "mangler" in said, said
    else:
        assert response.status_code in (200, 422), response.status_code  # the form again
        assert "Skjemaet mangler versjonen du startet fra" in response.content.decode()
    assert AuditEntry.objects.count() == before


def test_every_api_body_version_is_required() -> None:
    """In the OpenAPI document, a request body that has a version requires it."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    optional = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not body:
                continue
            ref = body["schema"].get("$ref", "")
            component = components.get(ref.rsplit("/", 1)[-1], {})
            if "version" in component.get("properties", {}) and "version" not in component.get(
                "required", []
            ):
                optional.append(f"{method.upper()} {path}")
    assert not optional, optional


def test_edit_pages_with_a_version_cover_the_known_edits() -> None:
    """The two pages issue 23 found: the arena page and the comparison weight page."""
    names = {r.name for r in FORM_EDITS}
    assert {"arenas:arena_edit", "review:weight_edit", "portfolio:project_status"} <= names


def test_arena_page_without_version_does_not_overwrite(
    client: Client, secretariat: Any, world: World
) -> None:
    """Two people edit the arena; the second posts without a version: refused, the first
    one's purpose stays."""
    arena = world.arena
    update_arena(
        arena, {"purpose": "Lagret først"}, expected_version=arena.version, actor=secretariat
    )
    response = login(client, secretariat).post(
        f"/arenaer/{arena.pk}/endre/",
        {
            "name": arena.name,
            "short_name": arena.short_name,
            "kind": arena.kind,
            "status": arena.status,
            "purpose": "Overskrevet",
            "published": "on",
        },
    )
    assert response.status_code == 200
    assert "Skjemaet mangler versjonen du startet fra" in response.content.decode()
    arena.refresh_from_db()
    assert arena.purpose == "Lagret først"


def test_weight_page_with_an_old_version_does_not_overwrite(
    client: Client, secretariat: Any, world: World
) -> None:
    from samarbeid.review.models import ComparisonCriterion, ModelComparison
    from samarbeid.review.services import comparisons as services

    comparison = services.create_comparison(
        ModelComparison(title="Modeller", arena=world.arena), actor=secretariat
    )
    criterion = services.add_criterion(
        ComparisonCriterion(comparison=comparison, name="Økonomi", weight=50), actor=secretariat
    )
    seen = criterion.version
    services.set_weight(criterion, 70, expected_version=seen, actor=secretariat)
    url = f"/gjennomgang/sammenligninger/kriterier/{criterion.pk}/vekt/"
    page = login(client, secretariat)
    stale = page.post(url, {"weight": 10, "version": seen})
    assert stale.status_code == 200
    assert "endret av noen andre" in stale.content.decode()
    missing = page.post(url, {"weight": 10})
    assert missing.status_code == 200
    assert "Skjemaet mangler versjonen du startet fra" in missing.content.decode()
    criterion.refresh_from_db()
    assert criterion.weight == 70
