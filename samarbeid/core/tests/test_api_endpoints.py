"""The shapes every app's API shares (core.api_endpoints, core.api_schemas): output schemas
that read model instances, the finder (404/403), list narrowing, a PATCH's fields, the
DELETE step, and the options of a write operation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from ninja import Field, Schema

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.tests.factories import ArenaFactory, MembershipFactory
from samarbeid.core.api_endpoints import Finder, deleted, narrowed, sent, through, writes
from samarbeid.core.api_schemas import (
    WRITE_ERRORS,
    MoneyOut,
    MunicipalityNumber,
    Percent4Out,
    Problem,
    ref,
)
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db


class _MembershipOut(Schema):
    arena: int = ref("arena")
    municipality: MunicipalityNumber
    name: str = Field(alias="municipality.name")


class _Figures(Schema):
    amount: MoneyOut
    actual: MoneyOut | None
    percent: Percent4Out


def test_an_output_schema_reads_the_instance_ids_without_a_query(larvik: Municipality) -> None:
    membership = MembershipFactory(municipality=larvik)
    stored = Membership.objects.select_related("municipality").get(pk=membership.pk)
    with CaptureQueriesContext(connection) as queries:
        out = _MembershipOut.from_orm(stored)
    assert len(queries) == 0  # the arena's id is read from arena_id, not the arena
    assert out.model_dump() == {
        "arena": stored.arena_id,
        "municipality": "3909",
        "name": larvik.name,
    }
    # an id is read again from a schema's own output (an answer built from its fields)
    assert _Arena.model_validate(out.model_dump()).arena == stored.arena_id


class _Arena(Schema):
    arena: int = ref("arena")


def test_money_and_percent_are_written_as_exact_strings() -> None:
    out = _Figures.model_validate(
        {"amount": Decimal("1234.5"), "actual": None, "percent": Decimal("12.5")}
    )
    assert out.model_dump() == {"amount": "1234.50", "actual": None, "percent": "12.5000"}
    assert _Figures.model_validate(
        {"amount": Decimal("0.05"), "actual": Decimal("-3"), "percent": 0}
    ).model_dump() == {"amount": "0.05", "actual": "-3.00", "percent": "0.0000"}


def test_sent_keeps_a_null_only_where_it_may_clear(secretariat: Any) -> None:
    class Patch(Schema):
        version: int
        name: str | None = None
        parent: int | None = None

    payload = Patch.model_validate({"version": 2, "name": None, "parent": None})
    assert sent(payload) == {"version": 2, "name": None, "parent": None}
    assert sent(payload, keep_on_null={"name"}) == {"version": 2, "parent": None}
    assert sent(Patch.model_validate({"version": 2})) == {"version": 2}


def test_narrowed_limits_by_the_filters_given_only() -> None:
    first = ArenaFactory(kind=Arena.Kind.STRATEGIC)
    second = ArenaFactory(kind=Arena.Kind.JOINT_TASK_BODY)
    arenas = Arena.objects.filter(pk__in=[first.pk, second.pk])
    assert {a.pk for a in narrowed(arenas, kind=None, pk=0)} == {first.pk, second.pk}
    assert [a.pk for a in narrowed(arenas, kind=Arena.Kind.STRATEGIC, pk=None)] == [first.pk]


def test_the_finder_answers_404_for_the_unseen_and_403_for_the_unchangeable(
    secretariat: Any, public: Any
) -> None:
    shown = ArenaFactory()
    hidden = ArenaFactory(published=False)
    arenas = Finder(lambda user: Arena.objects.visible_to(user), can_edit_arena)
    request = RequestFactory().get("/")
    request.user = public
    assert arenas(request, shown.pk).pk == shown.pk
    with pytest.raises(PermissionDenied):
        arenas(request, shown.pk, change=True)
    with pytest.raises(Http404):
        arenas(request, hidden.pk)
    request.user = secretariat
    assert arenas(request, hidden.pk, change=True).pk == hidden.pk


def test_through_asks_the_rule_of_the_related_record(secretariat: Any, reader: Any) -> None:
    membership = MembershipFactory()
    rule = through("arena", can_edit_arena)
    assert rule(secretariat, membership) is True
    assert rule(reader, membership) is False


def test_deleted_hands_the_version_read_to_the_service(secretariat: Any) -> None:
    seen: dict[str, Any] = {}

    def delete(record: Any, **kwargs: Any) -> None:
        seen.update(kwargs, record=record)

    request = RequestFactory().delete("/")
    request.user = secretariat
    arena = ArenaFactory()
    answer = deleted(request, arena, delete, 3)
    assert (answer.status_code, answer.value) == (204, None)
    assert seen["record"] is arena
    assert (seen["expected_version"], seen["actor"]) == (3, secretariat)
    assert seen["channel"] == "api"


def test_writes_declares_the_token_and_every_write_error() -> None:
    options = writes(201, _Figures)
    assert options["auth"] is WRITE_AUTH
    assert options["response"] == {201: _Figures, **WRITE_ERRORS}
    assert set(options["response"]) == {201, 401, 403, 404, 409, 422}
    assert all(options["response"][code] is Problem for code in WRITE_ERRORS)
