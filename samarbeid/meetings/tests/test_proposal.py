"""«Forslag til vedtak» on an agenda item: the secretariat writes what the body is asked to
adopt on the item itself (the innstilling, sent with the notice). Before, the proposal could
only come from a pending treatment of a linked case, which no page could make. The item's
proposal is shown with its saksframstilling (page, notice, its PDF), withheld with it on a
closed item, written on the item's form and through the API, and taken by minutes that record
the item adopted as it stood with no decision text (into the case's decision too)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from conftest import _user, bearer, login, problem_of
from samarbeid.accounts.models import Role
from samarbeid.arenas.tests.factories import CaseFactory
from samarbeid.governance.models import Decision
from samarbeid.meetings.models import PROPOSAL_MAX, AgendaItem, LegalBasis, Meeting
from samarbeid.meetings.services.meetings import add_item
from samarbeid.meetings.services.minutes import (
    proposal_for,
    record_item_vote,
    write_item_minutes,
)
from samarbeid.meetings.tests.factories import held_with_seats, meeting, member

pytestmark = pytest.mark.django_db
JSON = "application/json"
PROPOSAL = "Styret slutter seg til mandatet og ber kommunestyrene behandle det innen 1. juni."
SECRET = "Kari Nordmann tilsettes som daglig leder fra 1. mai."
# the limit said the Norwegian way, «10 000» (s37: was «10000 eller færre tegn»)
TOO_LONG = f"Teksten kan være på høyst {PROPOSAL_MAX:,} tegn (den har nå ".replace(",", "\u00a0")


def _held() -> Meeting:
    return meeting(status=Meeting.Status.HELD, date=date(2025, 3, 12))


def _item(one: Meeting, **fields: Any) -> AgendaItem:
    values: dict[str, Any] = {"year": 2025, "number": 1, "title": "Mandat for forprosjekt"}
    return AgendaItem.objects.create(meeting=one, body=one.body, **(values | fields))


def _closed(one: Meeting, actor: Any) -> AgendaItem:
    return add_item(
        AgendaItem(
            meeting=one,
            title="Ansettelse av daglig leder",
            description="Søkerliste med navn",
            proposal=SECRET,
            closed=True,
            legal_basis=LegalBasis.DUTY_OF_CONFIDENTIALITY,
        ),
        actor=actor,
    )


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_item_form_takes_the_proposal_after_the_description(
    client: Client, secretariat: Any
) -> None:
    one = meeting()
    login(client, secretariat)
    url = reverse("meetings:item_create", args=[one.pk])
    form = client.get(url).content.decode()
    assert 'name="proposal"' in form
    assert form.index('name="description"') < form.index('name="proposal"')
    assert form.index('name="proposal"') < form.index('name="case"')
    assert "Forslag til vedtak" in form
    assert "Står vedtaket tomt i protokollen når saken vedtas, brukes forslaget." in form
    response = client.post(
        url, {"title": "Mandat", "description": "Bakgrunn.", "proposal": PROPOSAL, "version": 1}
    )
    assert response.status_code == 302
    item = one.items.get()
    assert (item.description, item.proposal) == ("Bakgrunn.", PROPOSAL)
    # too long: refused on its field, nothing saved
    edit = reverse("meetings:item_edit", args=[item.pk])
    refused = client.post(
        edit, {"title": "Mandat", "proposal": "x" * (PROPOSAL_MAX + 1), "version": item.version}
    )
    assert refused.status_code == 200
    [error] = refused.context["form"].errors["proposal"]
    assert error.startswith(TOO_LONG)
    assert 'id="id_proposal_error"' in refused.content.decode()
    item.refresh_from_db()
    assert (item.proposal, item.version) == (PROPOSAL, 1)
    # at the limit it is taken
    saved = client.post(
        edit, {"title": "Mandat", "proposal": "x" * PROPOSAL_MAX, "version": item.version}
    )
    assert saved.status_code == 302
    item.refresh_from_db()
    assert len(item.proposal) == PROPOSAL_MAX


def test_a_reader_cannot_write_a_proposal_on_the_page(client: Client, reader: Any) -> None:
    one = meeting()
    item = _item(one, proposal=PROPOSAL)
    login(client, reader)
    response = client.post(
        reverse("meetings:item_edit", args=[item.pk]),
        {"title": item.title, "proposal": "Noe annet.", "version": 1},
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.proposal == PROPOSAL


def test_the_items_own_proposal_comes_before_a_pending_treatments() -> None:
    one = _held()
    case = CaseFactory(arena=one.body.arena, opened=date(2025, 1, 1))
    Decision.objects.create(
        case=case, body=Decision.Body.ARENA_BOARD, arena=one.body.arena, text="Sakens forslag."
    )
    item = _item(one, case=case, proposal=f"  {PROPOSAL}\n")
    assert proposal_for(item) == PROPOSAL
    item.proposal = "  "
    assert proposal_for(item) == "Sakens forslag."  # what it read before, when it has none
    free = _item(one, number=2, proposal=PROPOSAL)
    assert proposal_for(free) == PROPOSAL  # an item on no case has one too


def test_adopted_as_it_stood_takes_the_items_proposal_into_the_case(secretariat: Any) -> None:
    """The case linked to the item gets its board decision from the minutes: adopted with an
    empty decision text, it reads the item's proposal."""
    one = _held()
    case = CaseFactory(arena=one.body.arena, opened=date(2025, 1, 1))
    item = _item(one, case=case, proposal=PROPOSAL)
    write_item_minutes(
        item,
        {"treatment": "Enstemmig.", "decision_text": "", "outcome": "adopted"},
        expected_version=1,
        actor=secretariat,
    )
    item.refresh_from_db()
    assert item.decision_text == PROPOSAL
    board = Decision.objects.get(case=case, body=Decision.Body.ARENA_BOARD)
    assert item.decision == board
    assert (board.outcome, board.text) == (Decision.Outcome.ADOPTED, PROPOSAL)
    assert board.meeting_date == one.date


