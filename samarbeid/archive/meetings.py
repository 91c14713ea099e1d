"""The meetings app's meetings as the extract's meeting files (`extract.MeetingRecord`).

Which meetings: the arena's meetings held from `start` to `end` whose minutes are approved
(a meeting without approved minutes is not finished and belongs in a later extract; a
cancelled one has nothing to archive). For each: the notice and the meeting's other files
(one registration), each agenda item with its files, and the minutes; who was present; a
closed item keeps its full title and its legal basis as skjerming (`tilgangsrestriksjon`
the paragraph of the Freedom of Information Act, `skjermingshjemmel` the basis as written).
Documents go in with their content (size and SHA-256 computed by `lib.noark5`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import override

from samarbeid.archive.extract import (
    AttachedFile,
    Extract,
    MeetingItem,
    MeetingRecord,
    build_extract,
)
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import AuditEntry
from samarbeid.governance.models import Case, Decision
from samarbeid.meetings.models import AgendaItem, Attendance, LegalBasis, Meeting, MeetingDocument
from samarbeid.meetings.views.minutes import minutes_pdf
from samarbeid.meetings.views.notice import notice_pdf

# tilgangsrestriksjon (Noark 5 M500) per legal basis: the section of offentleglova, or
# "U" (unntatt) where the basis is another law
RESTRICTIONS: dict[str, str] = {
    LegalBasis.DUTY_OF_CONFIDENTIALITY: "13",
    LegalBasis.INTERNAL_DOCUMENT: "14",
    LegalBasis.NEGOTIATING_POSITION: "23",
    LegalBasis.CLOSED_MEETING: "U",
    LegalBasis.OTHER: "U",
}

DOCUMENT_TYPES: dict[str, str] = {
    MeetingDocument.Kind.NOTICE: "Møteinnkalling",
    MeetingDocument.Kind.CASE_PRESENTATION: "Saksframlegg",
    MeetingDocument.Kind.APPENDIX: "Vedlegg",
    MeetingDocument.Kind.MINUTES: "Møteprotokoll",
    MeetingDocument.Kind.OTHER: "Dokument",
}

FORMATS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


def archived_meetings(arena: Arena, start: date, end: date) -> list[Meeting]:
    """The arena's meetings held from `start` to `end` with approved minutes, with their
    items (their decisions and votes), documents and attendance (seven queries)."""
    return list(
        Meeting.objects.filter(
            body__arena=arena,
            date__gte=start,
            date__lte=end,
            status=Meeting.Status.MINUTES_APPROVED,
        )
        .select_related("body")
        .prefetch_related(
            Prefetch(
                "items",
                AgendaItem.objects.select_related("decision")
                .prefetch_related("decision__votes__municipality")
                .order_by("position", "pk"),
            ),
            Prefetch("documents", MeetingDocument.objects.order_by("date", "pk")),
            Prefetch("attendance", Attendance.objects.select_related("member")),
        )
        .order_by("date", "start_time", "pk")
    )


def _created(meetings: Sequence[Meeting]) -> dict[int, datetime]:
    """When each meeting was created, as the audit trail says (one query)."""
    rows = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Meeting),
            object_id__in=[str(m.pk) for m in meetings],
        )
        .values("object_id")
        .annotate(first=Min("at"))
    )
    return {int(row["object_id"]): row["first"] for row in rows}


def _file(document: MeetingDocument) -> AttachedFile:
    with document.file.open("rb") as handle:
        content = handle.read()
    ext = document.filename.rpartition(".")[2].upper() if "." in document.filename else "BIN"
    return AttachedFile(
        key=f"document-{document.pk}",
        title=document.title,
        file_name=f"mote-{document.meeting_id}-dokument-{document.pk}.{ext.lower()}",
        content=content,
        created=timezone.make_aware(datetime.combine(document.date, time(0, 0))),
        format=FORMATS.get(document.content_type, ext),
        document_type=DOCUMENT_TYPES.get(document.kind, "Dokument"),
    )


def _numbers(meetings: Sequence[Meeting]) -> dict[int, str]:
    """moetenummer: the meeting's own number, its place among its body's meetings of the
    year ("3/2007": the body's third meeting in 2007; cancelled ones not counted), with
    the year in full so that it is not read as an item's number ("Sak 1/07") (one query)."""
    bodies = {m.body_id for m in meetings}
    years = {m.date.year for m in meetings}
    held = (
        Meeting.objects.filter(body_id__in=bodies, date__year__in=years)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("date", "start_time", "pk")
        .values_list("pk", "body_id", "date")
    )
    counted: dict[tuple[int, int], int] = {}
    found: dict[int, str] = {}
    for pk, body_id, day in held:
        key = (body_id, day.year)
        counted[key] = counted.get(key, 0) + 1
        found[pk] = f"{counted[key]}/{day.year}"
    return found


@dataclass(frozen=True)
class MeetingPdfs:
    """The notice and the approved minutes as the meetings app prints them (PDF)."""

    notice: bytes | None
    minutes: bytes | None


class _PrintRequest(HttpRequest):
    """A GET by `user` outside a request (the task, the command), for the meetings app's PDF
    views; the host and scheme are the site's (SITE_URL), as the pages' links would be."""

    def __init__(self, user: Any) -> None:
        super().__init__()
        self.method = "GET"
        self.user = user

    def get_host(self) -> str:
        return urlsplit(settings.SITE_URL).netloc or "localhost"

    def _get_scheme(self) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"


def meeting_pdfs(user: Any) -> Callable[[Meeting], MeetingPdfs]:
    """The meetings app's own notice and minutes PDFs of a meeting, as `user` reads them
    (the secretariat reads the closed items too), always in bokmål: the archive's copy."""

    def render(meeting: Meeting) -> MeetingPdfs:
        with override("nb"):
            notice = (
                notice_pdf(_PrintRequest(user), meeting.pk).content
                if meeting.notice_sent_on or meeting.status != Meeting.Status.PLANNED
                else None
            )
            minutes = minutes_pdf(_PrintRequest(user), meeting.pk).content
        return MeetingPdfs(notice=notice, minutes=minutes)

    return render


def _generated(meeting: Meeting, kind: str, content: bytes, day: date) -> AttachedFile:
    title, name = {
        "notice": ("Møteinnkalling", "innkalling"),
        "minutes": ("Møteprotokoll", "protokoll"),
    }[kind]
    return AttachedFile(
        key=f"meeting-{meeting.pk}-{kind}",
        title=f"{title} {meeting.body.name} {meeting.date:%d.%m.%Y}",
        file_name=f"mote-{meeting.pk}-{name}.pdf",
        content=content,
        created=timezone.make_aware(datetime.combine(day, time(0, 0))),
        document_type=title,
    )


def _votes(decision: Decision | None) -> str:
    if decision is None:
        return ""
    votes = list(decision.votes.all())
    return "; ".join(f"{v.municipality.name}: {v.get_choice_display()}" for v in votes)


def _outcome(item: AgendaItem) -> str:
    with override("nb"):
        return str(item.get_outcome_display()) if item.outcome else ""


def treatment_text(item: AgendaItem) -> str:
    """What the minutes say of `item`: its treatment, outcome, decision and vote (bokmål)."""
    with override("nb"):
        lines = []
        if item.treatment:
            lines.append(f"Behandling: {item.treatment}")
        if item.outcome:
            lines.append(f"Utfall: {_outcome(item)}")
        if item.decision_text:
            lines.append(f"Vedtak: {item.decision_text}")
        votes = _votes(item.decision)
        if votes:
            lines.append(f"Avstemning: {votes}")
        return "\n".join(lines)


def meeting_records(
    arena: Arena,
    start: date,
    end: date,
    *,
    pdfs: Callable[[Meeting], MeetingPdfs] | None = None,
) -> list[MeetingRecord]:
    """`arena`'s archived meetings of the period as the extract's meeting records; `pdfs`
    prints each meeting's notice and minutes (`meeting_pdfs`; without it, only the
    uploaded files go in)."""
    meetings = archived_meetings(arena, start, end)
    created = _created(meetings)
    numbers = _numbers(meetings)
    records = []
    for meeting in meetings:
        documents = list(meeting.documents.all())
        loose = [d for d in documents if d.item_id is None]
        notices = [d for d in loose if d.kind == MeetingDocument.Kind.NOTICE]
        minutes = [d for d in loose if d.kind == MeetingDocument.Kind.MINUTES]
        others = [d for d in loose if d not in notices[:1] and d not in minutes[:1]]
        printed = pdfs(meeting) if pdfs else MeetingPdfs(None, None)
        notice = [_file(d) for d in notices[:1]]
        if printed.notice is not None:
            day = meeting.notice_sent_on or meeting.date
            notice.insert(0, _generated(meeting, "notice", printed.notice, day))
        protocol = [_file(d) for d in minutes[:1]]
        if printed.minutes is not None:
            day = meeting.minutes_approved_on or meeting.date
            protocol.insert(0, _generated(meeting, "minutes", printed.minutes, day))
        items = [
            MeetingItem(
                number=item.reference,
                title=item.title,
                treatment=treatment_text(item),
                outcome=_outcome(item),
                closed_basis=item.basis_label if item.closed else "",
                restriction=RESTRICTIONS.get(item.legal_basis, "U") if item.closed else "",
                documents=[_file(d) for d in documents if d.item_id == item.pk],
                registration_id=item.number_label,
                case_id=item.case_id or (item.decision.case_id if item.decision else None),
            )
            for item in meeting.items.all()
        ]
        records.append(
            MeetingRecord(
                key=f"meeting-{meeting.pk}",
                body_name=meeting.body.name,
                number=numbers.get(meeting.pk, f"{meeting.date:%d.%m.%Y}"),
                day=meeting.date,
                created=created.get(meeting.pk)
                or timezone.make_aware(datetime.combine(meeting.date, meeting.start_time)),
                place=meeting.place or meeting.video_link,
                participants=[
                    (row.member.person, str(row.member.get_role_display()))
                    for row in meeting.attendance.all()
                ],
                items=items,
                notice=notice[0] if notice else None,
                minutes=protocol[0] if protocol else None,
                appendices=[*notice[1:], *(_file(d) for d in others)],
                minutes_appendices=protocol[1:],
                approved_on=meeting.minutes_approved_on,
                notice_sent_on=meeting.notice_sent_on,
            )
        )
    return records


def arena_extract(
    arena: Arena,
    start: date,
    end: date,
    *,
    by: str,
    summary: Callable[[Case], bytes],
    now: datetime | None = None,
    pdfs: Callable[[Meeting], MeetingPdfs] | None = None,
) -> Extract:
    """The extract of `arena`'s cases and archived meetings of the period (what the page,
    the task and the command make)."""
    return build_extract(
        arena,
        start,
        end,
        by=by,
        summary=summary,
        meetings=meeting_records(arena, start, end, pdfs=pdfs),
        now=now,
    )
