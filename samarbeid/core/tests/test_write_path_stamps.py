"""The write path owns cache invalidation (issue 18 point 5): core.services' create, update
and delete raise the stamps the cached figures read, with no model signal to help; a bulk
write inside `stamps.bulk_write` raises them once; every app says from its AppConfig what
feeds the cached figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import (
    ArenaFactory,
    DecisionFactory,
    MembershipFactory,
    arena_with_members,
)
from samarbeid.core import services, stamps
from samarbeid.core.tests.builders import two_arenas_one_budgeted
from samarbeid.finance.models import BudgetLine
from samarbeid.portfolio.models import Project
from samarbeid.registry.demo import DEMO_POPULATION
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.services import (
    DEFAULT_LEGAL_ENTITIES,
    import_legal_entities,
    import_population,
)

pytestmark = pytest.mark.django_db

# Apps below or beside the domains: their records feed no cached figure.
# personal records (who a user is, what they were reminded of) feed no figure
# jobs: background tasks' own records (status, progress), which no cached figure reads
NOT_FEEDING = {"core", "accounts", "audit", "reminders", "signin", "jobs"}


def _domain_apps() -> list[Any]:
    return [
        config
        for config in apps.get_app_configs()
        if config.name.startswith("samarbeid.")
        and config.label not in NOT_FEEDING
        and list(config.get_models())
    ]


def _feeding_models() -> list[type[models.Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.label in stamps.FEEDING_APPS
        for model in config.get_models()
    ]


@pytest.fixture
def signals_off() -> Iterator[None]:
    """The model signals disconnected: whatever is raised, the write path raised."""
    models_ = _feeding_models()
    for model in models_:
        label = model._meta.label
        assert post_save.disconnect(sender=model, dispatch_uid=f"stamp-save-{label}")
        assert post_delete.disconnect(sender=model, dispatch_uid=f"stamp-delete-{label}")
    try:
        yield
    finally:
        for model in models_:
            label = model._meta.label
            post_save.connect(stamps._saved, sender=model, dispatch_uid=f"stamp-save-{label}")
            post_delete.connect(stamps._deleted, sender=model, dispatch_uid=f"stamp-delete-{label}")


def _state(*arenas: Arena) -> tuple[int, int, list[int]]:
    """The data version, the shared stamp, and each arena's stamp."""
    shared, versions = stamps.split_versions(a.pk for a in arenas)
    return stamps.current_version(), shared, [versions[a.pk] for a in arenas]


def _raised(before: tuple[int, int, list[int]], after: tuple[int, int, list[int]]) -> str:
    """Which stamps a change raised: "shared", "first" (the first arena's), or "data"."""
    assert after[0] != before[0], "every change raises the data version"
    assert after[2][1:] == before[2][1:], "the other arenas' stamps stay"
    if after[1] != before[1]:
        assert after[2][0] == before[2][0]
        return "shared"
    return "first" if after[2][0] != before[2][0] else "data"


# Every app registers -----------------------------------------------------------------------


def test_every_domain_app_registers_what_feeds_the_cached_figures() -> None:
    domain = {config.label for config in _domain_apps()}
    assert domain <= stamps.FEEDING_APPS
    assert stamps.FEEDING_APPS.isdisjoint(NOT_FEEDING)
    # The split inputs are real models, each described by the app that caches the splits.
    for label in stamps.SPLIT_INPUTS:
        assert apps.get_model(label)._meta.app_label in stamps.FEEDING_APPS, label
    assert {"registry", "arenas", "portfolio", "finance"} <= stamps.SPLIT_APPS


