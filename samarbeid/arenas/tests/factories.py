"""Factories that are valid by default: an arena with members anchored in decisions."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import factory

from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import update_membership
from samarbeid.governance.models import Case, Decision
from samarbeid.registry.models import Municipality


def current(number: str) -> Municipality:
    return Municipality.objects.current().get(number=number)


class ArenaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arena

    name = factory.Sequence(lambda n: f"Samarbeidsarena {n}")
    short_name = factory.Sequence(lambda n: f"ARENA{n}")
    kind = Arena.Kind.PROFESSIONAL_NETWORK
    established = date(2020, 1, 1)
    purpose = "Felles utvikling av tjenester"


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    body = Decision.Body.COUNCIL
    municipality = factory.LazyFunction(lambda: current("3909"))
    case_number = factory.Sequence(lambda n: f"{n}/24")
    meeting_date = date(2024, 2, 1)
    outcome = Decision.Outcome.ADOPTED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    arena = factory.SubFactory(ArenaFactory)
    municipality = factory.LazyFunction(lambda: current("3909"))
    joined = date(2024, 3, 1)
    decision = factory.SubFactory(
        DecisionFactory, municipality=factory.SelfAttribute("..municipality")
    )


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    title = factory.Sequence(lambda n: f"Sak {n}")
    opened = date(2024, 1, 10)


def arena_with_members(numbers: list[str], **arena_fields: object) -> Arena:
    arena = ArenaFactory(**arena_fields)
    for number in numbers:
        MembershipFactory(arena=arena, municipality=current(number))
    return arena


def on(number: str, day: date) -> Municipality:
    """The municipality with `number` on `day` (a number may be reused)."""
    return Municipality.objects.valid_on(day).get(number=number)


def arena_of(numbers: list[str], joined: date = date(2024, 1, 1), **fields: Any) -> Arena:
    """An arena (established 2010 unless told) whose members joined on `joined`, each by its
    council's decision of that day."""
    fields.setdefault("established", date(2010, 1, 1))
    arena = cast(Arena, ArenaFactory(**fields))
    for number in numbers:
        municipality = on(number, joined)
        MembershipFactory(
            arena=arena,
            municipality=municipality,
            joined=joined,
            decision=DecisionFactory(municipality=municipality, meeting_date=joined),
        )
    return arena


def leave_on_decision(membership: Membership, *, left: date, decided: date, actor: Any) -> None:
    """End `membership` on `left` through the service, resting on its municipality's council
    decision of `decided` (a leave decision is what ending a membership needs)."""
    decision = DecisionFactory(municipality=membership.municipality, meeting_date=decided)
    update_membership(
        membership,
        {"left": left, "leave_decision": decision},
        expected_version=None,
        actor=actor,
    )
