"""Noark 5 archive extracts (arkivuttrekk): typed records and the `arkivstruktur.xml` that
Arkivverket's schemas (v5.0, shipped in `standards/noark5/`) define.

An extract is a directory: `arkivstruktur.xml` and, beside it, the documents' files under
`dokumenter/`, each named in its `dokumentobjekt` with its size and SHA-256 checksum.

    arkiv → arkivdel → mappe (saksmappe | moetemappe)
          → registrering (journalpost | moeteregistrering | plain) → dokumentbeskrivelse
          → dokumentobjekt

Pure: no Django; lxml writes and validates the XML. The element order follows the XSD's
sequences (a type that extends another, `saksmappe` of `mappe`, puts its own elements after
the base's), and a derived type is written as its base element with `xsi:type`.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from lxml import etree

NS = "http://www.arkivverket.no/standarder/noark5/arkivstruktur"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_DIR = Path(__file__).parent / "standards" / "noark5"
STRUCTURE_FILE = "arkivstruktur.xml"
DOCUMENT_DIR = "dokumenter"
CHECKSUM_ALGORITHM = "SHA-256"

# Characters XML 1.0 cannot carry (C0 controls but tab, newline, carriage return; the
# surrogates and U+FFFE/U+FFFF): removed from text, as no reader could parse them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (the rest, æøå, & and <, are
    escaped by the writer)."""
    return _NOT_XML.sub("", text)


def system_id(*parts: object) -> str:
    """A stable systemID (a UUID, as M001 requires) for a record named by `parts`: the same
    record gets the same id in every extract."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "samarbeid:noark5:" + ":".join(map(str, parts))))


def _required(value: str, name: str) -> str:
    if not clean_text(value).strip():
        raise ValueError(f"{name} must not be empty")
    return value


@dataclass(frozen=True)
class Stamp:
    """Who made or closed a record, and when (opprettetDato/-Av, avsluttetDato/-Av, …)."""

    at: datetime
    by: str

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("a Noark 5 time carries its time zone")
        _required(self.by, "by")


@dataclass(frozen=True)
class DocumentObject:
    """dokumentobjekt: one file of a document, in one version and variant."""

    system_id: str
    file_name: str  # the file's name inside `dokumenter/`
    content: bytes
    format: str  # e.g. "fmt/18" (PRONOM) or a plain name such as "PDF"
    created: Stamp
    version: int = 1
    variant: str = "Produksjonsformat"
    format_details: str = ""

    def __post_init__(self) -> None:
        name = PurePosixPath(self.file_name)
        if name.name != self.file_name or name.name in ("", ".", ".."):
            raise ValueError("file_name is a bare file name")
        _required(self.format, "format")

    @property
    def path(self) -> str:
        """referanseDokumentfil: the file's path relative to the extract."""
        return f"{DOCUMENT_DIR}/{self.file_name}"

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class DocumentDescription:
    """dokumentbeskrivelse: a document (main document or attachment) of a registration."""

    system_id: str
    title: str
    created: Stamp
    linked: Stamp  # tilknyttetDato/-Av
    number: int = 1
    document_type: str = "Saksframlegg"
    status: str = "Dokumentet er ferdigstilt"
    linked_as: str = "Hoveddokument"
    description: str = ""
    author: str = ""
    objects: Sequence[DocumentObject] = ()

    def __post_init__(self) -> None:
        _required(self.title, "title")


@dataclass(frozen=True)
class Screening:
    """skjerming: a record withheld from the public, its legal basis kept (e.g. a meeting's
    closed item: tilgangsrestriksjon "13", skjermingshjemmel "offl. § 13 jf. fvl. § 13")."""

    restriction: str  # tilgangsrestriksjon: the code, e.g. "13"
    basis: str  # skjermingshjemmel: the law, as written
    metadata: Sequence[str] = ("Tittel, registrering",)  # skjermingMetadata
    documents: str = "Hele dokumentet"  # skjermingDokument

    def __post_init__(self) -> None:
        _required(self.restriction, "restriction")
        _required(self.basis, "basis")
        if not self.metadata:
            raise ValueError("a screening names what of the metadata it hides")


@dataclass(frozen=True)
class Registration:
    """registrering: a record in a file. Plain, or (subclasses) a journal entry or a meeting
    registration."""

    system_id: str
    title: str
    created: Stamp
    archived: Stamp
    registration_id: str = ""
    public_title: str = ""
    description: str = ""
    author: str = ""
    documents: Sequence[DocumentDescription] = ()
    screening: Screening | None = None
    # kryssreferanse/referanseTilMappe: the systemIDs of the files (mapper) it refers to,
    # e.g. a meeting item to the case file it treats
    file_references: Sequence[str] = ()

    def __post_init__(self) -> None:
        _required(self.title, "title")

    xsi_type = ""