@pytest.mark.parametrize("model", _feeding_models(), ids=lambda model: model._meta.label)
@pytest.mark.usefixtures("signals_off")
def test_a_service_write_of_every_registered_record_raises_the_stamps(
    model: type[models.Model],
) -> None:
    """create_record and delete_record of any record of a registering app raise the stamps
    its split rule names (the save itself is not what is tested here, so it is stubbed)."""
    obj = model()
    raised: list[stamps.Scope] = []
    with (
        mock.patch.object(stamps, "_raise_now", side_effect=raised.append),
        mock.patch.object(model, "full_clean"),
        mock.patch.object(model, "save"),
        mock.patch.object(model, "delete"),
        mock.patch.object(services, "record"),
    ):
        services.create_record(obj, actor=None)
        assert raised == [stamps.split_scope(obj)]
        services.delete_record(obj, actor=None)
        assert raised[1:] == [stamps.split_scope(obj)]


# Through the write path, signals off -------------------------------------------------------


@pytest.fixture
def two_arenas(secretariat: Any) -> tuple[Arena, Arena]:
    one, two, _base = two_arenas_one_budgeted()
    Project.objects.create(arena=one, code="P", title="P")
    return one, two


def _write(kind: str, one: Arena, two: Arena, actor: Any) -> None:
    larvik = Municipality.objects.current().get(number="3909")
    match kind:
        case "arena updated":  # a versioned record: save_versioned
            services.update_record(one, {"name": "Nytt"}, expected_version=None, actor=actor)
        case "membership ends":
            services.update_record(
                one.memberships.get(),
                {"left": date(2026, 1, 31)},
                expected_version=None,
                actor=actor,
            )
        case "membership moved":
            services.update_record(
                one.memberships.get(), {"arena": two}, expected_version=None, actor=actor
            )
        case "project created":
            services.create_record(Project(arena=one, code="Q", title="Q"), actor=actor)
        case "budget line deleted":
            line = BudgetLine.objects.get(budget__arena=one)
            services.delete_record(line, actor=actor)
        case "population created":  # a record without a version: a plain save
            services.create_record(Population(municipality=larvik, year=2031, count=1), actor=actor)
        case "population updated":
            figure = Population.objects.create(municipality=larvik, year=2032, count=1)
            before = stamps.current_version()
            services.update_record(figure, {"count": 2}, expected_version=None, actor=actor)
            assert stamps.current_version() != before
        case "decision created":
            services.create_record(DecisionFactory.build(municipality=larvik), actor=actor)


@pytest.mark.parametrize(
    ("kind", "raises"),
    [
        ("arena updated", "first"),
        ("membership ends", "first"),
        ("membership moved", "shared"),
        ("project created", "first"),
        ("budget line deleted", "first"),
        ("population created", "shared"),
        ("population updated", "shared"),
        ("decision created", "data"),
    ],
)
def test_the_write_path_raises_the_stamps_without_the_signals(
    kind: str, raises: str, two_arenas: tuple[Arena, Arena], secretariat: Any, signals_off: None
) -> None:
    one, two = two_arenas
    before = _state(one, two)
    _write(kind, one, two, secretariat)
    assert _raised(before, _state(one, two)) == raises


def test_a_deleted_arenas_stamp_is_raised_by_the_write_path(
    secretariat: Any, signals_off: None
) -> None:
    arena = Arena.objects.create(name="Borte", short_name="BO", kind="other")
    pk = arena.pk
    before = stamps.split_versions([pk])[1][pk]
    services.delete_record(arena, actor=secretariat)
    assert stamps.split_versions([pk])[1][pk] != before


def test_the_write_path_raises_once_per_write(secretariat: Any) -> None:
    """With the signals on, the write path's own record is not raised twice."""
    arena = arena_with_members(["3909"], name="En")
    with mock.patch.object(stamps, "_raise_data", wraps=stamps._raise_data) as raised:
        services.update_record(
            arena.memberships.get(),
            {"left": date(2026, 1, 31)},
            expected_version=None,
            actor=secretariat,
        )
        larvik = Municipality.objects.current().get(number="3909")
        services.create_record(Population(municipality=larvik, year=2031, count=1), actor=None)
    assert raised.call_count == 2


# Bulk writes -------------------------------------------------------------------------------


