"""What the seventh clerk's trial of meetings left: saving the attendance of a meeting whose
body had nobody seated on its day said «Frammøtet er lagret.» (nothing was, and a list kept
before was emptied); a decision text written with no outcome was kept in the minutes of an
item that treats no case; the treatment and the decision took any length; and an item's
title, saksframstilling or proposal changed after the notice was not listed among the
changes after the notice."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import bearer, login, problem_of
from samarbeid.arenas.tests.factories import CaseFactory
from samarbeid.meetings.item_terms import MINUTES_TEXT_MAX, PROPOSAL_MAX, LegalBasis
from samarbeid.meetings.models import AgendaItem, Attendance, Meeting
from samarbeid.meetings.services.meetings import add_item, update_item, update_meeting
from samarbeid.meetings.services.minutes import write_item_minutes
from samarbeid.meetings.services.notice import record_outside_notice, send_notice
from samarbeid.meetings.tests.factories import meeting, member

pytestmark = pytest.mark.django_db
JSON = "application/json"
MEETING_DAY = date(2025, 3, 12)
DECISION = "Styret slutter seg til mandatet."
NO_OUTCOME = "Velg utfallet av saken når vedtaket er skrevet."
# the limit said the Norwegian way, «20 000» (s37: was «20000 eller færre tegn»)
TOO_LONG = f"Teksten kan være på høyst {MINUTES_TEXT_MAX:,} tegn (den har nå ".replace(
    ",", "\u00a0"
)


def _held() -> Meeting:
    return meeting(status=Meeting.Status.HELD, date=MEETING_DAY)


def _item(one: Meeting, **fields: Any) -> AgendaItem:
    values: dict[str, Any] = {"year": 2025, "number": 3, "title": "Felles IKT"}
    return AgendaItem.objects.create(meeting=one, body=one.body, **(values | fields))


# --- 1. an attendance with nobody to mark saves nothing, and says so ---


def test_saving_an_attendance_nobody_could_be_marked_in_says_nothing_was_saved(
    client: Client, secretariat: Any
) -> None:
    one = _held()
    # sat the day, recorded present; then the seat was found to start later
    seat = member(one.body, "3909", person="Kari Nordmann", valid_from=date(2025, 1, 1))
    Attendance.objects.create(meeting=one, member=seat)
    seat.valid_from = date(2025, 6, 1)
    seat.save()
    login(client, secretariat)
    url = reverse("meetings:attendance", args=[one.pk])
    response = client.post(url, {"version": one.version}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == []  # the form again, not the minutes
    page = response.content.decode()
    assert "Frammøtet er lagret." not in page
    [error] = response.context["form"].errors["members"]
    assert error == (
        "Ingenting er lagret: ingen kan føres som til stede. "
        "Ingen var medlem av organet på møtedagen 12.03.2025."
    )
    assert error in page
    add = reverse("meetings:member_create", args=[one.body_id])
    assert f'href="{add}">Legg til medlem</a>' in page
    one.refresh_from_db()
    assert one.version == 1
    assert list(one.attendance.values_list("member_id", flat=True)) == [seat.pk]


def test_saving_the_attendance_of_a_body_without_members_says_why(
    client: Client, secretariat: Any
) -> None:
    one = _held()
    login(client, secretariat)
    response = client.post(reverse("meetings:attendance", args=[one.pk]), {"version": 1})
    assert response.status_code == 200
    [error] = response.context["form"].errors["members"]
    assert error.endswith("Organet har ingen medlemmer registrert.")
    one.refresh_from_db()
    assert one.version == 1


def test_an_attendance_with_a_member_seated_is_saved_as_before(
    client: Client, secretariat: Any
) -> None:
    one = _held()
    seat = member(one.body, "3909", valid_from=date(2024, 1, 1))
    login(client, secretariat)
    url = reverse("meetings:attendance", args=[one.pk])
    response = client.post(url, {"members": [seat.pk], "version": 1}, follow=True)
    assert "Frammøtet er lagret." in response.content.decode()
    assert list(one.attendance.values_list("member_id", flat=True)) == [seat.pk]
    # nobody ticked, with someone to tick: refused on the list (s37: it said «lagret», and
    # the minutes then «Frammøtet er ikke ført.»)
    response = client.post(url, {"version": 2}, follow=True)
    assert response.context["form"].errors["members"] == ["Kryss av for dem som var til stede."]
    assert "Frammøtet er lagret." not in response.content.decode()
    assert list(one.attendance.values_list("member_id", flat=True)) == [seat.pk]


# --- 2. a decision text needs its outcome ---


def test_a_decision_text_without_an_outcome_is_refused_on_the_outcome(secretariat: Any) -> None:
    one = _held()
    item = _item(one)
    with pytest.raises(ValidationError) as refused:
        write_item_minutes(
            item,
            {"treatment": "Drøftet.", "decision_text": DECISION, "outcome": ""},
            expected_version=1,
            actor=secretariat,
        )
    assert refused.value.message_dict == {"outcome": [NO_OUTCOME]}
    item.refresh_from_db()
    assert (item.decision_text, item.version) == ("", 1)
    # with an outcome it is kept; a treatment alone needs none
    write_item_minutes(
        item,
        {"treatment": "Drøftet.", "decision_text": DECISION, "outcome": "postponed"},
        expected_version=1,
        actor=secretariat,
    )
    item.refresh_from_db()
    assert (item.decision_text, item.outcome) == (DECISION, "postponed")
    other = _item(one, number=4, title="Orientering")
    write_item_minutes(
        other,
        {"treatment": "Orientert.", "decision_text": "  ", "outcome": ""},
        expected_version=1,
        actor=secretariat,
    )
    other.refresh_from_db()
    assert (other.treatment, other.outcome) == ("Orientert.", "")


def test_a_case_items_decision_without_an_outcome_says_it_goes_into_the_case(
    secretariat: Any,
) -> None:
    one = _held()
    item = _item(one, case=CaseFactory(arena=one.body.arena, opened=date(2025, 1, 1)))
    with pytest.raises(ValidationError) as refused:
        write_item_minutes(
            item,
            {"decision_text": DECISION, "outcome": ""},
            expected_version=1,
            actor=secretariat,
        )
    assert refused.value.message_dict == {
        "outcome": ["Velg utfallet: vedtaket i en sak føres i saken med sitt utfall."]
    }


def test_the_minutes_page_refuses_a_decision_without_an_outcome(
    client: Client, secretariat: Any
) -> None:
    one = _held()
    item = _item(one)
    login(client, secretariat)
    response = client.post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {"treatment": "Drøftet.", "decision_text": DECISION, "outcome": "", "version": 1},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["outcome"] == [NO_OUTCOME]
    assert 'id="id_outcome_error"' in response.content.decode()
    assert response.context["form"]["decision_text"].value() == DECISION  # kept as typed
    item.refresh_from_db()
    assert (item.decision_text, item.version) == ("", 1)


def test_the_api_refuses_a_decision_without_an_outcome(client: Client, secretariat: Any) -> None:
    one = _held()
    item = _item(one)
    url = f"/api/v1/meetings/items/{item.pk}/minutes"
    auth = bearer(secretariat)
    body = problem_of(
        client.patch(
            url, {"version": 1, "decision_text": DECISION}, content_type=JSON, headers=auth
        ),
        422,
    )
    [error] = body["errors"]
    assert (error["loc"], error["msg"]) == (["outcome"], NO_OUTCOME)
    saved = client.patch(
        url,
        {"version": 1, "decision_text": DECISION, "outcome": "adopted"},
        content_type=JSON,
        headers=auth,
    )
    assert saved.status_code == 200, saved.content
    assert (saved.json()["decision_text"], saved.json()["outcome"]) == (DECISION, "adopted")


# --- 3. the treatment and the decision have a limit, said on their fields ---


def test_the_minutes_page_says_a_treatment_or_decision_is_too_long(
    client: Client, secretariat: Any
) -> None:
    one = _held()
    item = _item(one)
    login(client, secretariat)
    url = reverse("meetings:item_minutes", args=[item.pk])
    form = client.get(url).content.decode()
    # no maxlength on the boxes: the browser would cut a longer paste without a word
    assert 'name="treatment"' in form
    assert 'name="decision_text"' in form
    assert "maxlength" not in form
    too_long = "x" * (MINUTES_TEXT_MAX + 1)
    response = client.post(
        url,
        {"treatment": too_long, "decision_text": too_long, "outcome": "adopted", "version": 1},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    for name in ("treatment", "decision_text"):
        [error] = errors[name]
        assert error.startswith(TOO_LONG), name
    page = response.content.decode()
    assert 'id="id_treatment_error"' in page
    assert 'id="id_decision_text_error"' in page
    item.refresh_from_db()
    assert (item.treatment, item.version) == ("", 1)
    # at the limit both are taken
    at_limit = "x" * MINUTES_TEXT_MAX
    saved = client.post(
        url,
        {"treatment": at_limit, "decision_text": at_limit, "outcome": "adopted", "version": 1},
    )
    assert saved.status_code == 302
    item.refresh_from_db()
    assert (len(item.treatment), len(item.decision_text)) == (MINUTES_TEXT_MAX, MINUTES_TEXT_MAX)


def test_the_api_says_a_treatment_or_decision_is_too_long(client: Client, secretariat: Any) -> None:
    one = _held()
    item = _item(one)
    url = f"/api/v1/meetings/items/{item.pk}/minutes"
    auth = bearer(secretariat)
    for name in ("treatment", "decision_text"):
        body = problem_of(
            client.patch(
                url,
                {"version": 1, name: "x" * (MINUTES_TEXT_MAX + 1), "outcome": "adopted"},
                content_type=JSON,
                headers=auth,
            ),
            422,
        )
        [error] = body["errors"]
        assert error["loc"] == [name]
        assert error["msg"].startswith(TOO_LONG)
    item.refresh_from_db()
    assert item.version == 1


def test_the_service_refuses_a_treatment_too_long(secretariat: Any) -> None:
    """The rule is the model's: a command or a task that calls the service is refused too."""
    one = _held()
    item = _item(one)
    with pytest.raises(ValidationError) as refused:
        write_item_minutes(
            item,
            {"treatment": "x" * (MINUTES_TEXT_MAX + 1), "outcome": "noted"},
            expected_version=1,
            actor=secretariat,
        )
    assert list(refused.value.message_dict) == ["treatment"]
    item.refresh_from_db()
    assert item.version == 1


