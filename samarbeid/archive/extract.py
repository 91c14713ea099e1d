"""A Noark 5 archive extract (arkivuttrekk) of one arena's cases over a period, from the
governance records: `build_extract` gives the typed extract (`samarbeid.lib.noark5`), which
`write_extract` / `extract_zip` there write and validate.

What goes in:
- one archive (arkiv) per arena, its creator (arkivskaper) the arena, and one archive part
  (arkivdel) for the period;
- one case file (saksmappe) per case of the arena that was opened, treated (held or
  lapsed) or on a meeting's agenda in the period (the case file and what happened in it in
  the period, as an archive clerk expects: a case opened in 2006 and decided in 2007 is in
  the 2007 extract) and whose every treatment is concluded (decided, or lapsed in a
  municipal change). The schema requires a file's closing date (avsluttetDato), and a
  case still under treatment has none: such cases are left out and named in
  `Extract.left_out` (they belong in a later extract);
- in each case file: a journal entry (journalpost, an internal document) whose document is a
  summary of the case and its treatments that Samarbeid generates as a plain PDF (the
  product keeps no case presentation file; the summary says it is generated, and its
  variant is «Produksjonsformat», not the archival PDF/A); and one registration per
  treatment (the body, date, outcome and decision text);
- meeting files (moetemappe) for meetings fed in through `MeetingRecord`
  (`archive.meetings.meeting_records` converts the meetings app's held meetings with
  approved minutes and passes them to `build_extract(meetings=…)`); a closed item keeps
  its title, hidden by its public title, and its legal basis as skjerming; an item that
  treats a case whose case file is in the extract refers to that file (kryssreferanse,
  referanseTilMappe: the case file's systemID).

Dates tell each record's own story: a case file is created when the case was opened and
closed by its last treatment; a meeting file is created no later than the meeting's
notice (or the meeting) and closed when its minutes were approved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import AuditEntry
from samarbeid.governance.models import Case, Decision
from samarbeid.lib import noark5 as n5
from samarbeid.meetings.models import AgendaItem, Meeting

SYSTEM = "Samarbeid"
PDF_FORMAT = "PDF"
PDF_DETAILS = "PDF generert av Samarbeid (ikke PDF/A)"


@dataclass(frozen=True)
class AttachedFile:
    """A file of a meeting (notice, case document, minutes) as the meetings app hands it."""

    key: str  # stable and unique within the extract, e.g. "document-12"
    title: str
    file_name: str
    content: bytes
    created: datetime
    format: str = PDF_FORMAT
    document_type: str = "Saksframlegg"


@dataclass(frozen=True)
class MeetingItem:
    number: str  # "Sak 12/26"
    title: str
    closed_basis: str = ""  # legal basis when closed to the public (offentligTittel hides it)
    documents: Sequence[AttachedFile] = ()
    restriction: str = ""  # tilgangsrestriksjon when closed, e.g. "13" (else "U": unntatt)
    treatment: str = ""  # what the minutes say: treatment, outcome, decision text, vote
    outcome: str = ""  # e.g. "vedtatt" (moeteregistreringsstatus)
    registration_id: str = ""  # the item's own number, e.g. "12/26" (registreringsID)
    case_id: int | None = None  # the governance case it treats (linked when in the extract)


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting as the meetings app hands it to the extract (one moetemappe)."""

    key: str  # stable, e.g. "meeting-7": gives the systemID (a UUID), never shown
    body_name: str
    number: str  # moetenummer: the meeting's number, e.g. "3/2026" (the body's third in 2026)
    day: date
    created: datetime
    place: str = ""
    participants: Sequence[tuple[str, str]] = ()  # (name, role)
    items: Sequence[MeetingItem] = ()
    minutes: AttachedFile | None = None
    notice: AttachedFile | None = None
    appendices: Sequence[AttachedFile] = ()  # the meeting's other files, sent with the notice
    minutes_appendices: Sequence[AttachedFile] = ()  # e.g. the signed minutes as uploaded
    approved_on: date | None = None  # the minutes' approval: the meeting file closes then
    notice_sent_on: date | None = None  # the meeting file is created no later than this


