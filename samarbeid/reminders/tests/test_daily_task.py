"""The daily reminders on the worker (django-tasks has no cron): each run, when it runs,
queues the next day's with run_after, guarded by one row per date, so that however many
workers or app servers there are, one run a day is queued and one sends. A bootstrap
(`schedule_reminders`, called by `make run`) queues the first one and is idempotent."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import _user, login
from samarbeid.accounts.models import Role
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests.helpers import run_worker
from samarbeid.portal.tests.test_dashboard import _treatment
from samarbeid.registry.models import Municipality
from samarbeid.reminders import daily
from samarbeid.reminders.models import ReminderRun
from samarbeid.reminders.tests.test_send_reminders import Inbox, inbox  # noqa: F401

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=OSLO)


def test_the_bootstrap_queues_one_run_at_seven_and_is_idempotent() -> None:
    day = date(2026, 12, 3)
    first = daily.ensure_scheduled(_at(day, 6))
    again = daily.ensure_scheduled(_at(day, 6))
    assert first == again
    assert ReminderRun.objects.count() == 1
    run = ReminderRun.objects.get()
    assert run.day == day
    queued = DBTaskResult.objects.get(id=run.job.task_result_id)
    assert queued.run_after == _at(day, 7)
    # after seven, the first run is tomorrow's
    ReminderRun.objects.all().delete()
    daily.ensure_scheduled(_at(day, 9))
    assert ReminderRun.objects.get().day == day + timedelta(days=1)


def test_the_command_says_what_is_waiting() -> None:
    out = StringIO()
    call_command("schedule_reminders", stdout=out)
    call_command("schedule_reminders", stdout=out)
    assert ReminderRun.objects.count() == 1
    assert out.getvalue().count("Reminders run at") == 2


def test_the_worker_runs_it_sends_once_and_queues_the_next_day(
    inbox: Inbox,  # noqa: F811
    larvik: Municipality,
    client: Client,
    secretariat: Any,
    today: date,
) -> None:
    clerk = _user("larvik-koordinator", Role.COORDINATOR, municipality=larvik)
    clerk.email = "postmottak@larvik.example.no"
    clerk.save()
    nameless = _user("uten-epost", Role.COORDINATOR, municipality=larvik)
    nameless.first_name, nameless.last_name = "Kari", "Utenadresse"
    nameless.save()
    _treatment(larvik, "Felles barnevern", today - timedelta(days=5))
    run = daily.schedule(today)
    DBTaskResult.objects.filter(id=run.job.task_result_id).update(
        run_after=timezone.now() - timedelta(minutes=1)
    )

    run_worker(max_tasks=1)
    job = Job.objects.get(pk=run.job.pk)
    assert job.status == Job.Status.DONE, job.error
    assert "1" in job.message
    assert "Kari Utenadresse" in job.message  # skipped for lack of an address, by name
    assert len(inbox.messages) == 1
    following = ReminderRun.objects.get(day=today + timedelta(days=1))
    assert following.job.status == Job.Status.WAITING
    assert ReminderRun.objects.count() == 2

    # the same day's run again (a second worker, a retry): it neither sends nor queues more
    second = daily.run_day(today)
    assert second is None
    assert len(inbox.messages) == 1
    assert ReminderRun.objects.count() == 2

    login(client, secretariat)
    page = client.get("/oppgaver/").content.decode()
    assert "Påminnelser" in page
