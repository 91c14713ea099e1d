"""Strategic plans with their points, focus areas and goals: writing a draft, sending it to
the member councils, adoption and expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.accounts.permissions import (
    can_edit_arena,
    require,
)
from samarbeid.arenas.models import Arena
from samarbeid.arenas.services import members_on
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.dates import shown
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.core.versioning import check_version
from samarbeid.governance.models import Case, Decision
from samarbeid.governance.services.cases import open_case, send_case
from samarbeid.registry.models import Municipality
from samarbeid.strategy.models import (
    FocusArea,
    Goal,
    PlanItem,
    StrategicPlan,
)
from samarbeid.strategy.services.scope import check_period

# What the councils adopt: fixed once the plan is sent (`require_draft`). Whether it is
# published stays open to change: it says who may read the plan, not what it says, and a
# draft starts unpublished, so a plan sent or adopted must still be publishable.
PLAN_CONTENT = ("title", "first_year", "last_year", "summary")


def _check_plan(plan: StrategicPlan) -> None:
    check_period(plan.first_year, plan.last_year)


def create_plan(plan: StrategicPlan, *, actor: Actor, channel: str = Channel.PAGE) -> StrategicPlan:
    """A new plan starts as a draft; the arena's secretariat writes it."""
    require(can_edit_arena(actor, plan.arena))
    _check_plan(plan)
    plan.status = StrategicPlan.Status.DRAFT
    return create_record(plan, actor=actor, channel=channel)