# --- 4. an item's texts changed after the notice are listed with the changes after it ---

PROPOSAL = "Styret slutter seg til mandatet."


def _agenda(secretariat: Any, *titles: str, **fields: Any) -> tuple[Meeting, list[AgendaItem]]:
    """A planned meeting on 12.03.2025 with an item for each title (the proposal given)."""
    one = meeting(date=MEETING_DAY)
    member(one.body)  # a member to send the notice to
    items = [
        add_item(
            AgendaItem(meeting=one, title=title, proposal=PROPOSAL, **fields), actor=secretariat
        )
        for title in titles
    ]
    return one, items


def _edit(item: AgendaItem, actor: Any, **changes: Any) -> None:
    item.refresh_from_db()
    update_item(item, changes, expected_version=item.version, actor=actor)


def _changes_after_notice(client: Client, one: Meeting) -> list[str]:
    """The lines of «Endringer etter innkallingen» on the meeting's page."""
    response = client.get(one.get_absolute_url())
    assert response.status_code == 200
    return [" ".join(lines) for _made, lines, _sent in response.context["notice_changes"]]


@pytest.mark.usefixtures("noticed_early")
def test_texts_changed_after_the_notice_are_listed(client: Client, secretariat: Any) -> None:
    one, (ikt, budget, report) = _agenda(secretariat, "Felles IKT", "Budsjett 2026", "Årsrapport")
    _edit(ikt, secretariat, description="Endret før innkallingen.")  # before: what was sent
    send_notice(one, expected_version=1, actor=secretariat)
    login(client, secretariat)
    assert _changes_after_notice(client, one) == []
    _edit(ikt, secretariat, proposal="Styret vedtar mandatet med endringer.")
    _edit(budget, secretariat, title="Budsjett 2026 (revidert)")
    _edit(budget, secretariat, description="Tallene er rettet.")
    _edit(report, secretariat, description="Et utkast.")
    _edit(report, secretariat, description="")  # changed back: as the notice sent it
    one.refresh_from_db()
    update_meeting(one, {"place": "Kulturhuset"}, expected_version=one.version, actor=secretariat)
    lines = _changes_after_notice(client, one)
    assert lines == [
        "Sak 1/25 «Felles IKT»: forslag til vedtak endret etter innkallingen 01.01.2025. "
        f"Forslaget i innkallingen var: {PROPOSAL}",
        "Sak 2/25 «Budsjett 2026 (revidert)»: tittel og saksframstilling endret etter "
        "innkallingen 01.01.2025. Tittelen i innkallingen var «Budsjett 2026».",
        "Nytt møtested: Kulturhuset (var: Rådhuset).",
    ]
    page = client.get(one.get_absolute_url()).content.decode()
    assert "Endringer etter innkallingen" in page
    assert "Sak 1/25 «Felles IKT»: forslag til vedtak endret etter innkallingen 01.01.2025." in page