@dataclass(frozen=True)
class JournalEntry(Registration):
    """journalpost: a registered document (incoming, outgoing, internal or a case
    presentation) with its journal number."""

    year: int = 0
    sequence: int = 0
    number: int = 0
    entry_type: str = "Saksframlegg"
    status: str = "Arkivert"
    journal_date: date | None = None
    document_date: date | None = None

    xsi_type = "journalpost"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.year < 1 or self.sequence < 1 or self.number < 1 or self.journal_date is None:
            raise ValueError("a journal entry has a year, sequence, number and journal date")


@dataclass(frozen=True)
class MeetingRegistration(Registration):
    """moeteregistrering: an item of a meeting (notice, case item, minutes)."""

    registration_type: str = "Saksliste"
    item_type: str = ""  # moetesakstype, e.g. "Politisk sak"
    item_status: str = ""
    administrative_unit: str = ""
    case_officer: str = ""

    xsi_type = "moeteregistrering"

    def __post_init__(self) -> None:
        super().__post_init__()
        _required(self.administrative_unit, "administrative_unit")
        _required(self.case_officer, "case_officer")


@dataclass(frozen=True)
class Folder:
    """mappe: what a case file and a meeting file share."""

    system_id: str
    folder_id: str  # mappeID, e.g. "2026/12"
    title: str
    created: Stamp
    finished: Stamp
    public_title: str = ""
    description: str = ""
    keywords: Sequence[str] = ()
    registrations: Sequence[Registration] = ()

    def __post_init__(self) -> None:
        _required(self.folder_id, "folder_id")
        _required(self.title, "title")

    xsi_type = ""


@dataclass(frozen=True)
class CaseFile(Folder):
    """saksmappe: a case with its registrations."""

    year: int = 0
    sequence: int = 0
    case_date: date | None = None
    administrative_unit: str = ""
    responsible: str = ""
    status: str = "Avsluttet"

    xsi_type = "saksmappe"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.year < 1 or self.sequence < 1 or self.case_date is None:
            raise ValueError("a case file has a year, a sequence number and a case date")
        _required(self.administrative_unit, "administrative_unit")
        _required(self.responsible, "responsible")


@dataclass(frozen=True)
class MeetingParticipant:
    name: str
    role: str = ""

    def __post_init__(self) -> None:
        _required(self.name, "name")


@dataclass(frozen=True)
class MeetingFile(Folder):
    """moetemappe: one meeting of a body, with its meeting registrations."""

    meeting_number: str = ""
    committee: str = ""  # utvalg: the body that met
    meeting_date: date | None = None
    place: str = ""
    participants: Sequence[MeetingParticipant] = ()

    xsi_type = "moetemappe"

    def __post_init__(self) -> None:
        super().__post_init__()
        _required(self.meeting_number, "meeting_number")
        _required(self.committee, "committee")
        if self.meeting_date is None:
            raise ValueError("a meeting file has a meeting date")


@dataclass(frozen=True)
class ArchivePart:
    """arkivdel: the part of the archive (here: one arena's period) the folders belong to."""

    system_id: str
    title: str
    created: Stamp
    finished: Stamp
    status: str = "Avsluttet periode"
    description: str = ""
    period_start: date | None = None
    period_end: date | None = None
    folders: Sequence[Folder] = ()

    def __post_init__(self) -> None:
        _required(self.title, "title")


@dataclass(frozen=True)
class ArchiveCreator:
    """arkivskaper: the organisation that created the archive."""

    creator_id: str
    name: str
    description: str = ""

    def __post_init__(self) -> None:
        _required(self.creator_id, "creator_id")
        _required(self.name, "name")


@dataclass(frozen=True)
class Archive:
    system_id: str
    title: str
    created: Stamp
    finished: Stamp
    creators: Sequence[ArchiveCreator]
    parts: Sequence[ArchivePart]
    description: str = ""
    status: str = "Avsluttet"

    def __post_init__(self) -> None:
        _required(self.title, "title")
        if not self.creators or not self.parts:
            raise ValueError("an archive has at least one creator and one part")

    def document_objects(self) -> list[DocumentObject]:
        return [
            obj
            for part in self.parts
            for folder in part.folders
            for reg in folder.registrations
            for doc in reg.documents
            for obj in doc.objects
        ]


# Writing ---------------------------------------------------------------------------------


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


__all__ = [
    "Archive",
    "ArchiveCreator",
    "ArchivePart",
    "CaseFile",
    "DocumentDescription",
    "DocumentObject",
    "InvalidExtract",
    "JournalEntry",
    "MeetingFile",
    "MeetingParticipant",
    "MeetingRegistration",
    "Registration",
    "Stamp",
    "arkivstruktur_xml",
    "clean_text",
    "extract_zip",
    "system_id",
    "validation_errors",
    "write_extract",
]