def update_plan(
    plan: StrategicPlan,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> StrategicPlan:
    """Edit title, period and summary of a draft, and whether the plan is published. The
    status changes by sending and `set_plan_status`."""
    require(can_edit_arena(actor, plan.arena))
    changes = {k: v for k, v in changes.items() if k not in ("status", "case", "arena")}
    if any(name in changes and changes[name] != getattr(plan, name) for name in PLAN_CONTENT):
        require_draft(plan)
    update_record(
        plan,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_plan,
    )
    return plan


def _title_error(part: PlanItem | FocusArea | Goal) -> str | None:
    """What is wrong with a part's title: none given, said in what the part is called."""
    if part.title.strip():
        return None
    if isinstance(part, Goal):
        return _("Skriv målet.")
    if isinstance(part, FocusArea):
        return _("Skriv navnet på innsatsområdet.")
    return _("Skriv punktet.")


def _title_given(part: PlanItem | FocusArea | Goal) -> None:
    """A part has words: refused on its title."""
    if error := _title_error(part):
        raise ValidationError({"title": error})


# A goal's number, as clerks number a plan's goals (the column would hold up to 32767).
GOAL_NUMBERS = range(1, 1000)


def goal_number_rule() -> str:
    return _("Målets nummer er et helt tall fra %(first)s til %(last)s.") % {
        "first": GOAL_NUMBERS[0],
        "last": GOAL_NUMBERS[-1],
    }


def goal_number_error(goal: Goal) -> str | None:
    """What is wrong with a goal's number: none, outside `GOAL_NUMBERS`, or another goal's
    in its plan (the arena's, for goals without a plan), said on the number before the
    constraint would say it of the whole goal."""
    if goal.number is None or goal.number == 0:
        return _("Skriv målets nummer.")
    if goal.number not in GOAL_NUMBERS:
        return goal_number_rule()
    taken = Goal.objects.filter(arena_id=goal.arena_id, plan_id=goal.plan_id, number=goal.number)
    if taken.exclude(pk=goal.pk).exists():
        return _("Mål nummer %(n)s finnes allerede.") % {"n": goal.number}
    return None


def _check_goal(goal: Goal) -> None:
    """A goal's title and number, each refused on its field, together."""
    errors = {
        name: error
        for name, error in (("title", _title_error(goal)), ("number", goal_number_error(goal)))
        if error
    }
    if errors:
        raise ValidationError(errors)


# Why a plan that is no longer a draft is not changed, by its status (the page, its
# redirects and the API's problem detail all say it through `require_draft`).
_LOCKED: dict[str, Promise] = {
    StrategicPlan.Status.SENT: gettext_lazy(
        "Planen er sendt til politisk behandling og kan ikke lenger endres."
    ),
    StrategicPlan.Status.ADOPTED: gettext_lazy("Planen er vedtatt og kan ikke lenger endres."),
    StrategicPlan.Status.EXPIRED: gettext_lazy("Planen er utløpt og kan ikke lenger endres."),
}


def require_draft(plan: StrategicPlan | None) -> None:
    """A plan's parts change only while it is a draft: once sent, the councils treat (and
    adopt) the plan as it was sent. The refusal says where the plan is: sent, adopted or
    expired."""
    if plan is not None and plan.status != StrategicPlan.Status.DRAFT:
        raise ValidationError(str(_LOCKED.get(plan.status, _LOCKED[StrategicPlan.Status.SENT])))


def add_plan_item(item: PlanItem, *, actor: Actor, channel: str = Channel.PAGE) -> PlanItem:
    require(can_edit_arena(actor, item.plan.arena))
    require_draft(item.plan)
    _title_given(item)
    return create_record(item, actor=actor, channel=channel)


def add_focus_area(area: FocusArea, *, actor: Actor, channel: str = Channel.PAGE) -> FocusArea:
    require(can_edit_arena(actor, area.plan.arena))
    require_draft(area.plan)
    _title_given(area)
    return create_record(area, actor=actor, channel=channel)


def next_goal_number(arena: Arena, plan: StrategicPlan | None) -> int:
    numbers = Goal.objects.filter(arena=arena, plan=plan).values_list("number", flat=True)
    return max(numbers, default=0) + 1


def add_goal(goal: Goal, *, actor: Actor, channel: str = Channel.PAGE) -> Goal:
    """A numbered goal of the arena (within a plan or not). The number is the next free one
    when not given; a taken number is refused."""
    require(can_edit_arena(actor, goal.arena))
    if goal.plan is not None and goal.plan.arena_id != goal.arena_id:
        raise ValidationError({"plan": _("Planen tilhører en annen arena enn målet.")})
    require_draft(goal.plan)
    if not goal.number:
        goal.number = next_goal_number(goal.arena, goal.plan)
    _check_goal(goal)
    return create_record(goal, actor=actor, channel=channel)


# What an edit of a part may change: never the plan or arena it belongs to.
_PART_FIELDS: dict[type, tuple[str, ...]] = {
    PlanItem: ("kind", "order", "title", "description"),
    FocusArea: ("order", "title", "description"),
    Goal: ("number", "title", "description"),
}


def _check_part(part: PlanItem | FocusArea | Goal) -> None:
    if isinstance(part, Goal):
        _check_goal(part)
    else:
        _title_given(part)


def update_plan_part(
    part: PlanItem | FocusArea | Goal,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> PlanItem | FocusArea | Goal:
    """Correct a point, focus area or goal of a draft plan (its words, kind, order or a
    goal's number, which stays unique in the plan), by those who may add one. A part saved
    since `expected_version` was read is not overwritten (VersionConflict)."""
    arena = part.arena if isinstance(part, Goal) else part.plan.arena
    require(can_edit_arena(actor, arena))
    require_draft(part.plan)
    allowed = _PART_FIELDS[type(part)]
    update_record(
        part,
        {name: value for name, value in changes.items() if name in allowed},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_part,
    )
    return part


def delete_plan_part(
    obj: PlanItem | FocusArea | Goal,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    expected_version: int | None = None,
) -> None:
    """Remove a point, focus area or goal while the plan is a draft. With
    `expected_version` (the version the user read), one saved since is not deleted
    (VersionConflict)."""
    plan = obj.plan
    arena = obj.arena if isinstance(obj, Goal) else obj.plan.arena
    require(can_edit_arena(actor, arena))
    require_draft(plan)
    if isinstance(obj, Goal) and obj.assessments.exists():
        raise ValidationError(_("Målet er vurdert og kan ikke slettes; historikken beholdes."))
    delete_record(obj, actor=actor, channel=channel, expected_version=expected_version)


def send_for_treatment(
    plan: StrategicPlan,
    *,
    planned_date: date | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    sent_on: date | None = None,
    example: bool | None = None,
) -> Case:
    """Send a draft plan to every member's council (seed 001: "oversendes kommunene for
    politisk behandling"): one case, one pending council treatment per member on `sent_on`.
    `example` marks the case and treatments as invented (demo data)."""
    require(can_edit_arena(actor, plan.arena))
    sent_on = sent_on or timezone.localdate()
    if plan.status != StrategicPlan.Status.DRAFT:
        raise ValidationError({"status": _("Bare et utkast kan sendes til politisk behandling.")})
    if plan.case_id is not None:  # one case per plan
        raise ValidationError(
            {"status": _("Planen har allerede en sak: %(c)s.") % {"c": plan.case}}
        )
    if not plan.goals.exists():
        raise ValidationError({"status": _("Planen må ha minst ett mål før den sendes.")})
    if planned_date is not None and planned_date < sent_on:
        raise ValidationError(
            {"planned_date": _("Planlagt behandling kan ikke være før planen sendes.")}
        )
    members = [m.municipality for m in members_on(plan.arena, sent_on)]
    if not members:
        raise ValidationError(
            {
                "status": _("Arenaen har ingen medlemmer %(d)s å sende planen til.")
                % {"d": shown(sent_on)}
            }
        )
    with transaction.atomic():
        case = open_case(
            Case(
                title=_("Strategisk plan %(p)s for %(a)s")
                % {"p": plan.period_label, "a": plan.arena.short_name},
                description=plan.summary,
                arena=plan.arena,
                opened=sent_on,
                subject=Case.Subject.DOCUMENT,
                document_title=str(plan),
                is_example_data=plan.is_example_data if example is None else example,
                published=plan.published,
            ),
            actor=actor,
            channel=channel,
        )
        send_case(case, members, planned_date=planned_date, actor=actor, channel=channel)
        update_record(
            plan,
            {"status": StrategicPlan.Status.SENT, "case": case},
            expected_version=None,
            actor=actor,
            channel=channel,
        )
    return case


@dataclass
class AdoptionRow:
    municipality: Municipality
    decision: Decision

    @property
    def state(self) -> str:
        if self.decision.is_positive:
            return "adopted"
        if self.decision.outcome == Decision.Outcome.REJECTED:
            return "rejected"
        if not self.decision.is_decided and not self.decision.can_still_be_done(
            timezone.localdate()
        ):
            return "lapsed"  # the municipality ceased before treating it
        return "pending"


def plan_adoption(plan: StrategicPlan) -> list[AdoptionRow]:
    """Each member council's treatment of the plan, read from the case's decisions."""
    if plan.case_id is None:
        return []
    decisions = (
        Decision.objects.filter(case_id=plan.case_id, body=Decision.Body.COUNCIL)
        .select_related("municipality")
        .order_by("municipality__number")
    )
    return [AdoptionRow(d.municipality, d) for d in decisions if d.municipality is not None]


# The moves a plan's status may make by hand (sending is `send_for_treatment`'s), in the
# order a form offers them.
PLAN_MOVES = (StrategicPlan.Status.ADOPTED, StrategicPlan.Status.EXPIRED)


def move_refusal(
    plan: StrategicPlan,
    status: str,
    *,
    today: date | None = None,
    adoption: list[AdoptionRow] | None = None,
) -> str | None:
    """Why `plan` may not be marked `status` now, or None: the one rule of the plan's
    status (`set_plan_status` refuses with it, the status page offers only what it allows).
    Adopted: a sent plan, once every council has treated it and at least one adopted it;
    expired: a plan not expired already, once its period is over. `adoption`: the plan's
    `plan_adoption` when the caller has read it already (the plan page), else read here."""
    today = today or timezone.localdate()
    if status == StrategicPlan.Status.ADOPTED:
        if plan.status == StrategicPlan.Status.ADOPTED:
            return _("Planen er allerede vedtatt.")
        if plan.status != StrategicPlan.Status.SENT:
            return _("Bare en plan sendt til behandling kan vedtas.")
        rows = plan_adoption(plan) if adoption is None else adoption
        pending = [r.municipality.name for r in rows if r.decision.can_still_be_done(today)]
        if pending:
            return _("Venter fortsatt på behandling i: %(m)s.") % {"m": ", ".join(pending)}
        if not any(r.state == "adopted" for r in rows):
            return _("Ingen kommunestyrer har vedtatt planen.")
        return None
    if status == StrategicPlan.Status.EXPIRED:
        if plan.status == StrategicPlan.Status.EXPIRED:
            return _("Planen er allerede utløpt.")
        if plan.last_year >= today.year:
            return _("Planperioden varer til og med %(y)s.") % {"y": plan.last_year}
        return None
    return _("Velg «vedtatt» eller «utløpt».")


def allowed_moves(
    plan: StrategicPlan,
    *,
    today: date | None = None,
    adoption: list[AdoptionRow] | None = None,
) -> list[str]:
    """The statuses `plan` may be marked now (`move_refusal` has nothing against them);
    `adoption` as `move_refusal` takes it."""
    return [
        status
        for status in PLAN_MOVES
        if move_refusal(plan, status, today=today, adoption=adoption) is None
    ]


def set_plan_status(
    plan: StrategicPlan,
    status: str,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    today: date | None = None,
) -> StrategicPlan:
    """Mark a sent plan adopted once every council has treated it and at least one adopted
    it; mark a plan expired once its period is over (`move_refusal`). A move from a version
    of the plan older than the stored one is a VersionConflict before anything else: the
    status it was asked from may have changed since."""
    require(can_edit_arena(actor, plan.arena))
    check_version(plan, expected_version)
    if refusal := move_refusal(plan, status, today=today):
        raise ValidationError({"status": refusal})
    update_record(
        plan, {"status": status}, expected_version=expected_version, actor=actor, channel=channel
    )
    return plan
