"""The first page says what to do next (issue 19 point 7): a coordinator sees its own
municipality's treatments, benefits, invoices and reviews, a secretariat its drafts, late
steps, ceased members and runs to make, each linking to where the clerk acts; the public
and readers keep the overview. Bounded queries whatever the data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import _user, login
from samarbeid.accounts.models import Role
from samarbeid.arenas.models import Arena
from samarbeid.arenas.tests.factories import (
    ArenaFactory,
    CaseFactory,
    DecisionFactory,
    MembershipFactory,
    current,
)
from samarbeid.finance.models import Budget, Invoice, InvoiceRun
from samarbeid.finance.tests.helpers import budget, key
from samarbeid.governance.models import Decision, ProcessPlan, ProcessStep
from samarbeid.portfolio.models import Project
from samarbeid.registry.models import Municipality
from samarbeid.review.models import CooperationProposal, ReviewRound
from samarbeid.strategy.models import Benefit, StrategicPlan

pytestmark = pytest.mark.django_db


def _treatment(municipality: Municipality, title: str, planned: date | None) -> Decision:
    case = CaseFactory(title=title)
    return DecisionFactory(
        case=case,
        municipality=municipality,
        outcome=Decision.Outcome.PENDING,
        meeting_date=None,
        planned_date=planned,
    )


def _invoice(
    arena: Arena, buyer: Municipality, number: str, due: date, *, year: int = 2025
) -> Invoice:
    run, _created = InvoiceRun.objects.get_or_create(
        arena=arena,
        year=year,
        defaults={
            "status": InvoiceRun.Status.ISSUED,
            "issue_date": due - timedelta(days=30),
            "due_date": due,
            "seller": current("3909"),
        },
    )
    return Invoice.objects.create(
        run=run,
        number=number,
        kid="0001",
        buyer=buyer,
        buyer_name=buyer.name,
        seller_name="Larvik",
        issue_date=due - timedelta(days=30),
        due_date=due,
        total=Decimal("12500.50"),
        issued_at=timezone.now(),
    )


def _benefit(municipality: Municipality, text: str, target: date, **fields: Any) -> Benefit:
    arena = ArenaFactory()
    project = Project.objects.create(arena=arena, code=text[:10], title=f"Prosjekt {text}")
    return Benefit.objects.create(
        project=project,
        municipality=municipality,
        description=text,
        owner="Kommunalsjef",
        target_date=target,
        **fields,
    )


def _coordinator_world(
    today: date, larvik: Municipality, horten: Municipality, suffix: str = ""
) -> dict[str, Any]:
    arena = ArenaFactory(name="Vestfold innkjøp")
    world = {
        "late": _treatment(larvik, "Felles barnevern", today - timedelta(days=5)),
        "soon": _treatment(larvik, "Ny eierstrategi", today + timedelta(days=20)),
        "horten_treatment": _treatment(horten, "Hortens egen sak", today - timedelta(days=5)),
        "done": DecisionFactory(
            case=CaseFactory(title="Allerede vedtatt"), municipality=larvik, planned_date=today
        ),
        "benefit": _benefit(larvik, "Færre innleide vikarer", today - timedelta(days=1)),
        "realised": _benefit(
            larvik,
            "Realisert gevinst",
            today - timedelta(days=1),
            status=Benefit.Status.REALISED,
        ),
        "future_benefit": _benefit(larvik, "Gevinst senere", today + timedelta(days=100)),
        "horten_benefit": _benefit(horten, "Hortens gevinst", today - timedelta(days=1)),
        "invoice": _invoice(arena, larvik, f"LAR-2025-1{suffix}", today + timedelta(days=10)),
        "horten_invoice": _invoice(
            arena, horten, f"HOR-2025-1{suffix}", today + timedelta(days=10)
        ),
        "old_invoice": _invoice(
            ArenaFactory(), larvik, f"LAR-2019-1{suffix}", today - timedelta(days=400), year=2019
        ),
        "membership": MembershipFactory(
            arena=ArenaFactory(name="Vestfold IKT"),
            municipality=larvik,
            next_review=today - timedelta(days=3),
        ),
        "horten_membership": MembershipFactory(
            arena=ArenaFactory(name="Hortens nettverk"),
            municipality=horten,
            next_review=today - timedelta(days=3),
        ),
    }
    # credited: Larvik need not pay it
    credited = _invoice(arena, larvik, f"LAR-2025-2{suffix}", today + timedelta(days=10))
    Invoice.objects.create(
        run=credited.run,
        kind=Invoice.Kind.CREDIT_NOTE,
        credited=credited,
        number=f"LAR-2025-2-K{suffix}",
        kid="0002",
        buyer=larvik,
        buyer_name="Larvik",
        seller_name="Larvik",
        issue_date=today,
        due_date=today,
        total=credited.total,
        issued_at=timezone.now(),
    )
    world["credited"] = credited
    return world


def _section(page: str, slug: str) -> str:
    start = page.index(f'data-section="{slug}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_a_coordinator_sees_what_its_municipality_must_do(
    client: Client, coordinator: Any, larvik: Municipality, horten: Municipality, today: date
) -> None:
    world = _coordinator_world(today, larvik, horten)
    page = login(client, coordinator).get("/").content.decode()
    assert "Dette venter på deg" in page

    treatments = _section(page, "treatments")
    late = reverse("governance:treatment_edit", args=[world["late"].pk])
    soon = reverse("governance:treatment_edit", args=[world["soon"].pk])
    assert f'href="{late}">Felles barnevern</a>' in treatments
    assert f'href="{soon}">Ny eierstrategi</a>' in treatments
    assert treatments.index("Felles barnevern") < treatments.index("Ny eierstrategi")
    assert "2 i alt, 1 forfalt" in treatments
    assert "Hortens egen sak" not in page
    assert "Allerede vedtatt" not in treatments

    benefits = _section(page, "benefits")
    url = reverse("strategy:benefit_detail", args=[world["benefit"].pk])
    assert f'href="{url}">Færre innleide vikarer</a>' in benefits
    assert "Realisert gevinst" not in benefits
    assert "Gevinst senere" not in benefits
    assert "Hortens gevinst" not in page
    assert reverse("strategy:municipality_benefits", args=[larvik.code]) in benefits

    invoices = _section(page, "invoices")
    assert f'href="{world["invoice"].get_absolute_url()}">LAR-2025-1</a>' in invoices
    assert "500,50 kr" in invoices
    assert "LAR-2025-2" not in invoices  # credited
    assert "LAR-2019-1" in invoices  # long past due: payment is not recorded, still listed
    assert "HOR-2025-1" not in page  # never another municipality's invoices
    assert reverse("finance:municipality", args=[larvik.code]) in invoices

    reviews = _section(page, "reviews")
    arena_url = world["membership"].arena.get_absolute_url()
    assert f'href="{arena_url}">Vestfold IKT</a>' in reviews
    assert "forfalt" in reviews
    assert "Hortens nettverk" not in reviews
    # a coordinator is no secretariat
    assert 'data-section="drafts"' not in page


def test_the_other_coordinator_sees_only_its_own(
    client: Client,
    other_coordinator: Any,
    larvik: Municipality,
    horten: Municipality,
    today: date,
) -> None:
    _coordinator_world(today, larvik, horten)
    page = login(client, other_coordinator).get("/").content.decode()
    assert "Hortens egen sak" in page
    assert "HOR-2025-1" in page
    assert "Hortens gevinst" in page
    for larviks in ("Felles barnevern", "LAR-2025-1", "Færre innleide vikarer", "Vestfold IKT"):
        assert larviks not in _section(page, "treatments") + _section(page, "invoices")
        assert larviks not in _section(page, "benefits") + _section(page, "reviews")


def test_an_empty_section_says_so(client: Client, coordinator: Any) -> None:
    page = login(client, coordinator).get("/").content.decode()
    assert "Ingen saker venter på behandling i kommunen." in page
    assert "Ingen utstedte fakturaer venter på betaling." in page


def _secretariat_world(today: date, arena: Arena, other: Arena) -> dict[str, Any]:
    sub = ArenaFactory(name="Underarena", parent=arena)
    world: dict[str, Any] = {}
    for where, tag in ((arena, "egen"), (sub, "under"), (other, "annen")):
        world[f"plan-{tag}"] = StrategicPlan.objects.create(
            arena=where, title=f"Plan {tag}", first_year=2026, last_year=2029
        )
        world[f"proposal-{tag}"] = CooperationProposal.objects.create(
            arena=where, title=f"Forslag {tag}", need="Behov"
        )
        world[f"round-{tag}"] = ReviewRound.objects.create(
            arena=where, title=f"Runde {tag}", primary_task="Oppgave", opened=today
        )
        plan = ProcessPlan.objects.create(arena=where, title=f"Prosess {tag}")
        world[f"step-{tag}"] = ProcessStep.objects.create(
            plan=plan, order=1, title=f"Steg {tag}", planned_date=today - timedelta(days=9)
        )
        ProcessStep.objects.create(
            plan=plan, order=2, title=f"Senere steg {tag}", planned_date=today + timedelta(1)
        )
        world[f"budget-{tag}"] = budget(where, today.year, "1000.00", key(where, 100, 0))
        world[f"run-{tag}"] = InvoiceRun.objects.create(
            arena=where,
            year=today.year - 1,
            issue_date=today,
            due_date=today + timedelta(days=30),
            seller=current("3909"),
        )
        MembershipFactory(
            arena=where, municipality=Municipality.objects.get(code="0722"), joined=date(2008, 1, 1)
        )
    StrategicPlan.objects.create(
        arena=arena,
        title="Vedtatt plan",
        first_year=2020,
        last_year=2023,
        status=StrategicPlan.Status.ADOPTED,
    )
    return world


def test_a_secretariat_of_one_arena_sees_its_work_and_no_other_arenas(
    client: Client, arena_secretariat: Any, own_arena: Arena, today: date
) -> None:
    other = ArenaFactory(name="Annen arena")
    world = _secretariat_world(today, own_arena, other)
    page = login(client, arena_secretariat).get("/").content.decode()

    drafts = _section(page, "drafts")
    for tag in ("egen", "under"):  # its arena and the one below it
        for kind in ("plan", "proposal", "round"):
            url = world[f"{kind}-{tag}"].get_absolute_url()
            assert f'href="{url}"' in drafts, (kind, tag)
    assert "Vedtatt plan" not in drafts
    assert "6 i alt" in drafts

    steps = _section(page, "steps")
    plan_url = world["step-egen"].plan.get_absolute_url()
    assert f'href="{plan_url}">Prosess egen: Steg egen</a>' in steps
    assert "Senere steg" not in steps
    assert "2 i alt, 2 forfalt" in steps

    ceased = _section(page, "ceased")
    assert reverse("arenas:successions", args=[own_arena.pk]) in ceased

    runs = _section(page, "runs")
    assert f'href="{world["run-egen"].get_absolute_url()}"' in runs
    assert reverse("finance:arena", args=[own_arena.pk]) in runs  # its budget has no run
    assert "Budsjett uten fakturakjøring" in runs

    for tag in ("annen",):
        assert f"Plan {tag}" not in page
        assert f"Forslag {tag}" not in page
        assert f"Steg {tag}" not in page
        assert f"Runde {tag}" not in page
    assert f'href="{world["run-annen"].get_absolute_url()}"' not in page
    assert reverse("arenas:successions", args=[other.pk]) not in page
    assert 'data-section="invoices"' not in page  # no coordinator


def test_a_global_secretariat_sees_every_arena(
    client: Client, secretariat: Any, own_arena: Arena, today: date
) -> None:
    other = ArenaFactory(name="Annen arena")
    world = _secretariat_world(today, own_arena, other)
    page = login(client, secretariat).get("/").content.decode()
    assert "Plan annen" in _section(page, "drafts")
    assert f'href="{world["run-annen"].get_absolute_url()}"' in _section(page, "runs")
    # an issued run with its budget: nothing to do
    issued = ArenaFactory(name="Ferdig fakturert")
    Budget.objects.create(arena=issued, year=today.year)
    InvoiceRun.objects.create(
        arena=issued,
        year=today.year,
        status=InvoiceRun.Status.ISSUED,
        issue_date=today,
        due_date=today,
        seller=current("3909"),
    )
    page = client.get("/").content.decode()
    assert "Ferdig fakturert" not in _section(page, "runs")


@pytest.mark.parametrize("who", ["public", "reader"])
def test_the_public_and_readers_keep_the_overview(
    client: Client, who: str, larvik: Municipality, horten: Municipality, today: date
) -> None:
    _coordinator_world(today, larvik, horten)
    if who == "reader":
        login(client, _user("leser-2", Role.READER))
    page = client.get("/").content.decode()
    assert "Dette venter på deg" not in page
    assert "Arenaer etter type" in page
    assert "Medlemskap per kommune i dag" in page
    assert "LAR-2025-1" not in page


def test_the_arena_charts_are_tables_with_bars(client: Client) -> None:
    ArenaFactory(kind=Arena.Kind.PROFESSIONAL_GROUP)
    ArenaFactory(kind=Arena.Kind.PROFESSIONAL_GROUP)
    ArenaFactory(kind=Arena.Kind.LEARNING_NETWORK)
    page = client.get("/").content.decode()
    chart = page[page.index('id="chart-kind-caption"') :]
    chart = chart[: chart.index("</figure>")]
    assert f'href="{reverse("arenas:arena_list")}?kind=professional_group">Faggruppe</a>' in chart
    assert '<td class="num">2</td>' in chart
    assert 'width="100.0"' in chart
    assert 'width="50.0"' in chart
    assert 'aria-hidden="true"' in chart


def _grow(today: date, numbers: range, larvik: Municipality, horten: Municipality) -> None:
    for i in numbers:
        _coordinator_world(today, larvik, horten, suffix=f"-{i}")
        _secretariat_world(today, ArenaFactory(), ArenaFactory())


@pytest.mark.parametrize("persona", ["coordinator", "arena_secretariat", "secretariat"])
def test_the_first_page_runs_a_bounded_number_of_queries(
    client: Client,
    request: pytest.FixtureRequest,
    persona: str,
    larvik: Municipality,
    horten: Municipality,
    today: date,
    django_assert_max_num_queries: Any,
) -> None:
    user = request.getfixturevalue(persona)
    login(client, user)

    def measure() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    _grow(today, range(1), larvik, horten)
    small = measure()
    _grow(today, range(1, 4), larvik, horten)
    cache.clear()
    with django_assert_max_num_queries(40):
        assert client.get("/").status_code == 200
    assert measure() == small  # the same on a larger set of data
    # cached: a second look computes nothing again
    with django_assert_max_num_queries(small - 10):
        client.get("/")


def test_the_portfolio_shows_projects_by_status_as_a_chart(client: Client) -> None:
    arena = ArenaFactory()
    for code in ("P1", "P2"):
        Project.objects.create(arena=arena, code=code, title=code, status=Project.Status.ONGOING)
    page = client.get(reverse("portfolio:index")).content.decode()
    chart = page[page.index('id="chart-project-status-caption"') :]
    chart = chart[: chart.index("</figure>")]
    assert "Pågående" in chart
    assert '<td class="num">2</td>' in chart
    assert 'width="100.0"' in chart
