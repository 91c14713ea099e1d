"""What a municipality pays, with its budgets' splits cached per arena (planning.planned_shares,
core.stamps): after any change to an input, the figures equal those computed with an empty
cache; after a change in another arena, no budget of the municipality's arenas is split
again; after one in an arena, only that arena's budgets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import update_arena
from samarbeid.arenas.tests.factories import (
    DecisionFactory,
    MembershipFactory,
    leave_on_decision,
)
from samarbeid.core.services import update_record
from samarbeid.core.stamps import bump
from samarbeid.finance.budgets import delete_budget, update_line
from samarbeid.finance.figures import municipality_payments
from samarbeid.finance.invoicing import create_run
from samarbeid.finance.keys import update_key
from samarbeid.finance.models import AllocationKey, Budget, BudgetLine
from samarbeid.finance.planning import Planner
from samarbeid.finance.run_steps import approve_run, issue_run
from samarbeid.finance.tests import helpers as h
from samarbeid.finance.tests.test_services import VESTFOLD_NOW, Y2026
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality, MunicipalityChange, Population

pytestmark = pytest.mark.django_db

Y2027 = date(2027, 1, 1)
Figures = list[tuple[int, int, Decimal, bool]]


@dataclass
class World:
    larvik: Municipality
    a: Arena  # Larvik and three others: a base line split 50/50 equal/per capita, a project
    c: Arena  # Larvik and Sandefjord: a base line split equally
    b: Arena  # without Larvik
    base: BudgetLine  # A's base line
    key: AllocationKey  # A's 50/50 key
    project: Project  # A's project, Larvik and Horten take part


@pytest.fixture
def world() -> World:
    h.populations(2026, {"3901": 28000, "3905": 65000, "3907": 65500, "3909": 48000, "3911": 27000})
    a = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name="A")
    key = h.key(a, 50, 50)
    equal = h.key(a, 100, 0, name="Likt")
    budget = h.budget(a, 2027, "400000.00", key)
    project = h.project(a, "PA", ["3909", "3901"], Y2026)
    h.project_line(budget, project, "30000.00", equal)
    c = h.arena(["3909", "3907"], Y2026, host="3907", short_name="C")
    h.equal_budget(c, 2027, "50000.00")
    b = h.arena(["3901", "3911"], Y2026, host="3901", short_name="B")
    h.equal_budget(b, 2027, "1000.00")
    return World(
        larvik=h.municipality("3909", Y2026),
        a=a,
        c=c,
        b=b,
        base=budget.lines.get(kind=BudgetLine.Kind.BASE),
        key=key,
        project=project,
    )


@pytest.fixture
def split_arenas(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The arena of every budget split (by the Planner's per-budget split) from now on."""
    seen: list[int] = []
    original = Planner.sums_by_budget

    def counting(self: Planner, **kwargs: Any) -> Any:
        seen.extend(budget.arena_id for budget in self.budgets.values())
        return original(self, **kwargs)

    monkeypatch.setattr(Planner, "sums_by_budget", counting)
    return seen


def figures(municipality: Municipality) -> Figures:
    return [(r.arena_id, r.year, r.amount, r.invoiced) for r in municipality_payments(municipality)]


def uncached(municipality: Municipality) -> Figures:
    cache.clear()
    return figures(municipality)


def _amount(rows: Figures, arena: Arena) -> Decimal:
    return sum((amount for a, _y, amount, _i in rows if a == arena.pk), Decimal("0.00"))


# Each change to an input of A's splits, made through the services (queryset updates that
# raise the stamps in save_versioned) or by saving records (the signals).


def _line_amount(w: World, actor: Any) -> None:
    update_line(w.base, {"amount": Decimal("500000.00")}, expected_version=None, actor=actor)


def _key_weights(w: World, actor: Any) -> None:
    update_key(
        w.key,
        {"equal": Decimal(20), "per_capita": Decimal(80)},
        expected_version=None,
        actor=actor,
    )


def _member_joins(w: World, _actor: Any) -> None:
    sandefjord = h.municipality("3907", Y2026)
    MembershipFactory(
        arena=w.a,
        municipality=sandefjord,
        joined=Y2026,
        decision=DecisionFactory(municipality=sandefjord, meeting_date=Y2026),
    )


