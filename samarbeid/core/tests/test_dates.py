"""Plausible dates (issue 19, point 2): the windows, their boundary days, and the same refusal
on the page and in the API. The table itself is `samarbeid.core.dates`; the windows are
written out here again as the specification a clerk was promised."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import login
from samarbeid.core import dates
from samarbeid.governance.models import Case
from samarbeid.strategy.models import Benefit
from samarbeid.strategy.tests.helpers import arena_of, project

JSON = "application/json"


def _spec(kind: str, today: date) -> tuple[date, date]:
    return {
        "record": (date(1950, 1, 1), today),
        "plan": (date(1950, 1, 1), date(today.year + 50, 12, 31)),
        "period": (date(1950, 1, 1), date(today.year + 50, 12, 31)),
        "invoice": (date(1990, 1, 1), date(today.year + 10, 12, 31)),
        "meeting": (date(1950, 1, 1), date(today.year + 50, 12, 31)),
    }[kind]


KINDS = [str(kind) for kind in dates.Kind]


@pytest.mark.parametrize("kind", KINDS)
def test_the_boundary_days(kind: str) -> None:
    today = date(2026, 12, 3)
    first, last = _spec(kind, today)
    assert dates.window(kind, today) == (first, last)
    dates.check(kind, first, today)
    dates.check(kind, last, today)
    for outside in (first - timedelta(days=1), last + timedelta(days=1)):
        with pytest.raises(ValidationError):
            dates.check(kind, outside, today)


@given(
    kind=st.sampled_from(KINDS),
    today=st.dates(date(2000, 1, 1), date(2090, 12, 31)),
    value=st.dates(date(1, 1, 1), date(9999, 12, 31)),
)
def test_a_date_is_accepted_exactly_in_its_window(kind: str, today: date, value: date) -> None:
    first, last = _spec(kind, today)
    if first <= value <= last:
        dates.check(kind, value, today)
    else:
        with pytest.raises(ValidationError) as refused:
            dates.check(kind, value, today)
        assert value.strftime("%d.%m.%Y") in refused.value.messages[0]


def test_the_refusal_reads_as_a_clerk_reads_it() -> None:
    today = date(2026, 12, 3)
    with pytest.raises(ValidationError) as refused:
        dates.check("plan", date(1800, 1, 1), today)
    assert refused.value.messages == [
        "Datoen 01.01.1800 er utenfor det som er rimelig for en planlagt dato eller et "
        "tidspunkt i et mål (01.01.1950–31.12.2076)."
    ]
    with pytest.raises(ValidationError) as early:
        dates.check("record", date(1949, 12, 31), today)
    assert early.value.messages == [
        "Datoen 31.12.1949 er utenfor det som er rimelig for en dato for noe som har skjedd "
        "(01.01.1950–03.12.2026)."
    ]
    with pytest.raises(ValidationError) as future:
        dates.check("record", date(2026, 12, 4), today)
    assert future.value.messages == [
        "Datoen kan ikke være fram i tid (04.12.2026 er etter i dag, 03.12.2026)."
    ]
    with translation.override("en"):
        with pytest.raises(ValidationError) as english:
            dates.check("invoice", date(1989, 12, 31), today)
        assert english.value.messages == [
            "The date 31.12.1989 is outside what is reasonable for an invoice "
            "(01.01.1990–31.12.2036)."
        ]


def test_today_is_read_when_the_date_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The window moves with the day of the check, not the day the code was loaded."""
    monkeypatch.setattr(dates.timezone, "localdate", lambda: date(2030, 6, 1))
    assert dates.window("record") == (date(1950, 1, 1), date(2030, 6, 1))
    assert dates.window("plan") == (date(1950, 1, 1), date(2080, 12, 31))
    dates.RECORD(date(2030, 6, 1))
    with pytest.raises(ValidationError):
        dates.RECORD(date(2030, 6, 2))


def test_the_register_keeps_its_own_dates() -> None:
    """Statistics Norway's register (valid_from back to 1838) has no window of ours."""
    from samarbeid.registry.models import Municipality, MunicipalityChange

    for model in (Municipality, MunicipalityChange):
        for field in model._meta.concrete_fields:
            assert dates.plausible_kind(model, field.name) is None, field.name