@dataclass
class Extract:
    archive: n5.Archive
    folder_name: str  # the zip's top folder and the suggested directory name
    cases: list[Case] = field(default_factory=list)
    left_out: list[Case] = field(default_factory=list)  # still under treatment


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def is_concluded(case: Case) -> bool:
    """Every treatment of the case is decided or lapsed (and it has at least one)."""
    decisions = list(case.decisions.all())
    return bool(decisions) and all(d.is_decided or d.is_lapsed for d in decisions)


def closed_on(case: Case) -> date:
    """The day the case's last treatment concluded (or the day it was opened)."""
    days = [d.meeting_date or d.lapsed_on for d in case.decisions.all()]
    return max([day for day in days if day is not None] or [case.opened])


def in_period(decision: Decision, start: date, end: date) -> bool:
    """The treatment was held (or lapsed) from `start` to `end`: an extract of a period
    holds that period's treatments only."""
    day = decision.meeting_date or decision.lapsed_on
    return day is not None and start <= day <= end


def _creators(cases: Sequence[Case]) -> dict[int, str]:
    """Who created each case, as the audit trail says (one query)."""
    entries = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Case),
            object_id__in=[str(case.pk) for case in cases],
            action=AuditEntry.Action.CREATE,
        )
        .select_related("actor")
        .order_by("at")
    )
    found: dict[int, str] = {}
    for entry in entries:
        if entry.actor is not None:
            found.setdefault(int(entry.object_id), entry.actor.get_username())
    return found


def _treatment(decision: Decision, case: Case, stamp: n5.Stamp) -> n5.Registration:
    day = decision.meeting_date or decision.lapsed_on
    lines = [
        f"Organ: {decision.body_label}",
        f"Utfall: {decision.get_outcome_display()}",
    ]
    if day:
        lines.append(f"Dato: {day:%d.%m.%Y}")
    if decision.text:
        lines.append(f"Vedtak: {decision.text}")
    if decision.minutes_url:
        lines.append(f"Protokoll: {decision.minutes_url}")
    created = n5.Stamp(_at(day), stamp.by) if day else stamp
    return n5.Registration(
        system_id=n5.system_id("decision", decision.pk),
        title=f"Behandling i {decision.body_label}: {case.title}",
        registration_id=decision.case_number,
        description="\n".join(lines),
        created=created,
        archived=stamp,
    )


def _case_file(
    case: Case,
    arena: Arena,
    *,
    summary: Callable[[Case], bytes],
    extracted: n5.Stamp,
    creator: str,
    period: tuple[date, date] | None = None,
) -> n5.CaseFile:
    opened = n5.Stamp(_at(case.opened), creator)
    pdf = summary(case)
    document = n5.DocumentDescription(
        system_id=n5.system_id("case-summary", case.pk),
        title=f"Sammendrag av saken: {case.title}",
        document_type="Sammendrag",
        description=(
            "Generert av Samarbeid fra sakens registreringer ved uttrekket "
            f"{extracted.at:%d.%m.%Y}; ikke det opprinnelige saksframlegget."
        ),
        created=extracted,
        linked=extracted,
        objects=[
            n5.DocumentObject(
                system_id=n5.system_id("case-summary-file", case.pk),
                file_name=f"sak-{case.pk}-sammendrag.pdf",
                content=pdf,
                format=PDF_FORMAT,
                format_details=PDF_DETAILS,
                created=extracted,
            )
        ],
    )
    entry = n5.JournalEntry(
        system_id=n5.system_id("case-entry", case.pk),
        title=case.title,
        description=case.description,
        created=opened,
        archived=extracted,
        documents=[document],
        year=case.opened.year,
        sequence=case.pk,
        number=1,
        # the summary is made here, not received or sent: an internal document
        entry_type="Organinternt dokument uten oppfølging",
        journal_date=case.opened,
        document_date=case.opened,
    )
    treatments = [
        _treatment(d, case, extracted)
        for d in case.decisions.all()
        if period is None or in_period(d, *period)
    ]
    responsible = arena.short_name or arena.name
    keywords = [case.document_title] if case.document_title else []
    return n5.CaseFile(
        system_id=n5.system_id("case", case.pk),
        folder_id=f"{case.opened.year}/{case.pk}",
        title=case.title,
        description=case.description,
        keywords=keywords,
        created=opened,
        # closed by its last treatment; who closes it in the archive is who makes the extract
        finished=n5.Stamp(_at(closed_on(case)), extracted.by),
        registrations=[entry, *treatments],
        year=case.opened.year,
        sequence=case.pk,
        case_date=case.opened,
        administrative_unit=arena.name,
        responsible=responsible,
        status="Avsluttet",
    )