def _member_leaves(w: World, actor: Any) -> None:
    horten = w.a.memberships.get(municipality__number="3901")
    leave_on_decision(horten, left=date(2026, 12, 31), decided=date(2026, 6, 1), actor=actor)


def _participant_joins(w: World, _actor: Any) -> None:
    tonsberg = h.municipality("3905", Y2026)
    Participation.objects.create(
        project=w.project,
        municipality=tonsberg,
        status=Participation.Status.JOINED,
        since=Y2026,
        decision=DecisionFactory(municipality=tonsberg, meeting_date=Y2026),
    )


def _participant_withdraws(w: World, actor: Any) -> None:
    horten = w.project.participations.get(municipality__number="3901")
    update_record(
        horten, {"status": Participation.Status.WITHDRAWN}, expected_version=None, actor=actor
    )


def _population(w: World, _actor: Any) -> None:
    figure = Population.objects.get(municipality=w.larvik, year=2026)
    figure.count = 96000
    figure.save(update_fields=["count"])


def _merger(w: World, _actor: Any) -> None:
    # Horten's share of 2027 falls to Larvik (an invented merger, for the test).
    MunicipalityChange.objects.create(
        predecessor=h.municipality("3901", Y2026),
        successor=w.larvik,
        effective=date(2027, 1, 1),
        kind=MunicipalityChange.Kind.MERGER,
    )


def _issued_run(w: World, actor: Any) -> None:
    run = create_run(w.a, 2027, actor=actor, issue_date=date(2027, 3, 1))
    h.ready(run)
    approve_run(run, expected_version=None, actor=actor)
    run.refresh_from_db()
    # An invoice differs from the plan: the invoiced figure is the one shown.
    issue_run(run, expected_version=None, actor=actor)


def _bulk_update(w: World, _actor: Any) -> None:
    BudgetLine.objects.filter(budget__arena=w.a).update(amount=Decimal("1000.00"))
    bump()


