"""Background tasks in the API: the caller's own tasks (and a secretariat's arenas'
tasks), one task's status, progress, result and error, its kept result file, and trying a
failed task again. Every operation needs a token or a signed-in session; a task the caller
may not see answers 404, as if it did not exist."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from samarbeid.accounts.api_auth import WRITE_AUTH
from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import Finder, writes
from samarbeid.core.api_schemas import Problem
from samarbeid.core.paging import Pagination
from samarbeid.jobs.kinds import KINDS, links_gone, retry_refusals
from samarbeid.jobs.models import Job
from samarbeid.jobs.services import retry

router = Router(tags=["tasks"])
API_PREFIX = "/api/v1"


class TaskOut(Schema):
    id: int
    kind: str
    title: str
    status: str = Field(description="waiting, running, done or failed")
    arena: int | None
    steps_done: int
    steps_total: int
    percent: int = Field(description="How far the task has come, 0 to 100")
    step: str = Field(description="What the running task does now")
    message: str = Field(description="What the finished task says")
    link: str = Field(
        description="The page of what the task made, if any (empty once that is deleted)"
    )
    result_gone: str = Field(
        "", description="What the task made has been deleted since: what is said instead"
    )
    result_url: str | None = Field(description="The kept result file (GET), once done")
    error: str = Field(description="Why the task failed; empty otherwise")
    error_language: str = Field(
        "",
        description="The language of `error` when a service worded it in its starter's "
        "language (e.g. 'nb'); empty: `error` is in the caller's language",
    )
    retryable: bool = Field(
        description="Failed, and the caller may try it again (a failed import is not: upload "
        "the corrected file as a new task; one task's GET also asks whether it would "
        "fail the same way at once, as its retry would)"
    )
    url: str = Field(description="The task's page")
    created_at: datetime
    run_after: datetime | None = Field(
        None, description="Planned: not to start before this (a waiting task is not late)"
    )
    started_at: datetime | None
    finished_at: datetime | None


def task_location(job: Job) -> str:
    return f"{API_PREFIX}/tasks/{job.pk}"


def task_out(job: Job, user: Any) -> dict[str, Any]:
    failed = job.status == Job.Status.FAILED
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.shown_title,
        "status": job.status,
        "arena": job.arena_id,
        "steps_done": job.steps_done,
        "steps_total": job.steps_total,
        "percent": job.percent,
        "step": job.shown_step,
        "message": job.shown_message,
        "link": "" if job.link_gone else job.link,
        "result_gone": job.link_gone,
        "result_url": f"{task_location(job)}/file"
        if job.status == Job.Status.DONE and job.result_name
        else None,
        "error": job.shown_error,
        "error_language": job.error_language,
        "retryable": failed
        and not job.needs_a_new_file
        and _may_start(user, job)
        and not job.retry_refused,
        "url": reverse("jobs:job_detail", args=[job.pk]),
        "created_at": job.created_at,
        "run_after": job.run_after,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def _may_start(user: Any, job: Job) -> bool:
    kind = KINDS.get(job.kind)  # a kind this server does not know: not from here
    return kind is not None and kind.may_start(user, job)


def _visible(user: Any) -> Any:
    return Job.objects.visible_to(user).select_related("arena").defer("result_file", "upload")


find = Finder(_visible, _may_start)


class _Tasks:
    """The page of tasks as the list's output: each task read for the caller."""

    def __init__(self, queryset: Any, user: Any) -> None:
        self.queryset, self.user = queryset, user

    def all(self) -> _Tasks:
        return self

    def __len__(self) -> int:
        return int(self.queryset.count())

    def count(self) -> int:
        return len(self)

    def __getitem__(self, index: Any) -> list[dict[str, Any]]:
        jobs = list(self.queryset[index])
        gone = links_gone(jobs)
        for job in jobs:
            job.link_gone = gone.get(job.pk, "")
        return [task_out(job, self.user) for job in jobs]


@router.get(
    "/tasks",
    response={200: list[TaskOut], 401: Problem},
    auth=WRITE_AUTH,
    summary="The caller's tasks (and a secretariat's arenas' tasks), newest first",
)
@paginate(Pagination)
def list_tasks(request: HttpRequest) -> Any:
    return _Tasks(_visible(request.user), request.user)


@router.get(
    "/tasks/{task_id}",
    response={200: TaskOut, 401: Problem, 404: Problem},
    auth=WRITE_AUTH,
    summary="One task: status, progress, result link, error",
)
def get_task(request: HttpRequest, task_id: int) -> dict[str, Any]:
    job = find(request, task_id)
    job.link_gone = links_gone([job]).get(job.pk, "")
    job.retry_refused = tuple(retry_refusals(job))
    return task_out(job, request.user)


@router.get(
    "/tasks/{task_id}/file",
    response={200: None, 401: Problem, 404: Problem},
    auth=WRITE_AUTH,
    summary="The finished task's kept result file",
)
def get_task_file(request: HttpRequest, task_id: int) -> HttpResponse:
    job = find(request, task_id)
    stored = Job.objects.filter(pk=job.pk).values_list("result_file", flat=True).first()
    if job.status != Job.Status.DONE or not job.result_name or stored is None:
        raise Http404
    response = HttpResponse(bytes(stored), content_type=job.result_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response


@router.post(
    "/tasks/{task_id}/retry",
    **writes(202, TaskOut),
    summary="Queue a failed task again (202: follow Location)",
)
def retry_task(request: HttpRequest, task_id: int, response: HttpResponse) -> Status[Any]:
    job = find(request, task_id, change=True)
    retry(job, actor=request.user, channel=Channel.API)
    response["Location"] = task_location(job)
    return Status(202, task_out(job, request.user))
