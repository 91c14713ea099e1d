"""Invalidation owned by the write path (issue 18 point 5), for finance: every service that
makes or changes invoices raises the stamps the cached figures read (what a municipality
pays, the splits of the run's arena), with the model signals off, so no service needs to
call `bump()` by hand; and none does."""

from __future__ import annotations

import ast
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from samarbeid.core import stamps
from samarbeid.core.tests.test_write_path_stamps import signals_off  # noqa: F401 (a fixture)
from samarbeid.finance import invoicing, run_steps
from samarbeid.finance.corrections import credit_invoice, issue_replacement
from samarbeid.finance.models import Invoice, InvoiceRun
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026

pytestmark = pytest.mark.django_db


def _state(arena_id: int) -> tuple[int, int]:
    """The data version (what a municipality pays is cached under it) and the arena's
    split stamp."""
    return stamps.current_version(), stamps.split_versions([arena_id])[1][arena_id]


def _draft(arena: Any, actor: Any) -> InvoiceRun:
    return invoicing.create_run(arena, 2026, actor=actor)


def _approved(arena: Any, actor: Any) -> InvoiceRun:
    run = h.ready(_draft(arena, actor))
    run_steps.approve_run(run, expected_version=None, actor=actor)
    return run


def _issued(arena: Any, actor: Any) -> Invoice:
    run = _approved(arena, actor)
    run_steps.issue_run(run, expected_version=None, actor=actor)
    invoice = run.invoices.order_by("pk").first()
    assert invoice is not None
    return invoice


def _credited(arena: Any, actor: Any) -> Invoice:
    invoice = _issued(arena, actor)
    credit_invoice(invoice, "Feil", actor=actor)
    return invoice


# (what to prepare, the service to run on it, whether it raises the arena's split stamp)
SERVICES: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any], bool]] = {
    "create_run": (lambda arena, actor: arena, _draft, True),
    "refresh_run": (
        _draft,
        lambda run, actor: run_steps.refresh_run(run, expected_version=None, actor=actor),
        False,
    ),
    "set_run_account": (
        _draft,
        lambda run, actor: run_steps.set_run_account(
            run, h.ACCOUNT, expected_version=None, actor=actor
        ),
        True,
    ),
    "approve_run": (
        lambda arena, actor: h.ready(_draft(arena, actor)),
        lambda run, actor: run_steps.approve_run(run, expected_version=None, actor=actor),
        True,
    ),
    "issue_run": (
        _approved,
        lambda run, actor: run_steps.issue_run(run, expected_version=None, actor=actor),
        True,
    ),
    "delete_run": (
        _draft,
        lambda run, actor: run_steps.delete_run(run, expected_version=None, actor=actor),
        True,
    ),
    "credit_invoice": (
        _issued,
        lambda invoice, actor: credit_invoice(invoice, "Feil", actor=actor),
        False,
    ),
    "issue_replacement": (
        _credited,
        lambda invoice, actor: issue_replacement(
            invoice, {1: Decimal("1.00")}, "Rett", actor=actor
        ),
        False,
    ),
}


@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.usefixtures("signals_off")
def test_every_invoicing_service_raises_the_stamps_without_the_signals(
    name: str, secretariat: Any
) -> None:
    arena = h.arena(VESTFOLD_NOW, Y2026, host="3905")
    h.equal_budget(arena, 2026, "400000.00")
    prepare, act, raises_arena = SERVICES[name]
    target = prepare(arena, secretariat)
    before = _state(arena.pk)
    act(target, secretariat)
    after = _state(arena.pk)
    assert after[0] != before[0], "the data version is raised"
    if raises_arena:
        assert after[1] != before[1], "the arena's split stamp is raised"


def test_no_finance_module_raises_the_stamps_by_hand() -> None:
    """The write path and `bulk_write` raise the stamps; a call of `bump` would be a second
    way to keep in mind."""
    root = Path(__file__).resolve().parents[1]
    calls = [
        f"{path.relative_to(root)}:{node.lineno}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "bump"
    ]
    assert calls == []
