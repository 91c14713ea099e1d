"""The strategy write API: plans and their parts, administration costs, project results,
links and benefits. Each: the happy path (stored values, an audit entry on the API
channel), the refusals (401, 403), a stale version (409) and invalid input (422)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.utils import timezone

from conftest import login
from samarbeid.audit.models import AuditEntry
from samarbeid.governance.models import Case
from samarbeid.strategy.models import (
    AdministrationCost,
    Benefit,
    BenefitRealisation,
    EconomicResult,
    FocusArea,
    Goal,
    Indicator,
    IndicatorValue,
    PlanItem,
    ProjectFocusArea,
    ProjectGoal,
    Result,
    StrategicPlan,
)
from samarbeid.strategy.tests.helpers import area, arena_of, call, goal, plan, project

pytestmark = pytest.mark.django_db
API = "/api/v1"
PROBLEM = "application/problem+json"


def audited(obj: models.Model, action: str = "create") -> AuditEntry:
    """The one API audit entry of this action on `obj`."""
    return AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        action=action,
        channel="api",
    )


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:400]
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def fields_in(body: dict[str, Any]) -> set[str]:
    return {error["loc"][-1] for error in body.get("errors", []) if error["loc"]}


# Plans ------------------------------------------------------------------------------------


def test_create_plan(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena = arena_of(["3909"])
    body = {"arena": arena.pk, "title": "Plan 2026–2029", "first_year": 2026, "last_year": 2029}
    problem(call(client, "POST", "/strategic-plans", body), 401)
    login(client, coordinator)
    problem(call(client, "POST", "/strategic-plans", body), 403)
    assert not StrategicPlan.objects.exists()
    login(client, secretariat)
    invalid = problem(call(client, "POST", "/strategic-plans", {**body, "first_year": 2030}), 422)
    assert "last_year" in fields_in(invalid)
    problem(call(client, "POST", "/strategic-plans", {**body, "title": ""}), 422)
    problem(call(client, "POST", "/strategic-plans", {**body, "arena": 999999}), 404)
    assert not StrategicPlan.objects.exists()
    response = call(client, "POST", "/strategic-plans", {**body, "summary": "Kort"})
    assert response.status_code == 201, response.content
    created = StrategicPlan.objects.get()
    assert (created.arena, created.first_year, created.last_year, created.summary) == (
        arena,
        2026,
        2029,
        "Kort",
    )
    assert created.status == "draft"
    assert response.json()["id"] == created.pk
    assert response.json()["version"] == 1
    assert audited(created).actor == secretariat


def test_patch_plan_with_version(client: Client, secretariat: Any, coordinator: Any) -> None:
    p = plan(arena_of(["3909"]))
    url = f"/strategic-plans/{p.pk}"
    login(client, coordinator)
    problem(call(client, "PATCH", url, {"version": p.version, "title": "X"}), 403)
    login(client, secretariat)
    # The status has its own endpoint: a PATCH naming it is refused, not silently ignored.
    refused = call(client, "PATCH", url, {"version": 1, "title": "Ny tittel", "status": "adopted"})
    assert refused.status_code == 422, refused.content
    assert [e["loc"][-1] for e in refused.json()["errors"]] == ["status"]
    response = call(client, "PATCH", url, {"version": 1, "title": "Ny tittel"})
    assert response.status_code == 200, response.content
    p.refresh_from_db()
    assert (p.title, p.status, p.version) == ("Ny tittel", "draft", 2)
    assert response.json()["version"] == 2
    assert audited(p, "update").changes
    stale = problem(call(client, "PATCH", url, {"version": 1, "title": "Gammel"}), 409)
    assert stale["current_version"] == 2
    problem(call(client, "PATCH", url, {"version": 2, "last_year": 2000}), 422)
    problem(call(client, "PATCH", url, {"title": "Uten versjon"}), 422)
    p.refresh_from_db()
    assert (p.title, p.last_year, p.version) == ("Ny tittel", 2024, 2)


def test_plan_parts_and_sending(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena = arena_of(["3909", "3901"])
    p = plan(arena)
    base = f"/strategic-plans/{p.pk}"
    login(client, coordinator)
    problem(call(client, "POST", f"{base}/goals", {"title": "Mål"}), 403)
    login(client, secretariat)
    # a plan without goals cannot be sent
    problem(call(client, "POST", f"{base}/send"), 422)
    first = call(client, "POST", f"{base}/goals", {"title": "Bedre tjenester"})
    assert first.status_code == 201
    assert first.json()["number"] == 1
    second = call(client, "POST", f"{base}/goals", {"title": "Lavere kostnader", "number": 5})
    assert second.json()["number"] == 5
    taken = problem(call(client, "POST", f"{base}/goals", {"title": "Igjen", "number": 5}), 422)
    assert "number" in fields_in(taken)
    item = call(client, "POST", f"{base}/items", {"kind": "success_factor", "title": "Forankring"})
    assert item.status_code == 201
    problem(call(client, "POST", f"{base}/items", {"kind": "nonsense", "title": "X"}), 422)
    focus = call(client, "POST", f"{base}/focus-areas", {"title": "IKT", "order": 2})
    assert focus.status_code == 201
    assert [g.number for g in p.goals.order_by("number")] == [1, 5]
    stored_item = PlanItem.objects.get(pk=item.json()["id"])
    assert (stored_item.plan, stored_item.kind) == (p, "success_factor")
    assert FocusArea.objects.get(pk=focus.json()["id"]).order == 2
    audited(stored_item)
    audited(Goal.objects.get(pk=first.json()["id"]))

    # deleting a part of a draft
    response = call(client, "DELETE", f"{base}/goals/{second.json()['id']}?version=1")
    assert response.status_code == 204
    assert not Goal.objects.filter(number=5).exists()
    assert AuditEntry.objects.filter(action="delete", channel="api").count() == 1
    other = plan(arena, 2030, 2033)
    problem(
        call(client, "DELETE", f"/strategic-plans/{other.pk}/items/{stored_item.pk}?version=1"), 404
    )

    planned = (timezone.localdate() + timedelta(days=30)).isoformat()
    sent = call(client, "POST", f"{base}/send", {"planned_date": planned})
    assert sent.status_code == 200, sent.content
    p.refresh_from_db()
    assert p.status == "sent"
    assert sent.json()["case"] == p.case_id
    case = Case.objects.get(pk=p.case_id)
    assert case.arena == arena
    assert audited(case).channel == "api"
    # once sent, the plan's parts stay
    problem(call(client, "DELETE", f"{base}/items/{stored_item.pk}?version=1"), 422)
    assert PlanItem.objects.filter(pk=stored_item.pk).exists()
    problem(call(client, "POST", f"{base}/send"), 422)
    # adoption waits for every council
    pending = problem(
        call(client, "POST", f"{base}/status", {"status": "adopted", "version": 2}), 422
    )
    assert "Venter fortsatt" in pending["detail"]


def test_plan_status_expired(client: Client, secretariat: Any, reader: Any) -> None:
    old = plan(arena_of(["3909"]), 2008, 2011)
    url = f"/strategic-plans/{old.pk}/status"
    login(client, reader)
    problem(call(client, "POST", url, {"status": "expired", "version": 1}), 403)
    login(client, secretariat)
    problem(call(client, "POST", url, {"status": "draft", "version": 1}), 422)
    response = call(client, "POST", url, {"status": "expired", "version": 1})
    assert response.status_code == 200
    assert response.json()["status"] == "expired"
    old.refresh_from_db()
    assert (old.status, old.version) == ("expired", 2)
    assert audited(old, "update").changes
    problem(call(client, "POST", url, {"status": "expired", "version": 1}), 409)
    current = plan(old.arena, 2024, 2999)
    problem(
        call(
            client,
            "POST",
            f"/strategic-plans/{current.pk}/status",
            {"status": "expired", "version": 1},
        ),
        422,
    )


def test_arena_goal_and_admin_cost(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena = arena_of(["3909"])
    body = {"arena": arena.pk, "title": "Hovedmål"}
    cost = {"first_year": 2024, "last_year": 2025, "amount": "1234.50", "source": "Regnskap"}
    login(client, coordinator)
    problem(call(client, "POST", "/goals", body), 403)
    problem(call(client, "POST", f"/arenas/{arena.pk}/administration-costs", cost), 403)
    login(client, secretariat)
    response = call(client, "POST", "/goals", body)
    assert response.status_code == 201
    created = Goal.objects.get()
    assert (created.arena, created.plan, created.number) == (arena, None, 1)
    audited(created)
    problem(call(client, "POST", "/goals", {**body, "title": ""}), 422)
    url = f"/arenas/{arena.pk}/administration-costs"
    response = call(client, "POST", url, cost)
    assert response.status_code == 201
    assert response.json()["amount"] == "1234.50"
    stored = AdministrationCost.objects.get()
    assert stored.amount == Decimal("1234.50")
    assert stored.arena == arena
    audited(stored)
    invalid = problem(call(client, "POST", url, {**cost, "last_year": 2020}), 422)
    assert "last_year" in fields_in(invalid)
    problem(call(client, "POST", url, {**cost, "amount": "-1.00"}), 422)
    problem(call(client, "POST", url, {**cost, "amount": "1.005"}), 422)
    assert AdministrationCost.objects.count() == 1


# Projects ---------------------------------------------------------------------------------


def test_links_to_goals_and_focus_areas(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena = arena_of(["3909"])
    p = plan(arena)
    g, a = goal(p, 1), area(p, "IKT")
    foreign = goal(plan(arena_of(["3901"])), 1)
    proj = project(arena)
    login(client, coordinator)
    problem(call(client, "POST", f"/projects/{proj.pk}/goals", {"goal": g.pk}), 403)
    login(client, secretariat)
    response = call(client, "POST", f"/projects/{proj.pk}/goals", {"goal": g.pk})
    assert response.status_code == 201
    link = ProjectGoal.objects.get()
    assert (link.project, link.goal) == (proj, g)
    audited(link)
    problem(call(client, "POST", f"/projects/{proj.pk}/goals", {"goal": g.pk}), 422)
    problem(call(client, "POST", f"/projects/{proj.pk}/goals", {"goal": foreign.pk}), 422)
    problem(call(client, "POST", f"/projects/{proj.pk}/goals", {"goal": 999999}), 422)
    response = call(client, "POST", f"/projects/{proj.pk}/focus-areas", {"focus_area": a.pk})
    assert response.status_code == 201
    assert ProjectFocusArea.objects.get().focus_area == a
    assert call(client, "DELETE", f"/projects/{proj.pk}/goals/{g.pk}").status_code == 204
    assert not ProjectGoal.objects.exists()
    problem(call(client, "DELETE", f"/projects/{proj.pk}/goals/{g.pk}"), 404)
    login(client, coordinator)
    problem(call(client, "DELETE", f"/projects/{proj.pk}/focus-areas/{a.pk}"), 403)
    assert ProjectFocusArea.objects.exists()
    login(client, secretariat)
    assert call(client, "DELETE", f"/projects/{proj.pk}/focus-areas/{a.pk}").status_code == 204
    assert not ProjectFocusArea.objects.exists()
    assert AuditEntry.objects.filter(action="delete", channel="api").count() == 2


def test_results_indicators_and_values(client: Client, secretariat: Any, coordinator: Any) -> None:
    proj = project(arena_of(["3909"]))
    body = {"kind": "professional", "title": "Felles system", "recorded_on": "2024-01-05"}
    login(client, coordinator)
    problem(call(client, "POST", f"/projects/{proj.pk}/results", body), 403)
    login(client, secretariat)
    problem(call(client, "POST", f"/projects/{proj.pk}/results", {**body, "title": ""}), 422)
    problem(call(client, "POST", "/projects/999999/results", body), 404)
    response = call(client, "POST", f"/projects/{proj.pk}/results", body)
    assert response.status_code == 201
    result = Result.objects.get()
    assert (result.project, result.title, result.recorded_on) == (
        proj,
        "Felles system",
        date(2024, 1, 5),
    )
    audited(result)
    soft = Result.objects.create(
        project=proj, kind="unquantifiable", title="Tillit", recorded_on=date(2024, 1, 1)
    )
    indicator_body = {"name": "Tid", "unit": "dager", "baseline": "10.00", "target": "4.50"}
    refused = problem(call(client, "POST", f"/results/{soft.pk}/indicators", indicator_body), 422)
    assert "result" in fields_in(refused)
    response = call(client, "POST", f"/results/{result.pk}/indicators", indicator_body)
    assert response.status_code == 201
    assert response.json()["target"] == "4.50"
    indicator = Indicator.objects.get()
    assert indicator.target == Decimal("4.50")
    audited(indicator)
    url = f"/indicators/{indicator.pk}/values"
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    problem(call(client, "POST", url, {"measured_on": future, "value": "5.00"}), 422)
    response = call(client, "POST", url, {"measured_on": "2024-06-01", "value": "5.25"})
    assert response.status_code == 201
    assert response.json()["value"] == "5.25"
    assert IndicatorValue.objects.get().value == Decimal("5.25")
    login(client, coordinator)
    problem(call(client, "POST", url, {"measured_on": "2024-06-02", "value": "5.00"}), 403)
    assert IndicatorValue.objects.count() == 1


def test_economic_results(client: Client, secretariat: Any, coordinator: Any) -> None:
    proj = project(arena_of(["3909"]))
    url = f"/projects/{proj.pk}/economic-results"
    body = {
        "kind": "saving",
        "basis": "realised",
        "municipality": "3909",
        "year": 2024,
        "amount": "25000.10",
        "source": "Regnskap 2024",
    }
    login(client, coordinator)
    problem(call(client, "POST", url, body), 403)
    login(client, secretariat)
    response = call(client, "POST", url, body)
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "25000.10"
    stored = EconomicResult.objects.get()
    assert stored.municipality is not None
    assert stored.municipality.number == "3909"
    assert stored.amount == Decimal("25000.10")
    audited(stored)
    # Larvik was 0709 in 2010: the number 3909 did not exist
    gone = problem(call(client, "POST", url, {**body, "year": 2010}), 422)
    assert "municipality" in fields_in(gone)
    problem(call(client, "POST", url, {**body, "municipality": "0000"}), 422)
    future = timezone.localdate().year + 1
    problem(call(client, "POST", url, {**body, "year": future}), 422)
    problem(call(client, "POST", url, {**body, "amount": "0.00"}), 422)
    whole = call(client, "POST", url, {**body, "municipality": None, "basis": "estimated"})
    assert whole.status_code == 201
    assert whole.json()["municipality"] is None
    assert EconomicResult.objects.count() == 2


# Benefits ---------------------------------------------------------------------------------


def test_benefits_by_coordinator(
    client: Client, coordinator: Any, other_coordinator: Any, secretariat: Any
) -> None:
    proj = project(arena_of(["3909", "3901"]))
    url = f"/projects/{proj.pk}/benefits"
    body = {
        "municipality": "3909",
        "description": "Mindre tid på fakturering",
        "expected_amount": "100000.00",
        "owner": "Økonomisjef",
        "target_date": "2030-01-01",
    }
    problem(call(client, "POST", url, body), 401)
    login(client, other_coordinator)
    problem(call(client, "POST", url, body), 403)
    login(client, coordinator)
    problem(call(client, "POST", url, {**body, "owner": ""}), 422)
    problem(call(client, "POST", url, {**body, "municipality": "39"}), 422)
    assert not Benefit.objects.exists()
    response = call(client, "POST", url, body)
    assert response.status_code == 201, response.content
    benefit = Benefit.objects.get()
    assert benefit.municipality.number == "3909"
    assert benefit.owner == "Økonomisjef"
    assert benefit.expected_amount == Decimal("100000.00")
    assert audited(benefit).actor == coordinator

    edit = f"/benefits/{benefit.pk}"
    login(client, other_coordinator)
    problem(call(client, "PATCH", edit, {"version": 1, "owner": "Rådmann"}), 403)
    login(client, coordinator)
    response = call(
        client, "PATCH", edit, {"version": 1, "owner": "Rådmann", "expected_amount": None}
    )
    assert response.status_code == 200, response.content
    benefit.refresh_from_db()
    assert (benefit.owner, benefit.expected_amount, benefit.version) == ("Rådmann", None, 2)
    assert audited(benefit, "update").channel == "api"
    problem(call(client, "PATCH", edit, {"version": 1, "owner": "Gammel"}), 409)
    problem(call(client, "PATCH", edit, {"version": 2, "owner": ""}), 422)
    problem(call(client, "PATCH", edit, {"version": 2, "target_date": "not a date"}), 422)
    benefit.refresh_from_db()
    assert benefit.owner == "Rådmann"

    realise = f"/benefits/{benefit.pk}/realisations"
    today = timezone.localdate().isoformat()
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    problem(call(client, "POST", realise, {"recorded_on": future, "status": "realised"}), 422)
    problem(
        call(
            client, "POST", realise, {"recorded_on": today, "amount": "5.00", "status": "planned"}
        ),
        422,
    )
    response = call(
        client, "POST", realise, {"recorded_on": today, "amount": "400.00", "status": "in_progress"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["benefit_version"] == 3
    step = BenefitRealisation.objects.get()
    assert step.amount == Decimal("400.00")
    audited(step)
    benefit.refresh_from_db()
    assert benefit.status == "in_progress"
    login(client, other_coordinator)
    problem(call(client, "POST", realise, {"recorded_on": today, "status": "realised"}), 403)
    login(client, secretariat)
    response = call(client, "POST", realise, {"recorded_on": today, "status": "realised"})
    assert response.status_code == 201
    listed = client.get(f"{API}/benefits", {"project": proj.pk}).json()["items"][0]
    assert listed["status"] == "realised"
    assert listed["realised_amount"] == "400.00"
    assert listed["version"] == 4


def test_unknown_records_are_404(client: Client, secretariat: Any) -> None:
    login(client, secretariat)
    problem(call(client, "PATCH", "/strategic-plans/999999", {"version": 1}), 404)
    body = {"recorded_on": "2024-01-01", "status": "realised"}
    problem(call(client, "POST", "/benefits/999999/realisations", body), 404)
    body = {"measured_on": "2024-01-01", "value": "1.00"}
    problem(call(client, "POST", "/indicators/999999/values", body), 404)
    problem(call(client, "DELETE", "/strategic-plans/999999/goals/1?version=1"), 404)


def test_unpublished_plan_is_404_to_an_outsider_token(client: Client, secretariat: Any) -> None:
    from django.contrib.auth import get_user_model

    from samarbeid.accounts.models import Role, RoleAssignment

    hidden = plan(arena_of(["3909"], published=False))
    outsider = get_user_model().objects.create_user(username="uten-rolle", password="x-123456")
    login(client, outsider)
    problem(call(client, "PATCH", f"/strategic-plans/{hidden.pk}", {"version": 1}), 404)
    RoleAssignment.objects.create(user=outsider, role=Role.READER)
    problem(call(client, "PATCH", f"/strategic-plans/{hidden.pk}", {"version": 1}), 403)
