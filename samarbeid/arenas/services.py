from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_arena, can_link, require
from samarbeid.arenas.models import Arena, ArenaQuerySet, Membership
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, update_record
from samarbeid.governance.models import Decision
from samarbeid.governance.services.decisions import (
    can_anchor_in,
    check_decision,
    may_record,
    record_decision,
)
from samarbeid.governance.services.treatments import lapse_ceased_treatments
from samarbeid.registry.models import Municipality, MunicipalityChange
from samarbeid.registry.services import absent_on


def _check_arena(arena: Arena) -> None:
    errors: dict[str, str] = {}
    if arena.status == Arena.Status.TRANSFERRED and arena.transferred_to is None:
        errors["transferred_to"] = _("Velg arenaen den er overført til.")
    if arena.transferred_to_id is not None and arena.transferred_to_id == arena.pk:
        errors["transferred_to"] = _("En arena kan ikke overføres til seg selv.")
    if (
        arena.status in (Arena.Status.CLOSED, Arena.Status.TRANSFERRED, Arena.Status.CLOSING)
        and not arena.status_reason.strip()
    ):
        errors["status_reason"] = _("Skriv begrunnelsen for avvikling eller overføring.")
    if arena.established and arena.ended and arena.ended < arena.established:
        errors["ended"] = _("Sluttdato kan ikke være før etableringsdato.")
    if arena.kind == Arena.Kind.JOINT_MUNICIPALITY and (
        arena.ended is None or arena.ended > date(2019, 12, 31)
    ):
        errors["ended"] = _(
            "Samkommuner ble avviklet innen 1. januar 2020; oppgi sluttdato senest 31.12.2019."
        )
    if arena.initiator == Arena.Initiator.MUNICIPALITY and arena.initiator_municipality is None:
        errors["initiator_municipality"] = _("Velg kommunen som tok initiativet.")
    if arena.parent_id is not None:
        seen, current = 0, arena.parent
        while current is not None and seen < 20:
            if current.pk == arena.pk:
                errors["parent"] = _("En arena kan ikke ligge under seg selv.")
                break
            current, seen = current.parent, seen + 1
    if errors:
        raise ValidationError(errors)


def create_arena(arena: Arena, *, actor: Actor, channel: str = Channel.PAGE) -> Arena:
    """Register an arena. The secretariat of the parent arena may register a sub-arena; a
    top-level arena, a secretariat for every arena. An arena it is transferred to must be
    within the actor's rights too."""
    require(can_link(actor, arena.parent))
    if arena.transferred_to is not None:
        require(can_link(actor, arena.transferred_to))
    _check_arena(arena)
    return create_record(arena, actor=actor, channel=channel)


