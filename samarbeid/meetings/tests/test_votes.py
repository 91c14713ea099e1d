"""Votes in the minutes: an item that treats a case records each member municipality's
vote through governance's vote services; the result goes into the case's decision and
the item's outcome."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.arenas.tests.factories import CaseFactory, arena_with_members, current
from samarbeid.governance.models import Decision, Vote
from samarbeid.meetings.models import AgendaItem, Meeting, MinutesOutcome
from samarbeid.meetings.services.minutes import record_item_vote, write_item_minutes
from samarbeid.meetings.tests.factories import body, meeting, member

pytestmark = pytest.mark.django_db


def _item(with_case: bool = True, seats: tuple[str, ...] = ("3909", "3901", "3905")) -> AgendaItem:
    arena = arena_with_members(["3909", "3901", "3905", "3907"])
    one = meeting(body(arena), status=Meeting.Status.HELD, date=date(2025, 3, 12))
    for number in seats:
        member(one.body, number)
    member(one.body, "3907", valid_to=date(2025, 3, 11))  # left the day before
    case = CaseFactory(arena=arena, opened=date(2025, 1, 1)) if with_case else None
    return AgendaItem.objects.create(
        meeting=one, body=one.body, year=2025, number=4, title="Felles IKT", case=case
    )


def test_a_vote_goes_into_the_governance_records(secretariat: Any) -> None:
    item = _item()
    record_item_vote(
        item,
        [(current("3909"), "for"), (current("3901"), "for"), (current("3905"), "against")],
        voting_rule="majority",
        expected_version=item.version,
        actor=secretariat,
    )
    item.refresh_from_db()
    decision = item.decision
    assert decision is not None
    assert decision.case == item.case
    assert decision.body == Decision.Body.ARENA_BOARD
    assert decision.outcome == Decision.Outcome.ADOPTED
    assert decision.meeting_date == date(2025, 3, 12)
    assert decision.case_number == "4/25"
    assert sorted(v.choice for v in decision.votes.all()) == ["against", "for", "for"]
    assert item.outcome == MinutesOutcome.ADOPTED


def test_unanimity_fails_on_an_abstention_and_the_item_is_rejected(secretariat: Any) -> None:
    item = _item()
    record_item_vote(
        item,
        [(current("3909"), "for"), (current("3901"), "abstain"), (current("3905"), "for")],
        voting_rule="unanimity",
        expected_version=item.version,
        actor=secretariat,
    )
    item.refresh_from_db()
    assert item.decision is not None
    assert item.decision.outcome == Decision.Outcome.REJECTED
    assert item.outcome == MinutesOutcome.REJECTED


def test_refusals_leave_nothing(secretariat: Any) -> None:
    free = _item(with_case=False)
    with pytest.raises(ValidationError, match="må gjelde en sak"):
        record_item_vote(
            free, [(current("3909"), "for")], voting_rule="majority", expected_version=1,
            actor=secretariat,
        )  # fmt: skip
    item = _item()
    with pytest.raises(ValidationError, match="allerede stemt"):  # one municipality, one vote
        record_item_vote(
            item, [(current("3909"), "for"), (current("3909"), "against")],
            voting_rule="majority", expected_version=1, actor=secretariat,
        )  # fmt: skip
    assert not Vote.objects.exists()
    assert not Decision.objects.filter(case=item.case).exists()
    with pytest.raises(ValidationError, match="ingen plass"):
        record_item_vote(
            item, [(current("3907"), "for")], voting_rule="majority", expected_version=1,
            actor=secretariat,
        )  # fmt: skip
    record_item_vote(
        item, [(current("3909"), "for")], voting_rule="majority", expected_version=1,
        actor=secretariat,
    )  # fmt: skip
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="allerede ført"):  # concluded: no second vote
        record_item_vote(
            item, [(current("3901"), "for")], voting_rule="majority",
            expected_version=item.version, actor=secretariat,
        )  # fmt: skip


def test_the_api_records_votes_and_refuses_others(
    client: Client, secretariat: Any, arena_secretariat: Any
) -> None:
    item = _item()
    url = f"/api/v1/meetings/items/{item.pk}/minutes/votes"
    payload = {
        "version": 1,
        "voting_rule": "majority",
        "votes": [
            {"municipality": "3909", "choice": "against"},
            {"municipality": "3901", "choice": "against"},
            {"municipality": "3905", "choice": "for"},
        ],
    }
    problem_of(
        client.post(
            url, payload, content_type="application/json", headers=bearer(arena_secretariat)
        ),
        403,
    )
    response = client.post(
        url, payload, content_type="application/json", headers=bearer(secretariat)
    )
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "rejected"
    item.refresh_from_db()
    assert item.decision is not None
    assert item.decision.outcome == Decision.Outcome.REJECTED
    again = client.post(
        url,
        {**payload, "version": item.version},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    problem_of(again, 422)


def test_the_minutes_page_records_and_shows_the_vote(
    client: Client, secretariat: Any, arena_secretariat: Any
) -> None:
    item = _item()
    url = reverse("meetings:item_votes", args=[item.pk])
    login(client, arena_secretariat)  # another arena's secretariat
    assert client.get(url).status_code == 403
    login(client, secretariat)
    minutes = reverse("meetings:minutes", args=[item.meeting_id])
    assert url in client.get(minutes).content.decode()
    page = client.get(url).content.decode()
    assert "Larvik" in page
    larvik, horten = current("3909"), current("3901")
    response = client.post(
        url,
        {
            "version": item.version,
            "voting_rule": "majority",
            f"vote_{larvik.pk}": "for",
            f"vote_{horten.pk}": "abstain",
        },
    )
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    assert item.outcome == MinutesOutcome.ADOPTED
    assert item.decision is not None
    assert item.decision.votes.count() == 2
    shown = client.get(minutes).content.decode()
    assert "Avstemning" in shown
    assert "avstår" in shown


def test_the_vote_offers_the_bodys_seats_on_the_meeting_day(
    client: Client, secretariat: Any
) -> None:
    item = _item(seats=("3909", "3901"))
    login(client, secretariat)
    page = client.get(reverse("meetings:item_votes", args=[item.pk])).content.decode()
    assert "Larvik" in page
    assert "Horten" in page
    assert "Færder" not in page  # 3907: left the body the day before
    assert "Sandefjord" not in page  # 3905: a member of the arena, no seat in the body
    with pytest.raises(ValidationError, match="ingen plass"):
        record_item_vote(
            item, [(current("3905"), "for")], voting_rule="majority", expected_version=1,
            actor=secretariat,
        )  # fmt: skip


def test_a_decision_written_first_hides_the_vote_and_says_why(
    client: Client, secretariat: Any
) -> None:
    item = _item()
    write_item_minutes(
        item, {"decision_text": "Vedtatt.", "outcome": MinutesOutcome.ADOPTED},
        expected_version=1, actor=secretariat,
    )  # fmt: skip
    login(client, secretariat)
    minutes = client.get(reverse("meetings:minutes", args=[item.meeting_id])).content.decode()
    assert reverse("meetings:item_votes", args=[item.pk]) not in minutes
    assert "Vedtaket i saken er allerede ført" in minutes
    item.refresh_from_db()
    larvik = current("3909")
    response = client.post(
        reverse("meetings:item_votes", args=[item.pk]),
        {"version": item.version, "voting_rule": "majority", f"vote_{larvik.pk}": "for"},
    )
    page = response.content.decode()
    assert "Vedtaket i saken er allerede ført" in page
    assert "Votes:" not in page


def test_a_case_items_decision_needs_its_outcome(secretariat: Any) -> None:
    item = _item()
    with pytest.raises(ValidationError) as exc:
        write_item_minutes(
            item, {"decision_text": "Vedtatt."}, expected_version=1, actor=secretariat
        )
    assert "outcome" in exc.value.message_dict
