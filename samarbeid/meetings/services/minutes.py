"""The minutes: each item's treatment and decision, participation, votes (who was present:
`attendance`)."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from samarbeid.accounts.permissions import can_edit_arena, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core import dates
from samarbeid.core.dates import shown
from samarbeid.core.services import update_record
from samarbeid.governance.models import Decision, VotingRule
from samarbeid.governance.services.decisions import record_decision, update_decision
from samarbeid.governance.services.votes import cast_vote, conclude_vote
from samarbeid.meetings.models import AgendaItem, Meeting, MinutesOutcome
from samarbeid.meetings.seats import seated_municipalities
from samarbeid.meetings.services.common import case_after_meeting, said_of_the_decision, touch
from samarbeid.meetings.services.status import Status, check_transition, move
from samarbeid.portfolio.models import Participation
from samarbeid.portfolio.services import set_participation

# what the minutes' outcome records as the case's decision in governance ("tatt til
# orientering" decides nothing on the case: no decision is recorded)
_GOVERNANCE_OUTCOME = {
    MinutesOutcome.ADOPTED: Decision.Outcome.ADOPTED,
    MinutesOutcome.ADOPTED_WITH_CHANGES: Decision.Outcome.ADOPTED_WITH_CHANGES,
    MinutesOutcome.REJECTED: Decision.Outcome.REJECTED,
    MinutesOutcome.POSTPONED: Decision.Outcome.POSTPONED,
}


_MINUTES_FIELDS = {"treatment", "decision_text", "outcome"}

# the outcomes that adopt something: the minutes say what («Vedtak: …»)
ADOPTING = (MinutesOutcome.ADOPTED, MinutesOutcome.ADOPTED_WITH_CHANGES)
ADOPTED_WITHOUT_TEXT = _lazy("Skriv vedtaket: hva ble vedtatt?")
NO_OUTCOME = _lazy("Velg utfallet av saken når vedtaket er skrevet.")


def outcome_missing(decision_text: str, outcome: str, case_id: Any) -> str | None:
    """A decision written says what became of the item (a case's goes into the case): why
    the outcome is missing, or None. The minutes' form says it with the texts' errors."""
    if not decision_text.strip() or outcome:
        return None
    if case_id:
        return _("Velg utfallet: vedtaket i en sak føres i saken med sitt utfall.")
    return str(NO_OUTCOME)


def proposal_for(item: AgendaItem) -> str:
    """The proposal for a decision (forslag til vedtak) the body treats `item` on, or "":
    the item's own (written on the agenda, sent with the notice), else the text written on
    the case's treatment in this body before the meeting, while it is still pending (the
    treatment the case was sent to the body for). An item adopted as it stood, with no
    decision text of its own, is recorded with it."""
    if item.proposal.strip():
        return item.proposal.strip()
    if item.case_id is None:
        return ""
    treatment = (
        Decision.objects.filter(pk=item.decision_id).first()
        if item.decision_id
        else _treatment_in_this_body(item, item.meeting)
    )
    if treatment is None or treatment.outcome:
        return ""
    return treatment.text.strip()


def check_minutes_open(meeting: Meeting) -> None:
    if meeting.date > timezone.localdate():
        raise ValidationError(
            _("Møtet er %(d)s; protokollen skrives etter møtet.") % {"d": shown(meeting.date)}
        )
    if meeting.status != Status.HELD:
        raise ValidationError(
            _(
                "Protokollen skrives når møtet er avholdt og før den er godkjent "
                "(status nå: «%(s)s»)."
            )
            % {"s": meeting.get_status_display()}
        )


def minutes_refusal(meeting: Meeting) -> str | None:
    """Why the minutes of `meeting` cannot be written now (before its day, or not held),
    or None; the attendance and treatment pages say it instead of their form."""
    try:
        check_minutes_open(meeting)
    except ValidationError as exc:
        return str(exc.messages[0])
    return None


def _governance_decision(item: AgendaItem, meeting: Meeting) -> Decision:
    """The case's decision in this body as the minutes say it (not saved)."""
    decision = Decision(case=item.case, body=Decision.Body.ARENA_BOARD, arena=meeting.body.arena)
    decision.body_name = meeting.body.name
    decision.case_number = item.number_label
    decision.meeting_date = meeting.date
    decision.outcome = _GOVERNANCE_OUTCOME[MinutesOutcome(item.outcome)]
    decision.text = item.decision_text
    return decision