def _attached(file: AttachedFile, number: int, stamp: n5.Stamp) -> n5.DocumentDescription:
    created = n5.Stamp(file.created, stamp.by)
    return n5.DocumentDescription(
        system_id=n5.system_id("meeting-document", file.key),
        title=file.title,
        document_type=file.document_type,
        created=created,
        linked=created,
        number=number,
        # an appendix is an attachment wherever it stands
        linked_as="Hoveddokument" if number == 1 and file.document_type != "Vedlegg" else "Vedlegg",
        objects=[
            n5.DocumentObject(
                system_id=n5.system_id("meeting-file", file.key),
                file_name=file.file_name,
                content=file.content,
                format=file.format,
                created=created,
            )
        ],
    )


def meeting_dates(meeting: MeetingRecord) -> tuple[datetime, datetime]:
    """When the meeting file is created and closed: created as the record says but no
    later than the notice was sent or the meeting held (a record loaded or entered after
    the fact keeps the meeting's own dates); closed when the minutes were approved (else on
    the day it was held), never before the meeting."""
    bounds = [meeting.created, _at(meeting.day)]
    if meeting.notice_sent_on is not None:
        bounds.append(_at(meeting.notice_sent_on))
    created = min(bounds)
    closed = _at(max(meeting.approved_on or meeting.day, meeting.day))
    return created, max(created, closed)


def meeting_folder_id(meeting: MeetingRecord) -> str:
    """mappeID of a meeting file: its body and number, "Samkommunestyret møte 3/2007" (a
    body's name is unique in its arena, its number unique in the body's year)."""
    return f"{meeting.body_name} møte {meeting.number}"


def meeting_folder(
    meeting: MeetingRecord,
    arena: Arena,
    extracted: n5.Stamp,
    case_files: Mapping[int, str] | None = None,
) -> n5.MeetingFile:
    """The seam for meetings: one meeting as a moetemappe with a registration for its
    notice, each item and its minutes. `case_files` maps the extract's cases to their case
    files' systemIDs: an item treating one of them refers to its file."""
    unit = arena.name
    officer = arena.short_name or arena.name
    opened, closed = meeting_dates(meeting)
    created = n5.Stamp(opened, extracted.by)
    case_files = case_files or {}

    def registration(key: str, title: str, kind: str, **extra: object) -> n5.MeetingRegistration:
        return n5.MeetingRegistration(
            system_id=n5.system_id("meeting-registration", meeting.key, key),
            title=title,
            created=created,
            archived=extracted,
            registration_type=kind,
            administrative_unit=unit,
            case_officer=officer,
            **extra,  # type: ignore[arg-type]
        )

    registrations = []
    if meeting.notice or meeting.appendices:
        sent = [meeting.notice] if meeting.notice else []
        sent += list(meeting.appendices)
        registrations.append(
            registration(
                "notice",
                sent[0].title if meeting.notice else f"Møteinnkalling {meeting.body_name}",
                "Møteinnkalling",
                documents=[
                    _attached(doc, number, extracted) for number, doc in enumerate(sent, start=1)
                ],
            )
        )
    for index, item in enumerate(meeting.items, start=1):
        # the case file the item treats, when it is in the extract (kryssreferanse)
        linked = case_files.get(item.case_id) if item.case_id is not None else None
        registrations.append(
            registration(
                f"item-{index}",
                f"{item.number} {item.title}".strip(),
                "Saksliste",
                registration_id=item.registration_id,
                file_references=[linked] if linked else [],
                public_title=(f"{item.number} {item.closed_basis}" if item.closed_basis else ""),
                description=item.treatment,
                item_type="Politisk sak",
                item_status=item.outcome,
                screening=(
                    n5.Screening(restriction=item.restriction or "U", basis=item.closed_basis)
                    if item.closed_basis
                    else None
                ),
                documents=[
                    _attached(doc, number, extracted)
                    for number, doc in enumerate(item.documents, start=1)
                ],
            )
        )
    if meeting.minutes:
        registrations.append(
            registration(
                "minutes",
                meeting.minutes.title,
                "Møteprotokoll",
                documents=[
                    _attached(doc, number, extracted)
                    for number, doc in enumerate(
                        [meeting.minutes, *meeting.minutes_appendices], start=1
                    )
                ],
            )
        )
    return n5.MeetingFile(
        system_id=n5.system_id("meeting", meeting.key),
        folder_id=meeting_folder_id(meeting),
        title=f"{meeting.body_name} {meeting.day:%d.%m.%Y}",
        created=created,
        # closed when its minutes were approved (else on the day it was held)
        finished=n5.Stamp(closed, extracted.by),
        registrations=registrations,
        meeting_number=meeting.number,
        committee=meeting.body_name,
        meeting_date=meeting.day,
        place=meeting.place,
        participants=[n5.MeetingParticipant(name, role) for name, role in meeting.participants],
    )


