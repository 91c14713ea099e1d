"""An action (approve, issue, make again) queued on a run that still waits or runs: while it
does, the run is not changed or deleted by another way (the run page offers nothing else,
and the services refuse), so that the action does not fail on a run that has gone."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samarbeid.finance.models import InvoiceRun
from samarbeid.jobs.models import Job

# the kind of task that acts on a run (finance.jobs registers it)
RUN_ACTION = "invoice_run_action"


def pending_action(run: InvoiceRun) -> Job | None:
    """The action queued on `run` that still waits or runs (the first, if several)."""
    return (
        Job.objects.filter(
            kind=RUN_ACTION, params__run=run.pk, status__in=(Job.Status.WAITING, Job.Status.RUNNING)
        )
        .defer("result_file", "upload")
        .order_by("created_at", "pk")
        .first()
    )


def pending_refusal(pending: Job) -> str:
    return _(
        "En annen handling på kjøringen venter eller kjører (%(task)s). Vent til den er ferdig."
    ) % {"task": pending.shown_title}


def refuse_while_pending(run: InvoiceRun) -> None:
    """Refuse a change to `run` (its account, its deletion) while an action waits or runs."""
    pending = pending_action(run)
    if pending is not None:
        raise ValidationError(pending_refusal(pending))
