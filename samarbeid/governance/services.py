from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_record_decision, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, update_record
from samarbeid.governance.models import Case, Decision


def _check_decision(decision: Decision) -> None:
    errors: dict[str, str] = {}
    day = decision.meeting_date or decision.planned_date
    if decision.outcome and not decision.meeting_date:
        errors["meeting_date"] = _("Et vedtak med utfall må ha møtedato.")
    if decision.municipality and day and not decision.municipality.is_valid_on(day):
        errors["municipality"] = _("%(m)s fantes ikke som kommune %(d)s.") % {
            "m": decision.municipality,
            "d": day.strftime("%d.%m.%Y"),
        }
    if decision.case and decision.meeting_date and decision.meeting_date < decision.case.opened:
        errors["meeting_date"] = _(
            "Vedtaket kan ikke være datert før saken ble opprettet (%(d)s)."
        ) % {"d": decision.case.opened.strftime("%d.%m.%Y")}
    if (
        decision.body in (Decision.Body.COUNCIL, Decision.Body.EXECUTIVE_COMMITTEE)
        and decision.municipality is None
    ):
        errors["municipality"] = _("Velg kommunen som har behandlet saken.")
    if decision.body == Decision.Body.ARENA_BOARD and decision.arena is None:
        errors["arena"] = _("Velg arenaen som har behandlet saken.")
    if decision.body == Decision.Body.OTHER and not decision.body_name:
        errors["body_name"] = _("Skriv navnet på organet.")
    if errors:
        raise ValidationError(errors)


def record_decision(decision: Decision, *, actor: Actor, channel: str = Channel.PAGE) -> Decision:
    """Record a new decision (or a pending treatment). Raises ValidationError for a
    meeting before the case, a municipality that did not exist then, a missing body."""
    require(can_record_decision(actor, municipality=decision.municipality, arena=decision.arena))
    _check_decision(decision)
    return create_record(decision, actor=actor, channel=channel)


def update_decision(
    decision: Decision,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Decision:
    require(can_record_decision(actor, municipality=decision.municipality, arena=decision.arena))
    update_record(
        decision,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_decision,
    )
    return decision


def open_case(case: Case, *, actor: Actor, channel: str = Channel.PAGE) -> Case:
    require(can_record_decision(actor, municipality=None, arena=case.arena))
    if case.opened > date.today():
        raise ValidationError({"opened": _("En sak kan ikke opprettes fram i tid.")})
    return create_record(case, actor=actor, channel=channel)
