"""The project pages' API twins (issue 18): the API fills the page's forms, so it refuses
what the page refuses; the project page's lists have read endpoints."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from samarbeid.portfolio.models import Project
from samarbeid.portfolio.services import change_status, set_participation
from samarbeid.portfolio.tests.helpers import (
    arena_of,
    council_decision,
    join_project,
    on,
    project_in,
)

pytestmark = pytest.mark.django_db
JSON = "application/json"


def error_fields(response: Any) -> set[str]:
    assert response.status_code == 422, response.content[:400]
    return {e["loc"][-1] for e in response.json()["errors"] if e["loc"]}


@pytest.mark.parametrize("field", ["title", "code"])
def test_blank_text_is_refused_on_the_page_and_in_the_api(
    client: Client, secretariat: Any, field: str
) -> None:
    arena = arena_of(["3909"])
    login(client, secretariat)
    fields = {"arena": arena.pk, "code": "NY1", "title": "Nytt", "start": "2024-01-01"}
    page = client.post(reverse("portfolio:project_create"), fields | {field: "   "})
    assert page.status_code == 200
    assert field in page.context["form"].errors
    response = client.post("/api/v1/projects", fields | {field: "   "}, content_type=JSON)
    assert error_fields(response) == {field}
    assert not Project.objects.exists()
    project = project_in(arena, secretariat)
    response = client.patch(
        f"/api/v1/projects/{project.pk}", {"version": 1, field: " "}, content_type=JSON
    )
    assert error_fields(response) == {field}
    project.refresh_from_db()
    assert (project.code, project.title, project.version) == ("P1", "Prosjekt P1", 1)


def test_a_patch_may_not_null_what_cannot_be_empty(client: Client, secretariat: Any) -> None:
    project = project_in(arena_of(["3909"]), secretariat)
    login(client, secretariat)
    url = f"/api/v1/projects/{project.pk}"
    assert error_fields(
        client.patch(url, {"version": 1, "published": None}, content_type=JSON)
    ) == {"published"}
    response = client.patch(url, {"version": 1, "budget": None, "end": None}, content_type=JSON)
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.published is True


def test_participations_and_status_changes_are_listed(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909", "3907"])
    project = project_in(arena, secretariat)
    larvik = on("3909", date(2024, 5, 1))
    decision = council_decision(larvik, date(2024, 4, 1))
    set_participation(
        project, larvik, "joined", since=date(2024, 5, 1), decision=decision, actor=secretariat
    )
    change_status(
        project,
        "proposed",
        changed_on=date(2024, 6, 1),
        reason="Til styret",
        expected_version=project.version,
        actor=secretariat,
    )
    [record] = client.get(f"/api/v1/projects/{project.pk}/participations").json()
    assert (record["number"], record["status"], record["since"], record["decision"]) == (
        "3909",
        "joined",
        "2024-05-01",
        decision.pk,
    )
    assert isinstance(record["id"], int)
    changes = client.get(f"/api/v1/projects/{project.pk}/status-changes").json()
    assert [(c["to_status"], c["changed_on"], c["reason"]) for c in changes][-1] == (
        "proposed",
        "2024-06-01",
        "Til styret",
    )
    hidden = project_in(arena, secretariat, code="P2", published=False)
    assert client.get(f"/api/v1/projects/{hidden.pk}/participations").status_code == 404
    assert client.get(f"/api/v1/projects/{hidden.pk}/status-changes").status_code == 404
    login(client, secretariat)
    assert client.get(f"/api/v1/projects/{hidden.pk}/status-changes").status_code == 200


def test_the_lists_run_the_same_queries_whatever_their_size(
    client: Client, secretariat: Any
) -> None:
    arena = arena_of(["3909", "3907", "3905"])
    project = project_in(arena, secretariat)
    urls = [
        f"/api/v1/projects/{project.pk}/participations",
        f"/api/v1/projects/{project.pk}/status-changes",
    ]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    join_project(project, "3909", secretariat, decided=date(2024, 4, 1))
    small = queries()
    for number in ("3907", "3905"):
        join_project(project, number, secretariat, decided=date(2024, 4, 1))
    change_status(
        project,
        "proposed",
        changed_on=date(2024, 6, 1),
        reason="Til styret",
        expected_version=project.version,
        actor=secretariat,
    )
    assert queries() == small


def test_a_participation_records_its_council_decision_as_the_page_does(
    client: Client, secretariat: Any
) -> None:
    from samarbeid.governance.models import Decision
    from samarbeid.portfolio.models import Participation

    project = project_in(arena_of(["3909"]), secretariat)
    login(client, secretariat)
    url = f"/api/v1/projects/{project.pk}/participations"
    record = {"body": "council", "case_number": "12/24", "meeting_date": "2024-04-01"}
    body = {"municipality": "3909", "status": "joined", "since": "2024-05-01"}
    bad_link = body | {"decision_record": record | {"minutes_url": "ikke en lenke"}}
    assert error_fields(client.post(url, bad_link, content_type=JSON)) == {"minutes_url"}
    invited = body | {"status": "invited", "decision_record": record}
    assert error_fields(client.post(url, invited, content_type=JSON)) == {"decision_record"}
    existing = council_decision(on("3909", date(2024, 4, 1)), date(2024, 4, 1))
    decisions = Decision.objects.count()
    both = body | {"decision_record": record, "decision": existing.pk}
    assert error_fields(client.post(url, both, content_type=JSON)) == {"decision_record"}
    assert not Participation.objects.exists()
    assert Decision.objects.count() == decisions  # nothing half saved
    response = client.post(url, body | {"decision_record": record}, content_type=JSON)
    assert response.status_code == 201, response.content
    participation = Participation.objects.get()
    assert participation.decision is not None
    assert (participation.decision.case_number, participation.decision.meeting_date) == (
        "12/24",
        date(2024, 4, 1),
    )
    assert participation.decision.municipality == participation.municipality
    assert response.json()["decision"] == participation.decision_id
