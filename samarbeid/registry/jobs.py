"""The register's imports as background tasks (samarbeid.jobs): a secretariat for every
arena uploads Statistics Norway's classification, its population table or a download of the
register of legal entities on the tasks' start page (/oppgaver/ny/<kind>/); the file is kept
with the task in the database, so a worker on any machine reads it. The task calls the same
service as the commands (import_municipalities, import_population_data,
import_legal_entities): everything is checked first, and on any problem nothing is written
and the task's error names the file, the line and the problem."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.phrases import Param, phrase, plural
from samarbeid.jobs.kinds import Kind, Outcome, kind_of, register
from samarbeid.jobs.models import Job
from samarbeid.jobs.services import JobFailed, Progress, file_refused, start
from samarbeid.registry import services
from samarbeid.registry.file_messages import as_phrase
from samarbeid.registry.forms import (
    LEGAL_ENTITIES_FILE_HELP,
    MUNICIPALITIES_FILE_HELP,
    POPULATION_FILE_HELP,
)
from samarbeid.registry.permissions import POPULATION_IMPORT_REFUSAL, can_import_population

MUNICIPALITIES = "import_municipalities"
POPULATION = "import_population"
LEGAL_ENTITIES = "import_legal_entities"


TO_MUNICIPALITIES = phrase("Til kommunene")


def _may_import(user: Any, job: Job) -> bool:
    # every import names every municipality (or every unit): the national secretariat's
    return can_import_population(user)


def _upload(job: Job) -> tuple[str, bytes]:
    if job.upload is None or not job.upload_name:
        raise JobFailed(phrase("Oppgaven mangler filen den skulle lese."))
    # only the name's last part: it names the file in the problems, never a place on disk
    return Path(job.upload_name).name or "fil", bytes(job.upload)


def _refused(exc: services.ImportProblem) -> JobFailed:
    """The import's problems as phrases: the task tells them in its reader's language."""
    problems: list[Param] = [as_phrase(problem) for problem in exc.details]
    return file_refused(problems or list(exc.problems))


def _from_file(
    job: Job,
    progress: Progress,
    service: Callable[[Path], Any],
    told: Callable[[str, Any], Outcome],
) -> Outcome:
    """Run `service` on the task's kept upload, written to a file of the same name in a
    directory of the worker's own (the services read a path and name the file in their
    problems), gone after; `told(file name, summary)` is the result. Any problem: nothing
    saved, each problem named (file_refused)."""
    if job.started_by is None:
        raise PermissionDenied
    progress(phrase("Leser og kontrollerer filen"), done=0, total=2)
    name, content = _upload(job)
    with tempfile.TemporaryDirectory(prefix="samarbeid-import-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            summary = service(path)
        except services.ImportProblem as exc:
            raise _refused(exc) from exc
    progress(phrase("Lagret"))
    return told(name, summary)


def _municipalities(job: Job, progress: Progress) -> Outcome:
    def told(name: str, summary: Any) -> Outcome:
        return Outcome(
            message=phrase(
                "Kommuneregisteret er oppdatert fra %(file)s: %(created)s nye, %(updated)s "
                "endret, %(links)s endringer mellom kommuner.",
                file=name,
                created=summary.created,
                updated=summary.updated,
                links=summary.links,
            ),
            link="/kommuner/",
            link_text=TO_MUNICIPALITIES,
        )

    return _from_file(job, progress, services.import_municipalities, told)


def start_population(
    name: str,
    content: bytes,
    *,
    actor: Actor,
    channel: str,
    language: str,
    municipality: str = "",
) -> Job:
    """Queue the import of Statistics Norway's table 07459 (`content`, uploaded as `name`),
    kept with the task in the database: the population page's upload and the API's
    `POST /population-files` alike. The task reads and checks the whole file with
    services.import_population_data and writes nothing on any problem; its problems and
    result are in `language`. `municipality` (a code): the page it was started from, where
    the result leads back to."""
    params: dict[str, Any] = {"channel": channel, "language": language}
    if municipality:
        params["municipality"] = municipality
    return start(
        POPULATION,
        actor=actor,
        channel=channel,
        title=kind_of(POPULATION).title(name),
        params=params,
        upload=(name, content),
    )


def _population(job: Job, progress: Progress) -> Outcome:
    if job.started_by is None:
        raise PermissionDenied
    name, content = _upload(job)
    progress(phrase("Leser og kontrollerer filen"), done=0, total=2)
    try:
        stored = services.import_population_data(
            content,
            name,
            actor=job.started_by,
            channel=job.params.get("channel", Channel.PAGE),
        )
    except services.ImportProblem as exc:
        raise _refused(exc) from exc
    progress(phrase("Lagret"))
    message = plural(
        "Ett folketall er lest fra %(file)s og lagret.",
        "%(n)s folketall er lest fra %(file)s og lagret.",
        stored,
        n=stored,
        file=name,
    )
    # started from a municipality's population page: the result leads back there
    code = job.params.get("municipality")
    if isinstance(code, str) and code:
        return Outcome(
            message=message,
            link=reverse("registry:population", args=[code]),
            link_text=phrase("Tilbake til folketallene"),
        )
    return Outcome(message=message, link="/kommuner/", link_text=TO_MUNICIPALITIES)


def _legal_entities(job: Job, progress: Progress) -> Outcome:
    def told(name: str, summary: Any) -> Outcome:
        return Outcome(
            message=phrase(
                "Enhetene i %(file)s er lagret: %(created)s nye, %(updated)s endret, "
                "%(unchanged)s uendret.",
                file=name,
                created=summary.created,
                updated=summary.updated,
                unchanged=summary.unchanged,
            )
        )

    return _from_file(job, progress, services.import_legal_entities, told)


# Which file each import reads, under its start page's field.
FILE_HELP = {
    MUNICIPALITIES: MUNICIPALITIES_FILE_HELP,
    POPULATION: POPULATION_FILE_HELP,
    LEGAL_ENTITIES: LEGAL_ENTITIES_FILE_HELP,
}


def register_kinds() -> None:
    # a national import reads and checks the whole file before it writes: long single steps
    limit = timedelta(minutes=30)
    for name, label, work, refusal in (
        (
            MUNICIPALITIES,
            gettext_noop("Import av kommuneregisteret"),
            _municipalities,
            gettext_lazy("Bare et sekretariat for alle arenaer kan lese inn kommuneregisteret."),
        ),
        (
            POPULATION,
            gettext_noop("Import av folketall"),
            _population,
            POPULATION_IMPORT_REFUSAL,
        ),
        (
            LEGAL_ENTITIES,
            gettext_noop("Import av Enhetsregisteret"),
            _legal_entities,
            gettext_lazy("Bare et sekretariat for alle arenaer kan lese inn Enhetsregisteret."),
        ),
    ):
        register(
            Kind(
                name,
                label,
                work,
                _may_import,
                start_page=True,
                accepts_file=True,
                stale_after=limit,
                refusal=refusal,
                file_help=FILE_HELP[name],
            )
        )
