"""The kinds of background task: each app that runs work in the background registers its
kinds here from its AppConfig.ready() (this layer names no domain). A kind says what the
work is, who may start it, and how it is done."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext

from samarbeid.core.phrases import Phrase, Text, phrase

if TYPE_CHECKING:
    from samarbeid.jobs.models import Job
    from samarbeid.jobs.services import Progress


@dataclass(frozen=True)
class ResultFile:
    name: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Outcome:
    """What a finished task shows: a message, a link (and its text), and/or a file to
    download (kept with the task). The texts best as phrases (core.phrases), so that each
    reader reads them in their own language."""

    message: Text
    link: str = ""
    link_text: Text = ""
    file: ResultFile | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    # a message id (gettext_noop): shown translated (shown_label), and named in the phrase
    # of an upload's title
    label: str
    # The work: reads the task's arena and params, reports progress, and writes its domain
    # data all at once (compute first, then one short transaction) so that a failure leaves
    # nothing half-written. It refuses with ValidationError/PermissionDenied.
    work: Callable[[Job, Progress], Outcome]
    # Whether `user` may start (or retry) the task `job` describes (not yet saved).
    may_start: Callable[[Any, Job], bool]
    # Started on its own from the tasks' start page (/oppgaver/ny/<name>/), not from a
    # record's page; `accepts_file`: the start page asks for the file the task reads (kept
    # with the task, Job.upload).
    start_page: bool = False
    accepts_file: bool = False
    # How long a running task of this kind may go without a sign of life (a progress step)
    # before the sweep takes its worker for dead and marks it failed.
    stale_after: timedelta = timedelta(minutes=15)
    # Who may start it, said to whoever is refused ("Bare et sekretariat for alle arenaer
    # kan …"); without it, the general refusal.
    refusal: str | Promise = ""
    # With `accepts_file`: which file it reads and in what form, under the start page's field.
    file_help: str | Promise = ""

    @property
    def shown_label(self) -> str:
        return gettext(self.label)

    def title(self, upload_name: str = "") -> Phrase:
        """A task of this kind's title: its label, and the name of the file it reads."""
        if upload_name:
            return phrase("%(kind)s: %(file)s", kind=phrase(self.label), file=upload_name)
        return phrase(self.label)

    def require_may_start(self, user: Any, job: Job) -> None:
        """Refuse `user` the task `job` describes unless they may start (or retry) it."""
        if not self.may_start(user, job):
            if self.refusal:
                raise PermissionDenied(str(self.refusal))
            raise PermissionDenied

    # Where what the task works on can be seen and mended (the run, the arena's budget or
    # report page): (url, link text), or None (it is gone). A failed task's page links
    # there.
    target: Callable[[Job], tuple[str, str] | None] | None = None
    # Of these finished tasks of this kind, those whose result link leads to what has been
    # deleted since (a draft run deleted after the task made it): task id → what the
    # page says instead of the link. One query for them all (the list shows a page of them).
    links_gone: Callable[[Sequence[Job]], dict[int, str]] | None = None
    # What can be told before queueing (the start function's own check), asked again before
    # a failed task is tried again: it refuses with ValidationError (the reasons), so that a
    # retry that can only fail the same way is not queued and its page says why.
    check: Callable[[Job], None] | None = None
    # What a task of this kind is, more precisely than the kind's label (a run's approval
    # rather than "invoice run"): the task page's "Type".
    label_of: Callable[[Job], str] | None = None


def links_gone(jobs: Iterable[Job]) -> dict[int, str]:
    """Of `jobs`, the finished ones whose result link leads to what is gone: task id → what
    is said instead (a query for each kind that can tell, whatever the number of tasks)."""
    by_kind: dict[str, list[Job]] = {}
    for job in jobs:
        if job.status == job.Status.DONE and job.link:
            by_kind.setdefault(job.kind, []).append(job)
    gone: dict[int, str] = {}
    for name, done in by_kind.items():
        kind = KINDS.get(name)
        if kind is not None and kind.links_gone is not None:
            gone |= kind.links_gone(done)
    return gone


def retry_refusals(job: Job) -> list[str]:
    """Why a failed `job` would fail the same way if tried again now (its kind's check);
    empty: nothing stands in the way that can be told before it runs."""
    kind = KINDS.get(job.kind)
    if job.status != job.Status.FAILED or kind is None or kind.check is None:
        return []
    if job.needs_a_new_file:
        return []
    try:
        kind.check(job)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def target_of(job: Job) -> tuple[str, str] | None:
    """The page of what `job` works on, if its kind names one (and it still exists)."""
    kind = KINDS.get(job.kind)
    if kind is None or kind.target is None:
        return None
    return kind.target(job)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.name in KINDS and KINDS[kind.name] != kind:
        raise ImproperlyConfigured(f"Task kind {kind.name!r} registered twice")
    KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ImproperlyConfigured(f"No task kind {name!r} is registered") from None