@pytest.mark.usefixtures("noticed_early")
def test_a_closed_items_changed_texts_are_not_named_to_the_public(
    client: Client, secretariat: Any
) -> None:
    one, (secret,) = _agenda(
        secretariat,
        "Ansettelse",
        closed=True,
        legal_basis=LegalBasis.DUTY_OF_CONFIDENTIALITY,
    )
    one.published = True
    one.save()
    one.body.arena.published = True
    one.body.arena.save()
    send_notice(one, expected_version=1, actor=secretariat)
    _edit(secret, secretariat, proposal="Kari Nordmann tilsettes.")
    assert _changes_after_notice(client, one) == []  # the public: nothing of its texts
    _edit(secret, secretariat, title="Ansettelse av daglig leder")
    assert _changes_after_notice(client, one) == [
        "Sak 1/25 «Ansettelse av daglig leder»: tittel endret etter innkallingen 01.01.2025. "
        "Tittelen i innkallingen var «Ansettelse»."
    ]
    login(client, secretariat)
    assert _changes_after_notice(client, one) == [
        "Sak 1/25 «Ansettelse av daglig leder»: tittel og forslag til vedtak endret etter "
        "innkallingen 01.01.2025. Tittelen i innkallingen var «Ansettelse». "
        f"Forslaget i innkallingen var: {PROPOSAL}"
    ]


