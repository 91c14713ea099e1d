"""The demo: the register, the source documents' arenas and what later domains add.
Idempotent: running it twice changes nothing. Built through the services, as a user would."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from samarbeid.accounts.models import Role, RoleAssignment
from samarbeid.registry.models import Municipality, Population
from samarbeid.registry.services import import_municipalities, import_population

DEMO_PASSWORD = "demo-passord-12k"  # noqa: S105 — printed by `make run`, demo only
DEMO_POPULATION = Path(settings.BASE_DIR) / "data" / "demo" / "befolkning-eksempel.csv"

# Each domain's demo module has `load(actor)`; order matters (later ones use earlier data).
DEMO_MODULES = [
    "samarbeid.registry.demo",
    "samarbeid.arenas.demo",
    "samarbeid.portfolio.demo",
    "samarbeid.finance.demo",
    "samarbeid.strategy.demo",
    "samarbeid.review.demo",
    "samarbeid.workshops.demo",
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
    with transaction.atomic():
        actor = demo_users()
        if not Population.objects.filter(is_example_data=True).exists():
            import_population(DEMO_POPULATION, example=True)
        for name in DEMO_MODULES:
            importlib.import_module(name).load(actor)
