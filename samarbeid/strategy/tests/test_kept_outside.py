"""Seed 001 (12K strategic plan 2008–2011), slide 4: "Økonomiske resultater 1997-2006.
Besparelser på felles innkjøp av strøm – 35 mill – er ikke inkludert. Utgifter til
administrasjon av 12k 1997-2006: 5,1 mill".

Worked out by hand from the document: the account of 1997–2006 holds the administration
cost, 5 100 000,00, and no counted saving; its net is 0,00 − 5 100 000,00 = −5 100 000,00.
The 35 000 000,00 is shown apart, with the document's reason, and is in no sum.
Before results could be kept outside, the net read 29 900 000,00."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import login
from samarbeid.arenas.models import Arena
from samarbeid.portfolio.models import Project
from samarbeid.strategy.models import EconomicResult
from samarbeid.strategy.services.account import period_account
from samarbeid.strategy.services.results import keep_outside_account
from samarbeid.strategy.tests.helpers import admin_cost, arena_of, project

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
ADMIN = f"5{NBSP}100{NBSP}000,00"
SAVING = f"35{NBSP}000{NBSP}000,00"
NET = f"-5{NBSP}100{NBSP}000,00"
OLD_NET = f"29{NBSP}900{NBSP}000,00"
REASON = "«Besparelser på felles innkjøp av strøm – 35 mill – er ikke inkludert»"
FORM = {
    "kind": "saving",
    "basis": "realised",
    "year": "1997",
    "to_year": "2006",
    "amount": "35000000.00",
    "source": "12K strategisk plan 2008–2011, lysark 4",
}


def _twelve_k() -> tuple[Arena, Project]:
    start = date(2006, 1, 1)
    arena = arena_of(["0701", "0709", "0728"], joined=start, short_name="12K", established=start)
    admin_cost(arena, "5100000.00", 1997, 2006)
    return arena, project(arena, "12K-STROM", title="Felles innkjøp av strøm", start=None)


def _realised(strom: Project, **fields: Any) -> EconomicResult:
    """The document's realised saving of 1997–2006 on the electricity project, stored as it
    stands unless `fields` say otherwise."""
    values: dict[str, Any] = {
        "kind": EconomicResult.Kind.SAVING,
        "basis": "realised",
        "year": 1997,
        "to_year": 2006,
        "amount": Decimal("35000000.00"),
        "source": "12K",
    }
    result: EconomicResult = EconomicResult.objects.create(project=strom, **(values | fields))
    return result


def _account_page(client: Client, arena: Arena) -> str:
    response = client.get(
        reverse("strategy:period_account", args=[arena.pk]),
        {"first_year": 1997, "last_year": 2006},
    )
    assert response.status_code == 200
    return str(response.content.decode())


def test_page_keeps_the_electricity_saving_outside_the_1997_2006_account(
    client: Client, secretariat: Any
) -> None:
    arena, strom = _twelve_k()
    login(client, secretariat)
    response = client.post(
        reverse("strategy:project_add", args=[strom.pk, "okonomi"]),
        {**FORM, "kept_outside_reason": f"  {REASON}  "},
    )
    assert response.status_code == 302
    assert EconomicResult.objects.get().kept_outside_reason == REASON
    page = _account_page(client, arena)
    total = page.split("<tfoot>")[1].split("</tfoot>")[0]
    # Sum: estimated 0, realised 0, administration 5,1 MNOK, ..., net −5,1 MNOK
    assert ADMIN in total
    assert NET in total
    assert SAVING not in total
    assert OLD_NET not in page
    apart = page.split("Holdt utenfor regnskapet", 1)[1]
    assert SAVING in apart
    assert "er ikke inkludert" in apart
    assert "Felles innkjøp av strøm" in apart
    results = client.get(reverse("strategy:project_results", args=[strom.pk])).content.decode()
    assert "Holdt utenfor regnskapet" in results
    assert "er ikke inkludert" in results


def test_a_counted_saving_still_counts(client: Client, secretariat: Any) -> None:
    arena, strom = _twelve_k()
    login(client, secretariat)
    client.post(reverse("strategy:project_add", args=[strom.pk, "okonomi"]), FORM)
    page = _account_page(client, arena)
    assert OLD_NET in page
    assert "Holdt utenfor regnskapet" not in page


def test_page_refuses_a_reason_too_long_and_saves_nothing(client: Client, secretariat: Any) -> None:
    _arena, strom = _twelve_k()
    login(client, secretariat)
    response = client.post(
        reverse("strategy:project_add", args=[strom.pk, "okonomi"]),
        {**FORM, "kept_outside_reason": "x" * 301},
    )
    assert response.status_code == 200
    assert "id_kept_outside_reason" in response.content.decode()
    assert "ds-validation-message" in response.content.decode()
    assert not EconomicResult.objects.exists()


def test_api_keeps_it_outside_and_the_account_says_so(
    client: Client, secretariat: Any, coordinator: Any
) -> None:
    arena, strom = _twelve_k()
    body = {
        "kind": "saving",
        "basis": "realised",
        "year": 1997,
        "to_year": 2006,
        "amount": "35000000.00",
        "source": "12K strategisk plan 2008–2011",
        "kept_outside_reason": REASON,
    }
    url = f"/api/v1/projects/{strom.pk}/economic-results"
    login(client, coordinator)
    refused = client.post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 403
    login(client, secretariat)
    too_long = client.post(
        url, json.dumps({**body, "kept_outside_reason": "x" * 301}), content_type="application/json"
    )
    assert too_long.status_code == 422
    assert not EconomicResult.objects.exists()
    created = client.post(url, json.dumps(body), content_type="application/json")
    assert created.status_code == 201
    assert created.json()["kept_outside_reason"] == REASON
    account = client.get(
        f"/api/v1/arenas/{arena.pk}/period-account", {"first_year": 1997, "last_year": 2006}
    ).json()
    assert account["total"]["administration"] == "5100000.00"
    assert account["total"]["savings_realised"] == "0.00"
    assert account["total"]["net_realised"] == "-5100000.00"
    assert account["kept_outside_savings"] == "35000000.00"
    assert account["kept_outside_costs"] == "0.00"
    [kept] = account["kept_outside"]
    assert kept["amount"] == "35000000.00"
    assert kept["kept_outside_reason"] == REASON


def test_command_shows_it_apart() -> None:
    _arena, strom = _twelve_k()
    _realised(strom, kept_outside_reason=REASON)
    out = StringIO()
    call_command("period_account", "12K", "1997", "2006", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-2].startswith("Sum\t0,00\t0,00\t" + ADMIN + "\t" + NET)
    assert lines[-1].startswith("Holdt utenfor regnskapet: Felles innkjøp av strøm")
    assert SAVING in lines[-1]
    assert REASON in lines[-1]


def test_kept_outside_beyond_the_period_is_left_out_as_before() -> None:
    arena, strom = _twelve_k()
    _realised(
        strom,
        kind=EconomicResult.Kind.COST,
        to_year=2007,
        amount=Decimal("10.00"),
        source="x",
        kept_outside_reason="y",
    )
    account = period_account(arena, 1997, 2006)
    assert not account.kept_outside
    assert len(account.excluded) == 1
    assert account.total.net_realised == Decimal("-5100000.00")


def test_keep_outside_afterwards_is_for_the_secretariat(secretariat: Any, coordinator: Any) -> None:
    from django.core.exceptions import PermissionDenied

    arena, strom = _twelve_k()
    result = _realised(strom)
    with pytest.raises(PermissionDenied):
        keep_outside_account(result, REASON, actor=coordinator)
    keep_outside_account(result, REASON, actor=secretariat)
    assert period_account(arena, 1997, 2006).total.net_realised == Decimal("-5100000.00")


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)
entries = st.lists(
    st.tuples(st.sampled_from(["saving", "cost"]), amounts, st.booleans()), max_size=6
)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(entries=entries)
def test_kept_outside_never_moves_a_sum(entries: list[tuple[str, Decimal, bool]]) -> None:
    """Whatever is kept outside, the account equals the one without those results, and the
    kept-outside sums are exactly theirs."""
    EconomicResult.objects.all().delete()  # examples share the test's database
    found = Arena.objects.filter(short_name="12K").first()
    if found is None:
        arena, strom = _twelve_k()
    else:
        arena, strom = found, Project.objects.get(arena=found, code="12K-STROM")
    made = [
        EconomicResult.objects.create(
            project=strom,
            kind=kind,
            basis="realised",
            year=2000,
            amount=amount,
            source="x",
            kept_outside_reason="ikke inkludert" if outside else "",
        )
        for kind, amount, outside in entries
    ]
    account = period_account(arena, 1997, 2006)
    kept = [r for r in made if r.kept_outside_reason]
    assert account.kept_outside_savings == sum(
        (r.amount for r in kept if r.kind == "saving"), Decimal("0.00")
    )
    assert account.kept_outside_costs == sum(
        (r.amount for r in kept if r.kind == "cost"), Decimal("0.00")
    )
    EconomicResult.objects.filter(pk__in=[r.pk for r in kept]).delete()
    without = period_account(arena, 1997, 2006)
    assert account.total == without.total