def test_a_free_item_adopted_as_it_stood_takes_its_proposal(
    client: Client, secretariat: Any
) -> None:
    one = _held()
    item = _item(one, proposal=PROPOSAL)
    login(client, secretariat)
    url = reverse("meetings:item_minutes", args=[item.pk])
    form = client.get(url).content.decode()
    assert "Forslag til vedtak" in form
    assert PROPOSAL in form
    posted = client.post(
        url, {"treatment": "Vedtatt.", "decision_text": "", "outcome": "adopted", "version": 1}
    )
    assert posted.status_code == 302
    item.refresh_from_db()
    assert item.decision_text == PROPOSAL


def test_a_vote_is_cast_on_the_items_proposal(secretariat: Any) -> None:
    one, seats = held_with_seats("3909", "3901")
    case = CaseFactory(arena=one.body.arena, opened=date(2025, 1, 1))
    item = _item(one, case=case, proposal=PROPOSAL)
    record_item_vote(
        item,
        [(seat.municipality, "for") for seat in seats],
        voting_rule="majority",
        expected_version=item.version,
        actor=secretariat,
    )
    item.refresh_from_db()
    assert item.decision is not None
    assert item.decision.text == PROPOSAL
    assert item.decision_text == PROPOSAL


@pytest.mark.usefixtures("noticed_early")
def test_the_proposal_is_shown_with_the_item_and_withheld_with_a_closed_one(
    client: Client, secretariat: Any, larvik: Any
) -> None:
    one = meeting()
    # Horten: a member to send the notice to (Larvik sits later; Kari Nordmann is the secret)
    member(one.body, "3901", person="Ola Nordmann")
    add_item(
        AgendaItem(meeting=one, title="Mandat", description="Bakgrunn.", proposal=PROPOSAL),
        actor=secretariat,
    )
    _closed(one, secretariat)
    login(client, secretariat)
    sent = client.post(reverse("meetings:notice_send", args=[one.pk]), {"version": 1})
    assert sent.status_code == 302
    one.refresh_from_db()
    assert one.status == Meeting.Status.NOTICE_SENT
    pages = {
        "meeting": one.get_absolute_url(),
        "notice": reverse("meetings:notice", args=[one.pk]),
    }
    pdf = reverse("meetings:notice_pdf", args=[one.pk])

    def read(user: Any) -> dict[str, str]:
        client.logout()
        if user is not None:
            login(client, user)
        shown = {name: client.get(url).content.decode() for name, url in pages.items()}
        shown["pdf"] = _pdf_text(client.get(pdf).content)
        return {name: " ".join(text.split()) for name, text in shown.items()}

    # the secretariat: both proposals, under the saksframstilling
    for name, text in read(secretariat).items():
        assert "Forslag til vedtak" in text, name
        assert PROPOSAL in text, name
        assert SECRET in text, name
        if name != "pdf":
            assert text.index("Bakgrunn.") < text.index("Forslag til vedtak") < text.index(PROPOSAL)
    # the public and a reader without a seat: the open item's, never the closed item's
    for user in (None, _user("leser", Role.READER)):
        for name, text in read(user).items():
            assert PROPOSAL in text, name
            assert "Kari Nordmann" not in text, name
            assert "Søkerliste" not in text, name
    # a coordinator of a municipality seated in the body reads it
    member(one.body, "3909")
    coordinator = _user("larvik-k", Role.COORDINATOR, municipality=larvik)
    for name, text in read(coordinator).items():
        assert SECRET in text, name


