from __future__ import annotations

from datetime import date
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from samarbeid.arenas.tests.factories import current
from samarbeid.governance.models import Case, Decision, ProcessPlan, ProcessStep, Vote
from samarbeid.governance.services.cases import send_case
from samarbeid.governance.tests.builders import board_vote
from samarbeid.governance.tests.helpers import post_council_decision
from samarbeid.portfolio.tests.helpers import arena_of, make_case

pytestmark = pytest.mark.django_db


def test_case_list_and_board(client: Client, secretariat: Any) -> None:
    case = make_case(title="Strategisk plan", opened=date(2024, 1, 10))
    send_case(
        case, [current("3909"), current("3901")], planned_date=date(2024, 2, 1), actor=secretariat
    )
    decision = case.decisions.get(municipality__number="3909")
    decision.outcome, decision.meeting_date = "adopted", date(2024, 1, 30)
    decision.save()
    text = client.get(reverse("governance:case_list")).content.decode()
    assert "Strategisk plan" in text
    assert "1 av 2" in text
    text = client.get(case.get_absolute_url()).content.decode()
    assert "1 av 2 har sluttet seg til" in text
    assert "forsinket" in text


def test_unpublished_case_hidden(client: Client, reader: Any) -> None:
    case = make_case(published=False)
    assert client.get(case.get_absolute_url()).status_code == 404
    login(client, reader)
    assert client.get(case.get_absolute_url()).status_code == 200


