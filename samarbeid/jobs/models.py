"""A background task as users see it (the queue itself is django-tasks' DBTaskResult)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samarbeid.accounts.permissions import is_secretariat, secretariat_arena_ids
from samarbeid.core.fields import actor_fk, arena_fk
from samarbeid.core.phrases import shown

# The query parameter of a task's page reached by a second start of the same task.
ALREADY_QUEUED = "allerede"


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: Any) -> JobQuerySet:
        """The tasks `user` started, and a secretariat's arenas' tasks (every task for a
        secretariat for every arena); nothing for the anonymous."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if is_secretariat(user, None):
            return self.all()
        ids = secretariat_arena_ids(user) or set()
        seen = Q(started_by=user)
        if ids:
            # an arena's secretariat serves its sub-arenas (parents nest a few levels)
            seen |= (
                Q(arena_id__in=ids)
                | Q(arena__parent_id__in=ids)
                | Q(arena__parent__parent_id__in=ids)
            )
        return self.filter(seen)


class Job(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Venter")
        RUNNING = "running", _("Kjører")
        DONE = "done", _("Ferdig")
        FAILED = "failed", _("Feilet")

    kind = models.CharField(_("type"), max_length=40)
    title = models.CharField(_("oppgave"), max_length=200)
    # empty: queued by the system (e.g. the daily reminders)
    started_by = actor_fk(_("startet av"))
    arena = arena_fk("+", on_delete=models.SET_NULL, optional=True)
    # What the task works on (a year, a run's id, options), as its kind reads them.
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    steps_done = models.PositiveIntegerField(_("steg utført"), default=0)
    steps_total = models.PositiveIntegerField(_("steg i alt"), default=0)
    step_text = models.CharField(_("nå"), max_length=200, blank=True)
    message = models.TextField(_("resultat"), blank=True)
    link = models.CharField(_("lenke"), max_length=300, blank=True)
    link_text = models.CharField(_("lenketekst"), max_length=200, blank=True)
    # A result file is kept in the database, so that any app server can serve what a
    # worker on another machine made (no shared disk needed).
    result_name = models.CharField(_("resultatfil"), max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    result_file = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(_("feil"), blank=True)
    # The file a task reads (an import's upload), kept in the database like the result, so
    # that a worker on any machine can read what was uploaded to any app server.
    upload_name = models.CharField(_("opplastet fil"), max_length=200, blank=True)
    upload = models.BinaryField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("lagt i kø"), auto_now_add=True, db_index=True)
    # Not to start before this (a planned task, e.g. the daily reminders at 07:00); none:
    # as soon as a worker is free.
    run_after = models.DateTimeField(_("planlagt"), null=True, blank=True)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    # The running task's last sign of life (its start and each progress step): a task whose
    # worker died stops beating, and the sweep (services.sweep_stopped) marks it failed.
    heartbeat_at = models.DateTimeField(_("siste livstegn"), null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True, db_index=True)
    # The title, step, message, link text and error as phrases (core.phrases: message ids
    # and parameters), told in the reader's language; the columns above keep them as the
    # starter read them (for the admin, the audit and tasks queued before phrases).
    texts = models.JSONField(default=dict, blank=True, editable=False)

    objects = JobQuerySet.as_manager()

    # Not stored: set on the task `services.start` answered with instead of queueing an
    # identical one (a second click while the first still waits or runs); its page says so.
    already_queued: bool = False
    # Not stored: set by the task pages when the result's link leads to what has been
    # deleted since (kinds.links_gone): what they say instead of the link.
    link_gone: str = ""
    # Not stored: set by a task's page and API when a retry would fail the same way at once
    # (kinds.retry_refusals): why.
    retry_refused: tuple[str, ...] = ()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bakgrunnsoppgave")
        verbose_name_plural = _("bakgrunnsoppgaver")
        indexes = [models.Index(fields=["status", "created_at"], name="job_status_created")]

    def __str__(self) -> str:
        return self.shown_title

    def get_absolute_url(self) -> str:
        """The task's page; for the task a second start answered with (`already_queued`),
        the page that says it was already under way (every starter redirects here)."""
        url = reverse("jobs:job_detail", args=[self.pk])
        return f"{url}?{ALREADY_QUEUED}=1" if self.already_queued else url

    def _shown(self, key: str, column: str) -> str:
        if key in self.texts:
            return shown(self.texts[key])
        return column

    @property
    def shown_title(self) -> str:
        return self._shown("title", self.title)

    @property
    def shown_step(self) -> str:
        return self._shown("step", self.step_text)

    @property
    def shown_message(self) -> str:
        return self._shown("message", self.message)

    @property
    def shown_link_text(self) -> str:
        return self._shown("link_text", self.link_text)

    @property
    def shown_error(self) -> str:
        return self._shown("error", self.error)

    @property
    def shown_error_lines(self) -> list[str]:
        """The error a line at a time (a file's problems: the first line says what
        happened, each problem a line after it)."""
        return [line for line in self.shown_error.splitlines() if line.strip()]

    @property
    def error_summary(self) -> str:
        """The error in a line, for the list: a file's first problem (not the line that
        says nothing was saved), and that there are more."""
        lines = self.shown_error_lines
        if len(lines) <= 2:
            return lines[-1] if lines else ""
        return gettext("Første av flere feil: %(first)s") % {"first": lines[1]}

    @property
    def error_language(self) -> str:
        """The language of an error that came worded (a service's refusal, in the language
        of whoever started the task): the page marks it so (WCAG 3.1.2). Empty: the error is
        a phrase, told in the reader's language."""
        if not self.error or "error" in self.texts:
            return ""
        language = self.params.get("language")
        return language if isinstance(language, str) and language else settings.LANGUAGE_CODE

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_planned(self) -> bool:
        """Waiting for its planned time (not for a worker): `run_after` is still ahead."""
        return (
            self.status == self.Status.WAITING
            and self.run_after is not None
            and self.run_after > timezone.now()
        )

    @property
    def needs_a_new_file(self) -> bool:
        """An import that failed failed on its file: the same file would fail the same way,
        so it is not tried again; a corrected file is uploaded as a new task."""
        return bool(self.upload_name)

    @property
    def status_color(self) -> str:
        """The tag's colour beside its word: failed must not look like done."""
        if self.is_planned:
            return "neutral"
        return {
            self.Status.DONE: "success",
            self.Status.FAILED: "danger",
            self.Status.RUNNING: "info",
        }.get(self.Status(self.status), "neutral")

    @property
    def step_now(self) -> int:
        """The step being worked on, counted from 1 (`steps_done` counts the steps finished;
        the last step's wrap-up still reads as the last step)."""
        return max(1, min(self.steps_done + 1, self.steps_total))

    @property
    def percent(self) -> int:
        if not self.steps_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.steps_done / self.steps_total))
