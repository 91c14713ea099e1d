"""Goal attainment: assessments of an arena's goals, the latest one read per goal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_edit_arena,
    require,
)
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record
from samarbeid.strategy.models import (
    Goal,
    GoalAssessment,
)


def assess_goal(
    assessment: GoalAssessment,
    *,
    arena: Arena,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> GoalAssessment:
    """Add an assessment of a goal of `arena`. A goal of another arena is refused; earlier
    assessments stay as history."""
    require(can_edit_arena(actor, arena))
    goal = assessment.goal
    errors: dict[str, str] = {}
    if goal.arena_id != arena.pk:
        errors["goal"] = _("Målet «%(g)s» tilhører %(other)s, ikke %(a)s.") % {
            "g": goal.title,
            "other": goal.arena.name,
            "a": arena.name,
        }
    if not (assessment.evidence or "").strip():
        errors["evidence"] = _("Begrunn vurderingen (hva viser at målet er nådd eller ikke).")
    if assessment.assessed_on and assessment.assessed_on > timezone.localdate():
        errors["assessed_on"] = _("En vurdering kan ikke dateres fram i tid.")
    if errors:
        raise ValidationError(errors)
    return create_record(assessment, actor=actor, channel=channel)


def latest_assessments(goals: list[Goal]) -> dict[int, GoalAssessment]:
    latest: dict[int, GoalAssessment] = {}
    for a in GoalAssessment.objects.filter(goal__in=goals).order_by("assessed_on", "id"):
        latest[a.goal_id] = a
    return latest
