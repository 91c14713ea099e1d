"""The arena's extract from governance records validates against Arkivverket's schemas;
the command writes it with its files; the page gives it to the secretariat only."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from lxml import etree

from conftest import login
from samarbeid.archive.documents import case_summary_html, case_summary_pdf
from samarbeid.archive.extract import (
    AttachedFile,
    MeetingItem,
    MeetingRecord,
    build_extract,
)
from samarbeid.arenas.tests.factories import ArenaFactory, CaseFactory, DecisionFactory
from samarbeid.governance.models import Decision
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import finish
from samarbeid.lib import noark5_xml as n5x

pytestmark = pytest.mark.django_db
NS = {"n": n5x.NS}


def fake_pdf(case: Any) -> bytes:
    return f"%PDF-1.4 sak {case.pk}".encode()


def _joint_board(case: Any, day: date, **fields: Any) -> Any:
    """The joint board's («Samkommunestyret») decision on `case` of its arena on `day`."""
    return DecisionFactory(
        case=case,
        body=Decision.Body.ARENA_BOARD,
        municipality=None,
        arena=case.arena,
        body_name="Samkommunestyret",
        meeting_date=day,
        **fields,
    )


@pytest.fixture
def isk() -> Any:
    arena = ArenaFactory(name="Innherred samkommune", short_name="ISK")
    done = CaseFactory(arena=arena, title="Mandat for ISK 2 & «æøå» <ny>", opened=date(2007, 4, 2))
    DecisionFactory(case=done, meeting_date=date(2007, 5, 9), case_number="12/07")
    _joint_board(done, date(2007, 5, 3), text="Mandatet vedtas.")
    pending = CaseFactory(arena=arena, title="Ikke ferdig", opened=date(2007, 6, 1))
    DecisionFactory(case=pending, outcome="", meeting_date=None)
    CaseFactory(arena=arena, title="Utenfor perioden", opened=date(2008, 1, 5))
    CaseFactory(title="Annen arena", opened=date(2007, 3, 1))
    return arena


def test_the_extract_holds_the_concluded_cases_of_the_period(isk: Any) -> None:
    extract = build_extract(isk, date(2007, 1, 1), date(2007, 12, 31), by="kari", summary=fake_pdf)
    assert [c.title for c in extract.cases] == ["Mandat for ISK 2 & «æøå» <ny>"]
    assert [c.title for c in extract.left_out] == ["Ikke ferdig"]
    xml = n5x.arkivstruktur_xml(extract.archive)
    assert n5x.validation_errors(xml) == []
    root = etree.fromstring(xml)
    folder = root.find(".//n:mappe", NS)
    assert folder.findtext("n:tittel", namespaces=NS) == "Mandat for ISK 2 & «æøå» <ny>"
    assert folder.findtext("n:saksstatus", namespaces=NS) == "Avsluttet"
    # closed on the day of its last treatment
    assert folder.findtext("n:avsluttetDato", namespaces=NS).startswith("2007-05-09")
    registrations = folder.findall("n:registrering", NS)
    assert len(registrations) == 3  # the journal entry and two treatments
    assert "Mandatet vedtas." in "".join(r.findtext("n:beskrivelse", "", NS) for r in registrations)


def test_the_extract_can_be_empty_and_still_valid(isk: Any) -> None:
    extract = build_extract(isk, date(2001, 1, 1), date(2001, 12, 31), by="kari", summary=fake_pdf)
    assert extract.cases == []
    assert n5x.validation_errors(n5x.arkivstruktur_xml(extract.archive)) == []


