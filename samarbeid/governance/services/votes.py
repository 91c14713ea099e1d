"""Votes in an arena's own body: casting a vote and concluding the decision."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_edit_arena,
    can_record_decision,
    require,
)
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record
from samarbeid.governance import voting
from samarbeid.governance.models import Decision, Vote
from samarbeid.governance.services.decisions import update_decision

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
    if not decision.arena.memberships.active_on(day).filter(municipality=municipality).exists():
        errors["municipality"] = _("%(m)s er ikke medlem av %(a)s %(d)s og kan ikke stemme.") % {
            "m": municipality,
            "a": decision.arena,
            "d": shown(day),
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
    members = decision.arena.memberships.active_on(meeting_date)
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
