"""The `arkivstruktur.xml` of a Noark 5 extract: written, validated, and packed with the files.

lxml writes and validates the XML against the shipped arkivstruktur.xsd. The element order
follows the XSD's sequences (a type that extends another, `saksmappe` of `mappe`, puts its
own elements after the base's), and a derived type is written as its base element with
`xsi:type`. Pure: no Django.
"""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from samarbeid.lib.noark5 import (
    DOCUMENT_DIR,
    Archive,
    ArchivePart,
    CaseFile,
    DocumentDescription,
    DocumentObject,
    Folder,
    JournalEntry,
    MeetingFile,
    MeetingRegistration,
    Registration,
    Screening,
    Stamp,
    clean_text,
)

NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_DIR = Path(__file__).parent / "standards" / "noark5"
STRUCTURE_FILE = "arkivstruktur.xml"
CHECKSUM_ALGORITHM = "SHA-256"


def _el(parent: etree._Element, name: str, value: object = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{NS}}}{name}")
    if value is not None:
        child.text = clean_text(_text(value))
    return child


def _opt(parent: etree._Element, name: str, value: object) -> None:
    """An optional element: left out when it would be empty (the schema's text types have a
    minimum length of 1)."""
    if value is not None and clean_text(_text(value)):
        _el(parent, name, value)


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _typed(parent: etree._Element, name: str, xsi_type: str) -> etree._Element:
    element = _el(parent, name)
    if xsi_type:
        element.set(f"{{{XSI}}}type", xsi_type)
    return element


def _stamp(parent: etree._Element, prefix: str, stamp: Stamp) -> None:
    _el(parent, f"{prefix}Dato", stamp.at)
    _el(parent, f"{prefix}Av", stamp.by)


def _children(parent: etree._Element, *fields: tuple[str, object]) -> etree._Element:
    """Write `fields` (name, value) into `parent` in the schema's order: a name that starts
    with "?" is optional (left out when empty), a Stamp writes <name>Dato and <name>Av."""
    for name, value in fields:
        if isinstance(value, Stamp):
            _stamp(parent, name, value)
        elif name.startswith("?"):
            _opt(parent, name[1:], value)
        else:
            _el(parent, name, value)
    return parent


def _document_object(parent: etree._Element, obj: DocumentObject) -> None:
    _children(
        _el(parent, "dokumentobjekt"),
        ("systemID", obj.system_id),
        ("versjonsnummer", obj.version),
        ("variantformat", obj.variant),
        ("format", obj.format),
        ("?formatDetaljer", obj.format_details),
        ("opprettet", obj.created),
        ("referanseDokumentfil", obj.path),
        ("sjekksum", obj.checksum),
        ("sjekksumAlgoritme", CHECKSUM_ALGORITHM),
        ("filstoerrelse", obj.size),
    )


def _document(parent: etree._Element, doc: DocumentDescription) -> None:
    element = _children(
        _el(parent, "dokumentbeskrivelse"),
        ("systemID", doc.system_id),
        ("dokumenttype", doc.document_type),
        ("dokumentstatus", doc.status),
        ("tittel", doc.title),
        ("?beskrivelse", doc.description),
        ("?forfatter", doc.author),
        ("opprettet", doc.created),
        ("tilknyttetRegistreringSom", doc.linked_as),
        ("dokumentnummer", doc.number),
        ("tilknyttet", doc.linked),
    )
    for obj in doc.objects:
        _document_object(element, obj)


def _screening(parent: etree._Element, screening: Screening) -> None:
    _children(
        _el(parent, "skjerming"),
        ("tilgangsrestriksjon", screening.restriction),
        ("skjermingshjemmel", screening.basis),
        *(("skjermingMetadata", what) for what in screening.metadata),
        ("?skjermingDokument", screening.documents),
    )


def _registration(parent: etree._Element, reg: Registration) -> None:
    element = _children(
        _typed(parent, "registrering", reg.xsi_type),
        ("systemID", reg.system_id),
        ("opprettet", reg.created),
        ("arkivert", reg.archived),
    )
    if reg.screening is not None:
        _screening(element, reg.screening)
    for doc in reg.documents:
        _document(element, doc)
    _children(
        element,
        ("?registreringsID", reg.registration_id),
        ("tittel", reg.title),
        ("?offentligTittel", reg.public_title),
        ("?beskrivelse", reg.description),
        ("?forfatter", reg.author),
    )
    for reference in reg.file_references:
        _children(_el(element, "kryssreferanse"), ("referanseTilMappe", reference))
    if isinstance(reg, JournalEntry):
        _children(
            element,
            ("journalaar", reg.year),
            ("journalsekvensnummer", reg.sequence),
            ("journalpostnummer", reg.number),
            ("journalposttype", reg.entry_type),
            ("journalstatus", reg.status),
            ("journaldato", reg.journal_date),
            ("?dokumentetsDato", reg.document_date),
        )
    elif isinstance(reg, MeetingRegistration):
        _children(
            element,
            ("moeteregistreringstype", reg.registration_type),
            ("?moetesakstype", reg.item_type),
            ("?moeteregistreringsstatus", reg.item_status),
            ("administrativEnhet", reg.administrative_unit),
            ("saksbehandler", reg.case_officer),
        )


