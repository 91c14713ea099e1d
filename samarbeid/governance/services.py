from __future__ import annotations

from datetime import date, timedelta
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
from samarbeid.registry.models import Municipality
from samarbeid.registry.permissions import can_record_for_predecessor


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
    ) or (
        # a successor's coordinator records what its predecessor's own bodies decided
        is_municipal_body(decision) and can_record_for_predecessor(actor, decision.municipality)
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
    """One body's treatment of a case, with its state on the board. A treatment still open
    when its municipality ceased has lapsed ("bortfalt"), stored or not: it is never shown
    as pending or overdue, and names the successor."""

    DECIDED = "decided"
    PENDING = "pending"
    OVERDUE = "overdue"
    LAPSED = "lapsed"
    TRANSFERRED = "transferred"

    def __init__(
        self, decision: Decision, today: date, successors: list[Municipality] | None = None
    ) -> None:
        self.decision = decision
        self.successors: list[Municipality] = successors or []
        self.lapsed_on: date | None = decision.lapsed_on
        if decision.outcome == Decision.Outcome.TRANSFERRED:
            self.state = self.TRANSFERRED
        elif decision.outcome == Decision.Outcome.LAPSED:
            self.state = self.LAPSED
        elif decision.is_decided:
            self.state = self.DECIDED
        elif decision.ceased_before(today):
            self.state = self.LAPSED
            assert decision.municipality is not None
            assert decision.municipality.valid_to
            self.lapsed_on = decision.municipality.valid_to + timedelta(days=1)
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
            self.LAPSED: _("bortfalt"),
            self.TRANSFERRED: _("overført"),
        }[self.state]

    @property
    def lapse_note(self) -> str:
        """E.g. "Lardal (0728) opphørte 01.01.2018; etterfølger: Larvik (3909)"."""
        if self.state not in (self.LAPSED, self.TRANSFERRED):
            return ""
        municipality = self.decision.municipality
        heirs = ", ".join(f"{m.name} ({m.number})" for m in self.successors) or "–"
        day = self.lapsed_on.strftime("%d.%m.%Y") if self.lapsed_on else "–"
        if self.state == self.TRANSFERRED:
            return _("Overført til %(s)s fra %(d)s.") % {"s": heirs, "d": day}
        return _("%(m)s opphørte %(d)s; etterfølger: %(s)s.") % {
            "m": f"{municipality.name} ({municipality.number})" if municipality else "–",
            "d": day,
            "s": heirs,
        }

    @property
    def can_transfer(self) -> bool:
        """The secretariat may pass a lapsed treatment on to the successor (once)."""
        return self.state == self.LAPSED


class TreatmentBoard:
    """A case across all bodies: decided / pending / overdue / lapsed, and what it means.
    "Overdue" counts only treatments that can still be done."""

    def __init__(self, case: Case, decisions: list[Decision], today: date | None = None) -> None:
        today = today or timezone.localdate()
        self.case = case
        heirs = _successors_of(decisions, today)
        self.rows = [Treatment(d, today, heirs.get(d.pk)) for d in decisions]
        self.total = len(self.rows)
        self.decided = sum(1 for r in self.rows if r.state == Treatment.DECIDED)
        self.pending = sum(1 for r in self.rows if r.state == Treatment.PENDING)
        self.overdue = sum(1 for r in self.rows if r.state == Treatment.OVERDUE)
        self.lapsed = sum(
            1 for r in self.rows if r.state in (Treatment.LAPSED, Treatment.TRANSFERRED)
        )
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


def _successors_of(decisions: list[Decision], today: date) -> dict[int, list[Municipality]]:
    """For each closed-by-change or ceased row: its successor(s). A stored successor is
    named as recorded; otherwise the registry's successors today (one query for the
    changes, one for the municipalities)."""
    from samarbeid.registry.services import SuccessorMap

    wanted = [
        d
        for d in decisions
        if d.successor_id is None and not d.is_decided and d.ceased_before(today)
    ]
    result: dict[int, list[Municipality]] = {
        d.pk: [d.successor] for d in decisions if d.successor is not None
    }
    if not wanted:
        return result
    changes = SuccessorMap()
    ids: dict[int, list[int]] = {}
    for d in wanted:
        assert d.municipality is not None
        assert d.municipality.valid_to is not None
        ids[d.pk] = changes.successor_ids_on(d.municipality.pk, today)
    found = Municipality.objects.in_bulk({i for v in ids.values() for i in v})
    for pk, heirs in ids.items():
        result[pk] = sorted((found[i] for i in heirs if i in found), key=lambda m: m.number)
    return result


def treatment_board(case: Case, today: date | None = None) -> TreatmentBoard:
    decisions = list(
        case.decisions.select_related("municipality", "arena", "successor").order_by(
            "municipality__number", "id"
        )
    )
    return TreatmentBoard(case, decisions, today)


# Treatments of municipalities that ceased ------------------------------------------------

MUNICIPAL_BODIES = (Decision.Body.COUNCIL, Decision.Body.EXECUTIVE_COMMITTEE)