def test_create_case_and_send_to_members(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909", "3901"])
    login(client, secretariat)
    data = {
        "title": "Ny sak",
        "arena": arena.pk,
        "subject": "document",
        "opened": "2024-06-01",
        "send_to_members": "on",
        "planned_date": "2024-05-01",
        "published": "on",
    }
    response = client.post(reverse("governance:case_create"), data)
    assert "før saken" in response.content.decode()
    assert not Case.objects.exists()
    response = client.post(
        reverse("governance:case_create"), {**data, "planned_date": "2024-09-01"}
    )
    assert response.status_code == 302
    assert Case.objects.get().decisions.count() == 2


def test_create_case_refused_for_coordinator(client: Client, coordinator: Any) -> None:
    login(client, coordinator)
    assert client.get(reverse("governance:case_create")).status_code == 403


def test_treatment_edit(client: Client, secretariat: Any, other_coordinator: Any) -> None:
    case = make_case(opened=date(2024, 3, 1))
    (decision,) = send_case(case, [current("3909")], planned_date=None, actor=secretariat)
    url = reverse("governance:treatment_edit", args=[decision.pk])
    login(client, other_coordinator)
    assert client.get(url).status_code == 403
    login(client, secretariat)
    data = {"version": decision.version, "outcome": "adopted", "meeting_date": "2024-02-01"}
    response = client.post(url, data)
    assert "før saken ble opprettet" in response.content.decode()
    response = client.post(url, {**data, "meeting_date": "2024-03-05", "case_number": "7/24"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == "adopted"


def test_vote_page(client: Client, secretariat: Any, coordinator: Any) -> None:
    arena = arena_of(["3909", "3901"])
    decision = board_vote(arena, "unanimity")
    url = reverse("governance:votes", args=[decision.pk])
    cast = reverse("governance:vote_cast", args=[decision.pk])
    conclude = reverse("governance:vote_conclude", args=[decision.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 405
    assert "/logg-inn/" in client.post(cast, {})["Location"]
    login(client, coordinator)
    response = client.post(
        cast, {"cast": "1", "v-municipality": current("3909").pk, "v-choice": "for"}
    )
    assert response.status_code == 302
    response = client.post(
        cast, {"cast": "1", "v-municipality": current("3909").pk, "v-choice": "for"}
    )
    assert "allerede stemt" in response.content.decode()
    # Larvik's coordinator cannot vote for Horten, nor close the vote
    response = client.post(
        cast, {"cast": "1", "v-municipality": current("3901").pk, "v-choice": "for"}
    )
    assert response.status_code == 200
    assert Vote.objects.count() == 1
    assert client.post(conclude, {"c-meeting_date": "2024-05-01"}).status_code == 403
    login(client, secretariat)
    client.post(cast, {"cast": "1", "v-municipality": current("3901").pk, "v-choice": "abstain"})
    assert Vote.objects.count() == 2
    response = client.post(
        conclude, {"conclude": "1", "c-meeting_date": "2024-05-01", "c-version": decision.version}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.outcome == Decision.Outcome.REJECTED
    assert "avvist" in client.get(url).content.decode()


def test_plan_pages_and_ics(client: Client, secretariat: Any, coordinator: Any) -> None:
    login(client, secretariat)
    response = client.post(
        reverse("governance:plan_create"), {"title": "Hva nå?", "published": "on"}
    )
    plan = ProcessPlan.objects.get()
    assert response.status_code == 302
    add = reverse("governance:step_add", args=[plan.pk])
    response = client.post(
        add,
        {"order": 1, "title": "Mandat", "body": "Samkommunestyret", "planned_date": "2007-05-03"},
    )
    assert response.status_code == 302
    response = client.post(
        add,
        {"order": 1, "title": "Dobbel", "planned_date": "2007-05-04"},
    )
    assert "allerede et steg" in response.content.decode()
    assert "forsinket" in client.get(plan.get_absolute_url()).content.decode()
    step = ProcessStep.objects.get()
    response = client.post(
        reverse("governance:step_done", args=[step.pk]),
        {"done_date": "2007-05-03", "version": step.version},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_date == date(2007, 5, 3)
    response = client.get(reverse("governance:plan_ics", args=[plan.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    events = list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))
    assert events[0].decoded("dtstart") == date(2007, 5, 3)
    login(client, coordinator)
    assert client.get(reverse("governance:plan_create")).status_code == 403
    assert client.get(reverse("governance:step_done", args=[step.pk])).status_code == 403
    assert (
        client.post(add, {"order": 2, "title": "X", "planned_date": "2007-06-01"}).status_code
        == 403
    )
    assert ProcessStep.objects.count() == 1


def test_decision_form_with_voting_rule_redirects_to_votes(
    client: Client, secretariat: Any
) -> None:
    arena = arena_of(["3909"])
    login(client, secretariat)
    response = client.post(
        reverse("governance:decision_create"),
        {
            "body": "arena_board",
            "arena": arena.pk,
            "planned_date": "2024-05-01",
            "voting_rule": "majority",
        },
    )
    decision = Decision.objects.get(body="arena_board")
    assert response["Location"] == reverse("governance:votes", args=[decision.pk])


def test_decision_form_refused_for_reader(client: Client, reader: Any) -> None:
    login(client, reader)
    url = reverse("governance:decision_create")
    assert client.get(url).status_code == 403
    response = post_council_decision(client)
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_decision_form_for_another_municipality(client: Client, other_coordinator: Any) -> None:
    login(client, other_coordinator)
    response = post_council_decision(client)
    assert response.status_code == 200
    assert "ikke tilgang" in response.content.decode()
    assert not Decision.objects.exists()


def test_case_form_sends_to_members(client: Client, secretariat: Any) -> None:
    arena = arena_of(["3909", "3901"])
    login(client, secretariat)
    data = {
        "title": "Felles plan",
        "subject": "other",
        "opened": "2024-02-01",
        "published": "on",
        "send_to_members": "on",
        "planned_date": "2024-04-01",
    }
    response = client.post(reverse("governance:case_create"), data)
    assert response.status_code == 200
    assert "arenaen" in response.content.decode()
    assert not Case.objects.exists()
    response = client.post(reverse("governance:case_create"), {**data, "arena": arena.pk})
    assert response.status_code == 302
    case = Case.objects.get()
    assert sorted(case.decisions.values_list("municipality__number", flat=True)) == [
        "3901",
        "3909",
    ]
