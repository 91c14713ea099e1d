from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import login
from samarbeid.workshops.models import Group, Question, Workshop
from samarbeid.workshops.services.answers import submit_answer
from samarbeid.workshops.services.groups import add_participant
from samarbeid.workshops.services.themes import merge_themes, theme_to_project
from samarbeid.workshops.services.workshops import create_workshop, update_workshop

pytestmark = pytest.mark.django_db


def test_list_and_detail(client: Client, workshop: Workshop, groups: list[Group]) -> None:
    items = client.get("/api/v1/workshops").json()["items"]
    assert [i["title"] for i in items] == ["Hankø"]
    assert items[0]["groups"] == 3
    assert items[0]["date"] == "2004-03-12"
    detail = client.get(f"/api/v1/workshops/{workshop.pk}").json()
    assert detail["group_names"] == ["Gruppe 1", "Gruppe 2", "Gruppe 3"]
    assert groups[0].token not in str(detail)


def test_list_query_count_is_constant(client: Client, secretariat: Any, workshop: Workshop) -> None:
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/workshops")
    for n in range(4):
        create_workshop(
            Workshop(arena=workshop.arena, title=f"S{n}", date=date(2006, 1, n + 1)),
            actor=secretariat,
        )
    with CaptureQueriesContext(connection) as second:
        client.get("/api/v1/workshops")
    assert len(first) == len(second)


def test_participants_only_for_signed_in(
    client: Client, secretariat: Any, reader: Any, workshop: Workshop, larvik: Any
) -> None:
    from samarbeid.workshops.models import Participant

    add_participant(
        Participant(workshop=workshop, name="Kari", municipality=larvik), actor=secretariat
    )
    assert client.get(f"/api/v1/workshops/{workshop.pk}").json()["participants"] == []
    login(client, reader)
    people = client.get(f"/api/v1/workshops/{workshop.pk}").json()["participants"]
    kari = Participant.objects.get(name="Kari")
    assert people == [{"id": kari.pk, "name": "Kari", "municipality": "3909", "group": None}]


def test_hidden_and_missing_are_404(client: Client, secretariat: Any, workshop: Workshop) -> None:
    assert client.get("/api/v1/workshops/999999").status_code == 404
    update_workshop(workshop, {"published": False}, expected_version=None, actor=secretariat)
    response = client.get(f"/api/v1/workshops/{workshop.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/workshops").json()["count"] == 0


def test_ranked_results(
    client: Client, secretariat: Any, groups: list[Group], ranked: Question
) -> None:
    submit_answer(groups[0], ranked, themes=["IKT-drift", "Skole"])
    submit_answer(groups[1], ranked, themes=["felles IKT"])
    merge_themes(ranked, "felles IKT", "IKT-drift", actor=secretariat)
    theme_to_project(ranked, "IKT-drift", code="P-1", actor=secretariat)
    data = client.get(f"/api/v1/workshop-questions/{ranked.pk}/results").json()
    assert data["groups_total"] == 3
    assert data["question"]["answers"] == 2
    first = data["themes"][0]
    assert (first["label"], first["groups"], first["borda"]) == ("IKT-drift", 2, 6)
    assert first["variants"] == ["felles IKT"]
    assert first["outcomes"][0]["kind"] == "project"
    merge = ranked.merges.get()
    assert data["merges"] == [{"id": merge.pk, "source": "felles IKT", "target": "IKT-drift"}]


def test_pros_cons_and_open_results(
    client: Client, groups: list[Group], pros_cons: Question, open_question: Question
) -> None:
    submit_answer(groups[0], pros_cons, pros_cons=[{"pros": "Erfaring"}, {"cons": "X"}])
    submit_answer(groups[0], open_question, text="Ja")
    data = client.get(f"/api/v1/workshop-questions/{pros_cons.pk}/results").json()
    assert data["pros_cons"][0]["pros"] == [{"group": "Gruppe 1", "text": "Erfaring"}]
    assert data["pros_cons"][1]["cons"] == [{"group": "Gruppe 1", "text": "X"}]
    data = client.get(f"/api/v1/workshop-questions/{open_question.pk}/results").json()
    assert data["answers"] == [{"group": "Gruppe 1", "text": "Ja"}]
    assert client.get("/api/v1/workshop-questions/999999/results").status_code == 404


def test_results_of_hidden_workshop_are_404(
    client: Client, secretariat: Any, reader: Any, ranked: Question
) -> None:
    update_workshop(ranked.workshop, {"published": False}, expected_version=None, actor=secretariat)
    assert client.get(f"/api/v1/workshop-questions/{ranked.pk}/results").status_code == 404
    login(client, reader)
    assert client.get(f"/api/v1/workshop-questions/{ranked.pk}/results").status_code == 200
