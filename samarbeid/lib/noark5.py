"""The typed records of a Noark 5 archive extract (arkivuttrekk), as Arkivverket defines them.

The schemas (v5.0) are shipped in `standards/noark5/`. An extract is a directory:
`arkivstruktur.xml` (written by lib.noark5_xml) and, beside it, the documents' files under
`dokumenter/`, each named in its `dokumentobjekt` with its size and SHA-256 checksum.

    arkiv → arkivdel → mappe (saksmappe | moetemappe)
          → registrering (journalpost | moeteregistrering | plain) → dokumentbeskrivelse
          → dokumentobjekt

Pure: no Django.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePosixPath

DOCUMENT_DIR = "dokumenter"

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
