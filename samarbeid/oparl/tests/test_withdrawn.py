"""OParl tombstones for what was public once and is not now: a meeting unpublished, planned
again or deleted after its notice answers on its own URL with its id, type, `deleted: true`
and times, and so do its agenda items; the lists with `modified_since` carry them as
deleted. The treatments of a withdrawn case go with it. What was never public stays a 404
and is never named. Every other address under /oparl/v1/ answers OParl's JSON 404."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import bearer
from samarbeid.arenas.tests.factories import CaseFactory, DecisionFactory
from samarbeid.audit.models import Channel
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.governance.models import Case
from samarbeid.meetings.models import AgendaItem, LegalBasis, Meeting, MeetingDocument
from samarbeid.meetings.services.meetings import (
    add_item,
    create_meeting,
    delete_meeting,
    update_meeting,
)
from samarbeid.meetings.services.notice import send_notice
from samarbeid.meetings.services.status import change_status
from samarbeid.oparl.tests.test_meetings import (
    _announced,
    _close,
    _doc,
    make_held,
    media_in_tmp,
)
from samarbeid.oparl.tests.test_oparl import check, check_page, get, world

pytestmark = pytest.mark.django_db
C = Channel.COMMAND
BASE = "http://testserver/oparl/v1/"
TOMBSTONE_KEYS = {"id", "type", "created", "modified", "deleted"}
# what a type's schema requires besides (an item's place in its agenda)
REQUIRED = {"AgendaItem": {"order"}}
__all__ = ["media_in_tmp", "world"]  # fixtures used here


@pytest.fixture
def held(secretariat: Any) -> dict[str, Any]:
    return make_held(secretariat)


def _body(client: Client, held: dict[str, Any]) -> dict[str, Any]:
    return get(client, reverse("oparl:body", args=[held["arena"].pk]))


def _deleted(client: Client, url: str, since: str) -> list[str]:
    return sorted(
        o["id"] for o in check_page(get(client, url, modified_since=since)) if o.get("deleted")
    )


def _tombstone(client: Client, url: str, type_name: str) -> dict[str, Any]:
    found = get(client, url)
    assert check(found) == type_name
    assert found["deleted"] is True
    # nothing of a withdrawn object is shown but what its schema requires
    assert set(found) == TOMBSTONE_KEYS | REQUIRED.get(type_name, set())
    return found


def _unpublish(meeting: Meeting, secretariat: Any, published: bool = False) -> None:
    meeting.refresh_from_db()
    update_meeting(
        meeting,
        {"published": published},
        expected_version=meeting.version,
        actor=secretariat,
        channel=C,
    )


def _since() -> str:
    return (timezone.now() - timedelta(seconds=1)).isoformat()


def test_an_unpublished_meeting_and_its_items_answer_and_are_listed_as_deleted(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    june = _announced(held, secretariat)
    meeting, item = june["meeting"], june["item"]
    meeting_url, item_url = f"{BASE}meeting/{meeting.pk}", f"{BASE}agendaItem/{item.pk}"
    assert check(get(client, meeting_url)) == "Meeting"
    since = _since()
    body = _body(client, held)
    board_meetings = f"{BASE}organization/body-{held['body'].pk}/meeting"
    assert _deleted(client, body["meeting"], since) == []
    _unpublish(meeting, secretariat)  # as the secretariat's PATCH {"published": false} does
    found = _tombstone(client, meeting_url, "Meeting")
    assert found["id"] == meeting_url
    assert _tombstone(client, item_url, "AgendaItem")["modified"] == found["modified"]
    assert _deleted(client, body["meeting"], since) == [meeting_url]
    assert _deleted(client, board_meetings, since) == [meeting_url]
    assert _deleted(client, body["agendaItem"], since) == [item_url]
    # never without modified_since, nor when asked after the withdrawal
    for part in ("meeting", "agendaItem"):
        plain = check_page(get(client, body[part]))
        assert all(not o.get("deleted") for o in plain)
        later = (timezone.now() + timedelta(minutes=1)).isoformat()
        assert _deleted(client, body[part], later) == []
    # published again, it is back as it was, and no longer listed as deleted
    _unpublish(meeting, secretariat, published=True)
    assert get(client, meeting_url)["name"] == str(meeting)
    assert get(client, item_url)["name"] == "Budsjett 2026"
    assert _deleted(client, body["meeting"], since) == []
    assert _deleted(client, body["agendaItem"], since) == []


def test_the_clerks_trial_unpublished_through_the_api(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    """The trial: a meeting with its notice sent and a public document, unpublished by the
    secretariat through the API; a harvester (no log-in) learns to drop it."""
    june = _announced(held, secretariat)
    meeting = june["meeting"]
    meeting.refresh_from_db()
    since = _since()
    response = client.patch(
        f"/api/v1/meetings/{meeting.pk}",
        {"version": meeting.version, "published": False},
        content_type="application/json",
        headers=bearer(secretariat),
    )
    assert response.status_code == 200, response.content
    client.logout()
    body = _body(client, held)
    gone = {
        "meeting": [f"{BASE}meeting/{meeting.pk}"],
        "agendaItem": [f"{BASE}agendaItem/{june['item'].pk}"],
        "file": sorted(f"{BASE}file/{june[key].pk}" for key in ("appendix", "notice")),
    }
    for part, urls in gone.items():
        assert _deleted(client, body[part], since) == urls
        for url in urls:
            assert get(client, url)["deleted"] is True


def test_a_meeting_planned_again_then_deleted_stays_a_tombstone_with_its_items(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    june = _announced(held, secretariat)
    meeting, item = june["meeting"], june["item"]
    urls = [f"{BASE}meeting/{meeting.pk}", f"{BASE}agendaItem/{item.pk}"]
    since = _since()
    for status in (Meeting.Status.CANCELLED, Meeting.Status.PLANNED):
        meeting.refresh_from_db()
        change_status(
            meeting, status, expected_version=meeting.version, actor=secretariat, channel=C
        )
    body = _body(client, held)
    assert _deleted(client, body["meeting"], since) == [urls[0]]
    assert _deleted(client, body["agendaItem"], since) == [urls[1]]
    withdrawn = _tombstone(client, urls[0], "Meeting")
    meeting.refresh_from_db()
    delete_meeting(meeting, expected_version=meeting.version, actor=secretariat, channel=C)
    # deleted while withdrawn: still the tombstone of when it left the public
    assert _tombstone(client, urls[0], "Meeting") == withdrawn
    assert _tombstone(client, urls[1], "AgendaItem")["modified"] == withdrawn["modified"]
    assert _deleted(client, body["meeting"], since) == [urls[0]]
    assert _deleted(client, body["agendaItem"], since) == [urls[1]]


def test_the_items_of_a_meeting_deleted_while_public_are_listed_as_deleted(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    june = _announced(held, secretariat)
    meeting, item = june["meeting"], june["item"]
    meeting.refresh_from_db()
    change_status(
        meeting, Meeting.Status.CANCELLED, expected_version=meeting.version, actor=secretariat,
        channel=C,
    )  # fmt: skip
    since = _since()
    meeting.refresh_from_db()
    delete_meeting(meeting, expected_version=meeting.version, actor=secretariat, channel=C)
    item_url = f"{BASE}agendaItem/{item.pk}"
    assert _deleted(client, _body(client, held)["agendaItem"], since) == [item_url]
    assert _tombstone(client, item_url, "AgendaItem")["id"] == item_url


def test_a_closed_item_stays_public_with_its_number_and_basis(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    june = _announced(held, secretariat)
    item = june["item"]
    since = _since()
    _close(item, LegalBasis.NEGOTIATING_POSITION, secretariat)
    found = get(client, f"{BASE}agendaItem/{item.pk}")
    assert check(found) == "AgendaItem"
    assert "deleted" not in found
    assert found["public"] is False
    assert found["number"] == item.number_label
    assert _deleted(client, _body(client, held)["agendaItem"], since) == []


def test_a_meeting_never_public_is_never_named(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    """Unpublished before its notice, then noticed: it was never public, and neither were
    its items; unpublished again or deleted, it stays a plain 404."""
    since = "2000-01-01T00:00:00+00:00"
    quiet = create_meeting(
        Meeting(body=held["body"], date=date(2025, 8, 1), start_time=time(9), place="Stiklestad"),
        actor=secretariat,
        channel=C,
    )
    item = add_item(
        AgendaItem(meeting=quiet, title="Lukket", position=1), actor=secretariat, channel=C
    )
    _unpublish(quiet, secretariat)
    quiet.refresh_from_db()
    send_notice(
        quiet, expected_version=quiet.version, actor=secretariat, channel=C, today=quiet.date
    )
    change_status(
        quiet, Meeting.Status.CANCELLED, expected_version=quiet.version, actor=secretariat,
        channel=C,
    )  # fmt: skip
    draft = held["draft"]  # planned, its notice never sent
    draft_item = add_item(
        AgendaItem(meeting=draft, title="Utkast", position=1), actor=secretariat, channel=C
    )
    urls = [
        f"{BASE}meeting/{quiet.pk}",
        f"{BASE}agendaItem/{item.pk}",
        f"{BASE}meeting/{draft.pk}",
        f"{BASE}agendaItem/{draft_item.pk}",
    ]
    draft.refresh_from_db()
    delete_meeting(draft, expected_version=draft.version, actor=secretariat, channel=C)
    assert not Meeting.objects.filter(pk__in=[quiet.pk]).filter(published=True).exists()
    body = _body(client, held)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"error": "not found"}
    assert _deleted(client, body["meeting"], since) == []
    assert _deleted(client, body["agendaItem"], since) == []


def test_a_file_of_a_meeting_never_public_is_never_named(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    """Unpublished before its notice, given a file, cancelled and planned again: its file
    was never public, whatever changed after it came."""
    quiet = create_meeting(
        Meeting(body=held["body"], date=date(2025, 8, 2), start_time=time(9), place="Verdal"),
        actor=secretariat,
        channel=C,
    )
    add_item(AgendaItem(meeting=quiet, title="Intern", position=1), actor=secretariat, channel=C)
    _unpublish(quiet, secretariat)
    quiet.refresh_from_db()
    send_notice(
        quiet, expected_version=quiet.version, actor=secretariat, channel=C, today=quiet.date
    )
    quiet.refresh_from_db()
    document = _doc(quiet, "Notat", MeetingDocument.Kind.APPENDIX, secretariat)
    url = f"{BASE}file/{document.pk}"
    for status in (Meeting.Status.CANCELLED, Meeting.Status.PLANNED):
        quiet.refresh_from_db()
        change_status(quiet, status, expected_version=quiet.version, actor=secretariat, channel=C)
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"error": "not found"}
    assert _deleted(client, _body(client, held)["file"], "2000-01-01T00:00:00+00:00") == []


def test_the_treatments_of_a_withdrawn_case_answer_and_are_listed_as_deleted(
    client: Client, world: dict[str, Any], secretariat: Any
) -> None:
    case, arena = world["case"], world["arena"]
    urls = sorted(f"{BASE}consultation/{world[key].pk}" for key in ("council", "board"))
    consultations = reverse("oparl:consultation_list", args=[arena.pk])
    since = _since()
    assert _deleted(client, consultations, since) == []
    update_record(
        case, {"published": False}, expected_version=case.version, actor=secretariat, channel=C
    )
    assert _deleted(client, consultations, since) == urls
    paper = get(client, f"{BASE}paper/{case.pk}")
    for url in urls:
        assert _tombstone(client, url, "Consultation")["modified"] == paper["modified"]
    assert check_page(get(client, consultations)) == []
    # a treatment of a case never published is never named
    hidden_case = Case.objects.get(title="Intern sak")
    never = create_record(DecisionFactory.build(case=hidden_case), actor=secretariat, channel=C)
    assert client.get(f"{BASE}consultation/{never.pk}").status_code == 404
    assert f"{BASE}consultation/{never.pk}" not in _deleted(client, consultations, since)
    # published again, they are back
    case.refresh_from_db()
    update_record(
        case, {"published": True}, expected_version=case.version, actor=secretariat, channel=C
    )
    assert _deleted(client, consultations, since) == []
    assert check(get(client, urls[0])) == "Consultation"


def test_a_treatment_deleted_is_named_only_if_its_case_was_public(
    client: Client, world: dict[str, Any], secretariat: Any
) -> None:
    consultations = reverse("oparl:consultation_list", args=[world["arena"].pk])
    hidden_case = Case.objects.get(title="Intern sak")
    never = create_record(DecisionFactory.build(case=hidden_case), actor=secretariat, channel=C)
    since = _since()
    council = world["council"]
    urls = [f"{BASE}consultation/{pk}" for pk in (council.pk, never.pk)]
    for decision in (council, never):
        delete_record(decision, actor=secretariat, channel=C)
    assert _deleted(client, consultations, since) == [urls[0]]
    assert _tombstone(client, urls[0], "Consultation")["id"] == urls[0]
    assert client.get(urls[1]).status_code == 404
    # the case published afterwards: its treatment deleted before was never public
    hidden_case.refresh_from_db()
    update_record(
        hidden_case,
        {"published": True},
        expected_version=hidden_case.version,
        actor=secretariat,
        channel=C,
    )
    assert client.get(urls[1]).status_code == 404
    assert _deleted(client, consultations, since) == [urls[0]]


@pytest.mark.parametrize(
    "path",
    [
        "body/abc",
        "body/abc/paper",
        "body/1x/meeting",
        "meeting/abc",
        "agendaItem/x",
        "paper/1.5",
        "consultation/-1",
        "file/abc",
        "membership/abc",
        "meeting/abc/invitation",
        "organization/body-x/meeting",
        "nonsense",
        "body/1/paper/extra",
    ],
)
def test_every_address_under_oparl_answers_its_json_404(client: Client, path: str) -> None:
    response = client.get(f"/oparl/v1/{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {"error": "not found"}
    assert client.post(f"/oparl/v1/{path}").status_code == 405  # read only, as everywhere


def _counted(client: Client, url: str, since: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        page = get(client, url, modified_since=since)
    return len(queries), len([o for o in page["data"] if o.get("deleted")])


def test_lists_with_withdrawn_meetings_run_a_bounded_number_of_queries(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    body = _body(client, held)
    arena = held["arena"]
    consultations = reverse("oparl:consultation_list", args=[arena.pk])
    since = "2000-01-01T00:00:00+00:00"  # the live ones too, with their items and files

    def withdraw(n: int) -> None:
        """`n` meetings unpublished after their notice, and `n` cases with a treatment."""
        for _n in range(n):
            _unpublish(_announced(held, secretariat)["meeting"], secretariat)
            case = create_record(
                CaseFactory.build(arena=arena, title="Ny sak", published=True),
                actor=secretariat,
                channel=C,
            )
            create_record(DecisionFactory.build(case=case), actor=secretariat, channel=C)
            update_record(
                case,
                {"published": False},
                expected_version=case.version,
                actor=secretariat,
                channel=C,
            )

    lists = {"meeting": body["meeting"], "agendaItem": body["agendaItem"]}
    lists["consultation"] = consultations
    withdraw(1)
    first = {part: _counted(client, url, since) for part, url in lists.items()}
    withdraw(3)
    second = {part: _counted(client, url, since) for part, url in lists.items()}
    for part, (queries, deleted) in second.items():
        assert deleted == 4 * first[part][1], part
        assert deleted >= 4, part
        assert queries == first[part][0], part  # more withdrawn, not more queries
    assert second["meeting"][0] <= 8
    assert second["agendaItem"][0] <= 8
    assert second["consultation"][0] <= 7
