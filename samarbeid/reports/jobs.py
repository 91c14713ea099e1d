"""The annual report's PDF and workbook made as a background task (samarbeid.jobs), kept
with the task for download: the same report (services.annual_report) and the same
exports as the page's downloads."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.phrases import Phrase, phrase
from samarbeid.jobs import services as jobs
from samarbeid.jobs.kinds import Kind, Outcome, ResultFile, register
from samarbeid.jobs.models import Job
from samarbeid.jobs.services import Progress
from samarbeid.reports import exports, services

ANNUAL = "annual_report"
# a format's name (a message id: the page and the task's title translate it) and file type
FORMATS = {
    "pdf": (gettext_noop("PDF"), "application/pdf"),
    "xlsx": (gettext_noop("Excel"), exports.XLSX),
}


def report_arenas(user: Any) -> QuerySet[Arena]:
    """The arenas whose annual report `user` may read and download (the page, its PDF and
    workbook): those they see. The one rule for the report: whoever may download it may
    make it as a task too (it writes no domain data)."""
    return Arena.objects.visible_to(user)


def may_make_annual(user: Any, arena_id: int | None) -> bool:
    """Making the annual report in the background: whoever may download it (signed in, as
    a task has someone who started it)."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and arena_id is not None
        and report_arenas(user).filter(pk=arena_id).exists()
    )


def _may_start(user: Any, job: Job) -> bool:
    return may_make_annual(user, job.arena_id)


def _title(arena: Arena, year: int, fmt: str) -> Phrase:
    return phrase(
        "Årsrapport %(y)s: %(a)s (%(f)s)", y=year, a=arena.name, f=phrase(FORMATS[fmt][0])
    )


def start_annual(
    arena: Arena, year: int, fmt: str, *, actor: Actor, channel: str = Channel.PAGE
) -> Job:
    return jobs.start(
        ANNUAL,
        actor=actor,
        channel=channel,
        title=_title(arena, year, fmt),
        arena=arena,
        params={"year": year, "format": fmt},
    )


def _annual(job: Job, progress: Progress) -> Outcome:
    if job.started_by is None or job.arena_id is None:
        raise PermissionDenied
    year, fmt = int(job.params["year"]), job.params["format"]
    progress(phrase("Samler tallene for årsrapporten"), done=0, total=2)
    arena = report_arenas(job.started_by).filter(pk=job.arena_id).first()
    if arena is None:
        raise PermissionDenied
    report = services.annual_report(arena, year, job.started_by)
    title = _("Årsrapport %(y)s: %(a)s") % {"y": year, "a": arena.name}
    if fmt == "pdf":
        progress(phrase("Lager PDF-en"))
        content = exports.pdf_bytes(
            "reports/_annual.html", {"report": report, "title": title}, settings.SITE_URL + "/"
        )
    else:
        progress(phrase("Lager regnearket"))
        content = exports.workbook_bytes(exports.annual_sheets(report))
    progress(phrase("Ferdig"))
    return Outcome(
        message=phrase("Årsrapporten er klar til nedlasting."),
        link=reverse("reports:annual", args=[arena.pk, year]),
        link_text=phrase("Se årsrapporten på nettsiden"),
        file=ResultFile(f"arsrapport-{arena.short_name}-{year}.{fmt}", content, FORMATS[fmt][1]),
    )


def _target(job: Job) -> tuple[str, str] | None:
    """The annual report's page (a failed report is mended in what it reads)."""
    if job.arena is None:
        return None
    year = job.params.get("year")
    return reverse("reports:annual", args=[job.arena.pk, year]), _(
        "Gå til årsrapporten %(year)s for %(arena)s"
    ) % {"year": year, "arena": job.arena.name}


def register_kinds() -> None:
    register(Kind(ANNUAL, gettext_noop("Årsrapport"), _annual, _may_start, target=_target))