# --- the page and the API, on their boundary days --------------------------------------------


def _benefit_page(client: Client, benefit: Benefit, target: date) -> Any:
    return client.post(
        reverse("strategy:benefit_edit", args=[benefit.pk]),
        {
            "version": benefit.version,
            "description": benefit.description,
            "owner": benefit.owner,
            "target_date": target.isoformat(),
        },
    )


def _benefit_api(client: Client, benefit: Benefit, target: date) -> Any:
    return client.patch(
        f"/api/v1/benefits/{benefit.pk}",
        json.dumps({"version": benefit.version, "target_date": target.isoformat()}),
        content_type=JSON,
    )


@pytest.fixture
def benefit(db: None) -> Benefit:
    larvik = arena_of(["3909"]).memberships.get().municipality
    return Benefit.objects.create(
        project=project(larvik.memberships.get().arena),
        municipality=larvik,
        description="Mindre tid på fakturering",
        owner="Økonomisjef",
        target_date=date(2030, 1, 1),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("front", ["page", "api"])
def test_a_target_date_on_its_boundary_days(
    client: Client, secretariat: Any, benefit: Benefit, front: str
) -> None:
    """A benefit's target date: 01.01.1950 and 31.12. fifty years on are taken, a day
    outside either is refused on the field, and nothing is saved."""
    login(client, secretariat)
    send = _benefit_page if front == "page" else _benefit_api
    first, last = dates.window("plan")
    for outside in (first - timedelta(days=1), last + timedelta(days=1), date(1800, 1, 1)):
        response = send(client, benefit, outside)
        shown = outside.strftime("%d.%m.%Y")
        if front == "page":
            assert response.status_code == 200
            assert f"Datoen {shown} er utenfor" in str(
                response.context["form"].errors["target_date"]
            )
        else:
            assert response.status_code == 422
            assert response.json()["errors"][0]["loc"] == ["target_date"]
            assert f"Datoen {shown} er utenfor" in response.json()["errors"][0]["msg"]
        benefit.refresh_from_db()
        assert benefit.target_date == date(2030, 1, 1)
    for inside in (first, last):
        response = send(client, benefit, inside)
        assert response.status_code in (200, 302), response.content[:300]
        benefit.refresh_from_db()
        assert benefit.target_date == inside


@pytest.mark.django_db
def test_a_case_opened_today_is_taken_tomorrow_is_not(client: Client, secretariat: Any) -> None:
    """A record date: today is the last plausible day (page and API say the same)."""
    arena = arena_of(["3909"])
    login(client, secretariat)
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    body = {"title": "Ny sak", "arena": arena.pk, "subject": "other"}
    api = client.post("/api/v1/cases", {**body, "opened": tomorrow.isoformat()}, content_type=JSON)
    assert api.status_code == 422
    assert api.json()["errors"][0]["loc"] == ["opened"]
    page = client.post(reverse("governance:case_create"), {**body, "opened": tomorrow.isoformat()})
    assert page.status_code == 200
    assert api.json()["errors"][0]["msg"] in page.context["form"].errors["opened"]
    assert not Case.objects.exists()
    api = client.post("/api/v1/cases", {**body, "opened": today.isoformat()}, content_type=JSON)
    assert api.status_code == 201, api.content


@pytest.mark.django_db
def test_any_target_date_in_its_window_is_taken_and_any_outside_refused(
    client: Client, secretariat: Any, benefit: Benefit
) -> None:
    login(client, secretariat)
    first, last = dates.window("plan")

    @given(target=st.dates(date(1, 1, 1), date(9999, 12, 31)))
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def attempt(target: date) -> None:
        benefit.refresh_from_db()
        before = benefit.target_date
        response = _benefit_api(client, benefit, target)
        benefit.refresh_from_db()
        if first <= target <= last:
            assert response.status_code == 200, response.content[:300]
            assert benefit.target_date == target
        else:
            assert response.status_code == 422, response.content[:300]
            assert benefit.target_date == before

    attempt()