CHANGES: dict[str, Callable[[World, Any], None]] = {
    "a budget line's amount": _line_amount,
    "a key's weights": _key_weights,
    "a member joins": _member_joins,
    "a member leaves": _member_leaves,
    "a project participant joins": _participant_joins,
    "a project participant withdraws": _participant_withdraws,
    "a population figure": _population,
    "a merger": _merger,
    "an invoice run issued": _issued_run,
    "a bulk update and bump()": _bulk_update,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_figures_follow_a_change_to_an_input(
    change: str, world: World, secretariat: Any, split_arenas: list[int]
) -> None:
    before = figures(world.larvik)
    assert _amount(before, world.a) > 0
    assert _amount(before, world.c) > 0
    split_arenas.clear()
    CHANGES[change](world, secretariat)
    after = figures(world.larvik)
    split_again = set(split_arenas)
    assert after == uncached(world.larvik)
    if change == "an invoice run issued":
        # A's 2027 is invoiced now: read from the invoices, nothing split
        assert (world.a.pk, 2027, _amount(after, world.a), True) in after
        assert split_again == set()
    else:
        assert _amount(after, world.a) != _amount(before, world.a)
    if change in {"a population figure", "a merger", "a bulk update and bump()"}:
        # shared inputs: every arena (after the merger, Horten's arenas are Larvik's too)
        assert {world.a.pk, world.c.pk} <= split_again
    elif change != "an invoice run issued":
        assert split_again == {world.a.pk}  # a change in A splits A's budgets, not C's


@pytest.mark.parametrize(
    "change",
    ["rename", "line", "member", "key", "participant", "new budget", "delete budget"],
)
def test_a_change_in_another_arena_splits_nothing_again(
    change: str, world: World, secretariat: Any, split_arenas: list[int]
) -> None:
    before = figures(world.larvik)
    assert set(split_arenas) == {world.a.pk, world.c.pk}
    split_arenas.clear()
    b = world.b
    match change:
        case "rename":
            update_arena(b, {"name": "Nytt navn"}, expected_version=None, actor=secretariat)
        case "line":
            line = BudgetLine.objects.get(budget__arena=b)
            update_line(
                line, {"amount": Decimal("2000.00")}, expected_version=None, actor=secretariat
            )
        case "member":
            horten = b.memberships.get(municipality__number="3901")
            leave_on_decision(
                horten, left=date(2026, 6, 30), decided=date(2026, 3, 1), actor=secretariat
            )
        case "key":
            update_key(
                AllocationKey.objects.get(arena=b),
                {"equal": Decimal(50), "per_capita": Decimal(50)},
                expected_version=None,
                actor=secretariat,
            )
        case "participant":
            project = h.project(b, "PB", ["3901"], Y2026)
            h.project_line(
                Budget.objects.get(arena=b), project, "10.00", h.key(b, 100, 0, name="P")
            )
            Participation.objects.filter(project=project).get().delete()
        case "new budget":
            h.budget(b, 2028, "1000.00", AllocationKey.objects.get(arena=b))
        case "delete budget":
            delete_budget(Budget.objects.get(arena=b), actor=secretariat)
    assert figures(world.larvik) == before
    assert split_arenas == []  # every split came from the cache


def test_a_change_in_an_arena_splits_only_its_budgets(
    world: World, secretariat: Any, split_arenas: list[int]
) -> None:
    figures(world.larvik)
    split_arenas.clear()
    _line_amount(world, secretariat)
    figures(world.larvik)
    assert set(split_arenas) == {world.a.pk}
    split_arenas.clear()
    # the other members of A find A's new split cached
    assert figures(h.municipality("3901", Y2026)) == uncached(h.municipality("3901", Y2026))
    split_arenas.clear()
    figures(h.municipality("3905", Y2026))
    assert split_arenas == []


def test_a_moved_record_raises_every_arena(
    world: World, secretariat: Any, split_arenas: list[int]
) -> None:
    """A membership moved to another arena: the arena it left is not known afterwards, so
    every split is computed again."""
    figures(world.larvik)
    split_arenas.clear()
    tonsberg = world.a.memberships.get(municipality__number="3905")
    update_record(tonsberg, {"arena": world.b}, expected_version=None, actor=secretariat)
    assert figures(world.larvik) == uncached(world.larvik)
    assert {world.a.pk, world.c.pk} <= set(split_arenas)


def test_a_budget_that_cannot_be_split_is_left_out_from_the_cache_too(
    world: World, secretariat: Any
) -> None:
    usage = AllocationKey.objects.create(arena=world.c, name="Forbruk", usage=Decimal(100))
    h.budget(world.c, 2028, "1000.00", usage)  # no usage recorded
    first = figures(world.larvik)
    assert {y for a, y, _amount, _i in first if a == world.c.pk} == {2027}
    assert figures(world.larvik) == first == uncached(world.larvik)


def test_the_page_after_a_write_shows_the_change_with_bounded_queries(
    client: Client, world: World, secretariat: Any
) -> None:
    """The first request after a write misses the page's cache and reads the splits from
    theirs: the same number of queries whatever the number of arenas."""
    url = reverse("finance:municipality", args=[world.larvik.code])
    login(client, secretariat)

    def after_a_write(amount: str) -> tuple[int, str]:
        client.get(url)
        update_line(
            world.base, {"amount": Decimal(amount)}, expected_version=None, actor=secretariat
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode().replace("\xa0", " ")

    small, page = after_a_write("500000.00")
    assert _fmt(uncached(world.larvik)) in page
    for index in range(4):
        arena = h.arena(VESTFOLD_NOW, Y2026, host="3905", short_name=f"X{index}")
        h.equal_budget(arena, 2027, "1000.00")
    large, page = after_a_write("600000.00")
    assert _fmt(uncached(world.larvik)) in page
    assert small == large


def _fmt(rows: Figures) -> str:
    """The year's sum as the page shows it."""
    total = sum((amount for _a, y, amount, _i in rows if y == 2027), Decimal("0.00"))
    whole, cents = f"{total:.2f}".split(".")
    return f"{int(whole):,}".replace(",", " ") + "," + cents


def test_memberships_are_read_for_members_only(world: World) -> None:
    """The guard the test world rests on: Larvik is in A and C, not in B."""
    assert set(
        Membership.objects.filter(municipality=world.larvik).values_list("arena_id", flat=True)
    ) == {world.a.pk, world.c.pk}
