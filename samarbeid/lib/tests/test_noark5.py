"""The Noark 5 extract validates against Arkivverket's shipped schemas, whatever the text."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from samarbeid.lib import noark5 as n5
from samarbeid.lib import noark5_xml as n5x

WHEN = n5.Stamp(datetime(2026, 12, 3, 12, 0, tzinfo=UTC), "Sekretariatet")


def document(name: str = "sak-1.pdf", content: bytes = b"%PDF-1.4 test") -> n5.DocumentDescription:
    return n5.DocumentDescription(
        system_id=n5.system_id("doc", name),
        title="Saksframlegg",
        created=WHEN,
        linked=WHEN,
        objects=[
            n5.DocumentObject(
                system_id=n5.system_id("obj", name),
                file_name=name,
                content=content,
                format="PDF",
                created=WHEN,
            )
        ],
    )


def case_file(title: str = "Mandat for ISK 2", description: str = "", n: int = 1) -> n5.CaseFile:
    entry = n5.JournalEntry(
        system_id=n5.system_id("entry", n),
        title=title,
        created=WHEN,
        archived=WHEN,
        description=description,
        documents=[document(f"sak-{n}.pdf")],
        year=2007,
        sequence=n,
        number=1,
        journal_date=date(2007, 5, 3),
    )
    treatment = n5.Registration(
        system_id=n5.system_id("treatment", n),
        title=f"Behandling: {title}",
        description=description or "Vedtatt",
        created=WHEN,
        archived=WHEN,
    )
    return n5.CaseFile(
        system_id=n5.system_id("case", n),
        folder_id=f"2007/{n}",
        title=title,
        description=description,
        created=WHEN,
        finished=WHEN,
        registrations=[entry, treatment],
        year=2007,
        sequence=n,
        case_date=date(2007, 5, 3),
        administrative_unit="Innherred samkommune",
        responsible="Sekretariatet",
    )


def meeting_file() -> n5.MeetingFile:
    item = n5.MeetingRegistration(
        system_id=n5.system_id("item", 1),
        title="Sak 1/07 Mandat",
        created=WHEN,
        archived=WHEN,
        registration_type="Saksliste",
        item_type="Politisk sak",
        administrative_unit="Innherred samkommune",
        case_officer="Sekretariatet",
    )
    return n5.MeetingFile(
        system_id=n5.system_id("meeting", 1),
        folder_id="M-2007-1",
        title="Samkommunestyret 03.05.2007",
        created=WHEN,
        finished=WHEN,
        registrations=[item],
        meeting_number="1/07",
        committee="Samkommunestyret",
        meeting_date=date(2007, 5, 3),
        place="Levanger",
        participants=[n5.MeetingParticipant("Levanger kommune", "medlem")],
    )


def archive(*folders: n5.Folder) -> n5.Archive:
    part = n5.ArchivePart(
        system_id=n5.system_id("part"),
        title="Innherred 2007",
        created=WHEN,
        finished=WHEN,
        period_start=date(2007, 1, 1),
        period_end=date(2007, 12, 31),
        folders=list(folders),
    )
    return n5.Archive(
        system_id=n5.system_id("archive"),
        title="Samarbeid: Innherred",
        created=WHEN,
        finished=WHEN,
        creators=[n5.ArchiveCreator("ISK", "Innherred samkommune")],
        parts=[part],
    )


def test_a_case_file_and_a_meeting_file_validate() -> None:
    xml = n5x.arkivstruktur_xml(archive(case_file(), meeting_file()))
    assert n5x.validation_errors(xml) == []
    root = etree.fromstring(xml)
    types = root.xpath("//@xsi:type", namespaces={"xsi": n5x.XSI})
    assert sorted(set(types)) == ["journalpost", "moetemappe", "moeteregistrering", "saksmappe"]


def test_the_validation_can_fail() -> None:
    """The schema is strict: a missing required element or a wrong order is caught."""
    xml = n5x.arkivstruktur_xml(archive(case_file()))
    root = etree.fromstring(xml)
    ns = {"n": n5x.NS}
    status = root.find(".//n:saksstatus", ns)
    status.getparent().remove(status)
    errors = n5x.validation_errors(etree.tostring(root))
    assert errors
    assert "saksstatus" in " ".join(errors)


def test_an_invalid_structure_writes_nothing(tmp_path: Path) -> None:
    one, two = case_file(n=1), case_file(n=2)
    # two documents with the same file name would overwrite each other
    clash = replace(two, registrations=[replace(two.registrations[0], documents=[document()])])
    with pytest.raises(n5x.InvalidExtract):
        n5x.write_extract(archive(one, clash), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_extract_directory_holds_the_files_with_their_checksums(tmp_path: Path) -> None:
    content = b"%PDF-1.4 \x00\xff binary"
    written = n5x.write_extract(archive(case_file()), tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == {
        "arkivstruktur.xml",
        "dokumenter/sak-1.pdf",
    }
    root = etree.parse(str(tmp_path / "arkivstruktur.xml")).getroot()
    ns = {"n": n5x.NS}
    obj = root.find(".//n:dokumentobjekt", ns)
    path = tmp_path / obj.findtext("n:referanseDokumentfil", namespaces=ns)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert obj.findtext("n:sjekksum", namespaces=ns) == digest
    assert int(obj.findtext("n:filstoerrelse", namespaces=ns)) == path.stat().st_size
    assert obj.findtext("n:sjekksumAlgoritme", namespaces=ns) == "SHA-256"
    other = n5.DocumentObject(
        system_id=n5.system_id("x"), file_name="x.bin", content=content, format="x", created=WHEN
    )
    assert other.size == len(content)


def test_the_zip_holds_the_same_extract() -> None:
    data = n5x.extract_zip(archive(case_file()), "uttrekk")
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        assert sorted(bundle.namelist()) == [
            "uttrekk/arkivstruktur.xml",
            "uttrekk/dokumenter/sak-1.pdf",
        ]
        assert n5x.validation_errors(bundle.read("uttrekk/arkivstruktur.xml")) == []


def test_system_ids_are_stable_uuids() -> None:
    assert n5.system_id("case", 1) == n5.system_id("case", 1)
    assert n5.system_id("case", 1) != n5.system_id("case", 2)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: n5.Stamp(datetime(2026, 1, 1, tzinfo=None), "x"), "time zone"),  # noqa: DTZ001
        (lambda: case_file(title="   "), "title"),
        (lambda: replace(case_file(), year=0), "year"),
        (
            lambda: n5.DocumentObject(
                system_id="x", file_name="../etc/passwd", content=b"", format="x", created=WHEN
            ),
            "bare file name",
        ),
    ],
)
def test_records_refuse_what_the_schema_would(make: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        make()  # type: ignore[operator]


odd_text = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from("æøåÆØÅ&<>\"'\x00\x1f\r\t"),
    min_size=1,
    max_size=60,
).filter(lambda t: n5.clean_text(t).strip())


@settings(max_examples=60, deadline=None)
@given(title=odd_text, description=st.text(max_size=80))
def test_odd_text_still_validates_and_reads_back(title: str, description: str) -> None:
    xml = n5x.arkivstruktur_xml(archive(case_file(title, description)))
    assert n5x.validation_errors(xml) == []
    root = etree.fromstring(xml)
    read = root.findtext(".//n:mappe/n:tittel", namespaces={"n": n5x.NS})
    assert read == n5.clean_text(title)