def _open_ceased(today: date) -> Any:
    """Treatments of a case still open (pending or postponed) whose municipality ceased."""
    return Decision.objects.filter(
        case__isnull=False,
        body__in=MUNICIPAL_BODIES,
        outcome__in=["", Decision.Outcome.POSTPONED],
        municipality__valid_to__lt=today,
    )


def lapse_ceased_treatments(
    arena: Any, *, actor: Actor, channel: str = Channel.COMMAND, today: date | None = None
) -> int:
    """Close as lapsed ("bortfalt") every open treatment of the arena's cases whose
    municipality has ceased, from the day the change took effect, naming the successor.
    Run when a change takes effect (follow_successors); the board shows the same on read.
    Returns the number closed."""
    from samarbeid.registry.services import SuccessorMap

    require(can_record_decision(actor, municipality=None, arena=arena))
    today = today or timezone.localdate()
    rows = list(
        _open_ceased(today)
        .filter(case__arena=arena)
        .select_related("municipality", "case")
        .order_by("id")
    )
    if not rows:
        return 0
    changes = SuccessorMap()
    with transaction.atomic():
        for decision in rows:
            municipality = decision.municipality
            assert municipality is not None
            assert municipality.valid_to is not None
            effective = municipality.valid_to + timedelta(days=1)
            heirs = changes.successor_ids_on(municipality.pk, today)
            update_record(
                decision,
                {
                    "outcome": Decision.Outcome.LAPSED,
                    "lapsed_on": effective,
                    "successor": Municipality.objects.filter(pk__in=heirs)
                    .order_by("number")
                    .first(),
                },
                expected_version=None,
                actor=actor,
                channel=channel,
            )
    return len(rows)


def arenas_with_lapsing_treatments(today: date | None = None) -> Any:
    """Arenas whose cases hold open treatments of municipalities that ceased."""
    from samarbeid.arenas.models import Arena

    today = today or timezone.localdate()
    return Arena.objects.filter(pk__in=_open_ceased(today).values("case__arena_id"))


def _heirs_of(municipality: Municipality, today: date) -> list[Municipality]:
    """The municipalities holding a ceased municipality's area today (several for a split)."""
    from samarbeid.registry.services import SuccessorMap

    ids = SuccessorMap().successor_ids_on(municipality.pk, today)
    return list(Municipality.objects.filter(pk__in=ids).order_by("number"))


def transfer_to_successor(
    decision: Decision,
    *,
    planned_date: date | None = None,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    today: date | None = None,
) -> list[Decision]:
    """Pass a treatment its municipality could not finish on to the successor ("overfør til
    etterfølger"): the row is closed as transferred, naming the successor, and each
    successor that does not have the case yet gets a pending treatment in the same body.
    The case's secretariat decides. Returns the new treatments."""

    case = decision.case
    if case is None:
        raise ValidationError({"decision": _("Bare behandlinger av en sak kan overføres.")})
    require(can_record_decision(actor, municipality=None, arena=case.arena))
    today = today or timezone.localdate()
    with transaction.atomic():
        # no joins under the lock: PostgreSQL cannot lock the nullable side of an outer join
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        municipality = locked.municipality
        if locked.body not in MUNICIPAL_BODIES or municipality is None:
            raise ValidationError(
                {"decision": _("Bare en kommunes behandling kan overføres til etterfølgeren.")}
            )
        if locked.outcome == Decision.Outcome.TRANSFERRED:
            raise ValidationError({"decision": _("Behandlingen er allerede overført.")})
        if locked.is_decided:
            raise ValidationError(
                {
                    "decision": _("Saken er behandlet i %(m)s og kan ikke overføres.")
                    % {"m": municipality.name}
                }
            )
        if not locked.ceased_before(today):
            raise ValidationError(
                {
                    "decision": _("%(m)s finnes fortsatt; behandlingen kan ikke overføres.")
                    % {"m": municipality.name}
                }
            )
        assert municipality.valid_to is not None
        heirs = _heirs_of(municipality, today)
        if not heirs:
            raise ValidationError(
                {
                    "decision": _("%(m)s har ingen etterfølger i kommuneregisteret.")
                    % {"m": municipality.name}
                }
            )
        update_record(
            locked,
            {
                "outcome": Decision.Outcome.TRANSFERRED,
                "lapsed_on": municipality.valid_to + timedelta(days=1),
                "successor": heirs[0],
            },
            expected_version=expected_version,
            actor=actor,
            channel=channel,
        )
        decision.refresh_from_db()
        having = set(
            case.decisions.filter(body=locked.body).values_list("municipality_id", flat=True)
        )
        created: list[Decision] = []
        for heir in heirs:
            if heir.pk in having:
                continue
            new = Decision(
                case=case,
                body=locked.body,
                municipality=heir,
                planned_date=planned_date,
                is_example_data=locked.is_example_data,
                text=_("Overført fra %(m)s.")
                % {"m": f"{municipality.name} ({municipality.number})"},
            )
            _check_decision(new)
            created.append(create_record(new, actor=actor, channel=channel))
    return created


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
