"""The facilitator's write API: workshops, groups, participants, questions, themes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.audit.models import AuditEntry
from samarbeid.portfolio.models import Project
from samarbeid.review.models import CooperationProposal
from samarbeid.review.tests.api_helpers import assert_problem
from samarbeid.workshops.models import (
    Answer,
    Group,
    Participant,
    Question,
    ThemeMerge,
    ThemeOutcome,
    Workshop,
)
from samarbeid.workshops.services.answers import submit_answer
from samarbeid.workshops.services.groups import add_group
from samarbeid.workshops.services.workshops import create_question, create_workshop
from samarbeid.workshops.tests.helpers import call

pytestmark = pytest.mark.django_db


def api_entries(obj: models.Model, action: str | None = None) -> list[AuditEntry]:
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        channel="api",
    )
    if action:
        entries = entries.filter(action=action)
    return list(entries)


def error_fields(response: Any) -> set[str]:
    return {e["loc"][-1] for e in assert_problem(response, 422)["errors"] if e["loc"]}


def answered(question: Question, groups: list[Group]) -> None:
    submit_answer(groups[0], question, themes=["IKT-drift", "Skole"])
    submit_answer(groups[1], question, themes=["felles IKT"])


# --- workshops --------------------------------------------------------------------------------


def test_create_workshop(secretariat: Any, workshop: Workshop) -> None:
    body = {
        "arena": workshop.arena_id,
        "title": "Vårsamling",
        "date": "2025-04-02",
        "place": "Tønsberg",
        "links_expire": "2025-04-03",
        "published": False,
    }
    response = call("POST", "/api/v1/workshops", secretariat, body)
    assert response.status_code == 201, response.content
    data = response.json()
    stored = Workshop.objects.get(pk=data["id"])
    assert (stored.title, stored.date, stored.links_expire) == (
        "Vårsamling",
        date(2025, 4, 2),
        date(2025, 4, 3),
    )
    assert stored.published is False
    assert data["published"] is False
    assert data["version"] == 1
    assert data["group_list"] == []
    assert len(api_entries(stored, AuditEntry.Action.CREATE)) == 1


def test_create_workshop_refusals(
    secretariat: Any, coordinator: Any, reader: Any, workshop: Workshop
) -> None:
    body = {"arena": workshop.arena_id, "title": "X", "date": "2025-04-02"}
    assert_problem(call("POST", "/api/v1/workshops", None, body), 401)
    assert_problem(call("POST", "/api/v1/workshops", coordinator, body), 403)
    assert_problem(call("POST", "/api/v1/workshops", reader, body), 403)
    late = body | {"links_expire": "2025-04-01"}
    assert error_fields(call("POST", "/api/v1/workshops", secretariat, late)) == {"links_expire"}
    assert error_fields(call("POST", "/api/v1/workshops", secretariat, body | {"arena": 0})) == {
        "arena"
    }
    assert_problem(call("POST", "/api/v1/workshops", secretariat, {"title": "X"}), 422)
    assert Workshop.objects.count() == 1


def test_patch_workshop(secretariat: Any, reader: Any, workshop: Workshop) -> None:
    url = f"/api/v1/workshops/{workshop.pk}"
    response = call("PATCH", url, secretariat, {"version": 1, "place": "Stavern"})
    assert response.status_code == 200, response.content
    assert response.json()["place"] == "Stavern"
    assert response.json()["version"] == 2
    workshop.refresh_from_db()
    assert workshop.place == "Stavern"
    [entry] = api_entries(workshop, AuditEntry.Action.UPDATE)
    assert "place" in entry.changes
    # stale version
    body = assert_problem(call("PATCH", url, secretariat, {"version": 1, "place": "Larvik"}), 409)
    assert body["current_version"] == 2
    # invalid: null title, expiry before the date
    assert error_fields(call("PATCH", url, secretariat, {"version": 2, "title": None})) == {"title"}
    assert error_fields(
        call("PATCH", url, secretariat, {"version": 2, "links_expire": "2000-01-01"})
    ) == {"links_expire"}
    assert_problem(call("PATCH", url, reader, {"version": 2, "place": "Larvik"}), 403)
    assert_problem(call("PATCH", "/api/v1/workshops/999999", secretariat, {"version": 1}), 404)
    workshop.refresh_from_db()
    assert (workshop.place, workshop.version) == ("Stavern", 2)


# --- groups and participants ------------------------------------------------------------------


def test_groups_create_renew_delete(
    secretariat: Any, coordinator: Any, workshop: Workshop, open_question: Question
) -> None:
    response = call("POST", f"/api/v1/workshops/{workshop.pk}/groups", secretariat, {"name": "A"})
    assert response.status_code == 201, response.content
    data = response.json()
    group = Group.objects.get(pk=data["id"])
    assert data["name"] == "A"
    assert data["link"].endswith(group.get_group_url())
    assert len(api_entries(group, AuditEntry.Action.CREATE)) == 1
    client = Client()
    old_url = group.get_group_url()
    assert client.get(old_url).status_code == 200
    # the same name twice
    again = call("POST", f"/api/v1/workshops/{workshop.pk}/groups", secretariat, {"name": "A"})
    assert error_fields(again) == {"name"}
    assert_problem(
        call("POST", f"/api/v1/workshops/{workshop.pk}/groups", coordinator, {"name": "B"}), 403
    )
    # a new link: the old one stops working
    assert_problem(call("POST", f"/api/v1/workshop-groups/{group.pk}/renew-link", coordinator), 403)
    renewed = call("POST", f"/api/v1/workshop-groups/{group.pk}/renew-link", secretariat)
    assert renewed.status_code == 200
    group.refresh_from_db()
    assert renewed.json()["link"].endswith(group.get_group_url())
    assert group.get_group_url() != (old_url)
    assert client.get(old_url).status_code == 404
    assert len(api_entries(group, AuditEntry.Action.UPDATE)) == 1
    # a group that has answered stays
    submit_answer(group, open_question, text="Ja")
    assert_problem(
        call("DELETE", f"/api/v1/workshop-groups/{group.pk}?version=2", secretariat), 422
    )
    Answer.objects.filter(group=group).delete()
    assert_problem(
        call("DELETE", f"/api/v1/workshop-groups/{group.pk}?version=2", coordinator), 403
    )
    assert (
        call("DELETE", f"/api/v1/workshop-groups/{group.pk}?version=2", secretariat).status_code
        == 204
    )
    assert not Group.objects.filter(pk=group.pk).exists()
    assert len(api_entries(group, AuditEntry.Action.DELETE)) == 1
    assert_problem(
        call("DELETE", f"/api/v1/workshop-groups/{group.pk}?version=2", secretariat), 404
    )


def test_participants(
    secretariat: Any, reader: Any, workshop: Workshop, groups: list[Group], larvik: Any
) -> None:
    url = f"/api/v1/workshops/{workshop.pk}/participants"
    body = {"name": "Kari", "municipality": "3909", "role": "rådmann", "group": groups[1].pk}
    response = call("POST", url, secretariat, body)
    assert response.status_code == 201, response.content
    assert response.json() | {"id": 0} == {
        "id": 0,
        "name": "Kari",
        "municipality": "3909",
        "group": "Gruppe 2",
    }
    participant = Participant.objects.get(pk=response.json()["id"])
    assert (participant.municipality, participant.group) == (larvik, groups[1])
    assert len(api_entries(participant, AuditEntry.Action.CREATE)) == 1
    assert error_fields(call("POST", url, secretariat, body | {"municipality": "0000"})) == {
        "municipality"
    }
    other = create_workshop(
        Workshop(arena=workshop.arena, title="Annen", date=date(2005, 1, 1)), actor=secretariat
    )
    foreign = add_group(other, "Fremmed", actor=secretariat)
    assert error_fields(call("POST", url, secretariat, body | {"group": foreign.pk})) == {"group"}
    assert error_fields(call("POST", url, secretariat, body | {"name": ""})) == {"name"}
    assert_problem(call("POST", url, reader, body), 403)
    delete = f"/api/v1/workshop-participants/{participant.pk}?version=1"
    assert_problem(call("DELETE", delete, reader), 403)
    assert call("DELETE", delete, secretariat).status_code == 204
    assert workshop.participants.count() == 0
    assert len(api_entries(participant, AuditEntry.Action.DELETE)) == 1


# --- questions --------------------------------------------------------------------------------


def test_create_question(secretariat: Any, coordinator: Any, workshop: Workshop) -> None:
    url = f"/api/v1/workshops/{workshop.pk}/questions"
    body = {
        "label": "C",
        "order": 3,
        "kind": "pros_cons",
        "text": "Fordeler og ulemper",
        "alternatives": ["Vertskommune", " Selskap "],
    }
    response = call("POST", url, secretariat, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["alternatives"] == ["Vertskommune", "Selskap"]
    assert data["status"] == "draft"
    question = Question.objects.get(pk=data["id"])
    assert question.alternatives == "Vertskommune\nSelskap"
    assert question.order == 3
    assert len(api_entries(question, AuditEntry.Action.CREATE)) == 1
    assert error_fields(call("POST", url, secretariat, body | {"alternatives": []})) == {
        "alternatives"
    }
    assert error_fields(
        call("POST", url, secretariat, body | {"alternatives": ["To\nlinjer"]})
    ) == {"alternatives"}
    ranked = body | {"kind": "ranked", "min_themes": 4, "max_themes": 2}
    assert error_fields(call("POST", url, secretariat, ranked)) == {"max_themes"}
    assert_problem(call("POST", url, secretariat, body | {"max_themes": 11}), 422)
    assert_problem(call("POST", url, coordinator, body), 403)
    assert workshop.questions.count() == 1


def test_patch_question(
    secretariat: Any, reader: Any, groups: list[Group], ranked: Question
) -> None:
    url = f"/api/v1/workshop-questions/{ranked.pk}"
    response = call("PATCH", url, secretariat, {"version": 1, "max_themes": 4, "label": "B2"})
    assert response.status_code == 200, response.content
    assert response.json()["max_themes"] == 4
    assert response.json()["version"] == 2
    ranked.refresh_from_db()
    assert (ranked.max_themes, ranked.label) == (4, "B2")
    assert len(api_entries(ranked, AuditEntry.Action.UPDATE)) == 1
    assert_problem(call("PATCH", url, secretariat, {"version": 1, "label": "X"}), 409)
    assert error_fields(call("PATCH", url, secretariat, {"version": 2, "text": None})) == {"text"}
    submit_answer(groups[0], ranked, themes=["Skole"])
    assert error_fields(call("PATCH", url, secretariat, {"version": 2, "kind": "open"})) == {"kind"}
    assert_problem(call("PATCH", url, reader, {"version": 2, "label": "X"}), 403)
    ranked.refresh_from_db()
    assert (ranked.kind, ranked.label, ranked.version) == ("ranked", "B2", 2)


def test_question_status(secretariat: Any, coordinator: Any, workshop: Workshop) -> None:
    question = create_question(
        Question(workshop=workshop, kind=Question.Kind.OPEN, text="Hva nå?"), actor=secretariat
    )
    url = f"/api/v1/workshop-questions/{question.pk}/status"
    response = call("POST", url, secretariat, {"status": "open", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open"
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN
    assert len(api_entries(question, AuditEntry.Action.UPDATE)) == 1
    assert_problem(call("POST", url, secretariat, {"status": "closed", "version": 1}), 409)
    assert_problem(call("POST", url, secretariat, {"status": "gone", "version": 2}), 422)
    assert_problem(call("POST", url, coordinator, {"status": "closed", "version": 2}), 403)
    closed = call("POST", url, secretariat, {"status": "closed", "version": 2})
    assert closed.json()["status"] == "closed"


# --- themes -------------------------------------------------------------------------------------


def test_merge_and_undo(
    secretariat: Any, reader: Any, groups: list[Group], ranked: Question
) -> None:
    answered(ranked, groups)
    url = f"/api/v1/workshop-questions/{ranked.pk}/merges"
    body = {"source": "felles IKT", "target": "IKT-drift"}
    assert_problem(call("POST", url, reader, body), 403)
    response = call("POST", url, secretariat, body)
    assert response.status_code == 201, response.content
    merge = ThemeMerge.objects.get(pk=response.json()["id"])
    assert (merge.source, merge.target) == ("felles IKT", "IKT-drift")
    assert len(api_entries(merge, AuditEntry.Action.CREATE)) == 1
    results = Client().get(f"/api/v1/workshop-questions/{ranked.pk}/results").json()
    assert results["themes"][0]["groups"] == 2
    unknown = call("POST", url, secretariat, {"source": "Ukjent", "target": "Skole"})
    assert error_fields(unknown) == {"source"}
    cycle = call("POST", url, secretariat, {"source": "IKT-drift", "target": "felles IKT"})
    assert error_fields(cycle) == {"target"}
    delete = f"/api/v1/workshop-merges/{merge.pk}?version=1"
    assert_problem(call("DELETE", delete, reader), 403)
    assert call("DELETE", delete, secretariat).status_code == 204
    assert not ranked.merges.exists()
    assert len(api_entries(merge, AuditEntry.Action.DELETE)) == 1


def test_merge_only_for_ranked(secretariat: Any, open_question: Question) -> None:
    url = f"/api/v1/workshop-questions/{open_question.pk}/merges"
    assert_problem(call("POST", url, secretariat, {"source": "a", "target": "b"}), 422)


def test_theme_to_project_and_proposal(
    secretariat: Any, coordinator: Any, groups: list[Group], ranked: Question
) -> None:
    answered(ranked, groups)
    url = f"/api/v1/workshop-questions/{ranked.pk}/outcomes"
    project_body = {"theme": "IKT-drift", "kind": "project", "code": "WS-1"}
    assert_problem(call("POST", url, coordinator, project_body), 403)
    response = call("POST", url, secretariat, project_body)
    assert response.status_code == 201, response.content
    data = response.json()
    project = Project.objects.get(pk=data["target"])
    assert (data["kind"], project.code, project.title, project.arena_id) == (
        "project",
        "WS-1",
        "IKT-drift",
        ranked.workshop.arena_id,
    )
    outcome = ThemeOutcome.objects.get(pk=data["id"])
    assert outcome.project == project
    assert outcome.question == ranked
    assert len(api_entries(outcome, AuditEntry.Action.CREATE)) == 1
    assert len(api_entries(project, AuditEntry.Action.CREATE)) == 1

    proposal_body = {"theme": "Skole", "kind": "proposal", "title": "Skolesamarbeid"}
    response = call("POST", url, secretariat, proposal_body)
    assert response.status_code == 201, response.content
    proposal = CooperationProposal.objects.get(pk=response.json()["target"])
    assert proposal.title == "Skolesamarbeid"
    assert "Skole" in proposal.need

    assert error_fields(call("POST", url, secretariat, project_body | {"code": ""})) == {"code"}
    assert error_fields(call("POST", url, secretariat, project_body | {"theme": "Ukjent"})) == {
        "theme"
    }
    assert_problem(call("POST", url, secretariat, project_body | {"kind": "idea"}), 422)
    assert ThemeOutcome.objects.count() == 2


def test_writes_on_missing_records_are_404(secretariat: Any) -> None:
    # Each with a body its endpoint takes: a key it does not take is refused first (422).
    for method, url, body in [
        ("POST", "/api/v1/workshops/999999/groups", {"name": "A"}),
        ("POST", "/api/v1/workshop-groups/999999/renew-link", {"version": 1}),
        ("DELETE", "/api/v1/workshop-participants/999999?version=1", {}),
        ("PATCH", "/api/v1/workshop-questions/999999", {"version": 1}),
        ("DELETE", "/api/v1/workshop-merges/999999?version=1", {}),
    ]:
        assert_problem(call(method, url, secretariat, body), 404)


# --- the group's page: the link is the permission, for anyone holding it -----------------------


@pytest.mark.parametrize("persona", ["public", "reader", "coordinator", "secretariat"])
def test_anyone_with_the_link_may_answer(
    request: pytest.FixtureRequest, persona: str, groups: list[Group], open_question: Question
) -> None:
    client = Client()
    if persona != "public":
        login(client, request.getfixturevalue(persona))
    url = reverse("workshops:group_page", args=[groups[0].token])
    response = client.post(url, {"question": open_question.pk, f"q{open_question.pk}-text": "Ja"})
    assert response.status_code == 302
    assert "/logg-inn/" not in response["Location"]
    assert Answer.objects.get(group=groups[0], question=open_question).text == "Ja"
    wrong = reverse("workshops:group_page", args=["feil-lenke"])
    assert client.post(wrong, {"question": open_question.pk}).status_code == 404