def write_item_minutes(
    item: AgendaItem,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> AgendaItem:
    """Write an item's treatment, decision and outcome in the minutes. An item that treats a
    governance case records its decision there too, through governance's own services (a
    decision of this body, dated the meeting's day, with the outcome), so the case's
    treatment table follows the minutes; changed minutes change that decision."""
    meeting = item.meeting
    require(can_edit_arena(actor, meeting.body.arena))
    check_minutes_open(meeting)
    kept = {k: v for k, v in changes.items() if k in _MINUTES_FIELDS}
    planned = copy.copy(item)  # the item as the minutes will say it
    for name, value in kept.items():
        setattr(planned, name, value)
    if missing := outcome_missing(planned.decision_text, planned.outcome, planned.case_id):
        raise ValidationError({"outcome": missing})
    if planned.outcome in ADOPTING and not planned.decision_text.strip():
        # minutes that say an item was adopted say what («Vedtak: …»): adopted as it stood,
        # the proposal; adopted with changes, or with no proposal, the clerk writes it
        proposal = proposal_for(planned) if planned.outcome == MinutesOutcome.ADOPTED else ""
        if not proposal:
            raise ValidationError({"decision_text": str(ADOPTED_WITHOUT_TEXT)})
        planned.decision_text = kept["decision_text"] = proposal
    municipalities = list(changes.get("municipalities") or [])
    status = str(changes.get("participation") or "")
    if municipalities and _already_recorded(item, municipalities, status):
        municipalities, status = [], ""  # re-saved as it was: nothing recorded twice
    _check_participation(planned, meeting, municipalities, status)
    case = planned.case  # a decision dated before its case: governance would refuse it
    if case is not None and planned.outcome in _GOVERNANCE_OUTCOME and case.opened > meeting.date:
        raise ValidationError(case_after_meeting(case.opened, meeting.date))
    fields = _MINUTES_FIELDS | {"municipalities", "participation"}
    with said_of_the_decision(fields), transaction.atomic():
        if planned.case_id is not None:
            kept["decision"] = _record_in_governance(planned, meeting, actor=actor, channel=channel)
        elif planned.project_id is not None and (municipalities or planned.decision_id):
            kept["decision"] = _record_in_governance(planned, meeting, actor=actor, channel=channel)
            if municipalities and kept["decision"] is not None:
                _record_participation(
                    planned, kept["decision"], municipalities, status, actor=actor, channel=channel
                )
        update_record(
            item, kept, expected_version=expected_version, actor=actor, channel=channel,
            check=touch,
        )  # fmt: skip
    return item


_PARTICIPATION_CHANGES = (
    Participation.Status.JOINED,
    Participation.Status.DECLINED,
    Participation.Status.WITHDRAWN,
)


def recorded_participation(items: list[AgendaItem]) -> dict[int, list[Participation]]:
    """The participation each project item's decision recorded, by item id (one query):
    what the minutes show under the decision and the reopened form starts from."""
    decided = {item.decision_id: item for item in items if item.project_id and item.decision_id}
    found: dict[int, list[Participation]] = {}
    if not decided:
        return found
    for row in (
        Participation.objects.filter(decision_id__in=list(decided))
        .select_related("municipality")
        .order_by("municipality__number", "since", "pk")
    ):
        item = decided[row.decision_id]  # type: ignore[index]
        if row.project_id == item.project_id:
            found.setdefault(item.pk, []).append(row)
    return found


def participation_line(row: Participation) -> str:
    """ "3909 Larvik — deltar fra 12.03.2026"."""
    return _("%(n)s %(m)s — %(s)s fra %(d)s") % {
        "n": row.municipality.number,
        "m": row.municipality.name,
        "s": row.get_status_display(),
        "d": shown(row.since),
    }


def _already_recorded(item: AgendaItem, municipalities: list[Any], status: str) -> bool:
    """Whether the item's decision already recorded exactly this participation (re-saving
    the minutes does not record it twice). A different choice once one is recorded is
    refused, plainly: the records are the project's history (each municipality's previous
    status ended the day before), so a change is made on the project's participation, not
    by rewriting the minutes."""
    recorded = recorded_participation([item]).get(item.pk, [])
    if not recorded:
        return False
    same = {row.municipality_id for row in recorded} == {m.pk for m in municipalities} and {
        row.status for row in recorded
    } == {status}
    if same:
        return True
    # said on the field that changed: the new status ("Ny deltakelse"), else the
    # municipalities chosen
    field = "municipalities" if {row.status for row in recorded} == {status} else "participation"
    raise ValidationError(
        {
            field: _(
                "Vedtaket i denne saken har allerede registrert deltakelse (%(was)s). Den "
                "endres ikke fra protokollen; registrer en ny endring på prosjektets side."
            )
            % {"was": "; ".join(participation_line(row) for row in recorded)}
        }
    )


def _check_participation(
    planned: AgendaItem, meeting: Meeting, municipalities: list[Any], status: str
) -> None:
    """The participation a project item's decision records, checked before anything is
    written: a project item, an adopted outcome, a status for the municipalities chosen
    and each with a seat in the body on the meeting's day. A decision participations
    already rest on stays adopted."""
    errors: dict[str, str] = {}
    positive = planned.outcome in ADOPTING
    if (
        not positive
        and planned.decision_id
        and planned.case_id is None
        and Participation.objects.filter(decision_id=planned.decision_id).exists()
    ):
        errors["outcome"] = _(
            "Kommunenes deltakelse i prosjektet bygger på dette vedtaket; utfallet må være "
            "vedtatt eller vedtatt med endringer."
        )
    if not municipalities and not status:
        if errors:
            raise ValidationError(errors)
        return
    if planned.project_id is None:
        raise ValidationError(
            {
                "municipalities": _(
                    "Deltakelse føres bare for en sak i sakskartet som gjelder et prosjekt."
                )
            }
        )
    if status and status not in _PARTICIPATION_CHANGES:
        errors["participation"] = _("Velg deltar, takket nei eller trukket seg.")
    elif municipalities and not status:
        errors["participation"] = _("Velg den nye deltakelsen for kommunene som er valgt.")
    elif not positive:
        errors["participation"] = _(
            "Deltakelsen føres fra et vedtak: velg utfallet «vedtatt» eller «vedtatt med "
            "endringer»."
        )
    seated = {m.pk for m in seated_municipalities(meeting)}
    strangers = [m for m in municipalities if m.pk not in seated]
    if not municipalities:
        errors["municipalities"] = _("Velg kommunene den nye deltakelsen gjelder.")
    elif strangers:
        errors["municipalities"] = _("%(m)s har ingen plass i %(b)s på møtedagen %(d)s.") % {
            "m": ", ".join(m.name for m in strangers),
            "b": meeting.body.name,
            "d": shown(meeting.date),
        }
    if errors:
        raise ValidationError(errors)


def _record_participation(
    item: AgendaItem,
    decision: Decision,
    municipalities: list[Any],
    status: str,
    *,
    actor: Actor,
    channel: str,
) -> None:
    """Each municipality's participation in the item's project from the meeting's day,
    resting on the body's decision, through portfolio's service; every refusal named by
    municipality on the field (the caller's transaction keeps none of it then)."""
    meeting = item.meeting
    reason = _("Protokoll fra %(b)s %(d)s, %(ref)s") % {
        "b": meeting.body.name,
        "d": shown(meeting.date),
        "ref": item.reference,
    }
    refusals: list[str] = []
    for municipality in municipalities:
        try:
            set_participation(
                item.project,
                municipality,
                status,
                since=meeting.date,
                decision=decision,
                reason=reason[:300],
                actor=actor,
                channel=channel,
                arena_board=True,
            )
        except ValidationError as exc:
            refusals.extend(f"{municipality.name}: {message}" for message in exc.messages)
    if refusals:
        raise ValidationError({"municipalities": refusals})


def _treatment_in_this_body(item: AgendaItem, meeting: Meeting) -> Decision | None:
    """The case's treatment in this body the minutes complete, when there is one: the
    pending treatment it was sent for, or the decision already recorded for this meeting
    (by hand, before the minutes), not yet linked to another item."""
    if item.case_id is None:
        return None
    return (
        Decision.objects.filter(
            case_id=item.case_id,
            body=Decision.Body.ARENA_BOARD,
            arena_id=meeting.body.arena_id,
            body_name__in=["", meeting.body.name],
            agenda_item__isnull=True,
        )
        .filter(Q(outcome="") | Q(meeting_date=meeting.date))
        .order_by("pk")
        .first()
    )


def _record_in_governance(
    item: AgendaItem, meeting: Meeting, *, actor: Actor, channel: str
) -> Decision | None:
    """The case's decision in this body as `item`'s minutes say it, recorded or changed
    through governance's services; a decision no longer given (noted, no outcome) is made
    pending again. Returns the decision the item links to."""
    stored = Decision.objects.filter(pk=item.decision_id).first() if item.decision_id else None
    if stored is None and item.outcome in _GOVERNANCE_OUTCOME:
        stored = _treatment_in_this_body(item, meeting)
    if item.outcome in _GOVERNANCE_OUTCOME:
        decision = _governance_decision(item, meeting)
        if stored is None:
            decision.pk = None
            return record_decision(decision, actor=actor, channel=channel)
        return update_decision(
            stored,
            {
                "body_name": decision.body_name,
                "case_number": decision.case_number,
                "meeting_date": decision.meeting_date,
                "outcome": decision.outcome,
                "text": decision.text,
            },
            expected_version=stored.version,
            actor=actor,
            channel=channel,
        )
    if stored is not None and stored.outcome:
        update_decision(
            stored,
            {"outcome": Decision.Outcome.PENDING, "text": "", "meeting_date": None},
            expected_version=stored.version,
            actor=actor,
            channel=channel,
        )
    return stored


def vote_municipalities(meeting: Meeting) -> list[Any]:
    """The municipalities that vote in `meeting`: those with a seat in its body on the
    meeting's day (one each, by name)."""
    return seated_municipalities(meeting)


VOTE_AFTER_DECISION = _lazy(
    "Vedtaket i saken er allerede ført; stemmene føres før vedtaket, ikke etter."
)


def vote_refusal(item: AgendaItem) -> str | None:
    """Why the vote on `item` cannot be recorded (its decision is already written), or
    None; the page hides the vote link and says this instead."""
    decision = item.decision if item.decision_id else None
    if decision is not None and (decision.is_decided or decision.votes.all()):  # prefetched
        return str(VOTE_AFTER_DECISION)
    return None


def record_item_vote(
    item: AgendaItem,
    votes: list[tuple[Any, str]],
    *,
    voting_rule: str,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> AgendaItem:
    """The minutes record a vote on an item that treats a case: each member municipality's
    vote (`votes`: (municipality, governance `Vote.Choice`)) goes into the case's decision
    in this body through governance's own services (`cast_vote`, then `conclude_vote`,
    which computes adopted or rejected under `voting_rule`, counting members without a
    vote absent); the item's outcome follows the result. One vote per municipality; a
    decision already concluded takes no more votes."""
    meeting = item.meeting
    require(can_edit_arena(actor, meeting.body.arena))
    check_minutes_open(meeting)
    if item.case_id is None:
        raise ValidationError(
            {"votes": _("Stemmer føres i saksbehandlingen: saken i sakskartet må gjelde en sak.")}
        )
    offered = {m.pk for m in vote_municipalities(meeting)}
    strangers = [m for m, _choice in votes if m.pk not in offered]
    if strangers:
        raise ValidationError(
            {
                "votes": _("%(m)s har ingen plass i %(b)s på møtedagen %(d)s.")
                % {
                    "m": ", ".join(m.name for m in strangers),
                    "b": meeting.body.name,
                    "d": shown(meeting.date),
                }
            }
        )
    if voting_rule not in VotingRule.values:
        raise ValidationError({"voting_rule": _("Velg avstemningsregelen.")})
    if not votes:
        raise ValidationError({"votes": _("Før opp minst én stemme.")})
    if item.case.opened > meeting.date:
        raise ValidationError(case_after_meeting(item.case.opened, meeting.date))
    with said_of_the_decision({"votes", "voting_rule"}), transaction.atomic():
        stored = Decision.objects.filter(pk=item.decision_id).first() if item.decision_id else None
        stored = stored or _treatment_in_this_body(item, meeting)
        if stored is not None and (stored.is_decided or stored.votes.exists()):
            raise ValidationError(vote_refusal(item) or VOTE_AFTER_DECISION)
        facts = {
            "body_name": meeting.body.name,
            "case_number": item.number_label,
            "planned_date": meeting.date,
            "voting_rule": voting_rule,
            # what is voted on: the minutes' decision text, else the item's proposal, else
            # the proposal the case was sent with (not written over with nothing)
            "text": item.decision_text.strip()
            or item.proposal.strip()
            or (stored.text if stored is not None else ""),
        }
        if stored is None:
            decision = Decision(
                case=item.case, body=Decision.Body.ARENA_BOARD, arena=meeting.body.arena, **facts
            )
            stored = record_decision(decision, actor=actor, channel=channel)
        else:
            stored = update_decision(
                stored, facts, expected_version=stored.version, actor=actor, channel=channel
            )
        for municipality, choice in votes:
            cast_vote(stored, municipality, choice, actor=actor, channel=channel)
        conclude_vote(
            stored,
            meeting_date=meeting.date,
            expected_version=stored.version,
            actor=actor,
            channel=channel,
        )
        outcome = (
            MinutesOutcome.ADOPTED
            if stored.outcome == Decision.Outcome.ADOPTED
            else MinutesOutcome.REJECTED
        )
        changes: dict[str, Any] = {"outcome": outcome, "decision": stored}
        if outcome == MinutesOutcome.ADOPTED and not item.decision_text.strip():
            changes["decision_text"] = stored.text  # the minutes say what was adopted
        update_record(
            item,
            changes,
            expected_version=expected_version,
            actor=actor,
            channel=channel,
            check=touch,
        )
    return item


def approve_minutes(
    meeting: Meeting,
    *,
    approved_on: Any,
    approved_by: str,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Meeting:
    """Approve the minutes: the meeting gets status minutes approved, with the day and who
    approved them. Refused without the members present or while an item has neither
    treatment nor outcome; the minutes are fixed afterwards (and public for open items)."""
    require(can_edit_arena(actor, meeting.body.arena))
    check_transition(meeting, Status.MINUTES_APPROVED)
    errors: dict[str, str] = {}
    if not approved_by.strip():
        errors["approved_by"] = _("Skriv hvem som har godkjent protokollen.")
    try:
        dates.RECORD(approved_on)  # a day that has been, within the plausible window
    except ValidationError as exc:
        errors["approved_on"] = exc.messages[0]
    else:
        if approved_on is not None and approved_on < meeting.date:
            errors["approved_on"] = _("Protokollen kan ikke godkjennes før møtet (%(d)s).") % {
                "d": shown(meeting.date)
            }
    if not meeting.attendance.exists():
        errors["__all__"] = _("Før opp hvem som var til stede før protokollen godkjennes.")
    missing = [
        item.reference
        for item in meeting.items.order_by("position", "pk")
        if not item.outcome and not item.treatment.strip()
    ]
    if missing:
        errors["__all__"] = _("Skriv behandlingen av %(refs)s før protokollen godkjennes.") % {
            "refs": ", ".join(missing)
        }
    if errors:
        raise ValidationError(errors)
    return move(
        meeting,
        Status.MINUTES_APPROVED,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        extra={"minutes_approved_on": approved_on, "minutes_approved_by": approved_by.strip()},
    )
