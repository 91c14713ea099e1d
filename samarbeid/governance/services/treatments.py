"""Treatments of a case: the board of each council's treatment, and treatments left open by a
municipality that ceased (lapsed, or passed on to its successor)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_record_decision,
    require,
)
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, update_record
from samarbeid.governance import as_of
from samarbeid.governance.models import LAPSED_OUTCOMES, Case, Decision
from samarbeid.governance.services.decisions import check_decision
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import SuccessorMap

# Treatment board -------------------------------------------------------------------------


class Treatment:
    """One body's treatment of a case, with its state on the board as of a day
    (`as_of.treatment_state`). A treatment still open when its municipality ceased has lapsed
    ("bortfalt"), stored or not: it is never shown as pending or overdue, and names the
    successor."""

    DECIDED = as_of.DECIDED
    PENDING = as_of.PENDING
    OVERDUE = as_of.OVERDUE
    LAPSED = as_of.LAPSED
    TRANSFERRED = as_of.TRANSFERRED

    def __init__(
        self, decision: Decision, day: date, successors: list[Municipality] | None = None
    ) -> None:
        self.decision = decision
        self.successors: list[Municipality] = successors or []
        self.state = as_of.treatment_state(decision, day)
        self.lapsed_on: date | None = None
        if self.state in (self.LAPSED, self.TRANSFERRED):
            self.lapsed_on = decision.lapsed_on
            if decision.outcome not in LAPSED_OUTCOMES:  # seen in the register, not stored
                assert decision.municipality is not None
                assert decision.municipality.valid_to
                self.lapsed_on = decision.municipality.valid_to + timedelta(days=1)

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
        day = shown(self.lapsed_on) if self.lapsed_on else "–"
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
    """A case across all bodies as it stood on `day`: decided / pending / overdue / lapsed,
    and what it means. "Overdue" counts only treatments that can still be done."""

    def __init__(self, case: Case, decisions: list[Decision], day: date) -> None:
        self.case = case
        self.day = day
        heirs = _successors_of(decisions, day)
        self.rows = [Treatment(d, day, heirs.get(d.pk)) for d in decisions]
        self.total = len(self.rows)
        self.decided = sum(1 for r in self.rows if r.state == Treatment.DECIDED)
        self.pending = sum(1 for r in self.rows if r.state == Treatment.PENDING)
        self.overdue = sum(1 for r in self.rows if r.state == Treatment.OVERDUE)
        self.lapsed = sum(
            1 for r in self.rows if r.state in (Treatment.LAPSED, Treatment.TRANSFERRED)
        )
        municipal = [r for r in self.rows if r.decision.municipality_id is not None]
        decided = [r.decision for r in municipal if r.state == Treatment.DECIDED]
        self.municipal_total = len(_to_treat(municipal, day))
        self.positive = sum(1 for d in decided if d.is_positive)
        self.rejected = sum(1 for d in decided if d.outcome == Decision.Outcome.REJECTED)

    @property
    def summary(self) -> str:
        """E.g. "9 av 12 har sluttet seg til": municipal bodies that adopted, of those that are
        to treat the case (a merged municipality's successor counted once, its predecessors'
        lapsed or passed-on treatments not)."""
        verb = _("har sluttet seg til")
        return _("%(n)s av %(total)s %(verb)s") % {
            "n": self.positive,
            "total": self.municipal_total,
            "verb": verb,
        }


def _to_treat(municipal: list[Treatment], day: date) -> set[tuple[str, int]]:
    """Who is to treat the case on `day`, as (body, municipality) pairs, each once: a
    municipal treatment's own municipality, or for one that lapsed or was passed on, the
    successors holding its area on `day` (Tjøme's and Nøtterøy's treatments count as
    Færder's one, whether or not Færder has a row of its own). A successor that has itself
    ceased since (Færder 0729, renumbered) is followed to its holders on `day`; the
    register's changes are loaded only then."""
    pairs: set[tuple[str, int]] = set()
    changes: SuccessorMap | None = None
    for row in municipal:
        body, municipality_id = row.decision.body, row.decision.municipality_id
        assert municipality_id is not None
        if row.state not in (Treatment.LAPSED, Treatment.TRANSFERRED):
            pairs.add((body, municipality_id))
            continue
        for heir in row.successors:
            if heir.valid_to is None or heir.valid_to >= day:
                pairs.add((body, heir.pk))
                continue
            changes = changes or SuccessorMap()
            pairs.update((body, held) for held in changes.successor_ids_on(heir.pk, day))
    return pairs


def _successors_of(decisions: list[Decision], day: date) -> dict[int, list[Municipality]]:
    """For each closed-by-change or ceased row: its successor(s). A stored successor is
    named as recorded; otherwise the registry's successors on `day` (one query for the
    changes, one for the municipalities)."""

    wanted = [
        d
        for d in decisions
        if d.successor_id is None
        and d.ceased_before(day)
        and as_of.treatment_state(d, day) in (as_of.LAPSED, as_of.TRANSFERRED)
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
        ids[d.pk] = changes.successor_ids_on(d.municipality.pk, day)
    found = Municipality.objects.in_bulk({i for v in ids.values() for i in v})
    for pk, heirs in ids.items():
        result[pk] = sorted((found[i] for i in heirs if i in found), key=lambda m: m.number)
    return result


def treatment_board(case: Case, today: date) -> TreatmentBoard:
    """The case's board as it stood on `today`, the day judged against (the page's and the
    API's "per dato")."""
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


def arena_ids_with_lapsing_treatments(today: date | None = None) -> Any:
    """The ids of the arenas whose cases hold open treatments of municipalities that ceased
    (a subquery for `Arena.objects.filter(pk__in=…)`)."""
    today = today or timezone.localdate()
    return _open_ceased(today).filter(case__arena__isnull=False).values("case__arena_id")


def _heirs_of(municipality: Municipality, today: date) -> list[Municipality]:
    """The municipalities holding a ceased municipality's area today (several for a split)."""

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
            check_decision(new)
            created.append(create_record(new, actor=actor, channel=channel))
    return created
