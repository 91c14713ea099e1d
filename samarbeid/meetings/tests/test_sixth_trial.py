"""What the sixth clerk's trial of meetings saw: a vote on a case opened after the meeting
said «Meeting date: Vedtaket kan ikke være datert …» (an English label, from the
governance decision's field, on a form without it), and putting such a case on the agenda
said nothing; the agenda's messages and links named the item by the field's words («Sak
(nummereres ved innkalling) er satt opp …», «Endre Sak (nummereres ved innkalling)»), not
by its title; and «Ny sak» on a held meeting, opened by its address, offered a form whose
save is refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import bearer, login
from samarbeid.arenas.tests.factories import CaseFactory, arena_with_members, current
from samarbeid.governance.models import Decision, Vote
from samarbeid.meetings.models import AgendaItem, Meeting
from samarbeid.meetings.services import minutes
from samarbeid.meetings.services.meetings import add_item
from samarbeid.meetings.services.minutes import record_item_vote
from samarbeid.meetings.tests.factories import body, meeting, member

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2025, 3, 12)


def _late_case_item() -> AgendaItem:
    """A held meeting whose agenda treats a case opened after the meeting's day (written
    directly, as before the agenda refused it)."""
    arena = arena_with_members(["3909", "3901"])
    one = meeting(body(arena), status=Meeting.Status.HELD, date=MEETING_DAY)
    member(one.body, "3909")
    member(one.body, "3901")
    case = CaseFactory(arena=arena, opened=date(2025, 3, 20))
    return AgendaItem.objects.create(
        meeting=one, body=one.body, year=2025, number=4, title="Felles IKT", case=case
    )


def test_a_vote_on_a_case_opened_after_the_meeting_is_refused_in_bokmal(
    client: Client, secretariat: Any
) -> None:
    item = _late_case_item()
    login(client, secretariat)
    response = client.post(
        reverse("meetings:item_votes", args=[item.pk]),
        {
            "version": item.version,
            "voting_rule": "majority",
            f"vote_{current('3909').pk}": "for",
            f"vote_{current('3901').pk}": "for",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200  # the form again, with the refusal
    assert "Meeting date" not in page
    assert "Saken ble opprettet 20.03.2025, etter møtet 12.03.2025" in page
    assert not Vote.objects.exists()
    assert not Decision.objects.filter(case=item.case).exists()


def test_a_governance_refusal_on_a_field_the_vote_has_not_is_named_in_the_readers_words(
    secretariat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever else governance refuses on a decision's field reads «Møtedato: …», never
    the field's name («Meeting date»)."""
    item = _late_case_item()
    item.case.opened = date(2025, 1, 1)
    item.case.save()

    def refused(*args: Any, **kwargs: Any) -> None:
        raise ValidationError({"meeting_date": "Feil dag.", "decision": "Avsluttet."})

    monkeypatch.setattr(minutes, "conclude_vote", refused)
    with pytest.raises(ValidationError) as exc:
        record_item_vote(
            item, [(current("3909"), "for")], voting_rule="majority",
            expected_version=item.version, actor=secretariat,
        )  # fmt: skip
    assert exc.value.message_dict == {"__all__": ["Møtedato: Feil dag.", "Avsluttet."]}
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        record_item_vote(
            item, [(current("3909"), "for")], voting_rule="majority",
            expected_version=item.version, actor=secretariat,
        )  # fmt: skip
    assert exc.value.message_dict["__all__"][0] == "Meeting date: Feil dag."