def test_a_meeting_fed_through_the_seam_is_a_moetemappe(isk: Any) -> None:
    made = datetime(2007, 4, 20, 9, 0, tzinfo=UTC)
    minutes = AttachedFile("minutes-1", "Protokoll", "protokoll-1.pdf", b"%PDF-1.4 p", made)
    meeting = MeetingRecord(
        key="meeting-1",
        body_name="Samkommunestyret",
        number="3/07",
        day=date(2007, 5, 3),
        created=made,
        place="Levanger",
        participants=[("Levanger kommune", "medlem"), ("Verdal kommune", "medlem")],
        items=[
            MeetingItem("Sak 12/07", "Mandat for ISK 2"),
            MeetingItem("Sak 13/07", "Personalsak", closed_basis="offl. § 13 jf. fvl. § 13"),
        ],
        minutes=minutes,
    )
    extract = build_extract(
        isk, date(2007, 1, 1), date(2007, 12, 31), by="kari", summary=fake_pdf, meetings=[meeting]
    )
    xml = n5x.arkivstruktur_xml(extract.archive)
    assert n5x.validation_errors(xml) == []
    root = etree.fromstring(xml)
    folders = root.findall(".//n:mappe", NS)
    meeting_folder = folders[-1]
    assert meeting_folder.get(f"{{{n5x.XSI}}}type") == "moetemappe"
    assert meeting_folder.findtext("n:utvalg", namespaces=NS) == "Samkommunestyret"
    titles = [r.findtext("n:offentligTittel", "", NS) for r in meeting_folder]
    assert "Sak 13/07 offl. § 13 jf. fvl. § 13" in titles


def test_the_summary_says_it_is_generated(isk: Any) -> None:
    case = build_extract(
        isk, date(2007, 1, 1), date(2007, 12, 31), by="kari", summary=fake_pdf
    ).cases[0]
    html = case_summary_html(case)
    assert "ikke det opprinnelige saksframlegget" in html
    assert "Samkommunestyret" in html
    assert case_summary_pdf(case).startswith(b"%PDF")


def test_the_command_writes_the_extract_with_checksums(isk: Any, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command(
        "archive_extract",
        "--arena", "isk", "--from", "2007-01-01", "--to", "2007-12-31",
        "--out", str(tmp_path / "uttrekk"),
        stdout=out,
    )  # fmt: skip
    assert "Left out (still under treatment)" in out.getvalue()
    structure = tmp_path / "uttrekk" / "arkivstruktur.xml"
    assert n5x.validation_errors(structure.read_bytes()) == []
    root = etree.parse(str(structure)).getroot()
    for obj in root.iterfind(".//n:dokumentobjekt", NS):
        file = tmp_path / "uttrekk" / obj.findtext("n:referanseDokumentfil", namespaces=NS)
        assert file.read_bytes().startswith(b"%PDF")
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        assert obj.findtext("n:sjekksum", namespaces=NS) == digest


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--arena", "NOPE"], "arena"),
        (["--arena", "ISK", "--from", "2007-12-31", "--to", "2007-01-01"], "end"),
        (["--arena", "ISK", "--from", "2001-01-01", "--to", "2001-12-31"], "tomt"),
    ],
)
def test_the_command_refuses_a_bad_choice(isk: Any, tmp_path: Path, args: list, words: str) -> None:
    base = {"--arena": "ISK", "--from": "2007-01-01", "--to": "2007-12-31"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [x for pair in base.items() for x in pair]
    with pytest.raises(CommandError, match=words):
        call_command("archive_extract", *argv, "--out", str(tmp_path / "u"))
    assert not (tmp_path / "u").exists()


def test_the_secretariat_makes_the_zip_as_a_task(
    client: Client, secretariat: Any, isk: Any
) -> None:
    login(client, secretariat)
    page = client.get(reverse("archive:extract_page"), {"arena": "ISK"})
    assert page.status_code == 200
    assert "Arkivuttrekk" in page.content.decode()
    assert f'<option value="{isk.pk}" selected>' in page.content.decode()
    assert f'action="{reverse("archive:extract_start")}"' in page.content.decode()
    response = client.post(
        reverse("archive:extract_start"),
        {"arena": str(isk.pk), "start": "2007-01-01", "end": "2007-12-31"},
    )
    job = finish(response)  # the real worker runs the task
    assert job.status == Job.Status.DONE, job.error
    assert job.arena == isk
    assert job.message == (
        "Uttrekket er klart: 1 sak og 0 møter. 1 sak er fortsatt til behandling og er ikke med."
    )
    progress = client.get(response["Location"])
    assert progress.status_code == 200
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as bundle:
        names = bundle.namelist()
        structure = next(n for n in names if n.endswith("/arkivstruktur.xml"))
        assert n5x.validation_errors(bundle.read(structure)) == []
        assert any(n.endswith("-sammendrag.pdf") for n in names)


def test_the_result_is_said_in_the_users_language(
    client: Client, secretariat: Any, isk: Any
) -> None:
    login(client, secretariat)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("archive:extract_start"),
        {"arena": str(isk.pk), "start": "2007-01-01", "end": "2007-12-31"},
    )
    job = finish(response)
    assert job.status == Job.Status.DONE, job.error
    assert job.message == (
        "The extract is ready: 1 case and 0 meetings. "
        "1 case is still under treatment and is not included."
    )