def test_a_bulk_write_raises_once_at_its_end(secretariat: Any) -> None:
    one = arena_with_members(["3909"], name="En")
    larvik = Municipality.objects.current().get(number="3909")
    before = _state(one)
    with (
        mock.patch.object(stamps, "_raise_data", wraps=stamps._raise_data) as raised,
        stamps.bulk_write(arenas=[one.pk]),
    ):
        for year in (2031, 2032, 2033):
            services.create_record(
                Population(municipality=larvik, year=year, count=1), actor=secretariat
            )
        Arena.objects.filter(pk=one.pk).update(purpose="Skrevet i bulk")  # no signal
        with stamps.bulk_write(arenas=()):  # a nested one raises with the outer
            pass
        assert raised.call_count == 0
    assert raised.call_count == 1
    after = _state(one)
    assert after[1] != before[1]  # the population feeds every split


def test_a_bulk_write_naming_its_arenas_raises_only_theirs() -> None:
    one = arena_with_members(["3909"], name="En")
    two = arena_with_members(["3901"], name="To")
    before = _state(one, two)
    with stamps.bulk_write(arenas=[one.pk]):
        Arena.objects.filter(pk=one.pk).update(purpose="Skrevet i bulk")
    assert _raised(before, _state(one, two)) == "first"


def test_a_read_inside_a_bulk_write_sees_what_it_wrote(secretariat: Any) -> None:
    one = arena_with_members(["3909"], name="Før")

    def name() -> str:
        return stamps.cached_aggregate("name", lambda: Arena.objects.get(pk=one.pk).name)

    with stamps.bulk_write(arenas=[one.pk]):
        assert name() == "Før"
        services.update_record(one, {"name": "Etter"}, expected_version=None, actor=secretariat)
        assert name() == "Etter"  # the write path's change is raised before the read
        Arena.objects.filter(pk=one.pk).update(name="I bulk")  # no signal: seen at the end
    assert name() == "I bulk"


def test_a_bulk_write_that_fails_is_rolled_back_with_its_stamps() -> None:
    version = stamps.current_version()

    def fail() -> None:
        with transaction.atomic(), stamps.bulk_write():
            Arena.objects.update(purpose="Rulles tilbake")
            raise ValueError("stopp")

    with pytest.raises(ValueError, match="stopp"):
        fail()
    assert stamps.current_version() == version  # rolled back with the transaction


def _count_raises(act: Any) -> int:
    with mock.patch.object(stamps, "_raise_data", wraps=stamps._raise_data) as raised:
        act()
    return raised.call_count


def test_the_population_import_raises_the_stamps_once() -> None:
    """New figures in bulk and changed ones saved one by one: one raise for them all."""
    assert _count_raises(lambda: import_population(DEMO_POPULATION, example=True)) == 1
    Population.objects.filter(is_example_data=True).update(count=1)
    assert _count_raises(lambda: import_population(DEMO_POPULATION, example=True)) == 1


def test_follow_successors_raises_the_stamps_once(secretariat: Any) -> None:
    """Memberships ended and made for the successors of three merged municipalities."""
    arena = ArenaFactory(established=date(2000, 1, 1))
    for code in ("0722", "0723", "0709"):
        municipality = Municipality.objects.get(code=code)
        MembershipFactory(
            arena=arena,
            municipality=municipality,
            joined=date(2008, 1, 1),
            decision=DecisionFactory(municipality=municipality, meeting_date=date(2007, 11, 1)),
        )
    count = _count_raises(
        lambda: call_command(
            "follow_successors",
            "--user",
            secretariat.username,
            "--arena",
            str(arena.pk),
            stdout=StringIO(),
        )
    )
    assert arena.memberships.count() == 9
    assert count == 1


def test_the_register_imports_raise_the_stamps_once() -> None:
    """The register imported again (the command) and the legal entities: once each."""
    assert _count_raises(lambda: call_command("import_municipalities", stdout=StringIO())) == 1
    assert _count_raises(lambda: import_legal_entities(DEFAULT_LEGAL_ENTITIES, example=True)) == 1
