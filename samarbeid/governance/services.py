from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_edit_arena,
    can_link,
    can_record_decision,
    is_secretariat,
    require,
)
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, update_record
from samarbeid.governance import voting
from samarbeid.governance.models import Case, Decision, ProcessPlan, ProcessStep, Vote


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
    )


def _anchored_arenas(decision: Decision) -> list[Any]:
    """Arenas whose memberships or projects' participations rest on the decision: their
    secretariat recorded it with them and may correct it."""
    from samarbeid.arenas.models import Arena

    return list(
        Arena.objects.filter(
            Q(memberships__decision=decision)
            | Q(memberships__leave_decision=decision)
            | Q(projects__participations__decision=decision)
        ).distinct()
    )


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
    require(can_change_decision(actor, decision))
    update_record(
        decision,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_decision,
    )
    return decision


def _check_case(case: Case) -> None:
    errors: dict[str, str] = {}
    if case.opened is not None and case.opened > date.today():
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
            ) % {"d": earliest.strftime("%d.%m.%Y")}
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
    from samarbeid.arenas.models import Membership

    require(
        can_record_decision(actor, municipality=None, arena=case.arena, linked=_case_links(case))
    )
    _check_case(case)
    if send_to_members and case.arena is None:
        raise ValidationError({"send_to_members": _("Velg arenaen hvis medlemmer skal få saken.")})
    with transaction.atomic():
        create_record(case, actor=actor, channel=channel)
        if send_to_members:
            members = [
                m.municipality
                for m in Membership.objects.active_on(case.opened)
                .filter(arena=case.arena)
                .select_related("municipality")
                .order_by("municipality__number")
            ]
            send_case(case, members, planned_date=planned_date, actor=actor, channel=channel)
    return case


def update_case(
    case: Case,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Case:
    """Change a case's details. Its arena decides who may, so it stays as it is."""
    require(can_record_decision(actor, municipality=None, arena=case.arena))
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
            _check_decision(decision)
            created.append(create_record(decision, actor=actor, channel=channel))
    return created


# Treatment board -------------------------------------------------------------------------


class Treatment:
    """One body's treatment of a case, with its state on the board."""

    DECIDED = "decided"
    PENDING = "pending"
    OVERDUE = "overdue"

    def __init__(self, decision: Decision, today: date) -> None:
        self.decision = decision
        if decision.is_decided:
            self.state = self.DECIDED
        elif decision.planned_date is not None and decision.planned_date < today:
            self.state = self.OVERDUE
        else:
            self.state = self.PENDING

    @property
    def state_label(self) -> str:
        return {
            self.DECIDED: _("behandlet"),
            self.PENDING: _("venter"),
            self.OVERDUE: _("forsinket"),
        }[self.state]


class TreatmentBoard:
    """A case across all bodies: decided / pending / overdue, and what it means."""

    def __init__(self, case: Case, decisions: list[Decision], today: date | None = None) -> None:
        today = today or timezone.localdate()
        self.case = case
        self.rows = [Treatment(d, today) for d in decisions]
        self.total = len(self.rows)
        self.decided = sum(1 for r in self.rows if r.state == Treatment.DECIDED)
        self.pending = sum(1 for r in self.rows if r.state == Treatment.PENDING)
        self.overdue = sum(1 for r in self.rows if r.state == Treatment.OVERDUE)
        municipal = [r for r in self.rows if r.decision.municipality_id is not None]
        self.municipal_total = len(municipal)
        self.positive = sum(1 for r in municipal if r.decision.is_positive)
        self.rejected = sum(1 for r in municipal if r.decision.outcome == Decision.Outcome.REJECTED)

    @property
    def summary(self) -> str:
        """E.g. "9 av 12 har sluttet seg til" (municipal bodies that adopted)."""
        verb = _("har sluttet seg til")
        return _("%(n)s av %(total)s %(verb)s") % {
            "n": self.positive,
            "total": self.municipal_total,
            "verb": verb,
        }


def treatment_board(case: Case, today: date | None = None) -> TreatmentBoard:
    decisions = list(
        case.decisions.select_related("municipality", "arena").order_by(
            "municipality__number", "id"
        )
    )
    return TreatmentBoard(case, decisions, today)


# Votes in an arena's own body ----------------------------------------------------------


def _vote_day(decision: Decision) -> date:
    return decision.meeting_date or decision.planned_date or timezone.localdate()


def cast_vote(
    decision: Decision,
    municipality: Any,
    choice: str,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Vote:
    """Record one member's vote in an arena's own body. One municipality, one vote: a
    non-member and a second vote are refused."""
    from samarbeid.arenas.models import Membership

    require(can_record_decision(actor, municipality=municipality, arena=decision.arena))
    errors: dict[str, str] = {}
    if decision.body != Decision.Body.ARENA_BOARD or decision.arena is None:
        raise ValidationError(
            {"decision": _("Stemmer registreres bare for vedtak i en arenas eget organ.")}
        )
    if decision.is_decided:
        raise ValidationError({"decision": _("Avstemningen er avsluttet; utfallet er beregnet.")})
    if choice not in Vote.Choice.values:
        errors["choice"] = _("Ukjent stemme.")
    day = _vote_day(decision)
    if (
        not Membership.objects.active_on(day)
        .filter(arena=decision.arena, municipality=municipality)
        .exists()
    ):
        errors["municipality"] = _("%(m)s er ikke medlem av %(a)s %(d)s og kan ikke stemme.") % {
            "m": municipality,
            "a": decision.arena,
            "d": day.strftime("%d.%m.%Y"),
        }
    elif decision.votes.filter(municipality=municipality).exists():
        errors["municipality"] = _("%(m)s har allerede stemt. Én kommune, én stemme.") % {
            "m": municipality
        }
    if errors:
        raise ValidationError(errors)
    return create_record(
        Vote(
            decision=decision,
            municipality=municipality,
            choice=choice,
            is_example_data=decision.is_example_data,
        ),
        actor=actor,
        channel=channel,
    )


def conclude_vote(
    decision: Decision,
    *,
    meeting_date: date,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Decision:
    """Compute the outcome from the votes under the decision's rule (simple majority of
    those voting, or unanimity of those present) and record it. Members without a vote
    are counted absent."""
    from samarbeid.arenas.models import Membership

    require(can_edit_arena(actor, decision.arena))
    if decision.body != Decision.Body.ARENA_BOARD or decision.arena is None:
        raise ValidationError({"decision": _("Bare vedtak i en arenas eget organ har stemmer.")})
    if not decision.voting_rule:
        raise ValidationError({"voting_rule": _("Velg avstemningsregelen.")})
    if decision.is_decided:
        raise ValidationError({"decision": _("Avstemningen er allerede avsluttet.")})
    votes = list(decision.votes.all())
    if not votes:
        raise ValidationError({"decision": _("Ingen stemmer er registrert.")})
    members = Membership.objects.active_on(meeting_date).filter(arena=decision.arena)
    missing = members.exclude(municipality_id__in=[v.municipality_id for v in votes]).count()
    choices = [v.choice for v in votes] + [voting.ABSENT] * missing
    adopted = voting.is_adopted(decision.voting_rule, choices)
    update_decision(
        decision,
        {
            "meeting_date": meeting_date,
            "outcome": Decision.Outcome.ADOPTED if adopted else Decision.Outcome.REJECTED,
        },
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return decision


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
