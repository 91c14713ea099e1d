"""Background tasks: queued through the database backend, run by the real worker
in-process; progress, the kept result, failure without half-written data, retry, and who
sees what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import login
from samarbeid.arenas.tests.factories import ArenaFactory
from samarbeid.audit.models import AuditEntry
from samarbeid.jobs import services
from samarbeid.jobs.models import Job
from samarbeid.jobs.tests import kinds
from samarbeid.jobs.tests.helpers import failed_task, run_worker
from samarbeid.registry.models import Population

pytestmark = pytest.mark.django_db


def _steps(actor: Any, arena: Any = None, steps: int = 3) -> Job:
    return services.start(
        "test_steps", actor=actor, title="Telling", arena=arena, params={"steps": steps}
    )


def test_a_task_is_queued_in_the_database_and_audited(secretariat: Any) -> None:
    job = _steps(secretariat)
    assert job.status == Job.Status.WAITING
    queued = DBTaskResult.objects.get(id=job.task_result_id)
    assert queued.status == "READY"
    assert queued.task_path == "samarbeid.jobs.tasks.run_job"
    assert queued.args_kwargs["args"] == [job.pk]
    entry = AuditEntry.objects.get(object_id=str(job.pk), content_type__model="job")
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == secretariat
    assert services.oldest_waiting_age() is not None


def test_the_worker_runs_it_to_done_with_progress_and_a_kept_file(
    client: Client, secretariat: Any
) -> None:
    job = _steps(secretariat)
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    # each step was in the database while the task ran
    assert kinds.SEEN == [(1, 3, "Steg 1"), (2, 3, "Steg 2"), (3, 3, "Steg 3")]
    assert (job.steps_done, job.steps_total) == (3, 3)
    assert job.message == "Telte til 3."
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.finished_at >= job.started_at
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "SUCCESSFUL"
    assert services.oldest_waiting_age() is None
    login(client, secretariat)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Ferdig" in page
    assert "Telte til 3." in page
    assert 'href="/arenaer/"' in page
    assert "hx-trigger" not in page  # no polling once finished
    download = reverse("jobs:job_download", args=[job.pk])
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert response.content == b"n\n1\n2\n3\n"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="telling.csv"' in response["Content-Disposition"]


def test_a_failed_task_writes_nothing_says_why_and_can_be_retried(
    client: Client, secretariat: Any
) -> None:
    arena = ArenaFactory()
    job = failed_task(secretariat, arena=arena)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Tallene for 1902 mangler."
    assert not Population.objects.filter(year=1901).exists()
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "FAILED"
    login(client, secretariat)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Feilet" in page
    assert "Tallene for 1902 mangler." in page
    retry_url = reverse("jobs:job_retry", args=[job.pk])
    assert retry_url in page
    first_result = job.task_result_id
    kinds.FAIL["on"] = False
    assert client.post(retry_url).status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.WAITING
    assert job.error == ""
    assert job.task_result_id != first_result
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert Population.objects.filter(year=1901).count() == 1
    # only a failed task is retried
    with pytest.raises(ValidationError):
        services.retry(job, actor=secretariat)


def test_an_unexpected_error_is_said_plainly(secretariat: Any) -> None:
    job = services.start("test_steps", actor=secretariat, title="Telling", params={})
    run_worker()  # params without "steps": a KeyError inside the task
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "uventet feil" in job.error
    assert "KeyError" not in job.error


def test_only_who_may_start_it_starts_or_retries_it(
    client: Client, secretariat: Any, coordinator: Any, arena_secretariat: Any, own_arena: Any
) -> None:
    with pytest.raises(PermissionDenied):
        _steps(coordinator, arena=own_arena)
    with pytest.raises(PermissionDenied):
        _steps(AnonymousUser())
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()
    job = failed_task(arena_secretariat, "F", arena=own_arena)
    login(client, coordinator)
    assert client.post(reverse("jobs:job_retry", args=[job.pk])).status_code == 404
    other = ArenaFactory()
    theirs = failed_task(secretariat, "F", arena=other)
    login(client, arena_secretariat)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.post(reverse("jobs:job_retry", args=[job.pk])).status_code == 302


def test_who_sees_which_tasks(
    client: Client, secretariat: Any, arena_secretariat: Any, own_arena: Any, coordinator: Any
) -> None:
    sub_arena = ArenaFactory(parent=own_arena)
    mine = _steps(arena_secretariat, arena=own_arena)
    in_sub = _steps(secretariat, arena=sub_arena)
    elsewhere = _steps(secretariat, arena=ArenaFactory())
    no_arena = _steps(secretariat)
    assert set(Job.objects.visible_to(arena_secretariat)) == {mine, in_sub}
    assert set(Job.objects.visible_to(secretariat)) == {mine, in_sub, elsewhere, no_arena}
    assert not Job.objects.visible_to(coordinator).exists()
    assert not Job.objects.visible_to(AnonymousUser()).exists()
    assert client.get(reverse("jobs:job_list")).status_code == 302  # the log-in page
    assert client.get(mine.get_absolute_url()).status_code == 302
    login(client, coordinator)
    assert client.get(mine.get_absolute_url()).status_code == 404
    assert client.get(reverse("jobs:job_download", args=[mine.pk])).status_code == 404
    listed = client.get(reverse("jobs:job_list")).content.decode()
    assert "Ingen oppgaver ennå." in listed
    login(client, arena_secretariat)
    listed = client.get(reverse("jobs:job_list")).content.decode()
    assert mine.get_absolute_url() in listed
    assert in_sub.get_absolute_url() in listed
    assert elsewhere.get_absolute_url() not in listed


def test_the_page_polls_while_waiting_and_the_poll_stops_when_finished(
    client: Client, secretariat: Any
) -> None:
    job = _steps(secretariat)
    login(client, secretariat)
    page = client.get(job.get_absolute_url()).content.decode()
    status_url = reverse("jobs:job_status", args=[job.pk])
    assert 'aria-live="polite"' in page
    assert f'hx-get="{status_url}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert "Venter" in page
    poll = client.get(status_url, headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert "Venter" in poll.content.decode()
    run_worker()
    poll = client.get(status_url, headers={"HX-Request": "true"})
    assert poll.status_code == 286  # htmx: stop polling
    assert "Ferdig" in poll.content.decode()
    assert "<html" not in poll.content.decode()


def test_a_download_before_the_task_is_done_is_404(client: Client, secretariat: Any) -> None:
    job = _steps(secretariat)
    login(client, secretariat)
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404


def test_the_task_list_runs_the_same_queries_whatever_the_number_of_tasks(
    client: Client, secretariat: Any, arena_secretariat: Any, own_arena: Any
) -> None:
    login(client, arena_secretariat)
    _steps(arena_secretariat, arena=own_arena)
    client.get(reverse("jobs:job_list"))  # sessions, roles: warmed up
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("jobs:job_list")).status_code == 200
    for _n in range(6):
        _steps(secretariat, arena=ArenaFactory(parent=own_arena))
    with CaptureQueriesContext(connection) as seven:
        page = client.get(reverse("jobs:job_list"))
    assert page.content.decode().count("<tr>") == 1 + 7
    assert len(seven) == len(one)


def test_the_task_list_is_bounded(
    client: Client, secretariat: Any, django_assert_max_num_queries: Any
) -> None:
    login(client, secretariat)
    for _n in range(3):
        _steps(secretariat)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("jobs:job_list")).status_code == 200


def test_the_health_check_says_how_long_the_oldest_task_has_waited(
    client: Client, secretariat: Any
) -> None:
    job = _steps(secretariat)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=90))
    _steps(secretariat)
    age = client.get("/healthz").json()["oldest_waiting_task_seconds"]
    assert 90 <= age < 120
    run_worker()
    assert client.get("/healthz").json()["oldest_waiting_task_seconds"] is None


def test_task_logs_name_the_task(secretariat: Any, caplog: Any) -> None:
    caplog.set_level("INFO", logger="samarbeid.jobs")
    job = _steps(secretariat, steps=1)
    run_worker()
    mine = [r.getMessage() for r in caplog.records if r.name == "samarbeid.jobs"]
    assert mine
    assert all(f"job_id={job.pk} kind=test_steps " in m for m in mine)
    assert any("event=done" in m for m in mine)


def test_a_task_whose_worker_died_is_swept_to_failed_and_can_be_retried(
    client: Client, secretariat: Any
) -> None:
    """The sweep takes a running task without a sign of life for longer than its kind's
    limit for one whose worker died; a task that beat lately is left running. (A real worker
    killed mid-task: samarbeid/tests/test_many_servers.py, on PostgreSQL.)"""
    dead = _steps(secretariat)
    alive = _steps(secretariat, steps=4)  # not the same task (that would not be queued twice)
    long_ago = timezone.now() - timedelta(minutes=16)  # the default limit is 15 minutes
    Job.objects.filter(pk=dead.pk).update(
        status=Job.Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    DBTaskResult.objects.filter(id=dead.task_result_id).update(status="RUNNING")
    Job.objects.filter(pk=alive.pk).update(
        status=Job.Status.RUNNING, started_at=long_ago, heartbeat_at=timezone.now()
    )
    assert services.sweep_stopped() == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == Job.Status.FAILED
    assert "Arbeideren stoppet" in dead.error
    assert DBTaskResult.objects.get(id=dead.task_result_id).status == "FAILED"
    assert Job.objects.get(pk=alive.pk).status == Job.Status.RUNNING
    assert services.sweep_stopped() == []
    # the health check sweeps too, and says how many it marked
    Job.objects.filter(pk=alive.pk).update(heartbeat_at=long_ago)
    assert client.get("/healthz").json()["stopped_tasks_marked"] == 1
    # retried, it runs to the end
    services.retry(dead, actor=secretariat)
    run_worker()
    dead.refresh_from_db()
    assert dead.status == Job.Status.DONE


def test_progress_is_a_sign_of_life(secretariat: Any) -> None:
    job = _steps(secretariat, steps=2)
    run_worker()
    job.refresh_from_db()
    assert job.heartbeat_at is not None
    assert job.started_at is not None
    assert job.heartbeat_at >= job.started_at


def _planned(actor: Any, hours: float) -> Job:
    return services.start(
        "test_steps",
        actor=actor,
        title="Planlagt telling",
        params={"steps": 1},
        run_after=timezone.now() + timedelta(hours=hours),
    )


def test_a_task_planned_for_later_shows_as_planned_not_waiting(
    client: Client, secretariat: Any
) -> None:
    job = _planned(secretariat, 6)
    at = timezone.localtime(job.run_after)
    planned = f"kl. {at:%H:%M} {at:%d.%m.%Y}"
    login(client, secretariat)
    listing = client.get(reverse("jobs:job_list")).content.decode()
    assert "Planlagt" in listing
    assert planned in listing
    assert "Venter" not in listing
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"Planlagt {planned}" in page
    assert "venter på en ledig arbeidsprosess" not in page
    assert 'hx-trigger="every 60s"' in page  # polls slowly until then
    poll = client.get(reverse("jobs:job_status", args=[job.pk])).content.decode()
    assert "Planlagt" in poll
    assert "Venter" not in poll
    # the API says when it is planned
    assert client.get(f"/api/v1/tasks/{job.pk}").json()["run_after"] is not None


def test_the_health_check_does_not_count_a_task_planned_for_later(
    client: Client, secretariat: Any
) -> None:
    planned = _planned(secretariat, 24)
    Job.objects.filter(pk=planned.pk).update(created_at=timezone.now() - timedelta(hours=6))
    assert client.get("/healthz").json()["oldest_waiting_task_seconds"] is None
    assert services.oldest_waiting_age() is None


def test_a_planned_task_past_its_time_still_counts_from_its_time(
    client: Client, secretariat: Any
) -> None:
    late = _planned(secretariat, -0.05)  # due three minutes ago
    Job.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=6))
    age = client.get("/healthz").json()["oldest_waiting_task_seconds"]
    assert 170 <= age < 240
    # a waiting page for a past-due task says it waits for a worker
    login(client, secretariat)
    page = client.get(late.get_absolute_url()).content.decode()
    assert "venter på en ledig arbeidsprosess" in page
