"""Export and import of the whole data set as background tasks (samarbeid.jobs), started by
an administrator on the tasks' start page. They call the same functions as the commands
`export_all` and `import_all` (portal.transfer): the export's file is kept with the task to
download; the import's upload is kept with the task in the database, checked whole, and
written in one transaction or not at all (the task's error names each problem)."""

from __future__ import annotations

import json
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from samarbeid.core.phrases import phrase
from samarbeid.jobs.kinds import Kind, Outcome, ResultFile, register
from samarbeid.jobs.models import Job
from samarbeid.jobs.services import JobFailed, Progress, file_refused
from samarbeid.portal.transfer import ImportRefused, export_data, import_from

EXPORT = "export_all"
IMPORT = "import_all"


def _may(user: Any, job: Job) -> bool:
    # the whole data set holds every user's password hash and the audit trail
    return bool(getattr(user, "is_superuser", False))


def _export(job: Job, progress: Progress) -> Outcome:
    if job.started_by is None or not job.started_by.is_superuser:
        raise PermissionDenied
    progress(phrase("Leser alle postene"), done=0, total=2)
    data = export_data()
    progress(phrase("Skriver filen"))
    content = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    name = f"samarbeid-{timezone.localdate():%Y-%m-%d}.json"
    return Outcome(
        message=phrase("%(n)s poster er eksportert.", n=len(data["records"])),
        file=ResultFile(name, content, "application/json"),
    )


def _import(job: Job, progress: Progress) -> Outcome:
    if job.started_by is None or not job.started_by.is_superuser:
        raise PermissionDenied
    if job.upload is None or not job.upload_name:
        raise JobFailed(phrase("Oppgaven mangler filen den skulle lese."))
    name = Path(job.upload_name).name or "eksport.json"
    progress(phrase("Leser og kontrollerer filen"), done=0, total=2)
    with tempfile.TemporaryDirectory(prefix="samarbeid-import-") as folder:
        path = Path(folder) / name
        path.write_bytes(bytes(job.upload))
        try:
            count = import_from(path)
        except ImportRefused as exc:
            raise file_refused([f"{name}: {problem}" for problem in exc.problems]) from exc
        except UnicodeDecodeError as exc:
            raise JobFailed(
                phrase("Ingenting ble lagret. %(file)s er ikke UTF-8.", file=name)
            ) from exc
    progress(phrase("Lagret"))
    return Outcome(message=phrase("%(n)s poster er importert fra %(file)s.", n=count, file=name))


# the whole data set holds every user's password hash: an administrator's (`_may`)
WHOLE_DATA_SET = gettext_lazy("Bare en administrator kan eksportere eller importere alle data.")


def register_kinds() -> None:
    limit = timedelta(minutes=60)  # one long step each: the whole database at once
    register(
        Kind(
            EXPORT,
            gettext_noop("Eksport av alle data"),
            _export,
            _may,
            start_page=True,
            stale_after=limit,
            refusal=WHOLE_DATA_SET,
        )
    )
    register(
        Kind(
            IMPORT,
            gettext_noop("Import av alle data"),
            _import,
            _may,
            start_page=True,
            accepts_file=True,
            stale_after=limit,
            refusal=WHOLE_DATA_SET,
        )
    )