def update_arena(
    arena: Arena,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Arena:
    """Change an arena. Closing or transferring needs a reason (and a target arena). A new
    parent or target arena must be within the actor's rights (moving an arena to the top
    level: a secretariat for every arena)."""
    require(can_edit_arena(actor, arena))
    for name in ("parent", "transferred_to"):
        new = changes.get(name)
        if (
            name in changes
            and new != getattr(arena, name)
            and (new is not None or name == "parent")
        ):
            require(can_link(actor, new))
    update_record(
        arena,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_arena,
    )
    return arena


def _check_membership(membership: Membership, *, ends: bool = False, reopens: bool = False) -> None:
    """Refuse the membership as it would be stored with every problem `_problems` finds."""
    problems = _problems(membership, ends=ends, reopens=reopens)
    if problems:
        raise ValidationError(problems)


def _problems(
    membership: Membership, *, ends: bool = False, reopens: bool = False
) -> dict[str, list[str]]:
    """What is wrong with the membership as it would be stored, all at once, by field: its
    fields' own rules (a date's window) and the domain's. `ends`: a write gives it an end
    (or a new one), which a council's decision to leave must carry, on the page and by the
    API alike; `reopens`: a write takes its end away (a ceased municipality's may not be
    opened again: its successor's membership carries it on)."""
    errors: dict[str, list[str]] = {}
    try:
        # the references are checked by the write path's full_clean (a query each)
        membership.clean_fields(exclude=["arena", "municipality", "decision", "leave_decision"])
    except ValidationError as exc:
        errors.update({field: list(messages) for field, messages in exc.message_dict.items()})
    refused = set(errors)  # a value its field refuses is not reasoned about further

    def add(field: str, message: str) -> None:
        if field not in refused:
            errors.setdefault(field, []).append(message)

    municipality: Municipality = membership.municipality
    arena: Arena = membership.arena
    if membership.left and membership.left < membership.joined:
        add("left", _("Sluttdato kan ikke være før startdato."))
    if not municipality.is_valid_on(membership.joined):
        add("municipality", absent_on(municipality, membership.joined))
    if reopens and municipality.valid_to:
        add(
            "left",
            _(
                "%(m)s opphørte %(d)s; medlemskapet kan ikke åpnes igjen "
                "(etterfølgeren registreres som eget medlemskap)."
            )
            % {"m": municipality, "d": shown(municipality.valid_to)},
        )
    if municipality.valid_to and membership.left and membership.left > municipality.valid_to:
        add(
            "left",
            _(
                "%(m)s opphørte %(d)s; medlemskapet må slutte senest da "
                "(etterfølgeren registreres som eget medlemskap)."
            )
            % {"m": municipality, "d": shown(municipality.valid_to)},
        )
    if arena.established and membership.joined < arena.established:
        add("joined", _("Arenaen ble etablert %(d)s.") % {"d": shown(arena.established)})
    if arena.ended and membership.joined > arena.ended:
        add("joined", _("Arenaen ble avsluttet %(d)s.") % {"d": shown(arena.ended)})
    decision: Decision = membership.decision
    if not decision.is_positive:
        add("decision", _("Vedtaket om deltakelse må være vedtatt."))
    elif decision.municipality_id not in (None, municipality.pk) or (
        decision.municipality_id is None and decision.arena_id not in (None, arena.pk)
    ):
        add("decision", _("Vedtaket må være fattet av kommunen selv eller av arenaen."))
    elif decision.meeting_date and decision.meeting_date > membership.joined:
        add(
            "decision",
            _("Vedtaket (%(d)s) er datert etter at medlemskapet startet.")
            % {"d": shown(decision.meeting_date)},
        )
    leave = membership.leave_decision
    # an end on the day the municipality ceased is the merger's, not a decision to leave
    ceased_then = municipality.valid_to is not None and membership.left == municipality.valid_to
    if ends and leave is None and not ceased_then:
        add(
            "leave_decision", _("Et medlemskap avsluttes på et vedtak om uttreden: oppgi vedtaket.")
        )
    if leave is not None:
        if membership.left is None:
            add("left", _("Oppgi når medlemskapet sluttet."))
        if not leave.is_positive:
            add("leave_decision", _("Vedtaket om uttreden må være vedtatt."))
        elif leave.meeting_date and membership.left and leave.meeting_date > membership.left:
            # as a membership starts on its decision, it ends on one made before the end
            add(
                "leave_decision",
                _("Vedtaket om uttreden (%(d)s) er datert etter at medlemskapet sluttet.")
                % {"d": shown(leave.meeting_date)},
            )
    overlapping = Membership.objects.filter(arena=arena, municipality=municipality).exclude(
        pk=membership.pk
    )
    for other in overlapping:
        if other.joined <= (membership.left or date.max) and membership.joined <= (
            other.left or date.max
        ):
            add(
                "joined",
                _("%(m)s er allerede medlem i denne perioden (fra %(d)s).")
                % {"m": municipality, "d": shown(other.joined)},
            )
            break
    return errors


def _require_anchors(actor: Actor, membership: Membership, decisions: dict[str, Any]) -> None:
    """A membership may rest only on decisions the actor may use for its arena (not on
    another arena's decision, which would hand that decision to this arena's secretariat)."""
    for decision in decisions.values():
        if decision is not None and decision.pk is not None:
            require(can_anchor_in(actor, decision, membership.arena))


def anchor_decision(
    values: Mapping[str, Any], *, arena: Arena, municipality: Municipality
) -> Decision:
    """The decision a membership rests on, not yet recorded, from the fields of the page's
    `AnchorDecisionForm` (or the API's): the arena board's decision names the arena, a
    municipal body's names the municipality."""
    board = values["body"] == Decision.Body.ARENA_BOARD
    return Decision(
        body=values["body"],
        municipality=None if board else municipality,
        arena=arena if board else None,
        case_number=values["case_number"],
        meeting_date=values["meeting_date"],
        outcome=values["outcome"],
        text=values["text"],
        minutes_url=values["minutes_url"],
    )


def add_membership(
    membership: Membership, *, actor: Actor, channel: str = Channel.PAGE
) -> Membership:
    """Record that a municipality joined an arena, anchored in an adopted decision of its
    own council (or of the arena's board): one recorded, or a new `Decision` recorded here
    once the whole membership holds. Refuses overlapping periods, a municipality that did
    not exist then, and a decision dated after the start, with the new decision's own
    refusals, all at once."""
    require(can_edit_arena(actor, membership.arena))
    join: Decision = membership.decision
    new = join.pk is None
    if new:
        require(may_record(actor, join, membership.arena))
    _require_anchors(
        actor,
        membership,
        {"decision": membership.decision, "leave_decision": membership.leave_decision},
    )
    with transaction.atomic():
        problems = _problems(membership)
        if new:
            try:
                check_decision(join)
            except ValidationError as exc:  # under the decision's own fields, as recorded
                for field, messages in exc.message_dict.items():
                    problems.setdefault(field, []).extend(messages)
        if problems:
            raise ValidationError(problems)
        if new:
            membership.decision = record_decision(
                join, actor=actor, channel=channel, concerning=membership.arena
            )
        return create_record(membership, actor=actor, channel=channel)


def _reopening(membership: Membership, changes: Mapping[str, Any]) -> dict[str, Any]:
    """`changes` with what goes with taking an end away: the decision to leave and the
    reason it rested on (unless the caller gives them, which an open membership refuses)."""
    if "left" in changes and changes["left"] is None and membership.left is not None:
        return {"leave_decision": None, "leave_reason": "", **changes}
    return dict(changes)


def _new_decision(changes: Mapping[str, Any]) -> Decision | None:
    """A decision to leave given with the change and not yet recorded (the service records
    it with the change, once all of it holds)."""
    leave = changes.get("leave_decision")
    return leave if isinstance(leave, Decision) and leave.pk is None else None


def membership_problems(membership: Membership, changes: Mapping[str, Any]) -> dict[str, list[str]]:
    """Everything `update_membership` would refuse of `changes` to the stored `membership`,
    by field and all at once: the membership's rules, and those of a decision to leave given
    with it and not yet recorded (under `leave_decision`). Changes nothing; the end page's
    form asks it so that a secretariat sees every error in one round."""
    changes = _reopening(membership, changes)
    candidate = copy.copy(membership)
    for name, value in changes.items():
        setattr(candidate, name, value)
    problems = _problems(
        candidate,
        ends=changes.get("left") is not None and changes["left"] != membership.left,
        reopens="left" in changes and changes["left"] is None and membership.left is not None,
    )
    leave = _new_decision(changes)
    if leave is not None:
        try:
            check_decision(leave)
        except ValidationError as exc:
            problems.setdefault("leave_decision", []).extend(exc.messages)
    return problems


def update_membership(
    membership: Membership,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Membership:
    """Change a membership. An end needs a decision to leave (given as recorded, or as a new
    `Decision`, recorded here once the whole change holds); taking the end away (`left`
    None) takes its decision to leave and reason with it, refused for a municipality that
    ceased. Every refusal of the change is said at once."""
    require(can_edit_arena(actor, membership.arena))
    if "arena" in changes and changes["arena"] != membership.arena:
        require(can_edit_arena(actor, changes["arena"]))
    changes = _reopening(membership, changes)
    leave = _new_decision(changes)
    if leave is not None:
        require(may_record(actor, leave, membership.arena))
    _require_anchors(
        actor,
        membership,
        {
            name: changes[name]
            for name in ("decision", "leave_decision")
            if name in changes and changes[name] != getattr(membership, name)
        },
    )
    ends = changes.get("left") is not None and changes["left"] != membership.left
    reopens = "left" in changes and changes["left"] is None and membership.left is not None
    with transaction.atomic():
        if leave is not None:
            problems = membership_problems(membership, changes)
            if problems:
                raise ValidationError(problems)
            changes["leave_decision"] = record_decision(
                leave, actor=actor, channel=channel, concerning=membership.arena
            )
        update_record(
            membership,
            changes,
            expected_version=expected_version,
            actor=actor,
            channel=channel,
            check=lambda stored: _check_membership(stored, ends=ends, reopens=reopens),
        )
    return membership


def reopen_refusals(membership: Membership) -> list[str]:
    """Why `membership` cannot be reopened: it is open, or its municipality ceased (the
    reopen page says so before its button; `reopen_membership` refuses with the same)."""
    if membership.left is None:
        return [_("Medlemskapet er ikke avsluttet; det er ingenting å gjenåpne.")]
    problems = membership_problems(membership, {"left": None})
    return [message for messages in problems.values() for message in messages]


def reopen_membership(
    membership: Membership,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Membership:
    """Undo an end made by mistake: the membership is open again, without its decision to
    leave and reason (the decision stays recorded). As `PATCH {"left": null}`; refused
    (`reopen_refusals`) for an open membership and a municipality that ceased (its
    successor's membership carries it on)."""
    if membership.left is None:
        raise ValidationError(reopen_refusals(membership))
    return update_membership(
        membership,
        {"left": None},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )


def members_on(arena: Arena, day: date) -> list[Membership]:
    return list(
        arena.memberships.active_on(day)
        .select_related("municipality")
        .order_by("municipality__number")
    )


@dataclass(frozen=True)
class Succession:
    """A membership still open after its municipality ceased, and who took over."""

    membership: Membership
    ceased: date
    successors: list[Municipality]


def arenas_with_ceased_members() -> ArenaQuerySet:
    """Arenas with a membership still open after its municipality ceased (what
    `follow_successors` has to carry on)."""
    return Arena.objects.filter(pk__in=Membership.objects.open_after_cessation().values("arena_id"))


def _open_after_cessation(arena: Arena) -> list[Membership]:
    """Memberships still open (or ending later) after their municipality ceased."""
    return list(
        arena.memberships.open_after_cessation()
        .select_related("municipality")
        .order_by("municipality__number", "joined")
    )


def pending_successions(arena: Arena) -> list[Succession]:
    """What `follow_successors` would carry over (its first step: a chain of changes, as
    Nøtterøy → Færder → Færder in Vestfold og Telemark → Færder, is followed to its end)."""
    pending = _open_after_cessation(arena)
    heirs: dict[int, list[Municipality]] = {}
    for link in MunicipalityChange.objects.filter(
        predecessor__in=[m.municipality_id for m in pending]
    ).select_related("successor"):
        heirs.setdefault(link.predecessor_id, []).append(link.successor)
    result = []
    for membership in pending:
        ceased = membership.municipality.valid_to
        assert ceased is not None
        successors = sorted(heirs.get(membership.municipality_id, []), key=lambda m: m.number)
        result.append(Succession(membership, ceased, successors))
    return result


def follow_successors(arena: Arena, *, actor: Actor, channel: str = Channel.COMMAND) -> int:
    """Carry memberships through mergers and renumberings: a membership still open when its
    municipality ceased ends on that day, and the successor's membership starts the next,
    anchored in a decision that records the change. Past memberships keep the municipality
    they were about. Open treatments of the arena's cases by a municipality that ceased are
    closed as lapsed, naming the successor. Returns the number of memberships created."""
    require(can_edit_arena(actor, arena))
    created = 0
    with transaction.atomic():
        for _round in range(5):  # Nøtterøy → Færder 0729 → 3811 → 3911 takes three rounds
            pending = _open_after_cessation(arena)
            if not pending:
                break
            for membership in pending:
                ended = membership.municipality.valid_to
                assert ended is not None
                update_record(
                    membership,
                    {"left": ended, "leave_reason": _("Kommuneendring")},
                    expected_version=None,
                    actor=actor,
                    channel=channel,
                )
                links = MunicipalityChange.objects.filter(
                    predecessor=membership.municipality
                ).select_related("successor")
                for link in links:
                    successor = link.successor
                    if (
                        arena.memberships.filter(municipality=successor, joined__lte=link.effective)
                        .filter(left__isnull=True)
                        .exists()
                        or arena.memberships.filter(
                            municipality=successor, joined=link.effective
                        ).exists()
                    ):
                        continue
                    decision = create_record(
                        Decision(
                            body=Decision.Body.OTHER,
                            body_name=_("Kommuneendring (%(kind)s)")
                            % {"kind": link.get_kind_display()},
                            meeting_date=link.effective,
                            outcome=Decision.Outcome.ADOPTED,
                            text=_("%(old)s videreføres som %(new)s fra %(d)s.")
                            % {
                                "old": membership.municipality,
                                "new": successor,
                                "d": shown(link.effective),
                            },
                        ),
                        actor=actor,
                        channel=channel,
                    )
                    create_record(
                        Membership(
                            arena=arena,
                            municipality=successor,
                            joined=link.effective,
                            decision=decision,
                            is_example_data=membership.is_example_data,
                        ),
                        actor=actor,
                        channel=channel,
                    )
                    created += 1
        # Treatments the ceased municipalities had not done lapse with the change.
        lapse_ceased_treatments(arena, actor=actor, channel=channel)
    return created
