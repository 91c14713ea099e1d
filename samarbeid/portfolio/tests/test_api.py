from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import login, problem_of
from samarbeid.arenas.tests.factories import current
from samarbeid.audit.tests.helpers import api_entries
from samarbeid.governance.models import Decision
from samarbeid.portfolio.models import Participation, Project
from samarbeid.portfolio.tests.helpers import (
    arena_of,
    council_decision,
    join_project,
    make_case,
    project_in,
)

pytestmark = pytest.mark.django_db


def test_list_with_filters_and_bounded_queries(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909", "3901"])
    for i in range(2):
        join_project(project_in(arena, secretariat, code=f"A{i}"), "3909", secretariat)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/projects").status_code == 200
    for i in range(2, 7):
        join_project(project_in(arena, secretariat, code=f"A{i}"), "3901", secretariat)
    with CaptureQueriesContext(connection) as large:
        body = client.get("/api/v1/projects").json()
    assert len(small) == len(large)
    assert body["count"] == 7
    assert client.get("/api/v1/projects?municipality=3909").json()["count"] == 2
    assert client.get(f"/api/v1/projects?arena={arena.pk}&status=ongoing").json()["count"] == 0
    assert client.get("/api/v1/projects?status=nonsense").status_code == 422


def test_detail_has_participants(client: Client, secretariat: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat, budget=1500)
    join_project(project, "3909", secretariat)
    body = client.get(f"/api/v1/projects/{project.pk}").json()
    assert body["budget"] == "1500.00"
    participant = body["participants"][0]
    assert participant["number"] == "3909"
    assert participant["status"] == "joined"
    assert participant["since"] == "2024-05-01"
    assert isinstance(participant["decision"], int)
    assert client.get("/api/v1/projects/999999").status_code == 404


def test_unpublished_hidden_from_public(client: Client, secretariat: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat, published=False)
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 404


def test_write_project_status_and_participation(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909"])
    assert client.post("/api/v1/projects", {}, content_type="application/json").status_code in (
        401,
        403,
    )
    login(client, secretariat)
    response = client.post(
        "/api/v1/projects",
        {"arena": arena.pk, "code": "API1", "title": "Fra API", "start": "2024-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    project = response.json()
    pid, version = project["id"], project["version"]
    response = client.patch(
        f"/api/v1/projects/{pid}",
        {"version": version + 5, "title": "X"},
        content_type="application/json",
    )
    assert response.status_code == 409
    response = client.patch(
        f"/api/v1/projects/{pid}",
        {"version": version, "title": "Nytt"},
        content_type="application/json",
    )
    assert response.json()["title"] == "Nytt"
    response = client.post(
        f"/api/v1/projects/{pid}/status",
        {"status": "completed", "changed_on": "2024-02-01", "reason": "x", "version": version + 1},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "kan ikke få status" in response.json()["detail"]
    response = client.post(
        f"/api/v1/projects/{pid}/participations",
        {"municipality": "3909", "status": "joined", "since": "2024-05-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "vedtak" in response.json()["detail"]
    decision = client.post(
        "/api/v1/decisions",
        {
            "body": "council",
            "municipality": "3909",
            "meeting_date": "2024-04-01",
            "outcome": "adopted",
        },
        content_type="application/json",
    ).json()
    response = client.post(
        f"/api/v1/projects/{pid}/participations",
        {
            "municipality": "3909",
            "status": "joined",
            "since": "2024-05-01",
            "decision": decision["id"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Participation.objects.get().decision_id == decision["id"]


def test_coordinator_cannot_create_project(client: Client, coordinator: Any) -> None:
    arena = arena_of(["3909"])
    login(client, coordinator)
    response = client.post(
        "/api/v1/projects",
        {"arena": arena.pk, "code": "C", "title": "T"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_case_with_treatments_and_votes(client: Client, secretariat: Any) -> None:
    from samarbeid.governance.services.cases import send_case

    case = make_case(title="Plan", opened=date(2024, 1, 10))
    send_case(case, [current("3909"), current("3901")], planned_date=None, actor=secretariat)
    body = client.get(f"/api/v1/cases/{case.pk}").json()
    assert body["summary"] == "0 av 2 har sluttet seg til"
    assert [t["municipality"] for t in body["treatments"]] == ["3901", "3909"]
    assert client.get("/api/v1/cases/999999").status_code == 404
    login(client, secretariat)
    treatment = body["treatments"][0]
    response = client.patch(
        f"/api/v1/decisions/{treatment['id']}",
        {"version": treatment["version"], "meeting_date": "2024-01-01", "outcome": "adopted"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "før saken" in response.json()["detail"]
    response = client.patch(
        f"/api/v1/decisions/{treatment['id']}",
        {"version": treatment["version"], "meeting_date": "2024-02-01", "outcome": "adopted"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert client.get(f"/api/v1/cases/{case.pk}").json()["summary"] == "1 av 2 har sluttet seg til"
    arena = arena_of(["3909", "3901"])
    board = client.post(
        "/api/v1/decisions",
        {
            "body": "arena_board",
            "arena": arena.pk,
            "planned_date": "2024-05-01",
            "voting_rule": "majority",
        },
        content_type="application/json",
    ).json()
    url = f"/api/v1/decisions/{board['id']}/votes"
    vote = {"municipality": "3909", "choice": "for"}
    assert client.post(url, vote, content_type="application/json").status_code == 201
    second = client.post(url, vote, content_type="application/json")
    assert second.status_code == 422
    assert "allerede stemt" in second.json()["detail"]
    outsider = client.post(
        url, {"municipality": "3905", "choice": "for"}, content_type="application/json"
    )
    assert outsider.status_code == 422
    assert "ikke medlem" in outsider.json()["detail"]
    done = client.post(
        f"/api/v1/decisions/{board['id']}/conclude",
        {"meeting_date": "2024-05-01", "version": board["version"]},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert done.json()["outcome"] == "adopted"
    assert Decision.objects.get(pk=board["id"]).outcome == "adopted"


def test_list_items_are_the_detail_fields_and_pages_slice(client: Client, secretariat: Any) -> None:
    """The list serialises the queryset's page with the schema's resolvers; each item has
    the same values as the detail endpoint gives for the project."""
    arena = arena_of(["3909", "3901"])
    other = arena_of(["3909"])
    lead = current("3909")
    for i in range(5):
        project = project_in(
            arena,
            secretariat,
            code=f"L{i}",
            budget=Decimal("1234.5") if i % 2 else None,
            focus_area_text="IKT" if i else "",
            lead_municipality=lead if i % 2 else None,
        )
        for number in ["3909", "3901"][: i % 3]:
            join_project(project, number, secretariat)
    login(client, secretariat)
    pid = client.get("/api/v1/projects?limit=1&offset=1").json()["items"][0]["id"]
    moved = client.post(
        f"/api/v1/projects/{pid}/status",
        {
            "status": "proposed",
            "changed_on": "2024-02-01",
            "reason": "x",
            "version": Project.objects.get(pk=pid).version,
        },
        content_type="application/json",
    )
    assert moved.status_code == 200
    body = client.get("/api/v1/projects?limit=3&offset=1").json()
    assert body["count"] == 5
    assert [item["code"] for item in body["items"]] == ["L1", "L2", "L3"]
    for item in body["items"]:
        detail = client.get(f"/api/v1/projects/{item['id']}").json()
        assert item == {key: detail[key] for key in item}
    first = body["items"][0]
    assert first["budget"] == "1234.50"
    assert first["lead_municipality"] == "3909"
    assert first["focus_area"] == "IKT"
    assert first["participants_now"] == 1
    assert first["status"] == "proposed"
    assert first["arena"] == arena.pk
    assert body["items"][1]["participants_now"] == 2
    assert body["items"][1]["budget"] is None
    assert body["items"][1]["lead_municipality"] is None
    assert client.get(f"/api/v1/projects?arena={other.pk}").json() == {"items": [], "count": 0}


# Further writes: moving a project, deleting an idea, the wrong coordinator --------------


def test_patch_project_code_lead_and_arena(client: Client, secretariat: Any) -> None:
    from samarbeid.accounts.models import Role, RoleAssignment
    from samarbeid.portfolio.models import Project

    arena, other = arena_of(["3909"]), arena_of(["3901"])
    project = project_in(arena, secretariat, code="P1")
    url = f"/api/v1/projects/{project.pk}"
    login(client, secretariat)
    response = client.patch(
        url,
        {"version": project.version, "code": "P1-B", "lead_municipality": "3909"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["lead_municipality"] == "3909"
    assert response.json()["code"] == "P1-B"
    stored = Project.objects.get(pk=project.pk)
    assert stored.code == "P1-B"
    assert stored.lead_municipality == current("3909")
    assert api_entries(Project, project.pk, "update") == 1
    problem_of(
        client.patch(
            url,
            {"version": stored.version, "lead_municipality": "39"},
            content_type="application/json",
        ),
        422,
    )
    problem = problem_of(
        client.patch(
            url,
            {"version": stored.version, "start": "2024-05-01", "end": "2024-01-01"},
            content_type="application/json",
        ),
        422,
    )
    assert "Sluttdato" in problem["detail"]
    problem_of(
        client.patch(
            url, {"version": stored.version - 1, "code": "X"}, content_type="application/json"
        ),
        409,
    )
    # A secretariat of one arena cannot move the project to an arena it does not govern.
    scoped = type(secretariat).objects.create_user(username="sek-a", password="x-pass-123")
    RoleAssignment.objects.create(user=scoped, role=Role.SECRETARIAT, arena=arena)
    login(client, scoped)
    problem_of(
        client.patch(
            url, {"version": stored.version, "arena": other.pk}, content_type="application/json"
        ),
        403,
    )
    assert Project.objects.get(pk=project.pk).arena == arena
    login(client, secretariat)
    response = client.patch(
        url, {"version": stored.version, "arena": other.pk}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["arena"] == other.pk
    assert Project.objects.get(pk=project.pk).arena == other


def test_delete_project(client: Client, secretariat: Any, coordinator: Any) -> None:
    from samarbeid.portfolio.models import Project, ProjectStatusChange

    arena = arena_of(["3909"])
    idea = project_in(arena, secretariat, code="IDE")
    url = f"/api/v1/projects/{idea.pk}?version=1"
    assert client.delete(url).status_code == 401
    login(client, coordinator)
    problem_of(client.delete(url), 403)
    assert Project.objects.filter(pk=idea.pk).exists()
    login(client, secretariat)
    # the version read is required; one saved since is refused and nothing is deleted
    missing = problem_of(client.delete(f"/api/v1/projects/{idea.pk}"), 422)
    assert missing["errors"][0]["loc"][-1] == "version"
    problem_of(client.delete(f"/api/v1/projects/{idea.pk}?version=2"), 409)
    assert Project.objects.filter(pk=idea.pk).exists()
    response = client.delete(url)
    assert response.status_code == 204, response.content
    assert not Project.objects.filter(pk=idea.pk).exists()
    assert not ProjectStatusChange.objects.filter(project_id=idea.pk).exists()
    assert api_entries(Project, idea.pk, "delete") == 1
    problem_of(client.delete(url), 404)

    # not an idea any more
    proposed = project_in(arena, secretariat, code="FORSLAG")
    client.post(
        f"/api/v1/projects/{proposed.pk}/status",
        {"status": "proposed", "changed_on": "2024-02-01", "reason": "x", "version": 1},
        content_type="application/json",
    )
    problem = problem_of(
        client.delete(f"/api/v1/projects/{proposed.pk}?version={proposed.version}"), 422
    )
    assert "idé" in problem["detail"]
    # with a participation
    joined = project_in(arena, secretariat, code="DELTAR")
    join_project(joined, "3909", secretariat)
    problem = problem_of(
        client.delete(f"/api/v1/projects/{joined.pk}?version={joined.version}"), 422
    )
    assert "deltakelse" in problem["detail"]
    # a case points to it
    linked = project_in(arena, secretariat, code="SAK")
    make_case(title="Sak om prosjektet", project=linked)
    problem = problem_of(
        client.delete(f"/api/v1/projects/{linked.pk}?version={linked.version}"), 422
    )
    assert "knyttet" in problem["detail"]
    assert Project.objects.filter(pk__in=[proposed.pk, joined.pk, linked.pk]).count() == 3


def test_wrong_coordinator_cannot_register_participation(
    client: Client, secretariat: Any, coordinator: Any, other_coordinator: Any
) -> None:
    arena = arena_of(["3909", "3901"])
    project = project_in(arena, secretariat)
    decision = council_decision(current("3909"), date(2024, 2, 1))
    body = {
        "municipality": "3909",
        "status": "joined",
        "since": "2024-05-01",
        "decision": decision.pk,
    }
    url = f"/api/v1/projects/{project.pk}/participations"
    login(client, other_coordinator)
    problem_of(client.post(url, body, content_type="application/json"), 403)
    assert not Participation.objects.exists()
    login(client, coordinator)
    problem_of(
        client.post(url, {**body, "status": "nonsense"}, content_type="application/json"), 422
    )
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    record = Participation.objects.get()
    assert record.municipality == current("3909")
    assert record.status == "joined"
    assert api_entries(Participation, record.pk, "create") == 1
