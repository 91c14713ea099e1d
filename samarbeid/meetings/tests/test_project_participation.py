"""A project item's decision in the minutes updates the project's participation: the
body's decision is recorded in governance and each chosen municipality's participation
rests on it from the meeting's day, together or not at all (issue 22, point 5)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.arenas.tests.factories import DecisionFactory, arena_with_members, current
from samarbeid.governance.models import Decision
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.services.minutes import write_item_minutes
from samarbeid.meetings.tests.factories import body, meeting, member
from samarbeid.portfolio.models import Participation, Project

pytestmark = pytest.mark.django_db
JSON = "application/json"
DECISION = "Larvik slutter seg til prosjektet."


def _setup() -> tuple[Meeting, AgendaItem, Project]:
    arena = arena_with_members(["3909", "3907"])
    board = body(arena)
    member(board, "3909")
    member(board, "3907", person="Ola Nordmann")
    one = meeting(board, status=Meeting.Status.HELD, date=date(2025, 3, 12))
    project = Project.objects.create(arena=arena, code="P1", title="Felles vannverk")
    item = AgendaItem.objects.create(
        meeting=one, body=board, year=2025, number=4, title="Vannverket", project=project
    )
    return one, item, project


def decided_minutes(**more: Any) -> dict[str, Any]:
    return {"treatment": "Drøftet", "decision_text": DECISION, "outcome": "adopted", **more}


def larvik_joined_on_the_page(
    client: Client, secretariat: Any
) -> tuple[Meeting, AgendaItem, Project, str, dict[str, Any]]:
    """The secretariat records on the minutes page that Larvik joins the item's project;
    returns the meeting, the item (refreshed), the project, the page's URL and what was sent."""
    one, item, project = _setup()
    login(client, secretariat)
    url = reverse("meetings:item_minutes", args=[item.pk])
    saved = {**decided_minutes(), "municipalities": [current("3909").pk], "participation": "joined"}
    assert client.post(url, {**saved, "version": 1}).status_code == 302
    item.refresh_from_db()
    return one, item, project, url, saved


def test_a_project_items_decision_records_the_participation(secretariat: Any) -> None:
    _one, item, project = _setup()
    larvik = current("3909")
    write_item_minutes(
        item,
        decided_minutes(municipalities=[larvik], participation=Participation.Status.JOINED),
        expected_version=1,
        actor=secretariat,
    )
    item.refresh_from_db()
    joined = Participation.objects.get(project=project)
    assert joined.municipality == larvik
    assert joined.status == Participation.Status.JOINED
    assert joined.since == date(2025, 3, 12)
    decision = joined.decision
    assert decision is not None
    assert item.decision == decision
    assert decision.body == Decision.Body.ARENA_BOARD
    assert decision.arena == project.arena
    assert decision.meeting_date == date(2025, 3, 12)
    assert decision.case_number == "4/25"
    assert decision.text == DECISION
    assert decision.outcome == Decision.Outcome.ADOPTED
    # a later edit of the same item's minutes changes the same decision, not a second one
    write_item_minutes(
        item, {"treatment": "Drøftet grundig"}, expected_version=item.version, actor=secretariat
    )
    assert Decision.objects.filter(case__isnull=True, arena=project.arena).count() == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"municipalities": ["3911"], "participation": "joined"}, "municipalities"),
        ({"municipalities": ["3909"]}, "participation"),
        ({"participation": "joined"}, "municipalities"),
        ({"municipalities": ["3909"], "participation": "joined", "outcome": "rejected"},
         "participation"),
    ],
)  # fmt: skip
def test_refusals_sit_on_their_fields(secretariat: Any, extra: dict[str, Any], field: str) -> None:
    _one, item, project = _setup()
    if "municipalities" in extra:
        extra["municipalities"] = [current(n) for n in extra["municipalities"]]
    with pytest.raises(ValidationError) as caught:
        write_item_minutes(item, decided_minutes(**extra), expected_version=1, actor=secretariat)
    assert field in caught.value.message_dict
    assert not Participation.objects.exists()
    assert not Decision.objects.filter(case__isnull=True, arena=project.arena).exists()


def test_nothing_is_half_saved(secretariat: Any) -> None:
    """Sandefjord already takes part: Larvik's joining and the body's decision are not kept
    either, and the item's minutes stay as they were."""
    _one, item, project = _setup()
    sandefjord = current("3907")
    Participation.objects.create(
        project=project,
        municipality=sandefjord,
        status=Participation.Status.JOINED,
        since=date(2025, 1, 1),
        decision=DecisionFactory(municipality=sandefjord),
    )
    with pytest.raises(ValidationError) as caught:
        write_item_minutes(
            item,
            decided_minutes(municipalities=[current("3909"), sandefjord], participation="joined"),
            expected_version=1,
            actor=secretariat,
        )
    assert "Sandefjord" in str(caught.value.message_dict["municipalities"])
    assert Participation.objects.count() == 1
    assert not Decision.objects.filter(body=Decision.Body.ARENA_BOARD).exists()
    item.refresh_from_db()
    assert item.decision_text == ""
    assert item.version == 1


def test_through_the_page_and_the_project_page(client: Client, secretariat: Any) -> None:
    _one, item, project = _setup()
    login(client, secretariat)
    url = reverse("meetings:item_minutes", args=[item.pk])
    form = client.get(url).content.decode()
    assert "Ny deltakelse" in form
    assert "Larvik" in form
    refused = client.post(
        url, {**decided_minutes(), "municipalities": [current("3909").pk], "version": 1}
    )
    assert refused.status_code == 200
    assert "ds-validation-message" in refused.content.decode()
    response = client.post(
        url,
        {**decided_minutes(), "municipalities": [current("3909").pk], "participation": "joined",
         "version": 1},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Deltar" in page
    assert "sak 4/25, 12.03.2025" in page


def test_through_the_api(client: Client, secretariat: Any) -> None:
    _one, item, _project = _setup()
    auth = bearer(secretariat)
    url = f"/api/v1/meetings/items/{item.pk}/minutes"
    bad = problem_of(
        client.patch(url, {"version": 1, **decided_minutes(), "municipalities": ["3911"],
                           "participation": "joined"}, content_type=JSON, headers=auth),
        422,
    )  # fmt: skip
    assert bad["errors"][0]["loc"] == ["municipalities"]
    response = client.patch(
        url,
        {"version": 1, **decided_minutes(), "municipalities": ["3909"], "participation": "joined"},
        content_type=JSON,
        headers=auth,
    )
    assert response.status_code == 200, response.content
    assert response.json()["decision"] == Participation.objects.get().decision_id