def _folder(parent: etree._Element, folder: Folder) -> None:
    element = _children(
        _typed(parent, "mappe", folder.xsi_type),
        ("systemID", folder.system_id),
        ("mappeID", folder.folder_id),
        ("tittel", folder.title),
        ("?offentligTittel", folder.public_title),
        ("?beskrivelse", folder.description),
        *(("?noekkelord", word) for word in folder.keywords),
        ("opprettet", folder.created),
        ("avsluttet", folder.finished),
    )
    for reg in folder.registrations:
        _registration(element, reg)
    if isinstance(folder, CaseFile):
        _children(
            element,
            ("saksaar", folder.year),
            ("sakssekvensnummer", folder.sequence),
            ("saksdato", folder.case_date),
            ("administrativEnhet", folder.administrative_unit),
            ("saksansvarlig", folder.responsible),
            ("saksstatus", folder.status),
        )
    elif isinstance(folder, MeetingFile):
        _children(
            element,
            ("moetenummer", folder.meeting_number),
            ("utvalg", folder.committee),
            ("moetedato", folder.meeting_date),
            ("?moetested", folder.place),
        )
        for person in folder.participants:
            _children(
                _el(element, "moetedeltaker"),
                ("moetedeltakerNavn", person.name),
                ("?moetedeltakerFunksjon", person.role),
            )


def _part(parent: etree._Element, part: ArchivePart) -> None:
    element = _children(
        _el(parent, "arkivdel"),
        ("systemID", part.system_id),
        ("tittel", part.title),
        ("?beskrivelse", part.description),
        ("arkivdelstatus", part.status),
        ("opprettet", part.created),
        ("avsluttet", part.finished),
        ("?arkivperiodeStartDato", part.period_start),
        ("?arkivperiodeSluttDato", part.period_end),
    )
    for folder in part.folders:
        _folder(element, folder)


def arkivstruktur_xml(archive: Archive) -> bytes:
    """The extract's `arkivstruktur.xml` (UTF-8, with its XML declaration)."""
    root = etree.Element(f"{{{NS}}}arkiv", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NS} arkivstruktur.xsd")
    _children(
        root,
        ("systemID", archive.system_id),
        ("tittel", archive.title),
        ("?beskrivelse", archive.description),
        ("?arkivstatus", archive.status),
        ("opprettet", archive.created),
        ("avsluttet", archive.finished),
    )
    for creator in archive.creators:
        _children(
            _el(root, "arkivskaper"),
            ("arkivskaperID", creator.creator_id),
            ("arkivskaperNavn", creator.name),
            ("?beskrivelse", creator.description),
        )
    for part in archive.parts:
        _part(root, part)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


_local = threading.local()


def _schema() -> etree.XMLSchema:
    """The shipped schema, one per thread (a validator keeps its error log on itself)."""
    schema: etree.XMLSchema | None = getattr(_local, "schema", None)
    if schema is None:
        schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "arkivstruktur.xsd")))
        _local.schema = schema
    return schema


def validation_errors(xml: bytes) -> list[str]:
    """What keeps `xml` from validating against the shipped arkivstruktur.xsd (none: valid)."""
    schema = _schema()
    document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False))
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


class InvalidExtract(ValueError):
    def __init__(self, errors: Sequence[str]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(self.errors[:5]))


def _checked_files(archive: Archive) -> tuple[bytes, list[DocumentObject]]:
    xml = arkivstruktur_xml(archive)
    errors = validation_errors(xml)
    objects = archive.document_objects()
    names = [obj.file_name for obj in objects]
    if len(set(names)) != len(names):
        errors.append("two document objects share a file name")
    if errors:
        raise InvalidExtract(errors)
    return xml, objects


def write_extract(archive: Archive, directory: Path) -> list[Path]:
    """Write the extract into `directory` (made if missing): `arkivstruktur.xml` and the
    documents under `dokumenter/`. Validates first and writes nothing if the structure
    does not validate (InvalidExtract). Returns the files written."""
    xml, objects = _checked_files(archive)
    (directory / DOCUMENT_DIR).mkdir(parents=True, exist_ok=True)
    written = [directory / STRUCTURE_FILE]
    written[0].write_bytes(xml)
    for obj in objects:
        target = directory / DOCUMENT_DIR / obj.file_name
        target.write_bytes(obj.content)
        written.append(target)
    return written


def extract_zip(archive: Archive, folder: str) -> bytes:
    """The extract as a zip with everything under `folder/` (validated as write_extract)."""
    xml, objects = _checked_files(archive)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(f"{folder}/{STRUCTURE_FILE}", xml)
        for obj in objects:
            bundle.writestr(f"{folder}/{obj.path}", obj.content)
    return buffer.getvalue()