def test_the_api_refuses_the_vote_the_same_way(client: Client, secretariat: Any) -> None:
    item = _late_case_item()
    response = client.post(
        f"/api/v1/meetings/items/{item.pk}/minutes/votes",
        {
            "version": item.version,
            "voting_rule": "majority",
            "votes": [{"municipality": "3909", "choice": "for"}],
        },
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert response.status_code == 422, response.content
    assert "etter møtet 12.03.2025" in response.json()["detail"]


def test_a_case_opened_after_the_meeting_is_refused_on_the_case_choice(
    client: Client, secretariat: Any
) -> None:
    arena = arena_with_members(["3909"])
    one = meeting(body(arena), date=MEETING_DAY)
    late = CaseFactory(arena=arena, opened=date(2025, 3, 20), title="Ny IKT-avtale")
    login(client, secretariat)
    response = client.post(
        reverse("meetings:item_create", args=[one.pk]), {"title": "IKT", "case": late.pk}
    )
    page = response.content.decode()
    assert 'id="id_case_error"' in page
    assert "Saken ble opprettet 20.03.2025, etter møtet 12.03.2025" in page
    assert not one.items.exists()
    # a case opened on the meeting's day (or before) is put on
    on_time = CaseFactory(arena=arena, opened=MEETING_DAY, title="IKT-avtale")
    item = add_item(AgendaItem(meeting=one, title="IKT", case=on_time), actor=secretariat)
    # and changed to the late case, the same refusal
    response = client.post(
        reverse("meetings:item_edit", args=[item.pk]),
        {"title": "IKT", "case": late.pk, "version": item.version},
    )
    assert 'id="id_case_error"' in response.content.decode()
    item.refresh_from_db()
    assert item.case == on_time


def test_the_agenda_names_its_item_by_its_title(client: Client, secretariat: Any) -> None:
    one = meeting()
    login(client, secretariat)
    response = client.post(
        reverse("meetings:item_create", args=[one.pk]), {"title": "Felles IKT"}, follow=True
    )
    page = response.content.decode()
    assert "«Felles IKT» er satt opp i sakskartet." in page
    assert "nummereres ved innkalling) er satt opp" not in page
    item = one.items.get()
    edit = reverse("meetings:item_edit", args=[item.pk])
    assert f'href="{edit}">Endre «Felles IKT»</a>' in page
    assert "<h1" in client.get(edit).content.decode()
    assert "Endre «Felles IKT»</h1>" in client.get(edit).content.decode()
    # numbered (the notice is out): «Endre sak 3/25 «Felles IKT»»
    AgendaItem.objects.filter(pk=item.pk).update(year=2025, number=3)
    page = client.get(one.get_absolute_url()).content.decode()
    assert f'href="{edit}">Endre sak 3/25 «Felles IKT»</a>' in page


def test_an_item_added_after_the_notice_is_named_with_its_number(
    client: Client, secretariat: Any
) -> None:
    one = meeting(status=Meeting.Status.NOTICE_SENT)
    member(one.body, "3909")
    login(client, secretariat)
    response = client.post(
        reverse("meetings:item_create", args=[one.pk]), {"title": "Felles IKT"}, follow=True
    )
    number = one.items.get().number_label
    assert f"Sak {number} «Felles IKT» er satt opp i sakskartet." in response.content.decode()


@pytest.mark.parametrize("status", [Meeting.Status.HELD, Meeting.Status.CANCELLED])
def test_new_item_on_a_closed_agenda_goes_back_to_the_meeting(
    client: Client, secretariat: Any, status: str
) -> None:
    one = meeting(status=status)
    login(client, secretariat)
    url = reverse("meetings:item_create", args=[one.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(one.get_absolute_url(), 302)]
    page = response.content.decode()
    assert "Sakskartet kan ikke endres når møtet har status" in page
    assert 'name="title"' not in page
    # a post is refused by the service all the same
    response = client.post(url, {"title": "Felles IKT"})
    assert "Sakskartet kan ikke endres" in response.content.decode()
    assert not one.items.exists()


def test_minutes_adopting_a_case_opened_after_the_meeting_are_refused_in_bokmal(
    client: Client, secretariat: Any
) -> None:
    item = _late_case_item()
    login(client, secretariat)
    response = client.post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {
            "version": item.version,
            "treatment": "Drøftet.",
            "decision_text": "Som foreslått.",
            "outcome": "adopted",
        },
    )
    page = response.content.decode()
    assert "Meeting date" not in page
    assert "Saken ble opprettet 20.03.2025, etter møtet 12.03.2025" in page
    item.refresh_from_db()
    assert item.outcome == ""
    assert not Decision.objects.filter(case=item.case).exists()
