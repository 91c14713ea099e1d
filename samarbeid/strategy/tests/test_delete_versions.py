"""Deleting a part of a draft plan through the API carries the version read (issue 23): without
it 422, with an older one than stored 409 and nothing deleted, with the stored one 204."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.audit.models import AuditEntry
from samarbeid.strategy.models import FocusArea, Goal, PlanItem, StrategicPlan
from samarbeid.strategy.tests.helpers import area, arena_of, goal, plan

pytestmark = pytest.mark.django_db
API = "/api/v1"

Part = PlanItem | FocusArea | Goal


def _item(p: StrategicPlan) -> PlanItem:
    return PlanItem.objects.create(plan=p, kind=PlanItem.Kind.SUCCESS_FACTOR, title="Forankring")


def _area(p: StrategicPlan) -> FocusArea:
    return area(p, "Helse")


def _goal(p: StrategicPlan) -> Goal:
    return goal(p, 1)


PARTS: list[tuple[str, Callable[[StrategicPlan], Part]]] = [
    ("items", _item),
    ("focus-areas", _area),
    ("goals", _goal),
]


def _delete(client: Client, url: str) -> Any:
    return client.generic("DELETE", url, data=json.dumps({}), content_type="application/json")


@pytest.mark.parametrize(("path", "make"), PARTS, ids=[p for p, _ in PARTS])
def test_deleting_a_plan_part_needs_the_version_read(
    client: Client, secretariat: Any, path: str, make: Callable[[StrategicPlan], Part]
) -> None:
    p = plan(arena_of(["3909"]))
    part = make(p)
    url = f"{API}/strategic-plans/{p.pk}/{path}/{part.pk}"
    login(client, secretariat)

    missing = _delete(client, url)
    assert missing.status_code == 422, missing.content
    assert missing["Content-Type"] == "application/problem+json"
    assert type(part).objects.filter(pk=part.pk).exists()

    # someone saved the part since it was read
    type(part).objects.filter(pk=part.pk).update(version=F("version") + 1)
    stale = _delete(client, f"{url}?version={part.version}")
    assert stale.status_code == 409, stale.content
    assert stale.json()["current_version"] == part.version + 1
    assert type(part).objects.filter(pk=part.pk).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()

    done = _delete(client, f"{url}?version={part.version + 1}")
    assert done.status_code == 204, done.content
    assert not type(part).objects.filter(pk=part.pk).exists()
    assert AuditEntry.objects.filter(action="delete", channel="api").count() == 1


def test_the_version_is_required_in_the_api_schema() -> None:
    from samarbeid.api import api

    paths = api.get_openapi_schema()["paths"]
    for path in ("items/{item_id}", "focus-areas/{focus_area_id}", "goals/{goal_id}"):
        operation = paths[f"/api/v1/strategic-plans/{{plan_id}}/{path}"]["delete"]
        version = [p for p in operation["parameters"] if p["name"] == "version"]
        assert version
        assert version[0]["required"] is True
        assert version[0]["in"] == "query"


PAGE_KINDS = [("punkt", _item), ("innsatsomrade", _area), ("mal", _goal)]


@pytest.mark.parametrize(("kind", "make"), PAGE_KINDS, ids=[k for k, _ in PAGE_KINDS])
def test_the_page_deletes_a_part_only_as_it_was_read(
    client: Client, secretariat: Any, kind: str, make: Callable[[StrategicPlan], Part]
) -> None:
    p = plan(arena_of(["3909"]))
    part = make(p)
    login(client, secretariat)
    page = client.get(p.get_absolute_url()).content.decode()
    assert f'name="version" value="{part.version}"' in page
    url = reverse("strategy:part_delete", args=[kind, part.pk])

    def said(response: Any) -> str:
        assert response.status_code == 302
        return " ".join(str(m) for m in response.wsgi_request._messages)

    assert "mangler versjonen" in said(client.post(url))
    type(part).objects.filter(pk=part.pk).update(version=F("version") + 1)
    assert "endret av noen andre" in said(client.post(url, {"version": part.version}))
    assert type(part).objects.filter(pk=part.pk).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()

    assert said(client.post(url, {"version": part.version + 1})).endswith("Slettet.")
    assert not type(part).objects.filter(pk=part.pk).exists()
