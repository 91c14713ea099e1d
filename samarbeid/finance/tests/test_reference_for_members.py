"""An invoice reference for an arena is for a member of it: one for a municipality that is not
a member this year (nor joined for a later one) is refused on its field, by the page and
the API alike (clerk's trial: it was accepted)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import bearer, login, problem_of
from samarbeid.arenas.tests.factories import MembershipFactory
from samarbeid.finance.models import InvoiceReference
from samarbeid.finance.references import set_invoice_reference
from samarbeid.finance.tests import helpers as h

pytestmark = pytest.mark.django_db

DAY = date(2025, 1, 1)


@pytest.fixture
def arena() -> Any:
    # Tønsberg and Larvik are members; Horten left in 2024
    made = h.arena(["3905", "3909"], DAY, short_name="VF")
    MembershipFactory(
        arena=made,
        municipality=h.municipality("3901", DAY),
        joined=date(2024, 1, 1),
        left=date(2024, 12, 31),
    )
    return made


def test_the_page_refuses_a_reference_for_a_non_member(
    client: Client, secretariat: Any, arena: Any
) -> None:
    horten = h.municipality("3901", DAY)
    login(client, secretariat)
    response = client.post(
        "/okonomi/fakturareferanser/ny/",
        {"municipality": horten.pk, "arena": arena.pk, "reference": "H-1"},
    )
    year = timezone.localdate().year
    assert response.status_code in (200, 422)
    errors = response.context["form"].errors
    assert errors["arena"] == [
        f"Horten er ikke medlem av VF i {year}, så den får ingen faktura derfra; velg en "
        "arena kommunen er medlem av, eller ingen (alle arenaer)."
    ]
    assert "Arena (tom: alle arenaer): Horten er ikke medlem av VF" in response.content.decode()
    assert not InvoiceReference.objects.exists()


def test_the_api_refuses_it_as_the_page_does(client: Client, secretariat: Any, arena: Any) -> None:
    response = client.put(
        "/api/v1/finance/invoice-references",
        {"municipality": "3901", "arena": arena.pk, "reference": "H-1"},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    problem = problem_of(response, 422)
    assert any("Horten er ikke medlem av VF" in str(e) for e in problem["errors"]), problem
    assert not InvoiceReference.objects.exists()


def test_members_and_every_arena_references_are_taken(
    client: Client, secretariat: Any, arena: Any
) -> None:
    larvik = h.municipality("3909", DAY)
    horten = h.municipality("3901", DAY)
    login(client, secretariat)
    for municipality, on in ((larvik, arena.pk), (horten, "")):
        response = client.post(
            "/okonomi/fakturareferanser/ny/",
            {"municipality": municipality.pk, "arena": on, "reference": "R-1"},
        )
        assert response.status_code == 302
    assert InvoiceReference.objects.count() == 2


def test_a_municipality_joining_next_year_may_have_one(secretariat: Any, arena: Any) -> None:
    sandefjord = h.municipality("3907", DAY)
    next_year = timezone.localdate().year + 1
    MembershipFactory(arena=arena, municipality=sandefjord, joined=date(next_year, 1, 1))
    made = set_invoice_reference(sandefjord, arena, "S-1", actor=secretariat)
    assert made.arena == arena