def active_in(start: date, end: date) -> Q:
    """A case opened, treated (held or lapsed) or on the agenda of a meeting (not
    cancelled) from `start` to `end`: it belongs in that period's extract."""
    period = (start, end)
    treated = Decision.objects.filter(
        Q(meeting_date__range=period) | Q(lapsed_on__range=period), case__isnull=False
    ).values("case_id")
    items = AgendaItem.objects.filter(meeting__date__range=period).exclude(
        meeting__status=Meeting.Status.CANCELLED
    )
    return (
        Q(opened__range=period)
        | Q(pk__in=treated)
        | Q(pk__in=items.filter(case__isnull=False).values("case_id"))
        | Q(pk__in=items.filter(decision__case__isnull=False).values("decision__case_id"))
    )


def arena_cases(arena: Arena, start: date, end: date) -> list[Case]:
    """The arena's cases opened, treated or on a meeting's agenda from `start` to `end`
    (`active_in`), with their treatments (two queries)."""
    decisions = Decision.objects.select_related("municipality", "arena").order_by(
        "meeting_date", "planned_date", "pk"
    )
    return list(
        Case.objects.filter(active_in(start, end), arena=arena)
        .select_related("arena")
        .prefetch_related(Prefetch("decisions", decisions))
        .order_by("opened", "pk")
    )


def build_extract(
    arena: Arena,
    start: date,
    end: date,
    *,
    by: str,
    summary: Callable[[Case], bytes],
    meetings: Iterable[MeetingRecord] = (),
    now: datetime | None = None,
) -> Extract:
    """The extract of `arena`'s concluded cases opened, treated or on an agenda from
    `start` to `end` (and the meetings given), made by `by` at `now`. `summary` renders a
    case's summary PDF (`archive.documents.case_summary_pdf`; tests pass a cheaper one)."""
    if end < start:
        raise ValueError("the period ends before it starts")
    extracted = n5.Stamp(now or timezone.now(), by)
    cases = arena_cases(arena, start, end)
    kept = [case for case in cases if is_concluded(case)]
    creators = _creators(kept)
    folders: list[n5.Folder] = [
        _case_file(
            case,
            arena,
            summary=summary,
            extracted=extracted,
            creator=creators.get(case.pk, SYSTEM),
            period=(start, end),
        )
        for case in kept
    ]
    case_files = {case.pk: folder.system_id for case, folder in zip(kept, folders, strict=True)}
    folders += [meeting_folder(m, arena, extracted, case_files) for m in meetings]
    period = f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"
    part = n5.ArchivePart(
        system_id=n5.system_id("arena-part", arena.pk, start, end),
        title=f"{arena.name}: saker {period}",
        description=(
            f"Saker opprettet, behandlet eller på et møtes saksliste {period} (med det som "
            "skjedde i dem i perioden), avsluttet ved uttrekket; møter med godkjent protokoll."
        ),
        created=extracted,
        finished=extracted,
        period_start=start,
        period_end=end,
        folders=folders,
    )
    archive = n5.Archive(
        system_id=n5.system_id("arena-archive", arena.pk),
        title=f"Samarbeid: {arena.name}",
        description="Arkivuttrekk fra Samarbeid (Noark 5 v5.0).",
        created=extracted,
        finished=extracted,
        creators=[
            n5.ArchiveCreator(
                creator_id=arena.organisation_number or arena.short_name,
                name=arena.name,
            )
        ],
        parts=[part],
    )
    name = slugify(f"arkivuttrekk-{arena.short_name}-{start:%Y%m%d}-{end:%Y%m%d}")
    left_out = [case for case in cases if case not in kept]
    return Extract(archive=archive, folder_name=name, cases=kept, left_out=left_out)
