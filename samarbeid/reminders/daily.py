"""The daily reminders as a task on the worker (samarbeid.jobs). django-tasks has no cron,
so each day's run, when it runs, queues the next day's with `run_after`; a row per date
(ReminderRun.day is unique) makes sure that one run is queued for a day and that one sends,
however many workers and app servers there are. `ensure_scheduled` (the command
`schedule_reminders`, run by `make run` before the worker starts, and by a systemd unit's
ExecStartPre) queues the first run when none is waiting, and does nothing otherwise."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from samarbeid.accounts.permissions import is_secretariat
from samarbeid.core.phrases import Text, joined, phrase, plural
from samarbeid.jobs import services as jobs
from samarbeid.jobs.kinds import Kind, Outcome, register
from samarbeid.jobs.models import Job
from samarbeid.jobs.services import Progress
from samarbeid.reminders.models import ReminderRun
from samarbeid.reminders.sending import send_reminders

DAILY = "daily_reminders"


def run_at(day: date) -> datetime:
    """When the run for `day` starts: REMINDERS_AT (default 07:00) in the site's time zone."""
    at = time.fromisoformat(getattr(settings, "REMINDERS_AT", "07:00"))
    return timezone.make_aware(datetime.combine(day, at))


def schedule(day: date) -> ReminderRun:
    """The run for `day`: queued now if no one has queued it (the unique date decides)."""
    existing = ReminderRun.objects.select_related("job").filter(day=day).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            run = ReminderRun.objects.create(day=day)
            run.job = jobs.start(
                DAILY,
                actor=None,
                title=phrase("Påminnelser for %(day)s", day=f"{day:%d.%m.%Y}"),
                params={"day": day.isoformat()},
                run_after=run_at(day),
            )
            run.save(update_fields=["job"])
    except IntegrityError:  # another worker queued it first
        return ReminderRun.objects.select_related("job").get(day=day)
    return run


def ensure_scheduled(now: datetime | None = None) -> ReminderRun:
    """The next run that is waiting, queued if none is: today's if its hour has not come,
    else tomorrow's. Idempotent (run it at every start)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    waiting = (
        ReminderRun.objects.select_related("job")
        .filter(day__gte=today, claimed__isnull=True, job__status=Job.Status.WAITING)
        .first()
    )
    if waiting is not None:
        return waiting
    day = today if now < run_at(today) else today + timedelta(days=1)
    while ReminderRun.objects.filter(day=day, claimed__isnull=False).exists():
        day += timedelta(days=1)
    return schedule(day)


def run_day(day: date, now: datetime | None = None) -> Text | None:
    """Send the reminders for `day` once: queue the next day's run first (so a failure
    here does not end the chain), then claim the day; None if it was claimed already."""
    schedule(day + timedelta(days=1))
    claimed = ReminderRun.objects.filter(day=day, claimed__isnull=True).update(
        claimed=now or timezone.now()
    )
    if not claimed:
        return None
    outcome = send_reminders(now)
    sent = plural(
        "%(n)s e-post sendt", "%(n)s e-poster sendt", len(outcome.sent), n=len(outcome.sent)
    )
    rest = phrase(
        "%(new)s uten noe nytt, %(due)s ikke tid etter innstillingene, %(failed)s feilet.",
        new=outcome.nothing_new,
        due=outcome.not_due,
        failed=len(outcome.failed),
    )
    message = joined(sent, rest, sep="; ")
    if outcome.no_address:
        skipped = phrase(
            "Hoppet over (mangler e-postadresse): %(names)s.",
            names=", ".join(outcome.no_address_names),
        )
        return joined(message, skipped)
    return message


def _daily(job: Job, progress: Progress) -> Outcome:
    progress(phrase("Sender påminnelser"), done=0, total=1)
    day = date.fromisoformat(job.params["day"])
    message = run_day(day)
    if message is None:
        message = phrase("Påminnelsene for denne dagen var allerede sendt.")
    progress(phrase("Ferdig"))
    return Outcome(message=message)


def _may_start(user: Any, job: Job) -> bool:
    # queued by the system (no actor); a secretariat may retry a failed run
    return user is None or is_secretariat(user, None)


def register_kinds() -> None:
    register(Kind(DAILY, gettext_noop("Påminnelser"), _daily, _may_start))
