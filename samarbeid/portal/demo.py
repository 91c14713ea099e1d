"""The demo: the register, the source documents' arenas and what later domains add.
Idempotent: running it twice changes nothing. Built through the services, as a user would."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.arenas import demo as arenas_demo
from samarbeid.audit.services import Actor
from samarbeid.core.stamps import bulk_write
from samarbeid.finance import demo as finance_demo
from samarbeid.meetings import demo as meetings_demo
from samarbeid.planning import demo as planning_demo
from samarbeid.portfolio import demo as portfolio_demo
from samarbeid.registry import demo as registry_demo
from samarbeid.registry.demo import DEMO_POPULATION
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.services import import_municipalities, import_population
from samarbeid.review import demo as review_demo
from samarbeid.strategy import demo as strategy_demo
from samarbeid.workshops import demo as workshops_demo

DEMO_PASSWORD = "demo-passord-12k"  # noqa: S105 — printed by `make run`, demo only

# Each domain's demo module has `load(actor)`; order matters (later ones use earlier data).
DEMO_LOADERS: list[Callable[[Actor], None]] = [
    registry_demo.load,
    arenas_demo.load,
    portfolio_demo.load,
    finance_demo.load,
    planning_demo.load,
    strategy_demo.load,
    review_demo.load,
    workshops_demo.load,
    meetings_demo.load,
]


def demo_users() -> AbstractUser:
    User = get_user_model()
    secretariat, created = User.objects.get_or_create(
        username="sekretariat", defaults={"first_name": "Sekretariatet", "last_name": "12K"}
    )
    if created:
        secretariat.set_password(DEMO_PASSWORD)
        secretariat.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=secretariat, role=Role.SECRETARIAT, arena=None)
    larvik = Municipality.objects.current().get(number="3909")
    coordinator, created = User.objects.get_or_create(
        username="koordinator-larvik", defaults={"first_name": "Koordinator", "last_name": "Larvik"}
    )
    if created:
        coordinator.set_password(DEMO_PASSWORD)
        coordinator.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(
        user=coordinator, role=Role.COORDINATOR, municipality=larvik
    )
    reader, created = User.objects.get_or_create(username="leser")
    if created:
        reader.set_password(DEMO_PASSWORD)
        reader.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=reader, role=Role.READER)
    return secretariat


def load_demo() -> None:
    if not Municipality.objects.exists():
        import_municipalities()
    with transaction.atomic(), bulk_write():  # raised once, and before any cached read
        actor = demo_users()
        if not Population.objects.filter(is_example_data=True).exists():
            import_population(DEMO_POPULATION, example=True)
        for load in DEMO_LOADERS:
            load(actor)
