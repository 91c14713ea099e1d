"""Decisions: who may record one (for a municipality, an arena or a predecessor), recording
and changing them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_record_decision, is_secretariat, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, update_record
from samarbeid.governance.models import LAPSED_OUTCOMES, Decision
from samarbeid.registry.permissions import can_record_for_predecessor
from samarbeid.registry.services import absent_on


def check_decision(decision: Decision) -> None:
    errors: dict[str, str] = {}
    day = decision.meeting_date or decision.planned_date
    if decision.outcome and not decision.meeting_date:
        errors["meeting_date"] = _("Et vedtak med utfall må ha møtedato.")
    if decision.municipality and day and not decision.municipality.is_valid_on(day):
        errors["municipality"] = absent_on(decision.municipality, day)
    if decision.case and decision.meeting_date and decision.meeting_date < decision.case.opened:
        errors["meeting_date"] = _(
            "Vedtaket kan ikke være datert før saken ble opprettet (%(d)s)."
        ) % {"d": shown(decision.case.opened)}
    if (
        decision.body in (Decision.Body.COUNCIL, Decision.Body.EXECUTIVE_COMMITTEE)
        and decision.municipality is None
    ):
        errors["municipality"] = _("Velg kommunen som har behandlet saken.")
    if (
        decision.case_id is not None
        and decision.municipality_id is not None
        and Decision.objects.filter(
            case_id=decision.case_id,
            municipality_id=decision.municipality_id,
            body=decision.body,
        )
        .exclude(pk=decision.pk)
        .exists()
    ):
        # The treatment board counts one treatment per council: a second would read
        # "13 av 12" (a clerk's trial). A treatment that changes is edited, not added.
        errors["municipality"] = _(
            "%(m)s har allerede en behandling av saken i dette organet. Endre den i stedet."
        ) % {"m": decision.municipality}
    if decision.body == Decision.Body.ARENA_BOARD and decision.arena is None:
        errors["arena"] = _("Velg arenaen som har behandlet saken.")
    if decision.body == Decision.Body.OTHER and not decision.body_name:
        errors["body_name"] = _("Skriv navnet på organet.")
    if (
        decision.outcome in LAPSED_OUTCOMES
        and decision.municipality is not None
        and decision.municipality.valid_to is None
    ):
        # set by a municipal change, for a municipality that ceased before it treated the
        # case (a clerk's trial recorded "overført til etterfølger" for Larvik as it is)
        errors["outcome"] = _(
            "Utfallet «%(outcome)s» gjelder bare en kommune som har opphørt; %(m)s finnes."
        ) % {"outcome": decision.get_outcome_display(), "m": decision.municipality}
    if errors:
        raise ValidationError(errors)


def concerned_arena(decision: Decision, concerning: Any = None) -> Any:
    """The arena a decision is about, which decides whose secretariat may record it: the
    arena whose body made it, else the arena it was recorded for (a council's decision to
    join), else its case's arena. None for a decision about no arena."""
    if decision.arena_id is not None:
        return decision.arena
    if concerning is not None:
        return concerning
    if decision.case_id is not None:
        return decision.case.arena if decision.case else None
    return None


def _linked_arenas(decision: Decision, concerning: Any = None) -> tuple[Any, ...]:
    """Every arena the decision links to besides the one it concerns: its case's arena
    (a secretariat may not hang a decision on another arena's case)."""
    if decision.case_id is not None and decision.case is not None:
        return (decision.case.arena,)
    return ()


def is_municipal_body(decision: Decision) -> bool:
    """Made by a municipality's own body (its council, executive committee or another of
    its bodies), not by an arena's: no arena's body is named on it."""
    return decision.body != Decision.Body.ARENA_BOARD and decision.arena_id is None


def may_record(actor: Actor, decision: Decision, concerning: Any = None) -> bool:
    """Whether `actor` may record `decision` (as it stands, with all it links to)."""
    return can_record_decision(
        actor,
        municipality=decision.municipality,
        arena=concerned_arena(decision, concerning),
        municipal_body=is_municipal_body(decision),
        linked=_linked_arenas(decision, concerning),
    ) or (
        # a successor's coordinator records what its predecessor's own bodies decided
        is_municipal_body(decision) and can_record_for_predecessor(actor, decision.municipality)
    )


def _anchored_arenas(decision: Decision) -> Iterator[Any]:
    """Arenas whose memberships or projects' participations rest on the decision: their
    secretariat recorded it with them and may correct it. Read through the records that
    point at the decision (governance names no arena or project model), one relation at a
    time, so a caller that needs only the first stops there."""
    for membership in decision.memberships_joined.select_related("arena"):
        yield membership.arena
    for membership in decision.memberships_left.select_related("arena"):
        yield membership.arena
    for participation in decision.participations.select_related("project__arena"):
        yield participation.project.arena


def can_change_decision(actor: Actor, decision: Decision) -> bool:
    """Who may correct a recorded decision: as for recording it, with the arenas whose
    memberships or participations rest on it standing for the arena it concerns."""
    return may_record(actor, decision) or any(
        is_secretariat(actor, arena) for arena in _anchored_arenas(decision)
    )


def can_anchor_in(actor: Actor, decision: Decision, arena: Any) -> bool:
    """Whether `actor` may rest a record of `arena` (a membership, a participation, a
    status change) on `decision`: a decision it may correct, or one that concerns no arena
    and rests on nothing of another arena (a council's own decision, not yet used). Else a
    secretariat could take over another arena's decision by linking to it."""
    if can_change_decision(actor, decision):
        return True
    return concerned_arena(decision) is None and all(
        a.pk == arena.pk for a in _anchored_arenas(decision)
    )


def record_decision(
    decision: Decision, *, actor: Actor, channel: str = Channel.PAGE, concerning: Any = None
) -> Decision:
    """Record a new decision (or a pending treatment); `concerning` is the arena a
    municipality's decision is about (joining it, a project in it). Raises ValidationError
    for a meeting before the case, a municipality that did not exist then, a missing body.
    A coordinator records only its own municipality's bodies' decisions; a secretariat
    only within its arenas, the case's arena included."""
    require(may_record(actor, decision, concerning))
    check_decision(decision)
    return create_record(decision, actor=actor, channel=channel)


def update_decision(
    decision: Decision,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Decision:
    require(can_change_decision(actor, decision))
    update_record(
        decision,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=check_decision,
    )
    return decision
