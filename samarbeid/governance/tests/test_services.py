from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from samarbeid.arenas.tests.factories import current
from samarbeid.governance.as_of import step_overdue
from samarbeid.governance.ics import plan_to_ics
from samarbeid.governance.models import Case, Decision, ProcessPlan, ProcessStep, Vote
from samarbeid.governance.services.cases import send_case
from samarbeid.governance.services.decisions import record_decision
from samarbeid.governance.services.process_plans import add_step
from samarbeid.governance.services.treatments import treatment_board
from samarbeid.governance.services.votes import cast_vote, conclude_vote
from samarbeid.governance.tests.builders import board_vote
from samarbeid.portfolio.tests.helpers import arena_of, make_case, make_decision

pytestmark = pytest.mark.django_db

TWELVE = ["3901", "3903", "3905", "3907", "3909", "3911"]


def test_decision_before_case_is_refused(secretariat: Any, larvik: Any) -> None:
    case = make_case(opened=date(2024, 3, 1))
    with pytest.raises(ValidationError) as exc:
        record_decision(
            Decision(
                case=case,
                body=Decision.Body.COUNCIL,
                municipality=larvik,
                meeting_date=date(2024, 2, 1),
                outcome=Decision.Outcome.ADOPTED,
            ),
            actor=secretariat,
        )
    assert "før saken ble opprettet" in str(exc.value)
    assert not Decision.objects.filter(case=case).exists()


def test_send_case_and_board_counts(secretariat: Any) -> None:
    today = date(2024, 6, 1)
    case = make_case(opened=date(2024, 1, 10), subject=Case.Subject.PROJECT)
    municipalities = [current(n) for n in TWELVE]
    created = send_case(case, municipalities, planned_date=date(2024, 4, 1), actor=secretariat)
    assert len(created) == 6
    assert send_case(case, municipalities, planned_date=None, actor=secretariat) == []
    decisions = list(case.decisions.order_by("municipality__number"))
    for d in decisions[:3]:
        d.outcome, d.meeting_date = Decision.Outcome.ADOPTED, date(2024, 3, 20)
        d.save()
    decisions[3].outcome, decisions[3].meeting_date = Decision.Outcome.REJECTED, date(2024, 3, 20)
    decisions[3].save()
    decisions[4].planned_date = date(2024, 9, 1)
    decisions[4].save()
    board = treatment_board(case, today=today)
    assert (board.decided, board.pending, board.overdue, board.total) == (4, 1, 1, 6)
    assert board.summary == "3 av 6 har sluttet seg til"
    states = {
        r.decision.municipality.number: r.state for r in board.rows if r.decision.municipality
    }
    assert states["3911"] == "overdue"
    assert states["3909"] == "pending"


def test_send_case_before_opened_is_refused(secretariat: Any) -> None:
    case = make_case(opened=date(2024, 3, 1))
    with pytest.raises(ValidationError, match="før saken"):
        send_case(case, [current("3909")], planned_date=date(2024, 2, 1), actor=secretariat)


def test_send_case_needs_permission(coordinator: Any) -> None:
    case = make_case(opened=date(2024, 3, 1))
    with pytest.raises(PermissionDenied):
        send_case(case, [current("3909")], planned_date=None, actor=coordinator)


def test_votes_and_computed_outcome(secretariat: Any) -> None:
    arena = arena_of(["3901", "3903", "3905", "3909"])
    decision = board_vote(arena)
    for number, choice in [("3901", "for"), ("3903", "for"), ("3905", "against")]:
        cast_vote(decision, current(number), choice, actor=secretariat)
    conclude_vote(
        decision,
        meeting_date=date(2024, 5, 1),
        expected_version=decision.version,
        actor=secretariat,
    )
    decision.refresh_from_db()
    assert decision.outcome == Decision.Outcome.ADOPTED


def test_unanimity_broken_by_one_against(secretariat: Any) -> None:
    arena = arena_of(["3901", "3903"])
    decision = board_vote(arena, "unanimity")
    cast_vote(decision, current("3901"), "for", actor=secretariat)
    cast_vote(decision, current("3903"), "against", actor=secretariat)
    conclude_vote(decision, meeting_date=date(2024, 5, 1), expected_version=None, actor=secretariat)
    assert decision.outcome == Decision.Outcome.REJECTED
    with pytest.raises(ValidationError, match="avsluttet"):
        cast_vote(decision, current("3901"), "for", actor=secretariat)


def test_vote_from_non_member_is_refused(secretariat: Any) -> None:
    decision = board_vote(arena_of(["3901"]))
    with pytest.raises(ValidationError) as exc:
        cast_vote(decision, current("3909"), "for", actor=secretariat)
    assert "ikke medlem" in str(exc.value)
    assert not Vote.objects.exists()


