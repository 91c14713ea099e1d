"""The kinds of background task: each app that runs work in the background registers its
kinds here from its AppConfig.ready() (this layer names no domain). A kind says what the
work is, who may start it, and how it is done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.functional import Promise

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
    download (kept with the task)."""

    message: str
    link: str = ""
    link_text: str = ""
    file: ResultFile | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
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

    def require_may_start(self, user: Any, job: Job) -> None:
        """Refuse `user` the task `job` describes unless they may start (or retry) it."""
        if not self.may_start(user, job):
            if self.refusal:
                raise PermissionDenied(str(self.refusal))
            raise PermissionDenied

    # Where what the task works on can be seen and mended (the run, the arena's budget or
    # report page): (url, link text), or None. A failed task's page links there.
    target: Callable[[Job], tuple[str, str] | None] | None = None


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
