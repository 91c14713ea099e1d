"""Issue 19 point 4: review rounds that can be finished. Many items recommended at once
(page and API), an item taken out of a round, activity and cost worked out from the records
of the round's period (and typed over), overlaps by name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import ArenaFactory, DecisionFactory, arena_with_members
from samarbeid.audit.models import AuditEntry
from samarbeid.finance.models import Budget, BudgetLine, Invoice, InvoiceRun
from samarbeid.finance.tests.helpers import key
from samarbeid.governance.models import Decision, ProcessPlan, ProcessStep
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality
from samarbeid.review.models import ReviewItem, ReviewRound
from samarbeid.review.services.activity import period_records, round_period
from samarbeid.review.services.rounds import confirm_round, round_facts, update_item
from samarbeid.review.tests.api_helpers import new_round

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


@pytest.fixture
def ks() -> Arena:
    arena: Arena = arena_with_members(
        ["3901", "3909"], name="KS Vestfold", short_name="KS-V", kind=Arena.Kind.KS_BODY
    )
    return arena


def _round(
    ks: Arena, actor: Any, children: int = 3, opened: date = date(2025, 1, 1)
) -> ReviewRound:
    for n in range(children):
        ArenaFactory(
            name=f"Prosjektforum {n}",
            short_name=f"{ks.short_name}-{n:02d}",
            parent=ks,
            kind=Arena.Kind.PROJECT_FORUM,
        )
    return new_round(ks, actor, published=True, opened=opened)


def _chosen(items: list[ReviewItem]) -> list[str]:
    return [f"{i.pk}:{i.version}" for i in items]


# --- (a) many items recommended at once ---


def test_the_round_page_recommends_the_chosen_items_at_once(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = _round(ks, secretariat)
    items = list(review.items.order_by("pk"))
    login(client, secretariat)
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Velg alle" in page
    assert f'value="{items[0].pk}:{items[0].version}"' in page
    response = client.post(
        reverse("review:round_recommend", args=[review.pk]),
        {"items": _chosen(items[:2]), "recommendation": "close", "reason": "Utspilt rolle"},
    )
    assert response.status_code == 302
    saved = {i.pk: i for i in review.items.all()}
    assert [saved[i.pk].recommendation for i in items] == ["close", "close", ""]
    assert saved[items[0].pk].reason == "Utspilt rolle"
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.UPDATE, object_id__in=[str(i.pk) for i in items[:2]]
        ).count()
        == 2
    )
    followed = client.get(review.get_absolute_url()).content.decode()
    assert "Anbefalingen er lagret for 2 punkter." in followed


def test_a_stale_item_refuses_the_whole_batch(client: Client, ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    items = list(review.items.order_by("pk"))
    chosen = _chosen(items)
    # someone else recommends the second item after the page was read
    update_item(items[1], {"recommendation": "continue"}, expected_version=None, actor=secretariat)
    login(client, secretariat)
    response = client.post(
        reverse("review:round_recommend", args=[review.pk]),
        {"items": chosen, "recommendation": "close", "reason": "Utspilt rolle"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"«{items[1]}» er endret av noen andre" in page
    assert sorted(review.items.values_list("recommendation", flat=True)) == ["", "", "continue"]


def test_the_batch_form_says_what_is_missing(client: Client, ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat)
    items = list(review.items.order_by("pk"))
    login(client, secretariat)
    url = reverse("review:round_recommend", args=[review.pk])
    nothing = client.post(url, {"recommendation": "continue"}).content.decode()
    assert "Velg minst ett punkt." in nothing
    no_target = client.post(
        url, {"items": _chosen(items), "recommendation": "transfer", "reason": "Regionalt"}
    ).content.decode()
    assert "Velg arenaen som skal overta" in no_target
    # closing needs a reason: the item without one is named, and nothing is saved
    update_item(items[0], {"reason": "Egen grunn"}, expected_version=None, actor=secretariat)
    fresh = list(review.items.order_by("pk"))
    no_reason = client.post(
        url, {"items": _chosen(fresh), "recommendation": "close", "reason": ""}
    ).content.decode()
    assert f"{fresh[1]}: Skriv begrunnelsen for anbefalingen." in no_reason
    assert set(review.items.values_list("recommendation", flat=True)) == {""}
    other = _round(arena_with_members(["3909"], short_name="ANNEN"), secretariat, children=1)
    foreign = other.items.get()
    refused = client.post(url, {"items": _chosen([foreign]), "recommendation": "continue"})
    assert refused.status_code == 200
    assert foreign.__class__.objects.get(pk=foreign.pk).recommendation == ""


def test_the_batch_is_refused_to_outsiders_and_on_a_decided_round(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any
) -> None:
    review = _round(ks, secretariat, children=1)
    item = review.items.get()
    url = reverse("review:round_recommend", args=[review.pk])
    data = {"items": _chosen([item]), "recommendation": "continue"}
    assert client.post(url, data).status_code == 302  # to the log-in page
    login(client, coordinator)
    assert client.post(url, data).status_code == 403
    assert client.get(review.get_absolute_url()).content.decode().count("Velg alle") == 0
    login(client, secretariat)
    assert client.get(url).status_code == 405
    client.post(url, data)
    confirm_round(review, meeting_date=date(2025, 2, 1), actor=secretariat)
    item.refresh_from_db()
    again = client.post(url, {"items": _chosen([item]), "recommendation": "close", "reason": "x"})
    assert "allerede vedtatt" in again.content.decode()
    item.refresh_from_db()
    assert item.recommendation == "continue"


def test_the_api_recommends_many_items_all_or_nothing(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any
) -> None:
    review = _round(ks, secretariat)
    items = list(review.items.order_by("pk"))
    url = f"/api/v1/reviews/{review.pk}/recommendations"
    body = {
        "items": [{"id": i.pk, "version": i.version} for i in items],
        "recommendation": "transfer",
        "target_arena": ArenaFactory(name="n-k", short_name="n-k").pk,
        "reason": "Regionalt",
    }
    login(client, coordinator)
    assert client.post(url, body, content_type="application/json").status_code == 403
    login(client, secretariat)
    stale = body | {"items": [{"id": items[0].pk, "version": items[0].version + 1}]}
    assert client.post(url, stale, content_type="application/json").status_code == 409
    no_target = body | {"target_arena": None}
    response = client.post(url, no_target, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["target_arena"]
    assert set(review.items.values_list("recommendation", flat=True)) == {""}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert {row["recommendation"] for row in response.json()} == {"transfer"}
    assert set(review.items.values_list("recommendation", flat=True)) == {"transfer"}
    assert (
        client.post(
            "/api/v1/reviews/99999/recommendations", body, content_type="application/json"
        ).status_code
        == 404
    )


# --- (b) an item taken out of a round ---


def test_an_item_is_taken_out_after_confirmation(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any
) -> None:
    review = _round(ks, secretariat, children=2)
    item = review.items.order_by("pk").first()
    assert item is not None
    url = reverse("review:item_remove", args=[item.pk])
    login(client, coordinator)
    assert client.get(url).status_code == 403
    login(client, secretariat)
    page = client.get(url).content.decode()
    assert f"Ta «{item}» ut av gjennomgangen?" in page
    assert url in client.get(review.get_absolute_url()).content.decode()
    # changed since shown: shown again as it is now, nothing removed
    stale = item.version
    update_item(item, {"recommendation": "continue"}, expected_version=None, actor=secretariat)
    again = client.post(url, {"version": stale})
    assert again.status_code == 200
    assert "Noen andre har endret punktet" in again.content.decode()
    assert ReviewItem.objects.filter(pk=item.pk).exists()
    response = client.post(url, {"version": item.version})
    assert response.status_code == 302
    assert not ReviewItem.objects.filter(pk=item.pk).exists()
    assert Arena.objects.filter(pk=item.arena_id).exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, object_id=str(item.pk)
    ).exists()


def test_an_item_of_a_decided_round_stays(client: Client, ks: Arena, secretariat: Any) -> None:
    review = _round(ks, secretariat, children=1)
    item = review.items.get()
    update_item(item, {"recommendation": "continue"}, expected_version=None, actor=secretariat)
    confirm_round(review, meeting_date=date(2025, 2, 1), actor=secretariat)
    login(client, secretariat)
    response = client.post(reverse("review:item_remove", args=[item.pk]), {"version": item.version})
    assert response.status_code == 200
    assert "punktene kan ikke tas ut lenger" in response.content.decode()
    assert ReviewItem.objects.filter(pk=item.pk).exists()
    api = client.delete(f"/api/v1/review-items/{item.pk}?version={item.version}")
    assert api.status_code == 422


def test_the_api_takes_an_item_out_with_the_version_read(
    client: Client, ks: Arena, secretariat: Any, coordinator: Any
) -> None:
    review = _round(ks, secretariat, children=1)
    item = review.items.get()
    url = f"/api/v1/review-items/{item.pk}"
    login(client, secretariat)
    assert client.delete(url).status_code == 422
    assert client.delete(f"{url}?version={item.version + 1}").status_code == 409
    assert ReviewItem.objects.filter(pk=item.pk).exists()
    login(client, coordinator)
    assert client.delete(f"{url}?version={item.version}").status_code == 403
    login(client, secretariat)
    assert client.delete(f"{url}?version={item.version}").status_code == 204
    assert not ReviewItem.objects.filter(pk=item.pk).exists()
    ReviewRound.objects.filter(pk=review.pk).update(published=False)
    assert client.delete("/api/v1/review-items/99999?version=1").status_code == 404


# --- (c) activity and cost from the records of the period ---


def _records(forum: Arena, ks: Arena) -> None:
    """What the system holds for `forum` in 2023–2025: a project, two board decisions, a
    process step, a budget for 2023 and an issued run with an invoice and a credit note
    for 2024; and, outside the period, a decision of 2019 and a budget of 2026."""
    Project.objects.create(
        arena=forum, code="P1", title="Lederutvikling", start=date(2023, 3, 1), status="ongoing"
    )
    Project.objects.create(
        arena=forum, code="P0", title="Gammelt", start=date(2015, 1, 1), end=date(2016, 1, 1)
    )
    for day in (date(2023, 5, 1), date(2024, 9, 1), date(2019, 1, 1)):
        DecisionFactory(
            body=Decision.Body.ARENA_BOARD, arena=forum, municipality=None, meeting_date=day
        )
    plan = ProcessPlan.objects.create(title="Plan", arena=forum)
    ProcessStep.objects.create(
        plan=plan,
        order=1,
        title="Høring",
        planned_date=date(2024, 1, 1),
        done_date=date(2024, 2, 1),
    )
    allocation = key(forum)
    budget = Budget.objects.create(arena=forum, year=2023, administration_cost=Decimal("50000.25"))
    BudgetLine.objects.create(
        budget=budget,
        kind=BudgetLine.Kind.BASE,
        description="Basis",
        amount=Decimal("40000.00"),
        key=allocation,
    )
    Budget.objects.create(arena=forum, year=2026, administration_cost=Decimal("999999"))
    larvik = Municipality.objects.valid_on(date(2024, 1, 1)).get(number="3909")
    run = InvoiceRun.objects.create(
        arena=forum,
        year=2024,
        status=InvoiceRun.Status.ISSUED,
        issue_date=date(2024, 3, 1),
        due_date=date(2024, 4, 1),
        seller=larvik,
    )
    common = {
        "run": run,
        "buyer": larvik,
        "buyer_name": "Larvik",
        "seller_name": "Larvik",
        "kid": "1",
        "due_date": date(2024, 4, 1),
    }
    first = Invoice.objects.create(
        number=f"F{forum.pk}-1", issue_date=date(2024, 3, 1), total=Decimal("70000.50"), **common
    )
    Invoice.objects.create(
        number=f"F{forum.pk}-2",
        kind=Invoice.Kind.CREDIT_NOTE,
        credited=first,
        issue_date=date(2024, 3, 5),
        total=Decimal("10000.25"),
        **common,
    )


def test_activity_and_cost_are_worked_out_from_the_period(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = _round(ks, secretariat, children=2)
    forum = Arena.objects.get(short_name="KS-V-00")
    _records(forum, ks)
    period = round_period(review)
    assert (period.start, period.end) == (date(2023, 1, 1), date(2025, 12, 31))
    records = period_records(review.items.all(), period)
    found = records[review.items.get(arena=forum).pk]
    assert (found.activity.projects, found.activity.decisions, found.activity.steps) == (1, 2, 1)
    assert found.activity.invoices == 1
    assert found.cost is not None
    # 2023 budgeted: 50 000,25 + 40 000,00; 2024 invoiced: 70 000,50 − 10 000,25
    assert found.cost.by_year == {2023: Decimal("90000.25"), 2024: Decimal("60000.25")}
    assert found.cost.total == Decimal("150000.50")
    page = client.get(review.get_absolute_url()).content.decode()
    assert f"150{NBSP}000,50 kr" in page
    assert "1 prosjekt aktivt, 2 vedtak, 1 prosessteg utført, 1 faktura sendt" in page
    assert "fakturert 2024; budsjett 2023" in page
    # the other forum truly has nothing on record
    assert "ikke registrert" in page
    assert "ukjent" in page


def test_the_clerk_types_over_the_worked_out_figures(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    review = _round(ks, secretariat, children=1)
    item = review.items.get()
    login(client, secretariat)
    form = client.get(reverse("review:item_edit", args=[item.pk])).content.decode()
    assert "Kostnad i perioden (skrevet inn, kr)" in form
    assert "Aktivitet (skrevet inn)" in form
    response = client.post(
        reverse("review:item_edit", args=[item.pk]),
        {
            "version": item.version,
            "serves_primary_task": "",
            "recommendation": "",
            "target_arena": "",
            "reason": "",
            "activity_note": "Fire møter i 2024 (referater)",
            "cost_override": "12 500,50",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.cost_override == Decimal("12500.50")
    page = client.get(review.get_absolute_url()).content.decode()
    assert 'Fire møter i 2024 (referater) <span class="muted">(skrevet inn)</span>' in page
    assert f'12{NBSP}500,50 kr <span class="muted">(skrevet inn)</span>' in page
    negative = client.post(
        reverse("review:item_edit", args=[item.pk]),
        {"version": item.version, "cost_override": "-5", "activity_note": ""},
    )
    assert negative.status_code == 200
    assert "Kostnaden kan ikke være negativ." in negative.content.decode()
    api = client.patch(
        f"/api/v1/review-items/{item.pk}",
        {"version": item.version, "cost_override": "100.10", "activity_note": ""},
        content_type="application/json",
    )
    assert api.status_code == 200, api.content
    assert api.json()["cost_in_period"] == "100.10"
    assert api.json()["activity_note"] == ""


def test_the_round_reads_its_records_in_a_bounded_number_of_queries(
    client: Client, ks: Arena, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    review = _round(ks, secretariat, children=30)
    for forum in Arena.objects.filter(parent=ks)[:5]:
        _records(forum, ks)
    cache.clear()
    # 14 today: the round's items, members, participations, last decisions (3), status
    # changes, the overlaps and the period's records (10, review.services.activity)
    with django_assert_max_num_queries(16):
        facts = round_facts(review, secretariat)
    assert len(facts) == 30
    assert sum(1 for f in facts if f.cost is not None) == 5
    cache.clear()
    login(client, secretariat)
    with django_assert_max_num_queries(22):
        assert client.get(review.get_absolute_url()).status_code == 200


# --- (d) overlaps by name ---


def test_overlaps_show_the_arena_by_name_with_a_link(
    client: Client, ks: Arena, secretariat: Any
) -> None:
    purpose = "Arbeidsgiverpolitikk, lønnsoppgjør og rekruttering i kommunene i Vestfold"
    forum = arena_with_members(
        ["3901", "3909"], name="Arbeidsgiverforum", short_name="KS-V-03", parent=ks,
        kind=Arena.Kind.PROJECT_FORUM, purpose=purpose,
    )  # fmt: skip
    twin = arena_with_members(
        ["3901", "3909"], name="Arbeidsgivernettverk Vestfold", short_name="KS-V-28",
        purpose=purpose,
    )  # fmt: skip
    review = _round(ks, secretariat, children=0)
    facts = round_facts(review, secretariat)
    assert facts[0].overlaps[0][0] == twin, facts[0].overlaps
    assert facts[0].item.arena == forum
    page = client.get(review.get_absolute_url()).content.decode()
    assert f'href="{twin.get_absolute_url()}">Arbeidsgivernettverk Vestfold</a>' in page
    assert ">KS-V-28</a>" not in page
