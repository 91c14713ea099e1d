"""Cases: opening and changing a case, and sending it to the councils that treat it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_link,
    can_record_decision,
    require,
)
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, update_record
from samarbeid.governance.models import Case, Decision
from samarbeid.governance.services.decisions import check_decision
from samarbeid.governance.signals import case_sent


def _check_case(case: Case) -> None:
    errors: dict[str, str] = {}
    if case.opened is not None and case.opened > timezone.localdate():
        errors["opened"] = _("En sak kan ikke opprettes fram i tid.")
    elif case.opened is not None and case.pk is not None:
        earliest = (
            case.decisions.filter(meeting_date__isnull=False)
            .order_by("meeting_date")
            .values_list("meeting_date", flat=True)
            .first()
        )
        if earliest is not None and earliest < case.opened:
            errors["opened"] = _(
                "Saken kan ikke være opprettet etter at den ble behandlet (%(d)s)."
            ) % {"d": shown(earliest)}
    if errors:
        raise ValidationError(errors)


def _case_links(case: Case) -> tuple[Any, ...]:
    """The arenas a case links to besides its own: its project's."""
    return (case.project.arena,) if case.project is not None else ()


def open_case(
    case: Case,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    send_to_members: bool = False,
    planned_date: date | None = None,
) -> Case:
    """Open a case; with `send_to_members`, send it at once to the council of every
    municipality that is a member of the case's arena on the day it is opened."""
    require(
        can_record_decision(actor, municipality=None, arena=case.arena, linked=_case_links(case))
    )
    _check_case(case)
    arena = case.arena
    if send_to_members and arena is None:
        raise ValidationError({"send_to_members": _("Velg arenaen hvis medlemmer skal få saken.")})
    with transaction.atomic():
        create_record(case, actor=actor, channel=channel)
        if send_to_members and arena is not None:
            members = [
                m.municipality
                for m in arena.memberships.active_on(case.opened)
                .select_related("municipality")
                .order_by("municipality__number")
            ]
            send_case(case, members, planned_date=planned_date, actor=actor, channel=channel)
    return case


def can_change_case(actor: Actor, case: Case) -> bool:
    """Who may change a case's details: who may record decisions in its arena."""
    return can_record_decision(actor, municipality=None, arena=case.arena)


def update_case(
    case: Case,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Case:
    """Change a case's details. Its arena decides who may, so it stays as it is."""
    require(can_change_case(actor, case))
    if changes.get("project") is not None and changes["project"] != case.project:
        require(can_link(actor, changes["project"].arena))
    if "arena" in changes and changes["arena"] != case.arena:
        raise ValidationError({"arena": _("Arenaen til en sak kan ikke endres.")})
    changes = {k: v for k, v in changes.items() if k != "arena"}
    update_record(
        case,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_case,
    )
    return case


def send_case(
    case: Case,
    municipalities: list[Any],
    *,
    planned_date: date | None,
    body: str = Decision.Body.COUNCIL,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> list[Decision]:
    """Send a case to each municipality's council (or executive committee) for treatment:
    one pending treatment per body. A body that already has the case is skipped."""
    require(can_record_decision(actor, municipality=None, arena=case.arena))
    if body not in (Decision.Body.COUNCIL, Decision.Body.EXECUTIVE_COMMITTEE):
        raise ValidationError({"body": _("Velg kommunestyre eller formannskap.")})
    if planned_date and planned_date < case.opened:
        raise ValidationError(
            {"planned_date": _("Planlagt møtedato kan ikke være før saken ble opprettet.")}
        )
    existing = set(case.decisions.filter(body=body).values_list("municipality_id", flat=True))
    created: list[Decision] = []
    with transaction.atomic():
        for municipality in municipalities:
            if municipality.pk in existing:
                continue
            decision = Decision(
                case=case,
                body=body,
                municipality=municipality,
                planned_date=planned_date,
                is_example_data=case.is_example_data,
            )
            check_decision(decision)
            created.append(create_record(decision, actor=actor, channel=channel))
        if created:
            transaction.on_commit(lambda: case_sent.send(sender=Case, case=case, decisions=created))
    return created