def test_second_vote_is_refused(secretariat: Any) -> None:
    decision = board_vote(arena_of(["3901"]))
    cast_vote(decision, current("3901"), "for", actor=secretariat)
    with pytest.raises(ValidationError, match="allerede stemt"):
        cast_vote(decision, current("3901"), "against", actor=secretariat)
    assert Vote.objects.count() == 1


def test_votes_only_in_arena_body(secretariat: Any, larvik: Any) -> None:
    decision = make_decision(municipality=larvik, outcome="", meeting_date=None)
    with pytest.raises(ValidationError, match="arenas eget organ"):
        cast_vote(decision, larvik, "for", actor=secretariat)


def test_coordinator_votes_only_for_own(coordinator: Any) -> None:
    decision = board_vote(arena_of(["3901", "3909"]))
    cast_vote(decision, current("3909"), "for", actor=coordinator)
    with pytest.raises(PermissionDenied):
        cast_vote(decision, current("3901"), "for", actor=coordinator)


def test_conclude_needs_rule_and_votes(secretariat: Any) -> None:
    arena = arena_of(["3901"])
    decision = board_vote(arena, rule="")
    with pytest.raises(ValidationError, match="avstemningsregel"):
        conclude_vote(
            decision, meeting_date=date(2024, 5, 1), expected_version=None, actor=secretariat
        )
    decision = board_vote(arena)
    with pytest.raises(ValidationError, match="Ingen stemmer"):
        conclude_vote(
            decision, meeting_date=date(2024, 5, 1), expected_version=None, actor=secretariat
        )


def test_plan_steps_and_ics_round_trip(secretariat: Any) -> None:
    plan = ProcessPlan.objects.create(title="Hva nå?")
    step = add_step(
        ProcessStep(
            plan=plan,
            order=1,
            title="Mandat",
            body="Samkommunestyret",
            planned_date=date(2007, 5, 3),
        ),
        actor=secretariat,
    )
    add_step(
        ProcessStep(
            plan=plan,
            order=2,
            title="Prosjektarbeid",
            planned_date=date(2007, 5, 10),
            planned_end=date(2007, 6, 12),
        ),
        actor=secretariat,
    )
    with pytest.raises(ValidationError, match="allerede et steg"):
        add_step(
            ProcessStep(plan=plan, order=1, title="Dobbel", planned_date=date(2007, 5, 3)),
            actor=secretariat,
        )
    with pytest.raises(ValidationError, match="Planlagt til"):
        add_step(
            ProcessStep(
                plan=plan,
                order=3,
                title="Baklengs",
                planned_date=date(2007, 5, 3),
                planned_end=date(2007, 5, 1),
            ),
            actor=secretariat,
        )
    assert step_overdue(step, timezone.localdate())
    calendar = icalendar.Calendar.from_ical(plan_to_ics(plan))
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == ["Mandat (Samkommunestyret)", "Prosjektarbeid"]
    assert events[0].decoded("dtstart") == date(2007, 5, 3)
    assert events[1].decoded("dtend") == date(2007, 6, 12) + timedelta(days=1)


def test_an_arena_secretariat_records_decisions_about_its_own_arena_only(
    larvik: Any, horten: Any
) -> None:
    from django.contrib.auth import get_user_model

    from samarbeid.accounts.models import Role, RoleAssignment
    from samarbeid.arenas.models import Membership
    from samarbeid.governance.services.decisions import can_change_decision, update_decision

    ours, theirs = arena_of(["3909"]), arena_of(["3901"])
    scoped = get_user_model().objects.create_user(username="arenasekretær")
    RoleAssignment.objects.create(user=scoped, role=Role.SECRETARIAT, arena=ours)

    def council(municipality: Any, **fields: Any) -> Decision:
        return Decision(
            body=Decision.Body.COUNCIL,
            municipality=municipality,
            meeting_date=date(2024, 2, 1),
            outcome=Decision.Outcome.ADOPTED,
            **fields,
        )

    # a council decision about no arena and no case: not the arena's business
    with pytest.raises(PermissionDenied):
        record_decision(council(horten), actor=scoped)
    # recorded for its own arena (Horten joining it), or on a case of its arena: allowed
    joining = record_decision(council(horten), actor=scoped, concerning=ours)
    record_decision(council(horten, case=make_case(arena=ours)), actor=scoped)
    with pytest.raises(PermissionDenied):
        record_decision(council(horten), actor=scoped, concerning=theirs)
    with pytest.raises(PermissionDenied):
        record_decision(council(horten, case=make_case(arena=theirs)), actor=scoped)
    # correcting it later: the membership that rests on it ties it to the arena
    Membership.objects.create(
        arena=ours, municipality=horten, joined=date(2024, 3, 1), decision=joining
    )
    assert can_change_decision(scoped, joining)
    update_decision(joining, {"case_number": "24/7"}, expected_version=None, actor=scoped)
    other = theirs.memberships.get().decision
    assert other is not None
    assert not can_change_decision(scoped, other)
    with pytest.raises(PermissionDenied):
        update_decision(other, {"case_number": "1/1"}, expected_version=None, actor=scoped)
