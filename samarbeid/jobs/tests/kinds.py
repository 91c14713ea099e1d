"""Two kinds of task for the jobs app's own tests: one that counts in steps and keeps a
file, one that writes domain rows and then fails (until told not to)."""

from __future__ import annotations

import threading
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from samarbeid.accounts.permissions import can_edit_arena
from samarbeid.core.phrases import phrase
from samarbeid.jobs.kinds import KINDS, Kind, Outcome, ResultFile, register
from samarbeid.jobs.models import Job
from samarbeid.jobs.services import Progress
from samarbeid.registry.models import Municipality, Population

# What the steps task saw of its own progress in the database, step by step.
SEEN: list[tuple[int, int, str]] = []
FAIL = {"on": True}
# The halfway task: it says it is halfway, then waits until the test lets it go on.
HALFWAY = threading.Event()
GO_ON = threading.Event()


def _may(user: Any, job: Job) -> bool:
    return can_edit_arena(user, job.arena)


def _steps(job: Job, progress: Progress) -> Outcome:
    count = int(job.params["steps"])
    for n in range(1, count + 1):
        progress(f"Steg {n}", done=n, total=count)
        stored = Job.objects.get(pk=job.pk)
        SEEN.append((stored.steps_done, stored.steps_total, stored.step_text))
    return Outcome(
        message=f"Telte til {count}.",
        link="/arenaer/",
        link_text="Til arenaene",
        file=ResultFile("telling.csv", b"n\n1\n2\n3\n", "text/csv; charset=utf-8"),
    )


def _fails(job: Job, progress: Progress) -> Outcome:
    progress("Skriver folketall", done=0, total=1)
    larvik = Municipality.objects.current().get(number="3909")
    with transaction.atomic():
        Population.objects.create(municipality=larvik, year=1901, count=1)
        if FAIL["on"]:
            raise ValidationError("Tallene for 1902 mangler.")
    return Outcome(message="Folketallet er lagret.")


def _halfway(job: Job, progress: Progress) -> Outcome:
    progress("Halvveis", done=1, total=2)
    HALFWAY.set()
    assert GO_ON.wait(20), "the test did not let the task go on"
    progress("Ferdig med alt")
    return Outcome(message="Begge stegene er gjort.")


def _refused(job: Job, progress: Progress) -> Outcome:
    raise PermissionDenied  # as a service refuses a starter who has lost the right


def _refused_in_phrases(job: Job, progress: Progress) -> Outcome:
    # as finance refuses a year: on the field, in a phrase (told in the reader's language)
    raise ValidationError(
        {"year": phrase("%(arena)s har ikke noe budsjett for %(year)s.", arena="BT", year=2027)}
    )


def _crashes(job: Job, progress: Progress) -> Outcome:
    raise RuntimeError("a fault in the software")


def ensure() -> None:
    if "test_steps" not in KINDS:
        register(Kind("test_steps", "Telling", _steps, _may))
        register(Kind("test_fails", "Folketall", _fails, _may))
        register(Kind("test_halfway", "Halvveis", _halfway, _may))
        register(Kind("test_refused", "Nektet", _refused, _may))
        register(Kind("test_crashes", "Krasjer", _crashes, _may))
        register(Kind("test_refused_in_phrases", "Nektet", _refused_in_phrases, _may))
