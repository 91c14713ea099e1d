"""Every finance DELETE in the API takes the version the caller read (issue 23): without
it 422, with an older one 409, and in both cases nothing is deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import F, Model
from django.test import Client

from conftest import problem_of
from samarbeid.core.versioning import VersionConflict, check_version
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine, InvoiceReference
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026

pytestmark = pytest.mark.django_db


def _key(arena: Any, actor: Any) -> tuple[Model, str]:
    return h.key(arena, 100, 0, name="Ubrukt"), "/api/v1/finance/keys/{pk}"


def _budget(arena: Any, actor: Any) -> tuple[Model, str]:
    return h.equal_budget(arena, 2026, "1000.00"), "/api/v1/finance/budgets/{pk}"


def _line(arena: Any, actor: Any) -> tuple[Model, str]:
    budget = h.equal_budget(arena, 2026, "1000.00")
    return budget.lines.get(), "/api/v1/finance/budget-lines/{pk}"


def _run(arena: Any, actor: Any) -> tuple[Model, str]:
    h.equal_budget(arena, 2026, "1000.00")
    return create_run(arena, 2026, actor=actor), "/api/v1/finance/runs/{pk}"


def _reference(arena: Any, actor: Any) -> tuple[Model, str]:
    reference = InvoiceReference.objects.create(
        municipality=h.municipality("3909", Y2026), arena=arena, reference="L-1"
    )
    return reference, "/api/v1/finance/invoice-references/{pk}"


MAKERS: dict[str, Callable[[Any, Any], tuple[Model, str]]] = {
    "key": _key,
    "budget": _budget,
    "line": _line,
    "run": _run,
    "reference": _reference,
}


@pytest.mark.parametrize("kind", list(MAKERS))
def test_a_delete_without_the_version_read_is_refused_and_deletes_nothing(
    client: Client, secretariat: Any, kind: str
) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    record, path = MAKERS[kind](arena, secretariat)
    client.force_login(secretariat)
    url = path.format(pk=record.pk)
    problem = problem_of(client.delete(url), 422)
    assert "version" in str(problem)
    assert type(record)._default_manager.filter(pk=record.pk).exists()


@pytest.mark.parametrize("kind", list(MAKERS))
def test_a_delete_with_an_older_version_is_a_conflict_and_deletes_nothing(
    client: Client, secretariat: Any, kind: str
) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    record, path = MAKERS[kind](arena, secretariat)
    manager = type(record)._default_manager
    manager.filter(pk=record.pk).update(version=F("version") + 1)  # someone saved since
    client.force_login(secretariat)
    url = path.format(pk=record.pk)
    problem_of(client.delete(f"{url}?version=1"), 409)
    assert manager.filter(pk=record.pk).exists()
    response = client.delete(f"{url}?version=2")
    assert response.status_code == 204, response.content
    assert not manager.filter(pk=record.pk).exists()


def test_the_references_listed_carry_the_version_to_delete_with(
    client: Client, secretariat: Any
) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    reference, _ = _reference(arena, secretariat)
    client.force_login(secretariat)
    listed = client.get("/api/v1/finance/invoice-references").json()["items"]
    assert [(r["id"], r["version"]) for r in listed] == [(reference.pk, 1)]


def test_check_version_refuses_a_newer_stored_version(secretariat: Any) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    key = h.key(arena, 100, 0)
    check_version(key, None)
    check_version(key, 1)
    AllocationKey.objects.filter(pk=key.pk).update(version=3)
    with pytest.raises(VersionConflict) as refused:
        check_version(key, 1)
    assert isinstance(refused.value.current, AllocationKey)
    assert refused.value.current.version == 3
    assert Budget.objects.count() == BudgetLine.objects.count() == 0
