"""The archive extract made as a background task (samarbeid.jobs): the zip of
`arkivstruktur.xml` and its files, validated, kept with the task for download. The page
starts it; the command `archive_extract` makes the same extract in the foreground."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import get_language, gettext_noop

from samarbeid.accounts.permissions import is_secretariat
from samarbeid.archive.documents import case_summary_pdf
from samarbeid.archive.meetings import arena_extract, meeting_pdfs
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.phrases import Text, joined, phrase, plural
from samarbeid.jobs import services as jobs
from samarbeid.jobs.kinds import Kind, Outcome, ResultFile, register
from samarbeid.jobs.models import Job
from samarbeid.jobs.services import JobFailed, Progress
from samarbeid.lib.noark5 import MeetingFile
from samarbeid.lib.noark5_xml import InvalidExtract, extract_zip

EXTRACT = "archive_extract"


def _may_start(user: Any, job: Job) -> bool:
    """The arena's secretariat (the extract holds its closed items and unpublished cases)."""
    return job.arena is not None and is_secretariat(user, job.arena)


def start_extract(
    arena: Arena, start: date, end: date, *, actor: Actor, channel: str = Channel.PAGE
) -> Job:
    title = phrase(
        "Arkivuttrekk %(a)s %(s)s–%(e)s",
        a=arena.short_name or arena.name,
        s=f"{start:%d.%m.%Y}",
        e=f"{end:%d.%m.%Y}",
    )
    return jobs.start(
        EXTRACT,
        actor=actor,
        channel=channel,
        title=title,
        arena=arena,
        # a problem a service words is said in the language of who started it
        params={"start": start.isoformat(), "end": end.isoformat(), "language": get_language()},
    )


def result_message(cases: int, meetings: int, left_out: int) -> Text:
    """ "Uttrekket er klart: 2 saker og 3 møter." (and the cases still under treatment)."""
    message = phrase(
        "Uttrekket er klart: %(cases)s og %(meetings)s.",
        cases=plural("%(n)d sak", "%(n)d saker", cases, n=cases),
        meetings=plural("%(n)d møte", "%(n)d møter", meetings, n=meetings),
    )
    if not left_out:
        return message
    return joined(
        message,
        plural(
            "%(n)d sak er fortsatt til behandling og er ikke med.",
            "%(n)d saker er fortsatt til behandling og er ikke med.",
            left_out,
            n=left_out,
        ),
    )


def _extract(job: Job, progress: Progress) -> Outcome:
    if job.started_by is None or job.arena is None or not _may_start(job.started_by, job):
        raise PermissionDenied
    start, end = date.fromisoformat(job.params["start"]), date.fromisoformat(job.params["end"])
    progress(phrase("Henter saker og møter"), done=0, total=3)
    extract = arena_extract(
        job.arena,
        start,
        end,
        by=job.started_by.get_username(),
        summary=case_summary_pdf,
        pdfs=meeting_pdfs(job.started_by),
    )
    progress(phrase("Pakker og kontrollerer uttrekket mot skjemaene"))
    try:
        content = extract_zip(extract.archive, extract.folder_name)
    except InvalidExtract as exc:
        raise JobFailed(
            phrase("Uttrekket følger ikke Noark 5-skjemaet: %(e)s", e=str(exc))
        ) from exc
    progress(phrase("Ferdig"))
    meetings = sum(isinstance(f, MeetingFile) for p in extract.archive.parts for f in p.folders)
    message = result_message(len(extract.cases), meetings, len(extract.left_out))
    return Outcome(
        message=message, file=ResultFile(f"{extract.folder_name}.zip", content, "application/zip")
    )


def register_kinds() -> None:
    register(Kind(EXTRACT, gettext_noop("Arkivuttrekk"), _extract, _may_start))
