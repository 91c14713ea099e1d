"""The task pages: /oppgaver/ (my tasks; a secretariat sees its arenas' tasks too) and a
task's page, which polls its status (htmx) while it waits or runs, then shows its result,
the download of its kept file, or why it failed and a button to try again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samarbeid.audit.models import Channel
from samarbeid.jobs.kinds import KINDS, Kind, kind_of, links_gone, retry_refusals, target_of
from samarbeid.jobs.models import ALREADY_QUEUED, Job
from samarbeid.jobs.services import retry, start

# The largest file a task's start page takes (it is kept in the database with the task).
LARGEST_UPLOAD = 50 * 1024 * 1024

# A page of the task list: each task is a card of seven lines on a phone.
TASKS_PER_PAGE = 20

# htmx stops polling when a poll answers 286 (and still shows what it answered)
STOP_POLLING = 286


def _job(request: HttpRequest, pk: int, *, with_file: bool = False) -> Job:
    jobs = Job.objects.visible_to(request.user).select_related("started_by", "arena")
    if not with_file:
        jobs = jobs.defer("result_file", "upload")
    return get_object_or_404(jobs, pk=pk)


@login_required
@require_safe
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = (
        Job.objects.visible_to(request.user)
        .select_related("started_by", "arena")
        .defer("result_file", "upload", "params")
    )
    page = Paginator(jobs, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    gone = links_gone(page.object_list)
    for job in page.object_list:
        job.link_gone = gone.get(job.pk, "")
    return render(
        request,
        "jobs/job_list.html",
        {"page": page, "jobs": page.object_list, "startable": startable(request.user)},
    )


def startable(user: Any) -> list[Kind]:
    """The kinds `user` may start from the tasks' start page."""
    return [
        kind
        for kind in sorted(KINDS.values(), key=lambda k: k.shown_label)
        if kind.start_page and kind.may_start(user, Job(kind=kind.name))
    ]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil"),
        help_text=gettext_lazy(
            "Filen lagres sammen med oppgaven og kontrolleres i sin helhet før noe lagres; "
            "har den feil, lagres ingenting."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > LARGEST_UPLOAD:
            raise forms.ValidationError(_("Filen er større enn 50 MB."))
        return upload


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def job_start(request: HttpRequest, kind: str) -> HttpResponse:
    """Start a task that stands on its own (an import, the export): its page asks for the
    file it reads, if any, keeps it with the task, and goes to the task's page."""
    found = KINDS.get(kind)
    if found is None or not found.start_page:
        raise Http404
    found.require_may_start(request.user, Job(kind=found.name))
    form = UploadForm(request.POST or None, request.FILES or None) if found.accepts_file else None
    if form is not None and found.file_help:
        form.fields["file"].help_text = str(found.file_help)
    if request.method == "POST" and (form is None or form.is_valid()):
        upload = None
        if form is not None:
            received = form.cleaned_data["file"]
            upload = (received.name, received.read())
        job = start(
            found.name,
            actor=request.user,
            title=found.title(upload[0] if upload is not None else ""),
            params={"channel": Channel.PAGE},
            upload=upload,
        )
        return redirect(job)
    return render(request, "jobs/job_start.html", {"kind": found, "form": form})


def _context(request: HttpRequest, job: Job) -> dict[str, object]:
    failed = job.status == Job.Status.FAILED
    kind = kind_of(job.kind)
    may_retry = failed and kind.may_start(request.user, job)
    # trying again would fail the same way at once: not offered, and the page says why
    retry_refused = retry_refusals(job) if may_retry else []
    may_retry = may_retry and not retry_refused
    # the reasons the error above already gives are not said twice
    error = job.shown_error
    retry_new = [reason for reason in retry_refused if reason not in error]
    job.link_gone = links_gone([job]).get(job.pk, "")
    return {
        "job": job,
        "may_retry": may_retry,
        "retry_refused": retry_refused,
        "retry_new_reasons": retry_new,
        "kind_label": kind.label_of(job) if kind.label_of else kind.shown_label,
        # reached by a second start of the same task while it still waits or runs
        "already": request.GET.get(ALREADY_QUEUED) == "1" and not job.is_finished,
        "already_param": ALREADY_QUEUED,
        # where a failed task's problem can be mended, or what is left of a result since gone
        "target": target_of(job) if failed or job.link_gone else None,
    }


@login_required
@require_safe
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "jobs/job_detail.html", _context(request, job))


@login_required
@require_safe
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The task page's status part, which the page polls while the task waits or runs."""
    job = _job(request, pk)
    return render(
        request,
        "jobs/_poll.html",
        _context(request, job),
        status=STOP_POLLING if job.is_finished else 200,
    )


@login_required
@require_safe
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The task's kept result file, to whoever may see the task."""
    job = _job(request, pk, with_file=True)
    if job.status != Job.Status.DONE or not job.result_name or job.result_file is None:
        raise Http404
    response = HttpResponse(bytes(job.result_file), content_type=job.result_type)
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    # no success message: the task's page says what the task does now (a green "queued"
    # would stay above a red failure)
    try:
        retry(job, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(job)