def test_the_api_reads_and_writes_the_proposal(
    client: Client, secretariat: Any, reader: Any
) -> None:
    one = meeting()
    auth = bearer(secretariat)
    created = client.post(
        f"/api/v1/meetings/{one.pk}/items",
        {"title": "Mandat", "description": "Bakgrunn.", "proposal": PROPOSAL},
        content_type=JSON,
        headers=auth,
    )
    assert created.status_code == 201, created.content
    assert created.json()["proposal"] == PROPOSAL
    url = f"/api/v1/meetings/items/{created.json()['id']}"
    assert client.get(url).json()["proposal"] == PROPOSAL
    # a PATCH changes it; null (or left out) keeps it
    changed = client.patch(
        url, {"version": 1, "proposal": "Mandatet vedtas."}, content_type=JSON, headers=auth
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["proposal"] == "Mandatet vedtas."
    kept = client.patch(
        url, {"version": 2, "proposal": None, "title": "Mandat ISK 2"}, content_type=JSON,
        headers=auth,
    )  # fmt: skip
    assert kept.status_code == 200, kept.content
    assert (kept.json()["proposal"], kept.json()["version"]) == ("Mandatet vedtas.", 3)
    # too long: the form's words on its field
    body_ = problem_of(
        client.patch(
            url, {"version": 3, "proposal": "x" * (PROPOSAL_MAX + 1)}, content_type=JSON,
            headers=auth,
        ),
        422,
    )  # fmt: skip
    [error] = body_["errors"]
    assert error["loc"] == ["proposal"]
    assert error["msg"].startswith(TOO_LONG)
    problem_of(
        client.post(
            f"/api/v1/meetings/{one.pk}/items",
            {"title": "Lang", "proposal": "x" * (PROPOSAL_MAX + 1)},
            content_type=JSON,
            headers=auth,
        ),
        422,
    )
    # a reader may not write it; a stale version is a conflict
    problem_of(
        client.patch(
            url, {"version": 3, "proposal": "Noe annet."}, content_type=JSON,
            headers=bearer(reader),
        ),
        403,
    )  # fmt: skip
    problem_of(
        client.patch(url, {"version": 2, "proposal": "Noe annet."}, content_type=JSON,
                     headers=auth),
        409,
    )  # fmt: skip
    item = AgendaItem.objects.get(pk=created.json()["id"])
    assert (item.proposal, item.version, one.items.count()) == ("Mandatet vedtas.", 3, 1)


def test_the_api_withholds_a_closed_items_proposal(
    client: Client, secretariat: Any, reader: Any
) -> None:
    one = meeting()
    item = _closed(one, secretariat)
    for headers in ({}, bearer(reader)):
        for url in (f"/api/v1/meetings/{one.pk}/items", f"/api/v1/meetings/items/{item.pk}"):
            got = client.get(url, headers=headers).json()
            read = got[0] if isinstance(got, list) else got
            assert read["title"] == "Ansettelse av daglig leder"
            assert (read["description"], read["proposal"]) == ("", ""), url
    read = client.get(f"/api/v1/meetings/items/{item.pk}", headers=bearer(secretariat)).json()
    assert read["proposal"] == SECRET


def test_oparl_never_tells_a_closed_items_proposal(client: Client, secretariat: Any) -> None:
    # the published meeting of the OParl tests, its closed item given a proposal
    from samarbeid.oparl.tests.test_meetings import make_held  # a fixture's builder

    held = make_held(secretariat)
    AgendaItem.objects.filter(pk=held["closed"].pk).update(proposal=SECRET)
    AgendaItem.objects.filter(pk=held["open"].pk).update(proposal=PROPOSAL)
    item = client.get(reverse("oparl:agenda_item", args=[held["closed"].pk])).json()
    assert item["public"] is False
    everything = "".join(
        client.get(url).content.decode()
        for url in (
            reverse("oparl:agenda_item", args=[held["closed"].pk]),
            reverse("oparl:meeting", args=[held["meeting"].pk]),
        )
    )
    assert "Kari Nordmann" not in everything
    # the public page of the approved minutes neither
    page = client.get(held["meeting"].get_absolute_url()).content.decode()
    assert PROPOSAL in page
    assert "Kari Nordmann" not in page
