"""Careless and hostile input gets a 4xx, never a 500 or a silent conversion (issue 23,
point 6), and the OpenAPI document names each enum truthfully (point 8)."""

from __future__ import annotations

import enum
import json
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import icalendar
import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from conftest import bearer, login
from samarbeid.arenas.models import Arena
from samarbeid.core.api_input import type_problems
from samarbeid.governance.models import ProcessPlan, ProcessStep

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _arena(**fields: Any) -> dict[str, Any]:
    return {"name": "Testarena", "short_name": "TA", "kind": "strategic", **fields}


def _post(client: Client, user: Any, body: str, content_type: str = "application/json") -> Any:
    return client.post("/api/v1/arenas", body, content_type=content_type, headers=bearer(user))


def test_a_body_that_is_not_json_answers_415(client: Client, secretariat: Any) -> None:
    body = json.dumps(_arena(name="Null\u0000arena"))
    response = _post(client, secretariat, body, "text/plain")
    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM
    assert not Arena.objects.filter(short_name="TA").exists()
    # the same body as JSON is refused by the NUL guard
    assert _post(client, secretariat, body).status_code == 422


def test_a_too_large_body_answers_413(client: Client, secretariat: Any) -> None:
    big = "x" * (11 * 1024 * 1024)
    for content_type in ("text/plain", "application/json"):
        response = _post(client, secretariat, big, content_type)
        assert response.status_code == 413
        assert response["Content-Type"] == PROBLEM
    # a page answers with a short page of its own
    login(client, secretariat)
    response = client.post(
        reverse("arenas:arena_create"), big, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "Innsendingen er for stor" in response.content.decode()


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('"Testarena"', ["body", "payload"]),
        ("[1, 2]", ["body", "payload"]),
        (json.dumps(_arena(established=0)), ["body", "payload", "established"]),
        (json.dumps(_arena(parent=False)), ["body", "payload", "parent"]),
        # an id as text: a clerk's trial had a population "count": "5" accepted
        (json.dumps(_arena(parent="1")), ["body", "payload", "parent"]),
        (json.dumps(_arena(published=1)), ["body", "payload", "published"]),
        ('{"name": "A", "name": "B", "short_name": "TA", "kind": "strategic"}', ["body"]),
    ],
)
def test_lax_or_ambiguous_json_answers_422(
    client: Client, secretariat: Any, body: str, where: list[str]
) -> None:
    response = _post(client, secretariat, body)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    assert [e["loc"] for e in response.json()["errors"]] == [where]
    assert not Arena.objects.filter(short_name="TA").exists()


def test_strict_json_still_takes_what_it_should(client: Client, secretariat: Any) -> None:
    response = _post(client, secretariat, json.dumps(_arena(established="2020-01-02")))
    assert response.status_code == 201, response.content
    assert Arena.objects.get(short_name="TA").established == date(2020, 1, 2)
    response = client.post(
        "/api/v1/arenas", "{not json", content_type="application/json", headers=bearer(secretariat)
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_type_problems() -> None:
    assert type_problems(False, int, ["w"]) != []
    assert type_problems(3, int, ["w"]) == []
    assert type_problems("5", int, ["w"]) != []
    assert type_problems("12.50", Decimal, ["m"]) == []  # amounts are text, exact
    assert type_problems(0, date | None, ["d"]) != []
    assert type_problems(None, date | None, ["d"]) == []
    assert type_problems("2024-01-01", date, ["d"]) == []
    assert type_problems([True], list[int], ["l"]) == [
        {
            "loc": ["l", "0"],
            "msg": "Skal være et tall, ikke true eller false.",
            "type": "strict_type",
        }
    ]


def test_a_plan_titled_with_line_breaks_makes_a_calendar(client: Client) -> None:
    plan = ProcessPlan.objects.create(title="Første linje\r\nAndre; linje, slutt", published=True)
    ProcessStep.objects.create(
        plan=plan, order=1, title="Steg\nmed linjeskift", planned_date=date(2025, 1, 2)
    )
    response = client.get(reverse("governance:plan_ics", args=[plan.pk]))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert str(events[0]["summary"]) == "Steg\nmed linjeskift"


def _choices_by_component_name() -> dict[str, type[enum.Enum]]:
    from django.apps import apps

    found: dict[str, type[enum.Enum]] = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("samarbeid."):  # module-level choices and enums
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, enum.Enum)
                    and value.__module__ == name
                ):
                    found.setdefault(value.__name__, value)
    for model in apps.get_models():
        for klass in model.__mro__:
            for attribute in vars(klass).values():
                if isinstance(attribute, type) and issubclass(attribute, models.Choices):
                    nested = attribute.__qualname__ != attribute.__name__
                    name = f"{klass.__name__}{attribute.__name__}" if nested else attribute.__name__
                    found.setdefault(name, attribute)
    return found


