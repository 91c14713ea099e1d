"""The meetings app's held meetings with approved minutes go into the extract as meeting
files (moetemappe): the notice, each agenda item with its files, the minutes; a closed
item keeps its legal basis as skjerming; documents carry their SHA-256 and size; the whole
extract still validates against arkivstruktur.xsd."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from lxml import etree

from samarbeid.archive.meetings import arena_extract, meeting_pdfs, meeting_records
from samarbeid.lib import noark5_xml as n5x
from samarbeid.oparl.tests.test_meetings import PDF, make_held

pytestmark = pytest.mark.django_db
NS = {"n": n5x.NS}
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def held(secretariat: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_held(secretariat)


def fake_pdf(case: Any) -> bytes:
    return f"%PDF-1.4 sak {case.pk}".encode()


def _xml(held: dict[str, Any]) -> etree._Element:
    extract = arena_extract(held["arena"], *YEAR, by="kari", summary=fake_pdf)
    xml = n5x.arkivstruktur_xml(extract.archive)
    assert n5x.validation_errors(xml) == []
    root: etree._Element = etree.fromstring(xml)
    return root


def test_a_held_meeting_with_approved_minutes_is_a_valid_moetemappe(held: dict[str, Any]) -> None:
    root = _xml(held)
    [folder] = [
        f for f in root.iterfind(".//n:mappe", NS) if f.get(f"{{{n5x.XSI}}}type") == "moetemappe"
    ]
    assert folder.findtext("n:utvalg", namespaces=NS) == "Samkommunestyret"
    assert folder.findtext("n:moetedato", namespaces=NS) == "2025-05-03"
    registrations = folder.findall("n:registrering", NS)
    kinds = [r.findtext("n:moeteregistreringstype", namespaces=NS) for r in registrations]
    assert kinds == ["Møteinnkalling", "Saksliste", "Saksliste", "Møteprotokoll"]
    titles = [r.findtext("n:tittel", namespaces=NS) for r in registrations]
    assert titles[1] == "Sak 1/25 Mandat for ISK 2"
    assert titles[2] == "Sak 2/25 Ansettelse av rådmann"
    closed = registrations[2]
    assert closed.findtext("n:offentligTittel", namespaces=NS) == (
        "Sak 2/25 offl. § 13 jf. fvl. § 13 (taushetsplikt)"
    )
    screening = closed.find("n:skjerming", NS)
    assert screening is not None
    assert screening.findtext("n:tilgangsrestriksjon", namespaces=NS) == "13"
    assert screening.findtext("n:skjermingshjemmel", namespaces=NS) == (
        "offl. § 13 jf. fvl. § 13 (taushetsplikt)"
    )
    assert registrations[1].find("n:skjerming", NS) is None
    documents = {
        r.findtext("n:tittel", namespaces=NS): [
            d.findtext("n:tittel", namespaces=NS) for d in r.iterfind("n:dokumentbeskrivelse", NS)
        ]
        for r in registrations
    }
    assert documents == {
        "Innkalling": ["Innkalling"],
        "Sak 1/25 Mandat for ISK 2": ["Saksframlegg"],
        "Sak 2/25 Ansettelse av rådmann": ["Søkerliste"],  # archived, screened
        "Protokoll": ["Protokoll"],
    }
    for obj in folder.iterfind(".//n:dokumentobjekt", NS):
        assert obj.findtext("n:sjekksum", namespaces=NS) == hashlib.sha256(PDF).hexdigest()
        assert obj.findtext("n:filstoerrelse", namespaces=NS) == str(len(PDF))
    participants = [
        p.findtext("n:moetedeltakerNavn", namespaces=NS)
        for p in folder.iterfind("n:moetedeltaker", NS)
    ]
    assert participants == ["Ola Ordfører"]


def test_only_held_meetings_with_approved_minutes_in_the_period(held: dict[str, Any]) -> None:
    records = meeting_records(held["arena"], *YEAR)
    assert [r.key for r in records] == [f"meeting-{held['meeting'].pk}"]  # not the planned one
    assert meeting_records(held["arena"], date(2024, 1, 1), date(2024, 12, 31)) == []


def test_the_zip_and_the_command_carry_the_meeting_files(
    held: dict[str, Any], tmp_path: Path
) -> None:
    extract = arena_extract(held["arena"], *YEAR, by="kari", summary=fake_pdf)
    with zipfile.ZipFile(io.BytesIO(n5x.extract_zip(extract.archive, "x"))) as archive:
        meeting_files = [n for n in archive.namelist() if "/dokumenter/mote-" in n]
        assert len(meeting_files) == 4
        assert all(archive.read(n) == PDF for n in meeting_files)
    call_command(
        "archive_extract",
        "--arena", str(held["arena"].pk), "--from", "2025-01-01", "--to", "2025-12-31",
        "--out", str(tmp_path / "uttrekk"),
        stdout=io.StringIO(),
    )  # fmt: skip
    written = list((tmp_path / "uttrekk" / "dokumenter").glob("mote-*"))
    assert len(written) == 4


def test_the_meeting_file_holds_the_decisions_and_the_printed_minutes(
    held: dict[str, Any], secretariat: Any
) -> None:
    extract = arena_extract(
        held["arena"], *YEAR, by="kari", summary=fake_pdf, pdfs=meeting_pdfs(secretariat)
    )
    content = n5x.extract_zip(extract.archive, "x")
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        root = etree.fromstring(bundle.read("x/arkivstruktur.xml"))
        [folder] = [
            f
            for f in root.iterfind(".//n:mappe", NS)
            if f.get(f"{{{n5x.XSI}}}type") == "moetemappe"
        ]
        # closed when the minutes were approved, not on the meeting's day
        assert folder.findtext("n:avsluttetDato", namespaces=NS).startswith("2025-05-10")
        registrations = folder.findall("n:registrering", NS)
        item = registrations[1]
        assert "Vedtak: Mandatet vedtas." in item.findtext("n:beskrivelse", namespaces=NS)
        assert "Behandling: Drøftet" in item.findtext("n:beskrivelse", namespaces=NS)
        assert item.findtext("n:moeteregistreringsstatus", namespaces=NS) == "vedtatt"
        # the closed item's appendix is an attachment, screened with its registration
        [appendix] = registrations[2].findall("n:dokumentbeskrivelse", NS)
        assert appendix.findtext("n:tilknyttetRegistreringSom", namespaces=NS) == "Vedlegg"
        protocol = registrations[-1]
        main, uploaded = protocol.findall("n:dokumentbeskrivelse", NS)
        assert main.findtext("n:tilknyttetRegistreringSom", namespaces=NS) == "Hoveddokument"
        assert uploaded.findtext("n:tilknyttetRegistreringSom", namespaces=NS) == "Vedlegg"
        path = main.findtext("n:dokumentobjekt/n:referanseDokumentfil", namespaces=NS)
        pdf = bundle.read(f"x/{path}")
        assert pdf.startswith(b"%PDF")
        obj = main.find("n:dokumentobjekt", NS)
        assert obj.findtext("n:sjekksum", namespaces=NS) == hashlib.sha256(pdf).hexdigest()
        assert obj.findtext("n:filstoerrelse", namespaces=NS) == str(len(pdf))
        notice = registrations[0].findall("n:dokumentbeskrivelse", NS)
        assert notice[0].findtext("n:dokumenttype", namespaces=NS) == "Møteinnkalling"
        assert bundle.read(
            "x/" + notice[0].findtext("n:dokumentobjekt/n:referanseDokumentfil", namespaces=NS)
        ).startswith(b"%PDF")