def test_a_notice_sent_outside_counts_from_when_it_was_recorded(
    client: Client, secretariat: Any
) -> None:
    one, (ikt,) = _agenda(secretariat, "Felles IKT")
    _edit(ikt, secretariat, proposal="Før innkallingen.")
    record_outside_notice(one, date(2025, 3, 1), expected_version=1, actor=secretariat)
    login(client, secretariat)
    assert _changes_after_notice(client, one) == []
    _edit(ikt, secretariat, description="Saken er utdypet.")
    assert _changes_after_notice(client, one) == [
        "Sak 1/25 «Felles IKT»: saksframstilling endret etter innkallingen 01.03.2025."
    ]


@pytest.mark.usefixtures("noticed_early")
def test_the_changed_texts_are_read_in_one_query_however_many(
    client: Client, secretariat: Any
) -> None:
    one, items = _agenda(secretariat, *[f"Sak nummer {n}" for n in range(6)])
    send_notice(one, expected_version=1, actor=secretariat)
    login(client, secretariat)

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(one.get_absolute_url())
        return len(queries)

    _edit(items[0], secretariat, description="Endret.")
    one_changed = counted()
    for item in items[1:]:
        _edit(item, secretariat, description="Endret.", proposal="Nytt forslag.")
    assert counted() == one_changed
    assert len(_changes_after_notice(client, one)) == 6


def test_a_proposal_over_the_limit_is_refused_by_the_service_too(secretariat: Any) -> None:
    """The form said so; a command or the API writing through the service was not told."""
    item = _item(meeting(date=MEETING_DAY))
    with pytest.raises(ValidationError) as refused:
        update_item(
            item, {"proposal": "x" * (PROPOSAL_MAX + 1)}, expected_version=1, actor=secretariat
        )
    assert "proposal" in refused.value.message_dict
    item.refresh_from_db()
    assert (item.proposal, item.version) == ("", 1)
    at_the_limit = "x" * PROPOSAL_MAX
    update_item(item, {"proposal": at_the_limit}, expected_version=1, actor=secretariat)
    assert AgendaItem.objects.get(pk=item.pk).proposal == at_the_limit
