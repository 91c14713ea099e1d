"""Exit analysis of a member that came through municipality changes, as in the demo's 12K:
Larvik (0709) and Lardal (0728) joined on 01.01.2006 by their councils; the memberships were
carried on through 0712 Larvik (2018), 3805 (2020) and 3909 (2024) by follow_successors.
Larvik 3909 is a member since 01.01.2006, takes part in Lardal's ongoing project and its
own, and its council, not "Kommuneendring", decides to leave."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samarbeid.arenas.models import Arena, Membership
from samarbeid.arenas.services import follow_successors
from samarbeid.arenas.tests.factories import ArenaFactory, DecisionFactory, MembershipFactory
from samarbeid.portfolio.models import Participation, Project
from samarbeid.registry.models import Municipality
from samarbeid.review.services import costs
from samarbeid.review.services.exits import exit_analysis

pytestmark = pytest.mark.django_db

JOINED = date(2006, 1, 1)


def _on(number: str) -> Municipality:
    return Municipality.objects.valid_on(JOINED).get(number=number)


def _participate(project: Project, number: str) -> None:
    place = _on(number)
    Participation.objects.create(
        project=project,
        municipality=place,
        status=Participation.Status.JOINED,
        since=date(2007, 3, 1),
        decision=DecisionFactory(municipality=place, meeting_date=date(2007, 2, 1)),
    )


@pytest.fixture
def twelve_k(secretariat: Any) -> Arena:
    arena: Any = ArenaFactory(
        name="12-kommunesamarbeidet i Vestfold", short_name="12K", established=JOINED
    )
    for number, case in (("0709", "PS 16/05"), ("0728", "PS 15/05"), ("0701", "PS 14/05")):
        place = _on(number)
        MembershipFactory(
            arena=arena,
            municipality=place,
            joined=JOINED,
            decision=DecisionFactory(
                municipality=place, case_number=case, meeting_date=date(2005, 11, 24)
            ),
        )
    follow_successors(arena, actor=secretariat)
    ongoing, completed = Project.Status.ONGOING, Project.Status.COMPLETED
    for code, title, status, numbers in (
        ("12K-07-52", "Felles lønnssystem", ongoing, ["0728"]),  # Lardal's
        ("12K-07-54", "IKT-driftssenter", ongoing, ["0709", "0728"]),  # both
        ("12K-06-01", "Avsluttet", completed, ["0709"]),  # done
        ("12K-07-60", "Hortens eget", ongoing, ["0701"]),  # Horten's
    ):
        made = Project.objects.create(arena=arena, code=code, title=title, status=status)
        for number in numbers:
            _participate(made, number)
    return arena


def _larvik(arena: Arena) -> Membership:
    return arena.memberships.get(municipality__number="3909")


def test_service_follows_the_chain_back(twelve_k: Arena) -> None:
    analysis = exit_analysis(_larvik(twelve_k))
    assert analysis.member_since == JOINED
    assert [m.municipality.number for m in analysis.chain] == [
        "0709",
        "0728",
        "0712",
        "3805",
        "3909",
    ]
    assert [p.code for p in analysis.projects] == ["12K-07-52", "12K-07-54"]
    assert [m.number for m in analysis.taken_part_as[analysis.projects[0].pk]] == ["0728"]
    assert "kommunestyret i Larvik" in analysis.decision_needed
    assert "Kommuneendring" not in analysis.decision_needed
    assert "PS 16/05" in analysis.decision_needed


def test_page_for_larvik_in_12k(client: Client, twelve_k: Arena) -> None:
    response = client.get(reverse("review:exit_analysis", args=[_larvik(twelve_k).pk]))
    assert response.status_code == 200
    page = response.content.decode()
    since = page.split("Medlem siden")[1].split("</dd>")[0]
    assert "01.01.2006" in since
    assert "Kommunestyre i Larvik, sak PS 16/05" in since
    assert "01.01.2024" not in since
    assert "deltar ikke i pågående prosjekter" not in page
    assert "Felles lønnssystem" in page
    assert "deltar som 0728 Lardal" in page
    assert "IKT-driftssenter" in page
    assert "Hortens eget" not in page
    needed = page.split("Vedtak som trengs")[1].split("</dd>")[0]
    assert "kommunestyret i Larvik" in needed
    assert "Kommuneendring" not in needed


def test_api_for_larvik_in_12k(client: Client, twelve_k: Arena) -> None:
    url = f"/api/v1/memberships/{_larvik(twelve_k).pk}/exit-analysis"
    body = client.get(url).json()
    assert body["municipality"] == "3909"
    assert body["member_since"] == "2006-01-01"
    assert [m["municipality"] for m in body["chain"]] == ["0709", "0728", "0712", "3805", "3909"]
    assert [(p["code"], p["taken_part_as"]) for p in body["projects"]] == [
        ("12K-07-52", ["0728"]),
        ("12K-07-54", ["0709", "0728"]),
    ]
    assert "kommunestyret i Larvik" in body["decision_needed"]
    assert "Kommuneendring" not in body["decision_needed"]
    assert client.get("/api/v1/memberships/999999/exit-analysis").status_code == 404
    Arena.objects.filter(pk=twelve_k.pk).update(published=False)
    hidden = client.get(url)
    assert hidden.status_code == 404
    assert hidden["Content-Type"] == "application/problem+json"


def test_a_predecessor_that_left_by_its_own_decision_is_not_carried(
    twelve_k: Arena, secretariat: Any
) -> None:
    lardal = twelve_k.memberships.get(municipality__number="0728")
    Membership.objects.filter(pk=lardal.pk).update(left=date(2010, 6, 30))
    analysis = exit_analysis(_larvik(twelve_k))
    assert "0728" not in [m.municipality.number for m in analysis.chain]
    assert analysis.member_since == JOINED  # through 0709 Larvik


def test_horten_through_renumberings_keeps_its_own_project(twelve_k: Arena) -> None:
    horten = twelve_k.memberships.get(municipality__number="3901")
    analysis = exit_analysis(horten)
    assert analysis.member_since == JOINED
    assert [p.code for p in analysis.projects] == ["12K-07-60"]
    assert analysis.taken_part_as[analysis.projects[0].pk][0].number == "0701"


def test_costs_follow_the_chain_back(twelve_k: Arena, monkeypatch: Any) -> None:
    """What Larvik pays per year includes what finance books on 0712 and Lardal (0728)."""
    from decimal import Decimal
    from types import SimpleNamespace

    ids = {
        n: Municipality.objects.filter(number=n).order_by("-valid_from")[0].pk
        for n in ("0728", "0712", "3909", "3901")
    }
    year = timezone.localdate().year
    rows = [
        SimpleNamespace(
            municipality_id=ids["0728"],
            year=year - 2,
            administration=Decimal("100.10"),
            projects=Decimal("0.00"),
        ),
        SimpleNamespace(
            municipality_id=ids["0712"],
            year=year - 1,
            administration=Decimal("50.00"),
            projects=Decimal("25.05"),
        ),
        SimpleNamespace(
            municipality_id=ids["3909"],
            year=year,
            administration=Decimal("10.00"),
            projects=Decimal("0.01"),
        ),
        SimpleNamespace(
            municipality_id=ids["3901"],
            year=year,
            administration=Decimal("999.00"),
            projects=Decimal("0.00"),
        ),
    ]
    monkeypatch.setattr(costs, "arena_costs", lambda *_a: rows)
    analysis = exit_analysis(_larvik(twelve_k))
    assert analysis.costs == {
        year - 2: Decimal("100.10"),
        year - 1: Decimal("75.05"),
        year: Decimal("10.01"),
    }
