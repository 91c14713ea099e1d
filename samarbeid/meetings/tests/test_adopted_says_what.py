"""Minutes that record an item as adopted say what was adopted («Vedtak: …»). Found in a
clerk's trial: «vedtatt» with an empty decision text gave minutes saying an item was adopted
but not what. Adopted as it stood, the decision is the proposal (the text written on the
case's treatment in this body before the meeting); without a proposal the clerk writes it,
on the page and in the API alike."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.arenas.tests.factories import CaseFactory
from samarbeid.governance.models import Case, Decision
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.services.minutes import record_item_vote, write_item_minutes
from samarbeid.meetings.tests.factories import held_with_seats, meeting

pytestmark = pytest.mark.django_db
JSON = "application/json"
REFUSAL = "Skriv vedtaket: hva ble vedtatt?"
PROPOSAL = (
    "Styret slutter seg til mandatet for forprosjektet og ber kommunestyrene behandle det "
    "innen 1. juni."
)


def _held() -> Meeting:
    return meeting(status=Meeting.Status.HELD, date=date(2025, 3, 12))


def _item(one: Meeting, **fields: Any) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=one, body=one.body, year=2025, number=1, title="Mandat for forprosjekt", **fields
    )


def _sent_with_proposal(one: Meeting, text: str = PROPOSAL) -> tuple[Case, Decision]:
    """A case sent to the meeting's body, its pending treatment there holding the proposal."""
    case = CaseFactory(arena=one.body.arena, opened=date(2025, 1, 1))
    pending = Decision.objects.create(
        case=case, body=Decision.Body.ARENA_BOARD, arena=one.body.arena, text=text
    )
    return case, pending


def test_adopted_as_it_stood_takes_the_proposals_text(secretariat: Any) -> None:
    one = _held()
    case, pending = _sent_with_proposal(one)
    item = _item(one, case=case)
    write_item_minutes(
        item,
        {"treatment": "Enstemmig vedtatt.", "decision_text": "", "outcome": "adopted"},
        expected_version=1,
        actor=secretariat,
    )
    item.refresh_from_db()
    pending.refresh_from_db()
    assert item.decision_text == PROPOSAL
    assert item.decision == pending
    assert pending.outcome == Decision.Outcome.ADOPTED
    assert pending.text == PROPOSAL
    # the clerk's own words win over the proposal
    write_item_minutes(
        item, {"decision_text": "Mandatet vedtas."}, expected_version=2, actor=secretariat
    )
    item.refresh_from_db()
    pending.refresh_from_db()
    assert (item.decision_text, pending.text) == ("Mandatet vedtas.", "Mandatet vedtas.")


@pytest.mark.parametrize(
    ("treats", "outcome"),
    [
        ("nothing", "adopted"),  # a free item: no proposal anywhere
        ("case without proposal", "adopted"),
        ("case with proposal", "adopted_with_changes"),  # the changes are the clerk's to write
    ],
)
def test_adopted_without_a_text_to_take_is_refused_on_the_decision(
    secretariat: Any, treats: str, outcome: str
) -> None:
    one = _held()
    fields: dict[str, Any] = {}
    if treats != "nothing":
        fields["case"] = _sent_with_proposal(one, "" if "without" in treats else PROPOSAL)[0]
    item = _item(one, **fields)
    with pytest.raises(ValidationError) as caught:
        write_item_minutes(
            item, {"decision_text": "  ", "outcome": outcome}, expected_version=1, actor=secretariat
        )
    assert caught.value.message_dict == {"decision_text": [REFUSAL]}
    item.refresh_from_db()
    assert (item.outcome, item.decision_text, item.version) == ("", "", 1)
    assert not Decision.objects.filter(outcome=Decision.Outcome.ADOPTED).exists()


