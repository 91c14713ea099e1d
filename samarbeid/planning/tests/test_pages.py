"""A municipality's planning strategy pages: who may write (its coordinator, a global
secretariat), who is refused (another municipality's coordinator, a reader: 403; the
anonymous: the log-in page), what everyone reads (the published ones)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.audit.models import AuditEntry
from samarbeid.audit.services import history
from samarbeid.planning.models import CooperationNeed, PlanningStrategy
from samarbeid.planning.tests.factories import need, strategy

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Planstrategi for Larvik kommune",
    "first_year": "2024",
    "last_year": "2027",
    "adopted_on": "2024-06-19",
    "decision_reference": "PS 61/24",
    "link": "https://www.larvik.kommune.no/planstrategi",
    "published": "on",
}


def test_the_coordinator_records_a_strategy_and_its_need(client: Client, coordinator: Any) -> None:
    login(client, coordinator)
    page = client.get(reverse("planning:strategy_list", args=["3909"]))
    assert "Registrer planstrategi" in page.content.decode()
    response = client.post(reverse("planning:strategy_create", args=["3909"]), VALID)
    assert response.status_code == 302
    saved = PlanningStrategy.objects.get()
    assert saved.municipality.number == "3909"
    assert saved.period == "2024–2027"
    assert history(saved).filter(action=AuditEntry.Action.CREATE).exists()
    response = client.post(
        reverse("planning:need_create", args=["3909", saved.pk]),
        {"theme": "procurement", "description": "Felles innkjøp", "partners": "Sandefjord"},
    )
    assert response.status_code == 302
    assert response["Location"] == saved.get_absolute_url()
    detail = client.get(saved.get_absolute_url()).content.decode()
    assert "Felles innkjøp" in detail
    assert "19.06.2024" in detail


def test_a_bad_strategy_is_shown_again_with_field_errors(client: Client, coordinator: Any) -> None:
    login(client, coordinator)
    response = client.post(
        reverse("planning:strategy_create", args=["3909"]),
        VALID | {"first_year": "2027", "last_year": "2024", "adopted_on": "1800-01-01"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"last_year", "adopted_on"}
    assert "01.01.1800" in str(form.errors["adopted_on"])
    assert not PlanningStrategy.objects.exists()


def test_other_theme_needs_its_text(client: Client, coordinator: Any) -> None:
    saved = strategy()
    login(client, coordinator)
    response = client.post(
        reverse("planning:need_create", args=["3909", saved.pk]),
        {"theme": "other", "theme_other": "", "description": "Noe annet"},
    )
    assert response.status_code == 200
    assert "theme_other" in response.context["form"].errors
    assert not CooperationNeed.objects.exists()


@pytest.mark.parametrize("name", ["strategy_edit", "strategy_delete", "need_create"])
def test_others_are_refused(client: Client, other_coordinator: Any, reader: Any, name: str) -> None:
    saved = strategy()
    url = reverse(f"planning:{name}", args=["3909", saved.pk])
    assert client.get(url).status_code == 302  # anonymous: to the log-in page
    assert "/logg-inn/" in client.post(url, VALID)["Location"]
    for user in (other_coordinator, reader):
        login(client, user)
        assert client.get(url).status_code == 403
        assert client.post(url, VALID | {"version": saved.version}).status_code == 403
    saved.refresh_from_db()
    assert saved.version == 1


def test_create_is_refused_to_another_municipalitys_coordinator(
    client: Client, other_coordinator: Any, secretariat: Any
) -> None:
    url = reverse("planning:strategy_create", args=["3909"])
    login(client, other_coordinator)
    assert client.post(url, VALID).status_code == 403
    assert not PlanningStrategy.objects.exists()
    login(client, secretariat)  # a global secretariat may, as for the population
    assert client.post(url, VALID).status_code == 302


def test_the_public_reads_only_published_strategies(client: Client) -> None:
    shown = strategy(title="Vedtatt planstrategi")
    hidden = strategy(
        title="Utkast til planstrategi", published=False, first_year=2028, last_year=2031
    )
    page = client.get(reverse("planning:strategy_list", args=["3909"])).content.decode()
    assert "Vedtatt planstrategi" in page
    assert "Utkast til planstrategi" not in page
    assert "Registrer planstrategi" not in page
    assert client.get(shown.get_absolute_url()).status_code == 200
    assert client.get(hidden.get_absolute_url()).status_code == 404
    # a strategy is found under its own municipality only
    assert (
        client.get(reverse("planning:strategy_detail", args=["3901", shown.pk])).status_code == 404
    )


def test_edit_with_a_stale_version_shows_the_conflict(client: Client, coordinator: Any) -> None:
    saved = strategy()
    login(client, coordinator)
    url = reverse("planning:strategy_edit", args=["3909", saved.pk])
    assert client.post(url, VALID | {"version": 1}).status_code == 302
    response = client.post(url, VALID | {"title": "Annen tittel", "version": 1})
    assert response.status_code == 200
    assert response.context["conflict"] is not None
    saved.refresh_from_db()
    assert saved.title == VALID["title"]


def test_delete_removes_the_strategy_with_its_needs(client: Client, coordinator: Any) -> None:
    saved = strategy()
    need(saved)
    login(client, coordinator)
    url = reverse("planning:strategy_delete", args=["3909", saved.pk])
    assert "Slett planstrategien" in client.get(url).content.decode()
    response = client.post(url, {"version": saved.version})
    assert response.status_code == 302
    assert not PlanningStrategy.objects.exists()
    assert not CooperationNeed.objects.exists()


def test_a_need_is_edited_and_deleted(client: Client, coordinator: Any) -> None:
    saved = strategy()
    one = need(saved)
    login(client, coordinator)
    edit = reverse("planning:need_edit", args=["3909", saved.pk, one.pk])
    response = client.post(
        edit, {"theme": "ict", "description": "Felles IKT-drift", "version": one.version}
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert (one.theme, one.version) == ("ict", 2)
    delete = reverse("planning:need_delete", args=["3909", saved.pk, one.pk])
    assert client.post(delete, {"version": 1}).status_code == 200  # stale: shown again
    assert CooperationNeed.objects.exists()
    assert client.post(delete, {"version": 2}).status_code == 302
    assert not CooperationNeed.objects.exists()


def test_a_second_strategy_for_an_overlapping_period_is_refused(
    client: Client, coordinator: Any
) -> None:
    """A clerk's trial recorded 2025–2028 beside 2024–2027: the review page then named
    Larvik's needs twice. One strategy a period; the next may start when the last ends."""
    strategy("3909", title="Planstrategi 2024–2027")
    login(client, coordinator)
    url = reverse("planning:strategy_create", args=["3909"])
    response = client.post(url, {**VALID, "first_year": "2025", "last_year": "2028"})
    assert response.status_code == 200
    assert "periodene kan ikke overlappe" in response.content.decode()
    assert PlanningStrategy.objects.count() == 1
    response = client.post(url, {**VALID, "first_year": "2028", "last_year": "2031"})
    assert response.status_code == 302
    assert PlanningStrategy.objects.count() == 2


def test_the_strategies_page_shows_each_need_whole(client: Client) -> None:
    """A clerk's trial (trial A): the municipality's own page cut a long need with "…"."""
    words = " ".join(f"ord{n}" for n in range(60))
    need(strategy(), description=words)
    page = client.get(reverse("planning:strategy_list", args=["3909"])).content.decode()
    assert words in page
