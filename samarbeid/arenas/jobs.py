"""Carrying an arena's members through municipality mergers (follow_successors) as a
background task (samarbeid.jobs), started from the arena's successions page. The command
`follow_successors` stays for scripts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import follow_successors
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.phrases import Phrase, phrase, plural
from samarbeid.jobs import services as jobs
from samarbeid.jobs.kinds import Kind, Outcome, register
from samarbeid.jobs.models import Job
from samarbeid.jobs.services import Progress

SUCCESSIONS = "follow_successors"


def _may_start(user: Any, job: Job) -> bool:
    return job.arena is not None and can_edit_arena(user, job.arena)


def start_successions(arena: Arena, *, actor: Actor, channel: str = Channel.PAGE) -> Job:
    title = phrase("Kommuneendringer: %(arena)s", arena=arena.short_name)
    params = {"channel": channel}
    return jobs.start(
        SUCCESSIONS, actor=actor, channel=channel, title=title, arena=arena, params=params
    )


def succession_message(created: int, ended: int) -> Phrase:
    if created:
        return plural(
            "%(n)s etterfølger ble medlem.", "%(n)s etterfølgere ble medlemmer.", created, n=created
        )
    if ended:
        return plural(
            "%(n)s medlemskap ble avsluttet; etterfølgeren var allerede medlem.",
            "%(n)s medlemskap ble avsluttet; etterfølgerne var allerede medlemmer.",
            ended,
            n=ended,
        )
    return phrase("Medlemskapene var allerede ført videre.")


def _successions(job: Job, progress: Progress) -> Outcome:
    if job.started_by is None or job.arena is None:
        raise PermissionDenied
    arena = job.arena
    progress(phrase("Finner medlemmer som er kommuner som har opphørt"), done=0, total=2)
    ended = arena.memberships.open_after_cessation().count()
    progress(phrase("Fører medlemskapene videre til etterfølgerne"))
    created = follow_successors(
        arena, actor=job.started_by, channel=job.params.get("channel", Channel.PAGE)
    )
    progress(phrase("Lagret"))
    return Outcome(
        message=succession_message(created, ended),
        link=arena.get_absolute_url(),
        link_text=phrase("Tilbake til %(arena)s", arena=arena.name),
    )


def _target(job: Job) -> tuple[str, str] | None:
    """The arena's municipal changes page (what the task carries on)."""
    if job.arena is None:
        return None
    return reverse("arenas:successions", args=[job.arena.pk]), _(
        "Gå til kommuneendringene for %(arena)s"
    ) % {"arena": job.arena.name}


def register_kinds() -> None:
    register(
        Kind(
            SUCCESSIONS,
            gettext_noop("Kommuneendringer"),
            _successions,
            _may_start,
            target=_target,
        )
    )
