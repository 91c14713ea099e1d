"""Starting, running and retrying background tasks.

Progress is written in autocommit, outside the work's transaction, so a page polling the
task sees it while the task runs; the work itself computes first (reporting progress) and
then writes its domain data in one short atomic block (on SQLite a long write transaction
would block the progress writes, and a failure must leave nothing half-written)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import Actor, record
from samarbeid.core.phrases import Joined, Param, Phrase, Text, as_json, joined, phrase
from samarbeid.core.services import create_record
from samarbeid.jobs.kinds import Outcome, kind_of
from samarbeid.jobs.models import Job

if TYPE_CHECKING:
    from samarbeid.arenas.models import Arena

logger = logging.getLogger("samarbeid.jobs")


class JobFailed(Exception):
    """The task failed for a reason a user can read (kept on the task): a phrase (told in
    the reader's language) or a text."""

    def __init__(self, reason: Text) -> None:
        super().__init__(str(reason))
        self.reason = reason


# At most this many of a file's problems are kept in a failed import's error (a count says
# how many more).
SHOWN_PROBLEMS = 50


def file_refused(problems: list[str] | list[Param]) -> JobFailed:
    """A failed import's error: that nothing was saved, then each problem (file, line,
    problem), at most SHOWN_PROBLEMS. Problems given as phrases make the error a phrase,
    told whole in its reader's language; an import that words its problems (any a str, in
    the starter's language) has the whole error told in that (not half in the reader's),
    and the page marks its language."""
    shown = list(problems[:SHOWN_PROBLEMS])
    lines: list[Param] = [phrase("Ingenting ble lagret. Filen har disse feilene:"), *shown]
    if len(problems) > len(shown):
        lines.append(phrase("… og %(n)s feil til.", n=len(problems) - len(shown)))
    error = joined(*lines, sep="\n")
    if any(isinstance(problem, str) for problem in problems):
        return JobFailed(str(error))
    return JobFailed(error)


class Progress:
    """How far a running task has come: each call writes at once (autocommit)."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def __call__(self, text: Text, *, done: int | None = None, total: int | None = None) -> None:
        self.job.texts = {**self.job.texts, "step": as_json(text)}
        changes: dict[str, Any] = {"step_text": str(text)[:200], "texts": self.job.texts}
        if total is not None:
            self.job.steps_total = changes["steps_total"] = total
        self.job.steps_done = changes["steps_done"] = (
            done if done is not None else self.job.steps_done + 1
        )
        self.job.step_text = str(text)[:200]
        changes["heartbeat_at"] = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(**changes)
        logger.info(
            "job_id=%s kind=%s event=progress done=%s total=%s step=%r",
            self.job.pk,
            self.job.kind,
            self.job.steps_done,
            self.job.steps_total,
            str(text),
        )


def _enqueue(job: Job, run_after: datetime | None = None) -> None:
    # imported here: tasks imports this module (the task calls run())
    from samarbeid.jobs.tasks import run_job

    task = run_job.using(run_after=run_after) if run_after is not None else run_job
    result = task.enqueue(job.pk)
    job.task_result_id = str(result.id)
    Job.objects.filter(pk=job.pk).update(task_result_id=job.task_result_id)


def start(
    kind: str,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    title: Text,
    arena: Arena | None = None,
    params: dict[str, Any] | None = None,
    run_after: datetime | None = None,
    upload: tuple[str, bytes] | None = None,
) -> Job:
    """Queue a task of `kind` for `actor` (who must be allowed to start it), audited; the
    worker runs it once the caller's transaction commits (and not before `run_after`).
    `upload` (name, content): the file the task reads, kept with it in the database for
    whichever worker runs it. `title`: best a phrase, so that each reader reads it in their
    own language."""
    job = Job(
        kind=kind,
        title=str(title)[:200],
        texts={"title": as_json(title)},
        arena=arena,
        params=params or {},
        run_after=run_after,
    )
    if upload is not None:
        job.upload_name = upload[0][:200]
        job.upload = upload[1]
    if getattr(actor, "is_authenticated", False):
        job.started_by = actor  # type: ignore[assignment]
    kind_of(kind).require_may_start(actor, job)
    with transaction.atomic():
        if job.started_by is not None:
            # one start at a time per user (a row lock on PostgreSQL; SQLite's IMMEDIATE
            # transactions already take turns), so a double click cannot slip in twice
            list(get_user_model().objects.select_for_update().filter(pk=job.started_by.pk))
            existing = _same_unfinished(job)
            if existing is not None:
                existing.already_queued = True
                logger.info("job_id=%s kind=%s event=already_queued", existing.pk, existing.kind)
                return existing
        create_record(job, actor=actor, channel=channel)
        _enqueue(job, run_after)
    logger.info("job_id=%s kind=%s event=queued", job.pk, job.kind)
    return job


# What a task's params say about how it was asked, not what it works on: a page's start and
# an API call's for the same target are the same task.
NOT_THE_TARGET = frozenset({"channel", "language"})


def _target(params: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if key not in NOT_THE_TARGET}


def _same_unfinished(job: Job) -> Job | None:
    """The task the same user started of the same kind, for the same arena, parameters and
    uploaded file, that still waits or runs (a second click must not queue it again)."""
    candidates = Job.objects.filter(
        kind=job.kind,
        started_by=job.started_by,
        arena=job.arena,
        upload_name=job.upload_name,
        status__in=(Job.Status.WAITING, Job.Status.RUNNING),
    ).defer("result_file")
    if job.upload is None:
        candidates = candidates.defer("upload")
    wanted = _target(job.params)
    for candidate in candidates.order_by("created_at", "pk"):
        if _target(candidate.params) != wanted:
            continue
        if job.upload is not None and bytes(candidate.upload or b"") != bytes(job.upload):
            continue
        return candidate
    return None


def retry(job: Job, *, actor: Actor, channel: str = Channel.PAGE) -> Job:
    """Queue a failed task again (as `actor`, who must be allowed to start it)."""
    kind = kind_of(job.kind)
    kind.require_may_start(actor, job)
    if job.status != Job.Status.FAILED:
        raise ValidationError(_("Bare en oppgave som har feilet kan prøves igjen."))
    if job.needs_a_new_file:
        raise ValidationError(
            _("Rett feilene i %(name)s og last opp den rettede filen.") % {"name": job.upload_name}
        )
    if kind.check is not None:
        kind.check(job)  # what would fail it again at once: refused now, nothing queued
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status != Job.Status.FAILED:
            raise ValidationError(_("Bare en oppgave som har feilet kan prøves igjen."))
        before = {"status": locked.status, "error": locked.error}
        job.status = Job.Status.WAITING
        job.error = ""
        job.steps_done = job.steps_total = 0
        job.step_text = ""
        job.texts = {key: text for key, text in job.texts.items() if key == "title"}
        job.started_at = job.finished_at = job.heartbeat_at = None
        job.run_after = None  # tried again now, not at its first planned time
        if getattr(actor, "is_authenticated", False):
            job.started_by = actor  # type: ignore[assignment]
        job.save()
        record(job, AuditEntry.Action.UPDATE, actor=actor, channel=channel, before=before)
        _enqueue(job)
    logger.info("job_id=%s kind=%s event=retried", job.pk, job.kind)
    return job


def _said(exc: ValidationError) -> list[Any]:
    """The messages of `exc` as the service gave them (a phrase stays a phrase), each with
    its params applied if it is a plain string."""
    said: list[Any] = []
    for error in exc.error_list if not hasattr(exc, "error_dict") else _flat(exc):
        message = error.message
        if error.params and isinstance(message, str):
            message = message % error.params
        said.append(message)
    return said


def _flat(exc: ValidationError) -> list[ValidationError]:
    return [error for errors in exc.error_dict.values() for error in errors]


def _reason(exc: BaseException) -> Text:
    """Why the task failed: a phrase where this layer or the kind words it; a service's
    refusal (ValidationError) as it came, in the starter's language (the page marks it)."""
    if isinstance(exc, JobFailed):
        return exc.reason
    if isinstance(exc, ValidationError):
        said = _said(exc)
        if said and all(isinstance(message, Phrase | Joined) for message in said):
            return joined(*said)  # the service gave phrases: told in the reader's language
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return phrase(
            gettext_noop("Den som startet oppgaven har ikke lenger tilgang til å gjøre dette.")
        )
    return phrase(
        gettext_noop("En uventet feil stoppet oppgaven. Ingenting ble lagret; prøv igjen.")
    )


def _language(job: Job) -> str:
    """The language the task's problems and result are told in: the one its starter gave
    (`params["language"]`, e.g. the page's), else the site's."""
    language = job.params.get("language")
    if isinstance(language, str) and language in dict(settings.LANGUAGES):
        return language
    return settings.LANGUAGE_CODE


def run(job_id: int) -> Outcome | None:
    """Run the task `job_id` as its starter (the worker calls this): waiting → running →
    done with its result, or failed with the reason (then raised again, so the queue's
    record is failed too)."""
    sweep_stopped()  # the worker looks for tasks whose worker died each time it starts one
    job = Job.objects.select_related("started_by", "arena").get(pk=job_id)
    kind = kind_of(job.kind)
    now = timezone.now()
    starting = phrase(gettext_noop("Starter"))
    with translation.override(_language(job)):
        job.texts = {**job.texts, "step": as_json(starting)}
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            step_text=str(starting),
            texts=job.texts,
        )
    job.status, job.started_at = Job.Status.RUNNING, now
    logger.info("job_id=%s kind=%s event=started", job.pk, job.kind)
    try:
        with translation.override(_language(job)):
            outcome = kind.work(job, Progress(job))
    except BaseException as exc:
        with translation.override(_language(job)):
            reason = _reason(exc)
            error = str(reason)
        texts = {**job.texts}
        if isinstance(reason, str):
            texts.pop("error", None)  # worded already: shown as it came
        else:
            texts["error"] = as_json(reason)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, error=error, texts=texts, finished_at=timezone.now()
        )
        logger.log(
            logging.WARNING
            if isinstance(exc, ValidationError | PermissionDenied | JobFailed)
            else logging.ERROR,
            "job_id=%s kind=%s event=failed reason=%r",
            job.pk,
            job.kind,
            error,
            exc_info=not isinstance(exc, ValidationError | PermissionDenied | JobFailed),
        )
        raise
    texts = {key: text for key, text in job.texts.items() if key != "step"}
    texts |= {"message": as_json(outcome.message), "link_text": as_json(outcome.link_text)}
    with translation.override(_language(job)):
        changes: dict[str, Any] = {
            "status": Job.Status.DONE,
            "finished_at": timezone.now(),
            "message": str(outcome.message),
            "link": outcome.link,
            "link_text": str(outcome.link_text),
            "steps_done": max(job.steps_done, job.steps_total),
            "step_text": "",
            "texts": texts,
        }
    if outcome.file is not None:
        changes |= {
            "result_name": outcome.file.name,
            "result_type": outcome.file.content_type,
            "result_file": outcome.file.content,
        }
    Job.objects.filter(pk=job.pk).update(**changes)
    logger.info("job_id=%s kind=%s event=done", job.pk, job.kind)
    return outcome


