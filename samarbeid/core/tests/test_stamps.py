"""Cached aggregates follow the data: any change through the services (or a bulk write that
bumps the version) makes the next page show the new figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import create_arena, update_arena
from samarbeid.arenas.tests.factories import arena_with_members, leave_on_decision
from samarbeid.core.services import delete_record, update_record
from samarbeid.core.stamps import bump, cached_aggregate, current_version
from samarbeid.core.tests.builders import two_arenas_one_budgeted

pytestmark = pytest.mark.django_db


def test_a_cached_value_is_kept_until_the_data_changes(secretariat: Any) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return Arena.objects.count()

    assert cached_aggregate("t", compute) == 0
    assert cached_aggregate("t", compute) == 0
    assert len(calls) == 1
    arena = create_arena(Arena(name="Ny arena", short_name="NY", kind="other"), actor=secretariat)
    assert cached_aggregate("t", compute) == 1
    update_arena(arena, {"purpose": "Endret"}, expected_version=arena.version, actor=secretariat)
    cached_aggregate("t", compute)
    delete_record(arena, actor=secretariat)
    assert cached_aggregate("t", compute) == 0
    assert len(calls) == 4  # each change (create, update, delete) recomputed once


def test_parts_and_language_are_part_of_the_key() -> None:
    assert cached_aggregate("t", lambda: "a", 1) == "a"
    assert cached_aggregate("t", lambda: "b", 2) == "b"
    assert cached_aggregate("t", lambda: "c", 1) == "a"


def test_bump_raises_the_version() -> None:
    before = current_version()
    bump()
    middle = current_version()
    bump()
    assert len({before, middle, current_version()}) == 3


def test_a_version_raised_in_a_rolled_back_transaction_is_not_used_again(
    secretariat: Any,
) -> None:
    """A figure cached from data that was rolled back must never be served: the change
    after the rollback gets a version of its own, not the rolled-back one."""
    from django.db import transaction

    arena = arena_with_members(["3909"], name="Før")
    with transaction.atomic():
        update_record(arena, {"name": "Rullet tilbake"}, expected_version=None, actor=secretariat)
        seen_inside = cached_aggregate("name", lambda: Arena.objects.get(pk=arena.pk).name)
        transaction.set_rollback(True)
    assert seen_inside == "Rullet tilbake"
    update_record(arena, {"name": "Etter"}, expected_version=None, actor=secretariat)
    assert cached_aggregate("name", lambda: Arena.objects.get(pk=arena.pk).name) == "Etter"


def test_dashboard_counts_follow_a_new_arena(client: Client, secretariat: Any) -> None:
    arena_with_members(["3909", "3901"], name="Første", published=True)
    first = client.get("/").content.decode()
    create_arena(
        Arena(
            name="Andre",
            short_name="AN",
            kind="other",
            published=True,
            established=date(2024, 1, 1),
        ),
        actor=secretariat,
    )
    second = client.get("/").content.decode()
    assert "1 arena er registrert." in first
    assert "2 arenaer er registrert." in second


def test_a_paged_total_is_counted_once_per_data_version(
    secretariat: Any, django_assert_num_queries: Any
) -> None:
    from samarbeid.core.paging import CountCachedPaginator

    arena_with_members(["3909"], name="Første", published=True)
    published = Arena.objects.filter(published=True).order_by("name", "pk")
    assert CountCachedPaginator(published, 50).count == 1
    with django_assert_num_queries(1):  # the data version only
        assert CountCachedPaginator(published, 50).count == 1
    # a different query is a different total
    assert CountCachedPaginator(Arena.objects.filter(published=False), 50).count == 0
    create_arena(
        Arena(name="Andre", short_name="AN", kind="other", published=True),
        actor=secretariat,
    )
    assert CountCachedPaginator(published, 50).count == 2
    assert CountCachedPaginator([1, 2, 3], 2).num_pages == 2  # lists are counted by len


def test_the_review_index_follows_a_new_due_review(client: Client, secretariat: Any) -> None:
    arena = arena_with_members(["3909"], name="Snart vurdert", published=True)
    assert "Snart vurdert" not in client.get("/gjennomgang/").content.decode()
    update_arena(
        arena,
        {"next_review": timezone.localdate()},
        expected_version=arena.version,
        actor=secretariat,
    )
    assert "Snart vurdert" in client.get("/gjennomgang/").content.decode()


def test_a_municipalitys_projects_follow_a_new_participation(
    client: Client, secretariat: Any
) -> None:
    from samarbeid.portfolio.models import Participation, Project

    arena = arena_with_members(["3909"], name="Prosjektarena", published=True)
    project = Project.objects.create(
        arena=arena, code="P-1", title="Felles innkjøp", published=True
    )
    assert "Felles innkjøp" not in client.get("/kommuner/3909/").content.decode()
    Participation.objects.create(
        project=project,
        municipality=arena.memberships.get().municipality,
        status=Participation.Status.INVITED,
        since=date(2025, 1, 1),
    )
    assert "Felles innkjøp" in client.get("/kommuner/3909/").content.decode()


def test_a_part_is_read_alone_and_the_whole_computed_once() -> None:
    from samarbeid.core.stamps import cached_part

    calls: list[int] = []

    def whole() -> dict[str, list[int]]:
        calls.append(1)
        return {"a": [1], "b": [2, 3]}

    assert cached_part("t", whole, "a", [], 7) == [1]
    assert cached_part("t", whole, "b", [], 7) == [2, 3]
    assert len(calls) == 1  # the miss cached every part
    assert cached_part("t", whole, "c", [], 7) == []  # not in the whole: the default
    bump()
    assert cached_part("t", whole, "a", [], 7) == [1]
    assert len(calls) == 3


# The stamps of the budget splits ---------------------------------------------------------------


def _stamps(*arenas: Arena) -> tuple[int, list[int]]:
    from samarbeid.core.stamps import split_versions

    shared, versions = split_versions(a.pk for a in arenas)
    return shared, [versions[a.pk] for a in arenas]


def test_bump_raises_the_shared_stamp_and_bump_with_arenas_only_theirs() -> None:
    one = arena_with_members(["3909"], name="En")
    two = arena_with_members(["3901"], name="To")
    shared, (first, second) = _stamps(one, two)
    version = current_version()
    bump(arenas=[one.pk])
    after_one, (raised, unchanged) = _stamps(one, two)
    assert (after_one, unchanged) == (shared, second)
    assert raised != first
    assert current_version() != version
    bump()
    now_shared, versions = _stamps(one, two)
    assert now_shared != shared
    assert versions == [raised, second]


def test_the_planners_inputs_are_all_described() -> None:
    """Every model finance.planning reads raises a split stamp when it changes."""
    from django.db.models import Model

    from samarbeid.core import stamps
    from samarbeid.finance import plan_inputs, planning

    read = {
        value._meta.label
        for module in (planning, plan_inputs)
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Model)
    }
    assert "finance.BudgetLine" in read
    assert "registry.Population" in read
    for label in read:
        assert label in stamps.SPLIT_INPUTS, label
        assert stamps.SPLIT_INPUTS[label][0] is not stamps.no_arena, label


def _change(kind: str, one: Arena, two: Arena, actor: Any) -> None:
    """One change of `kind` in arena `one` (or outside every arena)."""
    from samarbeid.arenas.tests.factories import DecisionFactory
    from samarbeid.core.services import update_record
    from samarbeid.finance.models import AllocationKey, BudgetLine, KeyUsage
    from samarbeid.portfolio.models import Participation, Project
    from samarbeid.registry.models import Municipality, Population

    larvik = Municipality.objects.current().get(number="3909")
    match kind:
        case "arena renamed":
            update_arena(one, {"name": "Nytt navn"}, expected_version=None, actor=actor)
        case "member leaves":
            leave_on_decision(
                one.memberships.get(), left=date(2026, 1, 31), decided=date(2026, 1, 5), actor=actor
            )
        case "membership moved":
            update_record(one.memberships.get(), {"arena": two}, expected_version=None, actor=actor)
        case "budget line":
            line = BudgetLine.objects.get(budget__arena=one, kind=BudgetLine.Kind.BASE)
            update_record(line, {"amount": Decimal("1.00")}, expected_version=None, actor=actor)
        case "budget line deleted":
            BudgetLine.objects.get(budget__arena=one, kind=BudgetLine.Kind.BASE).delete()
        case "key usage":
            KeyUsage.objects.create(
                key=AllocationKey.objects.get(arena=one), municipality=larvik, year=2026, units=3
            )
        case "participation":
            Participation.objects.create(
                project=Project.objects.get(code="P"),
                municipality=larvik,
                status=Participation.Status.JOINED,
                since=date(2026, 1, 1),
                decision=DecisionFactory(municipality=larvik),
            )
        case "decision":
            DecisionFactory(municipality=larvik)
        case "population":
            Population.objects.create(municipality=larvik, year=2031, count=1)
        case "municipality":
            larvik.name = "Larvik"
            larvik.save()
        case "full save of a membership":
            one.memberships.get().save()


@pytest.mark.parametrize(
    ("kind", "raises"),
    [
        ("arena renamed", "one"),
        ("member leaves", "one"),
        ("budget line", "one"),
        ("budget line deleted", "one"),
        ("key usage", "one"),
        ("participation", "one"),  # followed to the budgets whose lines name the project
        ("decision", "none"),
        ("population", "shared"),
        ("municipality", "shared"),
        ("membership moved", "shared"),  # the arena it left is not known afterwards
        ("full save of a membership", "shared"),  # any field may have moved it
    ],
)
def test_which_stamp_a_change_raises(kind: str, raises: str, secretariat: Any) -> None:
    from samarbeid.finance.models import BudgetLine
    from samarbeid.portfolio.models import Project

    one, two, base = two_arenas_one_budgeted()
    # a project of arena `two` on a line of `one`'s budget (written before the project moved)
    BudgetLine.objects.create(
        budget=base.budget,
        kind=BudgetLine.Kind.PROJECT,
        project=Project.objects.create(arena=two, code="P", title="P"),
        description="P",
        amount=Decimal(1),
        key=base.key,
    )
    shared, (first, second) = _stamps(one, two)
    version = current_version()
    _change(kind, one, two, secretariat)
    now_shared, (now_first, now_second) = _stamps(one, two)
    assert current_version() != version  # every change raises the data version
    assert now_second == second
    assert (now_shared != shared, now_first != first) == {
        "one": (False, True),
        "shared": (True, False),
        "none": (False, False),
    }[raises]


def test_an_arena_can_be_deleted_and_its_stamp_stays(secretariat: Any) -> None:
    arena = arena_with_members(["3909"], name="Borte")
    _shared, (before,) = _stamps(arena)
    pk = arena.pk
    arena.delete()  # its membership goes first, raising the stamp of an arena being deleted
    from samarbeid.core.stamps import split_versions

    assert split_versions([pk])[1][pk] != before