def test_a_period_with_nothing_to_archive_is_told_on_the_form(
    client: Client, secretariat: Any, isk: Any
) -> None:
    login(client, secretariat)
    response = client.post(
        reverse("archive:extract_start"),
        {"arena": str(isk.pk), "start": "2001-01-01", "end": "2001-12-31"},
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "har ingen avsluttede saker og ingen møter med godkjent protokoll" in text
    assert "Uttrekket ville vært tomt" in text
    assert not Job.objects.exists()


def test_a_case_keeps_only_the_treatments_of_the_period(isk: Any) -> None:
    later = CaseFactory(arena=isk, title="Over to år", opened=date(2007, 9, 1))
    DecisionFactory(case=later, meeting_date=date(2007, 10, 1), case_number="20/07")
    DecisionFactory(case=later, meeting_date=date(2008, 2, 1), case_number="3/08")
    extract = build_extract(isk, date(2007, 1, 1), date(2007, 12, 31), by="k", summary=fake_pdf)
    [folder] = [f for f in extract.archive.parts[0].folders if f.title == "Over to år"]
    numbers = [r.registration_id for r in folder.registrations if r.registration_id]
    assert numbers == ["20/07"]


def test_a_bad_period_is_shown_again(client: Client, secretariat: Any, isk: Any) -> None:
    login(client, secretariat)
    for odd in ("²", "9" * 40, "NOPE", "ISK", "999999"):
        query = {"arena": odd, "start": "2007-01-01", "end": "2007-12-31"}
        response = client.post(reverse("archive:extract_start"), query)
        assert response.status_code == 422, odd
        assert "Velg en av arenaene i listen" in response.content.decode()
    response = client.post(
        reverse("archive:extract_start"),
        {"arena": str(isk.pk), "start": "2007-12-31", "end": "2007-01-01"},
    )
    assert response.status_code == 422
    assert "kan ikke være før" in response.content.decode()
    assert not Job.objects.exists()


def test_others_get_no_extract(
    client: Client, arena_secretariat: Any, reader: Any, isk: Any
) -> None:
    query = {"arena": str(isk.pk), "start": "2007-01-01", "end": "2007-12-31"}
    url = reverse("archive:extract_start")
    anonymous = client.post(url, query)
    assert anonymous.status_code == 302
    assert "/logg-inn/" in anonymous["Location"]
    login(client, reader)
    assert client.get(reverse("archive:extract_page")).status_code == 403
    assert client.post(url, query).status_code == 403
    login(client, arena_secretariat)  # the secretariat of another arena
    assert client.get(reverse("archive:extract_page")).status_code == 200
    assert client.post(url, query).status_code == 403
    # nor told whether that arena has anything in a period
    empty = {**query, "start": "2001-01-01", "end": "2001-12-31"}
    assert client.post(url, empty).status_code == 403
    assert not Job.objects.exists()


def test_the_arena_is_chosen_among_those_the_user_serves(
    client: Client, arena_secretariat: Any, own_arena: Any, isk: Any
) -> None:
    login(client, arena_secretariat)
    page = client.get(reverse("archive:extract_page"), {"arena": "ISK"}).content.decode()
    assert '<select name="arena"' in page
    assert f'<option value="{own_arena.pk}">Kommunesamarbeid Vest (KS-V)</option>' in page
    assert "Innherred samkommune" not in page  # not served, and not chosen by ?arena=


def test_the_arena_page_links_its_secretariat_to_the_extract(
    client: Client, arena_secretariat: Any, own_arena: Any, reader: Any
) -> None:
    link = f'href="{reverse("archive:extract_page")}?arena={own_arena.pk}"'
    login(client, arena_secretariat)
    assert link in client.get(own_arena.get_absolute_url()).content.decode()
    login(client, reader)
    assert link not in client.get(own_arena.get_absolute_url()).content.decode()


def test_the_extract_reads_a_bounded_number_of_queries(
    isk: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(25):
        case = CaseFactory(arena=isk, title=f"Sak {n}", opened=date(2007, 8, 1))
        DecisionFactory(case=case)
        DecisionFactory(case=case, meeting_date=date(2007, 9, 1))
    with django_assert_max_num_queries(4):
        extract = build_extract(
            isk, date(2007, 1, 1), date(2007, 12, 31), by="kari", summary=fake_pdf
        )
    assert len(extract.cases) == 26
    assert n5x.validation_errors(n5x.arkivstruktur_xml(extract.archive)) == []


def test_a_case_opened_before_the_period_and_treated_in_it_is_in_the_extract(
    isk: Any,
) -> None:
    """A case opened in 2006 and treated by the councils in 2007 belongs to the 2007
    extract's treatment records: treatments are picked by their date, not the case's."""
    old = CaseFactory(arena=isk, title="Opprettet 2006", opened=date(2006, 11, 20))
    DecisionFactory(case=old, meeting_date=date(2006, 12, 14), case_number="88/06")
    _joint_board(old, date(2007, 2, 8), case_number="4/07", text="Saken avsluttes.")
    untreated_2007 = CaseFactory(arena=isk, title="Bare 2006", opened=date(2006, 3, 1))
    DecisionFactory(case=untreated_2007, meeting_date=date(2006, 4, 1), case_number="9/06")

    extract = build_extract(isk, date(2007, 1, 1), date(2007, 12, 31), by="k", summary=fake_pdf)
    assert n5x.validation_errors(n5x.arkivstruktur_xml(extract.archive)) == []
    titles = [c.title for c in extract.cases]
    assert "Opprettet 2006" in titles
    assert "Bare 2006" not in titles
    [folder] = [f for f in extract.archive.parts[0].folders if f.title == "Opprettet 2006"]
    assert [r.registration_id for r in folder.registrations if r.registration_id] == ["4/07"]

    earlier = build_extract(isk, date(2006, 1, 1), date(2006, 12, 31), by="k", summary=fake_pdf)
    [folder] = [f for f in earlier.archive.parts[0].folders if f.title == "Opprettet 2006"]
    assert [r.registration_id for r in folder.registrations if r.registration_id] == ["88/06"]
    assert "Bare 2006" in [c.title for c in earlier.cases]


def test_the_form_finds_a_period_with_only_treatments_of_older_cases(
    client: Client, secretariat: Any, isk: Any
) -> None:
    old = CaseFactory(arena=isk, title="Opprettet 2005", opened=date(2005, 6, 1))
    DecisionFactory(case=old, meeting_date=date(2006, 5, 4), case_number="30/06")
    login(client, secretariat)
    response = client.post(
        reverse("archive:extract_start"),
        {"arena": isk.pk, "start": "2006-01-01", "end": "2006-12-31"},
    )
    assert response.status_code == 302  # a task, not "Uttrekket ville vært tomt"
    assert Job.objects.count() == 1