def oldest_waiting_age(now: datetime | None = None) -> float | None:
    """Seconds the oldest task waiting for a worker has waited since its time to run came
    (its queueing, or its planned `run_after`); a task planned for later is not waiting
    (None: none waits)."""
    now = now or timezone.now()
    oldest = (
        Job.objects.filter(status=Job.Status.WAITING)
        .filter(Q(run_after__isnull=True) | Q(run_after__lte=now))
        .annotate(due=Greatest("created_at", Coalesce("run_after", "created_at")))
        .aggregate(at=Min("due"))["at"]
    )
    return None if oldest is None else max(0.0, (now - oldest).total_seconds())


def stopped_reason() -> Text:
    return phrase(
        gettext_noop(
            "Arbeideren stoppet mens oppgaven kjørte (den ga ikke livstegn). Ingenting av det "
            "som ikke var ferdig ble lagret; prøv igjen."
        )
    )


def sweep_stopped(now: Any = None) -> list[int]:
    """Mark failed (retryable) each running task whose worker has died: it has given no sign
    of life (its start or a progress step) for longer than its kind allows. The worker sweeps
    each time it starts a task, and /healthz on each call. Returns the tasks marked."""
    now = now or timezone.now()
    running = Job.objects.filter(status=Job.Status.RUNNING).only(
        "pk", "kind", "started_at", "heartbeat_at", "task_result_id", "texts"
    )
    reason = stopped_reason()
    marked: list[int] = []
    for job in running:
        beat = job.heartbeat_at or job.started_at
        try:
            limit = kind_of(job.kind).stale_after
        except ImproperlyConfigured:  # a kind this process does not know: not its to judge
            continue
        if beat is not None and now - beat <= limit:
            continue
        # only if it still has not beaten since it was read (a live worker wins the race)
        swept = Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(
            status=Job.Status.FAILED,
            error=str(reason),
            texts={**job.texts, "error": as_json(reason)},
            finished_at=now,
        )
        if swept:
            _fail_queue_record(job.task_result_id, now)
            marked.append(job.pk)
            logger.warning("job_id=%s kind=%s event=stopped reason=no_heartbeat", job.pk, job.kind)
    return marked


def _fail_queue_record(task_result_id: str, now: Any) -> None:
    """The queue's record of a task whose worker died stays RUNNING; say it failed."""
    # on use: the queue's models, which this module (read by the apps' ready()) must not
    # load before the app registry is
    from django_tasks_db.models import DBTaskResult

    if task_result_id:
        DBTaskResult.objects.filter(id=task_result_id, status="RUNNING").update(
            status="FAILED", finished_at=now
        )
