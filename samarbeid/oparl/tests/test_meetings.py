"""OParl 1.1 from the meetings app: bodies as organizations with their memberships,
announced meetings with their agenda and files, agenda items linked to their case's
consultation and back; closed items show their title and basis only, never their files;
meetings whose notice is not sent are not published. Every object validates against the
shipped schemas and the lists run a bounded number of queries."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory, MembershipFactory
from samarbeid.audit.models import Channel
from samarbeid.core.services import create_record
from samarbeid.meetings.models import (
    AgendaItem,
    Body,
    BodyMember,
    LegalBasis,
    Meeting,
    MeetingDocument,
)
from samarbeid.meetings.services.attendance import set_attendance
from samarbeid.meetings.services.bodies import add_member, create_body
from samarbeid.meetings.services.documents import add_document, delete_document
from samarbeid.meetings.services.meetings import (
    add_item,
    create_meeting,
    delete_meeting,
    update_item,
    update_meeting,
)
from samarbeid.meetings.services.minutes import approve_minutes, write_item_minutes
from samarbeid.meetings.services.notice import send_notice
from samarbeid.meetings.services.status import change_status
from samarbeid.oparl.tests.test_oparl import check, check_page, get
from samarbeid.registry.models import Municipality

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% Samarbeid\n"
C = Channel.COMMAND


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _doc(meeting: Meeting, title: str, kind: str, actor: Any, item: Any = None) -> Any:
    document = MeetingDocument(
        meeting=meeting, item=item, title=title, kind=kind, date=meeting.date
    )
    return add_document(document, SimpleUploadedFile(f"{title}.pdf", PDF), actor=actor, channel=C)


@pytest.fixture
def held(secretariat: Any) -> dict[str, Any]:
    return make_held(secretariat)


def make_held(secretariat: Any) -> dict[str, Any]:
    """A published arena's mayors' meeting, held with approved minutes: an open item on a
    public case with a file, a closed item with a file, the notice and the minutes; and a
    planned meeting whose notice is not sent."""
    arena = create_record(
        ArenaFactory.build(name="Innherred samkommune", short_name="ISK", published=True),
        actor=secretariat,
        channel=C,
    )
    case = create_record(
        CaseFactory.build(arena=arena, title="Mandat for ISK 2", published=True),
        actor=secretariat,
        channel=C,
    )
    levanger = Municipality.objects.valid_on(date(2025, 1, 1)).get(name="Levanger")
    # a body seats the arena's members: Levanger is one since 2018 (its number since then)
    MembershipFactory(arena=arena, municipality=levanger, joined=date(2018, 1, 1))
    body = create_body(
        Body(arena=arena, kind=Body.Kind.JOINT_BOARD, name="Samkommunestyret"),
        actor=secretariat,
        channel=C,
    )
    seat = add_member(
        BodyMember(
            body=body,
            # Levanger as numbered since 2018 (5037): a seat ends with its municipality, so
            # the 2007 Levanger (1719) does not sit in the meeting of 2025
            municipality=levanger,
            person="Ola Ordfører",
            role=BodyMember.Role.LEADER,
            valid_from=date(2018, 1, 1),
        ),
        actor=secretariat,
        channel=C,
    )
    meeting = create_meeting(
        Meeting(body=body, date=date(2025, 5, 3), start_time=time(10), place="Steinkjer"),
        actor=secretariat,
        channel=C,
    )
    open_item = add_item(
        AgendaItem(meeting=meeting, title="Mandat for ISK 2", case=case, position=1),
        actor=secretariat,
        channel=C,
    )
    closed_item = add_item(
        AgendaItem(
            meeting=meeting,
            title="Ansettelse av rådmann",
            description="Søkerlisten",
            position=2,
            closed=True,
            legal_basis=LegalBasis.DUTY_OF_CONFIDENTIALITY,
            closed_reason="Personopplysninger",
        ),
        actor=secretariat,
        channel=C,
    )
    send_notice(
        meeting, expected_version=meeting.version, actor=secretariat, channel=C, today=meeting.date
    )
    notice = _doc(meeting, "Innkalling", MeetingDocument.Kind.NOTICE, secretariat)
    paper = _doc(
        meeting, "Saksframlegg", MeetingDocument.Kind.CASE_PRESENTATION, secretariat, open_item
    )
    secret = _doc(meeting, "Søkerliste", MeetingDocument.Kind.APPENDIX, secretariat, closed_item)
    meeting.refresh_from_db()
    change_status(
        meeting, Meeting.Status.HELD, expected_version=meeting.version, actor=secretariat, channel=C
    )
    set_attendance(meeting, [seat], actor=secretariat, channel=C)
    for item, text in ((open_item, "Mandatet vedtas."), (closed_item, "Kari ansettes.")):
        item.refresh_from_db()
        write_item_minutes(
            item,
            {"treatment": "Drøftet", "decision_text": text, "outcome": "adopted"},
            expected_version=item.version,
            actor=secretariat,
            channel=C,
        )
    meeting.refresh_from_db()
    minutes = _doc(meeting, "Protokoll", MeetingDocument.Kind.MINUTES, secretariat)
    approve_minutes(
        meeting,
        approved_on=date(2025, 5, 10),
        approved_by="Møteleder",
        expected_version=meeting.version,
        actor=secretariat,
        channel=C,
    )
    draft = create_meeting(
        Meeting(body=body, date=date(2025, 9, 1), start_time=time(10), place="Levanger"),
        actor=secretariat,
        channel=C,
    )
    open_item.refresh_from_db()
    return {
        "arena": arena,
        "body": body,
        "seat": seat,
        "case": case,
        "meeting": meeting,
        "draft": draft,
        "open": open_item,
        "closed": closed_item,
        "notice": notice,
        "paper": paper,
        "secret": secret,
        "minutes": minutes,
    }


def _body(client: Client, held: dict[str, Any]) -> dict[str, Any]:
    return get(client, reverse("oparl:body", args=[held["arena"].pk]))


def test_meetings_items_and_files_are_published_and_validate(
    client: Client, held: dict[str, Any]
) -> None:
    body = _body(client, held)
    meetings = check_page(get(client, body["meeting"]))
    assert [m["id"].rsplit("/", 1)[1] for m in meetings] == [str(held["meeting"].pk)]
    meeting = meetings[0]
    assert get(client, meeting["id"]) == meeting
    assert meeting["cancelled"] is False
    assert meeting["invitation"]["name"] == "Innkalling"
    assert meeting["resultsProtocol"]["name"] == "Protokoll"
    [organization] = meeting["organization"]
    assert organization.endswith(f"organization/body-{held['body'].pk}")
    items = meeting["agendaItem"]
    assert [i["name"] for i in items] == ["Mandat for ISK 2", "Ansettelse av rådmann"]
    assert items[0]["number"] == "1/25"
    assert items[0]["resolutionText"] == "Mandatet vedtas."
    assert [f["name"] for f in items[0]["auxiliaryFile"]] == ["Saksframlegg"]
    for part in ("agendaItem", "file"):
        listed = check_page(get(client, body[part]))
        for obj in listed:
            assert check(get(client, obj["id"])) == obj["type"].rsplit("/", 1)[1]
    files = check_page(get(client, body["file"]))
    assert sorted(f["name"] for f in files) == ["Innkalling", "Protokoll", "Saksframlegg"]
    for found in files:  # the file itself is served to the public
        response = client.get(found["accessUrl"])
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF


def test_a_closed_item_shows_title_and_basis_only(client: Client, held: dict[str, Any]) -> None:
    item = get(client, reverse("oparl:agenda_item", args=[held["closed"].pk]))
    check(item)
    assert item["public"] is False
    assert item["name"] == "Ansettelse av rådmann"
    assert item["keyword"] == ["offl. § 13 jf. fvl. § 13 (taushetsplikt)"]
    for withheld in ("resolutionText", "result", "auxiliaryFile", "consultation"):
        assert withheld not in item
    body = _body(client, held)
    everything = str([get(client, body[p]) for p in ("meeting", "agendaItem", "file")])
    assert "Søkerliste" not in everything
    assert "Kari ansettes" not in everything
    assert "Personopplysninger" not in everything
    assert client.get(reverse("oparl:file", args=[held["secret"].pk])).status_code == 404


def test_a_meeting_whose_notice_is_not_sent_is_not_published(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    draft = held["draft"]
    assert client.get(reverse("oparl:meeting", args=[draft.pk])).status_code == 404
    add_item(AgendaItem(meeting=draft, title="Budsjett", position=1), actor=secretariat, channel=C)
    body = _body(client, held)
    assert len(get(client, body["meeting"])["data"]) == 1
    assert "Budsjett" not in str(get(client, body["agendaItem"]))
    send_notice(
        draft, expected_version=draft.version, actor=secretariat, channel=C, today=draft.date
    )
    assert len(get(client, body["meeting"])["data"]) == 2
    check(get(client, reverse("oparl:meeting", args=[draft.pk])))


def test_agenda_item_and_consultation_link_both_ways(client: Client, held: dict[str, Any]) -> None:
    item = get(client, reverse("oparl:agenda_item", args=[held["open"].pk]))
    consultation = get(client, item["consultation"])
    check(consultation)
    assert consultation["agendaItem"] == item["id"]
    assert consultation["meeting"] == item["meeting"]
    paper = get(client, consultation["paper"])
    assert item["consultation"] in [c["id"] for c in paper["consultation"]]


def test_bodies_are_organizations_with_memberships_and_meetings(
    client: Client, held: dict[str, Any]
) -> None:
    body = _body(client, held)
    organizations = check_page(get(client, body["organization"]))
    board = next(o for o in organizations if o["name"] == "Samkommunestyret")
    assert board["subOrganizationOf"].endswith(f"organization/arena-{held['arena'].pk}")
    assert get(client, board["id"]) == board
    [membership] = board["membership"]
    found = get(client, membership)
    check(found)
    assert found["organization"] == board["id"]
    assert "Ola Ordfører" in found["role"]
    meetings = check_page(get(client, board["meeting"]))
    assert [m["id"] for m in meetings] == [
        m["id"] for m in check_page(get(client, body["meeting"]))
    ]


def test_unpublished_arena_or_meeting_is_not_published(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    meeting = held["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(published=False)
    assert client.get(reverse("oparl:meeting", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("oparl:file", args=[held["paper"].pk])).status_code == 404
    assert client.get(reverse("oparl:agenda_item", args=[held["open"].pk])).status_code == 404


def test_meeting_lists_filter_by_modified_since(client: Client, held: dict[str, Any]) -> None:
    body = _body(client, held)
    later = timezone.now() + timezone.timedelta(minutes=1)
    for part in ("meeting", "agendaItem", "file"):
        assert get(client, body[part], modified_since=later.isoformat())["data"] == []
        assert get(client, body[part], modified_since="2000-01-01T00:00:00+00:00")["data"]
        page = get(client, body[part], limit=1)
        assert page["pagination"]["elementsPerPage"] == 1


def test_meeting_lists_run_a_bounded_number_of_queries(
    client: Client, held: dict[str, Any], secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    body = _body(client, held)
    for n in range(5):  # more meetings with items and files do not cost more queries
        more = create_meeting(
            Meeting(body=held["body"], date=date(2025, 6, 1 + n), start_time=time(9), place="X"),
            actor=secretariat,
            channel=C,
        )
        add_item(
            AgendaItem(meeting=more, title=f"Sak {n}", position=1), actor=secretariat, channel=C
        )
        send_notice(
            more, expected_version=more.version, actor=secretariat, channel=C, today=more.date
        )
        _doc(more, f"Innkalling {n}", MeetingDocument.Kind.NOTICE, secretariat)
    for part in ("meeting", "agendaItem", "file", "organization"):
        with django_assert_max_num_queries(8):
            assert get(client, body[part])["data"]


def test_a_cancelled_meeting_stays_and_once_deleted_is_listed_as_deleted(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    draft = held["draft"]
    add_item(AgendaItem(meeting=draft, title="Budsjett", position=1), actor=secretariat, channel=C)
    send_notice(
        draft, expected_version=draft.version, actor=secretariat, channel=C, today=draft.date
    )
    draft.refresh_from_db()
    change_status(
        draft, Meeting.Status.CANCELLED, expected_version=draft.version, actor=secretariat,
        channel=C,
    )  # fmt: skip
    url = reverse("oparl:meeting", args=[draft.pk])
    found = get(client, url)
    check(found)
    assert found["cancelled"] is True
    since = timezone.now().isoformat()
    draft.refresh_from_db()
    delete_meeting(draft, expected_version=draft.version, actor=secretariat, channel=C)
    tombstone = get(client, url)
    check(tombstone)
    assert tombstone["deleted"] is True
    body = _body(client, held)
    listed = get(client, body["meeting"], modified_since=since)["data"]
    assert [m["id"] for m in listed if m.get("deleted")] == [found["id"]]
    assert all(not m.get("deleted") for m in get(client, body["meeting"])["data"])


def _announced(held: dict[str, Any], secretariat: Any) -> dict[str, Any]:
    """A second meeting of the body, its notice sent: an item with a file, and the notice."""
    meeting = create_meeting(
        Meeting(body=held["body"], date=date(2025, 6, 14), start_time=time(9), place="Verdal"),
        actor=secretariat,
        channel=C,
    )
    item = add_item(
        AgendaItem(meeting=meeting, title="Budsjett 2026", position=1),
        actor=secretariat,
        channel=C,
    )
    send_notice(
        meeting, expected_version=meeting.version, actor=secretariat, channel=C, today=meeting.date
    )
    meeting.refresh_from_db()
    item.refresh_from_db()
    appendix = _doc(meeting, "Budsjettforslag", MeetingDocument.Kind.APPENDIX, secretariat, item)
    notice = _doc(meeting, "Innkalling juni", MeetingDocument.Kind.NOTICE, secretariat)
    return {"meeting": meeting, "item": item, "appendix": appendix, "notice": notice}


def _close(item: AgendaItem, basis: str, secretariat: Any) -> None:
    """Close `item` to the public on `basis`, through the service."""
    update_item(
        item,
        {"closed": True, "legal_basis": basis},
        expected_version=item.version,
        actor=secretariat,
        channel=C,
    )


def _deleted_files(client: Client, held: dict[str, Any], since: str) -> list[str]:
    listed = check_page(get(client, _body(client, held)["file"], modified_since=since))
    return sorted(f["id"] for f in listed if f.get("deleted"))


def _file_url(document: MeetingDocument) -> str:
    return f"http://testserver{reverse('oparl:file', args=[document.pk])}"


def test_a_deleted_file_is_listed_as_deleted_with_modified_since(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    june = _announced(held, secretariat)
    appendix = june["appendix"]
    url = _file_url(appendix)
    assert check(get(client, url)) == "File"
    since = timezone.now().isoformat()
    assert _deleted_files(client, held, since) == []
    delete_document(appendix, expected_version=appendix.version, actor=secretariat, channel=C)
    assert _deleted_files(client, held, since) == [url]
    tombstone = get(client, url)
    assert check(tombstone) == "File"
    assert tombstone["deleted"] is True
    assert {"id", "type", "accessUrl", "created", "modified", "deleted"} == set(tombstone)
    assert client.get(tombstone["accessUrl"]).status_code == 404
    # never without modified_since, nor when asked after the deletion
    plain = check_page(get(client, _body(client, held)["file"]))
    assert url not in [f["id"] for f in plain]
    assert all(not f.get("deleted") for f in plain)
    later = (timezone.now() + timezone.timedelta(minutes=1)).isoformat()
    assert _deleted_files(client, held, later) == []


def test_a_file_of_an_item_closed_since_is_listed_as_deleted(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    june = _announced(held, secretariat)
    item, url = june["item"], _file_url(june["appendix"])
    since = timezone.now().isoformat()
    _close(item, LegalBasis.NEGOTIATING_POSITION, secretariat)
    assert _deleted_files(client, held, since) == [url]
    tombstone = get(client, url)
    assert check(tombstone) == "File"
    assert tombstone["deleted"] is True
    assert "name" not in tombstone  # nothing of a withdrawn file is shown
    # a file that was never public (the closed item's from the start) is not named
    assert _file_url(held["secret"]) not in _deleted_files(client, held, "2000-01-01T00:00:00")
    assert client.get(_file_url(held["secret"])).status_code == 404


def test_the_files_of_a_deleted_meeting_are_listed_as_deleted(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    june = _announced(held, secretariat)
    meeting = june["meeting"]
    urls = sorted(_file_url(june[key]) for key in ("appendix", "notice"))
    change_status(
        meeting, Meeting.Status.CANCELLED, expected_version=meeting.version, actor=secretariat,
        channel=C,
    )  # fmt: skip
    # cancelled after its notice, the meeting stays (cancelled: true) and so do its files
    listed = [f["id"] for f in check_page(get(client, _body(client, held)["file"]))]
    assert set(urls) <= set(listed)
    since = timezone.now().isoformat()
    meeting.refresh_from_db()
    delete_meeting(meeting, expected_version=meeting.version, actor=secretariat, channel=C)
    assert _deleted_files(client, held, since) == urls
    for url in urls:
        assert get(client, url)["deleted"] is True


def test_a_file_deleted_before_its_notice_was_never_public_and_is_not_named(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    draft = held["draft"]
    since = timezone.now().isoformat()
    plan = _doc(draft, "Utkast", MeetingDocument.Kind.APPENDIX, secretariat)
    url = _file_url(plan)
    delete_document(plan, expected_version=plan.version, actor=secretariat, channel=C)
    assert _deleted_files(client, held, since) == []
    assert client.get(url).status_code == 404


def test_the_file_list_with_deletions_runs_a_bounded_number_of_queries(
    client: Client, held: dict[str, Any], secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    since = timezone.now().isoformat()
    for _n in range(3):
        june = _announced(held, secretariat)
        notice = june["notice"]
        delete_document(notice, expected_version=notice.version, actor=secretariat, channel=C)
        _close(june["item"], LegalBasis.INTERNAL_DOCUMENT, secretariat)
    url = _body(client, held)["file"]
    with django_assert_max_num_queries(12):
        page = get(client, url, modified_since=since)
    assert len([f for f in page["data"] if f.get("deleted")]) == 6


def test_the_files_of_a_meeting_unpublished_or_planned_again_are_listed_as_deleted(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    june, july = _announced(held, secretariat), _announced(held, secretariat)
    since = timezone.now().isoformat()
    unpublished = june["meeting"]
    update_meeting(
        unpublished,
        {"published": False},
        expected_version=unpublished.version,
        actor=secretariat,
        channel=C,
    )
    again = july["meeting"]
    for status in (Meeting.Status.CANCELLED, Meeting.Status.PLANNED):
        again.refresh_from_db()
        change_status(again, status, expected_version=again.version, actor=secretariat, channel=C)
    expected = sorted(_file_url(m[key]) for m in (june, july) for key in ("appendix", "notice"))
    assert _deleted_files(client, held, since) == expected
    for url in expected:
        assert check(get(client, url)) == "File"
    # published again, the files are back (and not deleted)
    unpublished.refresh_from_db()
    update_meeting(
        unpublished,
        {"published": True},
        expected_version=unpublished.version,
        actor=secretariat,
        channel=C,
    )
    assert get(client, _file_url(june["notice"]))["name"] == "Innkalling juni"
    assert _file_url(june["notice"]) not in _deleted_files(client, held, since)


def test_without_uploads_the_printed_notice_and_minutes_are_the_meetings_files(
    client: Client, held: dict[str, Any], secretariat: Any
) -> None:
    MeetingDocument.objects.filter(pk__in=[held["notice"].pk, held["minutes"].pk]).delete()
    meeting = get(client, reverse("oparl:meeting", args=[held["meeting"].pk]))
    check(meeting)
    invitation, protocol = meeting["invitation"], meeting["resultsProtocol"]
    assert invitation["accessUrl"].endswith(
        reverse("meetings:notice_pdf", args=[held["meeting"].pk])
    )
    assert protocol["accessUrl"].endswith(
        reverse("meetings:minutes_pdf", args=[held["meeting"].pk])
    )
    assert protocol["date"] == "2025-05-10"  # the minutes' approval
    for found in (invitation, protocol):
        assert get(client, found["id"]) == found  # each File has its own address
        assert check(found) == "File"
        response = client.get(found["accessUrl"])  # the public gets the PDF
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
    # a meeting whose notice is sent but whose minutes are not approved: invitation only
    draft = held["draft"]
    add_item(
        AgendaItem(meeting=draft, title="Orientering", position=1), actor=secretariat, channel=C
    )
    draft.refresh_from_db()
    send_notice(
        draft, expected_version=draft.version, actor=secretariat, channel=C, today=draft.date
    )
    noticed = get(client, reverse("oparl:meeting", args=[draft.pk]))
    check(noticed)
    assert noticed["invitation"]["id"].endswith(f"meeting/{draft.pk}/invitation")
    assert "resultsProtocol" not in noticed
    missing = client.get(reverse("oparl:meeting_results_protocol", args=[draft.pk]))
    assert missing.status_code == 404
