"""Process plans and their steps (the calendar of a process)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_link,
    can_record_decision,
    require,
)
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, update_record
from samarbeid.governance.models import ProcessPlan, ProcessStep

# Process plans ---------------------------------------------------------------------------


def create_plan(plan: ProcessPlan, *, actor: Actor, channel: str = Channel.PAGE) -> ProcessPlan:
    require(can_record_decision(actor, municipality=None, arena=plan.arena))
    return create_record(plan, actor=actor, channel=channel)


def _check_step(step: ProcessStep) -> None:
    errors: dict[str, str] = {}
    if step.planned_end and step.planned_end < step.planned_date:
        errors["planned_end"] = _("«Planlagt til» kan ikke være før planlagt dato.")
    clash = ProcessStep.objects.filter(plan=step.plan, order=step.order).exclude(pk=step.pk)
    if clash.exists():
        errors["order"] = _("Planen har allerede et steg nummer %(n)s.") % {"n": step.order}
    if errors:
        raise ValidationError(errors)


def _step_links(step: ProcessStep) -> tuple[Any, ...]:
    """The arenas a step links to besides its plan's: its case's."""
    return (step.case.arena,) if step.case is not None else ()


def add_step(step: ProcessStep, *, actor: Actor, channel: str = Channel.PAGE) -> ProcessStep:
    require(
        can_record_decision(
            actor, municipality=None, arena=step.plan.arena, linked=_step_links(step)
        )
    )
    _check_step(step)
    return create_record(step, actor=actor, channel=channel)


def mark_step_done(
    step: ProcessStep,
    done_date: date,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ProcessStep:
    """Mark a plan's step as done on `done_date` (not in the future)."""
    require(can_record_decision(actor, municipality=None, arena=step.plan.arena))
    if done_date > timezone.localdate():
        raise ValidationError({"done_date": _("Et steg kan ikke være utført fram i tid.")})
    return update_step(
        step,
        {"done_date": done_date},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )


def update_step(
    step: ProcessStep,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> ProcessStep:
    require(can_record_decision(actor, municipality=None, arena=step.plan.arena))
    if changes.get("case") is not None and changes["case"] != step.case:
        require(can_link(actor, changes["case"].arena))
    update_record(
        step,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_step,
    )
    return step