@pytest.mark.parametrize("outcome", ["noted", "rejected", "postponed", ""])
def test_other_outcomes_need_no_decision_text(secretariat: Any, outcome: str) -> None:
    one = _held()
    item = _item(one)
    write_item_minutes(
        item,
        {"treatment": "Drøftet.", "outcome": outcome},
        expected_version=1,
        actor=secretariat,
    )
    item.refresh_from_db()
    assert (item.outcome, item.decision_text, item.treatment) == (outcome, "", "Drøftet.")


def test_the_page_asks_for_the_decision_and_shows_the_proposal(
    client: Client, secretariat: Any
) -> None:
    one = _held()
    free = _item(one)
    login(client, secretariat)
    url = reverse("meetings:item_minutes", args=[free.pk])
    response = client.post(
        url, {"treatment": "Vedtatt.", "decision_text": "", "outcome": "adopted", "version": 1}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert REFUSAL in content
    assert 'id="id_decision_text_error"' in content
    assert response.context["form"].errors["decision_text"] == [REFUSAL]
    free.refresh_from_db()
    assert (free.outcome, free.version) == ("", 1)
    # an item on a case sent with a proposal: the form shows it, and an empty text takes it
    case, _pending = _sent_with_proposal(one)
    sent = AgendaItem.objects.create(
        meeting=one, body=one.body, year=2025, number=2, title="Mandat", case=case
    )
    url = reverse("meetings:item_minutes", args=[sent.pk])
    form = client.get(url).content.decode()
    assert "Forslag til vedtak" in form
    assert PROPOSAL in form
    assert (
        "Forslag til vedtak"
        not in client.get(reverse("meetings:item_minutes", args=[free.pk])).content.decode()
    )
    posted = client.post(
        url, {"treatment": "Enstemmig.", "decision_text": "", "outcome": "adopted", "version": 1}
    )
    assert posted.status_code == 302
    sent.refresh_from_db()
    assert sent.decision_text == PROPOSAL


def test_the_api_refuses_adopted_without_a_decision(client: Client, secretariat: Any) -> None:
    one = _held()
    item = _item(one)
    url = f"/api/v1/meetings/items/{item.pk}/minutes"
    auth = bearer(secretariat)
    body = problem_of(
        client.patch(url, {"version": 1, "outcome": "adopted"}, content_type=JSON, headers=auth),
        422,
    )
    assert body["errors"] == [{"loc": ["decision_text"], "msg": REFUSAL}]
    item.refresh_from_db()
    assert (item.outcome, item.version) == ("", 1)
    written = client.patch(
        url,
        {"version": 1, "outcome": "adopted", "decision_text": "Forslaget vedtas."},
        content_type=JSON,
        headers=auth,
    )
    assert written.status_code == 200, written.content
    assert written.json()["decision_text"] == "Forslaget vedtas."
    # in English on request
    english = problem_of(
        client.patch(
            url + "?lang=en",
            {"version": 2, "decision_text": ""},
            content_type=JSON,
            headers=auth,
        ),
        422,
    )
    assert english["errors"] == [
        {"loc": ["decision_text"], "msg": "Write the decision: what was adopted?"}
    ]


def test_a_vote_keeps_the_proposal_it_was_cast_on_and_an_adoption_says_it(
    secretariat: Any,
) -> None:
    """A vote is cast on the proposal: it stays the decision's text (the vote wrote the item's
    empty text over it), and the minutes of an adopted vote say it."""
    one, seats = held_with_seats("3909", "3901")
    case, pending = _sent_with_proposal(one)
    item = _item(one, case=case)
    record_item_vote(
        item,
        [(seat.municipality, "for") for seat in seats],
        voting_rule="majority",
        expected_version=item.version,
        actor=secretariat,
    )
    item.refresh_from_db()
    pending.refresh_from_db()
    assert (item.decision, pending.outcome) == (pending, Decision.Outcome.ADOPTED)
    assert pending.text == PROPOSAL
    assert item.decision_text == PROPOSAL