def test_every_enum_of_the_api_is_its_own_and_truthful(client: Client) -> None:
    from ninja.openapi import schema as openapi

    registered: dict[str, list[Any]] = {}
    original = openapi.OpenAPISchema.add_schema_definitions

    def recording(self: Any, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            registered.setdefault(name, []).append(definition)
        original(self, definitions)

    openapi.OpenAPISchema.add_schema_definitions = recording  # type: ignore[method-assign]
    try:
        document = client.get("/api/v1/openapi.json").json()
    finally:
        openapi.OpenAPISchema.add_schema_definitions = original  # type: ignore[method-assign]
    # no component name is given to two different definitions
    clashes = {n: d for n, d in registered.items() if any(x != d[0] for x in d)}
    assert clashes == {}
    choices = _choices_by_component_name()
    enums = {n: c for n, c in document["components"]["schemas"].items() if "enum" in c}
    assert {"ArenaKind", "ArenaStatus", "ProjectStatus", "QuestionKind"} <= set(enums)
    for name, component in enums.items():
        assert name in choices, f"{name} is not named after a model's choices"
        assert component["enum"] == [str(c.value) for c in choices[name]], name
    # the unparsable body is documented wherever a body is read
    for operations in document["paths"].values():
        for operation in operations.values():
            if operation.get("requestBody"):
                assert {"400", "413", "415", "422"} <= set(operation["responses"])


def test_the_reported_comparison_inputs_are_refused(client: Client, secretariat: Any) -> None:
    from samarbeid.review.models import ModelComparison

    headers = bearer(secretariat)
    bare = client.post(
        "/api/v1/comparisons", '"Sammenligning"', content_type="application/json", headers=headers
    )
    assert bare.status_code == 422
    assert not ModelComparison.objects.exists()
    made = client.post(
        "/api/v1/comparisons", {"title": "Sammenligning"}, "application/json", headers=headers
    )
    assert made.status_code == 201, made.content
    criteria = f"/api/v1/comparisons/{made.json()['id']}/criteria"
    refused = client.post(
        criteria, {"name": "Kvalitet", "weight": False}, "application/json", headers=headers
    )
    assert refused.status_code == 422, refused.content
    assert refused.json()["errors"][0]["loc"] == ["body", "payload", "weight"]
    taken = client.post(
        criteria, {"name": "Kvalitet", "weight": 0}, "application/json", headers=headers
    )
    assert taken.status_code == 201, taken.content


def test_every_json_body_of_the_api_is_read_strictly() -> None:
    from ninja.params.models import BodyModel, ParamModel

    from samarbeid.api import api
    from samarbeid.core.api_input import _strict_body_data

    def routers(found: list[Any]) -> list[Any]:
        return [r for _prefix, r, *_ in found] + [
            child for _prefix, r, *_ in found for child in routers(r._routers)
        ]

    bodies = [
        model
        for router in routers(api._routers)
        for view in router.path_operations.values()
        for operation in view.operations
        for model in operation.models
        if issubclass(model, BodyModel) and model.__ninja_param_source__ == "body"
    ]
    assert len(bodies) > 50
    assert all(model.get_request_data.__func__ is _strict_body_data for model in bodies)
    # ninja's own resolve maps and validates what the strict reading gives it
    assert all(model.resolve.__func__ is ParamModel.resolve.__func__ for model in bodies)
