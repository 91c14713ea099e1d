"""Writing a municipality's planning strategy and the cooperation needs it names: its
coordinator or a global secretariat (`accounts.permissions.can_edit_planning_strategy`),
through the write path (versioned, audited)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import can_edit_planning_strategy, require
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record, update_record, writable
from samarbeid.planning.models import CooperationNeed, PlanningStrategy, Theme

# what a service never takes from a form or a payload
_STRATEGY_FIXED = {"municipality", "municipality_id", "is_example_data", "version"}
_NEED_FIXED = {"strategy", "strategy_id", "is_example_data", "version"}


def _check_strategy(strategy: PlanningStrategy) -> None:
    if not strategy.title.strip():
        raise ValidationError({"title": _("Skriv planstrategiens tittel.")})
    if strategy.first_year is None or strategy.last_year is None:
        return
    # one strategy a period: two at once would name the same needs twice on the review page
    overlapping = (
        PlanningStrategy.objects.filter(
            municipality_id=strategy.municipality_id,
            first_year__lte=strategy.last_year,
            last_year__gte=strategy.first_year,
        )
        .exclude(pk=strategy.pk)
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "first_year": _(
                    "Kommunen har allerede planstrategien «%(title)s» for %(period)s; "
                    "periodene kan ikke overlappe. Endre den i stedet, eller avslutt den før."
                )
                % {"title": overlapping.title, "period": overlapping.period}
            }
        )


def create_strategy(
    strategy: PlanningStrategy, *, actor: Actor, channel: str = Channel.PAGE
) -> PlanningStrategy:
    """Record a planning strategy of `strategy.municipality`. Refused (PermissionDenied) to
    all but its coordinator and a global secretariat; ValidationError by field."""
    require(can_edit_planning_strategy(actor, strategy.municipality))
    _check_strategy(strategy)
    return create_record(strategy, actor=actor, channel=channel)


def update_strategy(
    strategy: PlanningStrategy,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> PlanningStrategy:
    """Change a planning strategy (not its municipality); VersionConflict when stale."""
    require(can_edit_planning_strategy(actor, strategy.municipality))
    update_record(
        strategy,
        writable(changes, _STRATEGY_FIXED),
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_strategy,
    )
    return strategy


def _in_use(exc: ProtectedError) -> ValidationError:
    titles = sorted({str(getattr(r, "proposal", r)) for r in exc.protected_objects})
    return ValidationError(
        _(
            "Samarbeidsforslag bygger på dette behovet (%(p)s). Ta behovet ut av forslaget "
            "først, eller la det stå."
        )
        % {"p": "; ".join(titles)}
    )


def delete_strategy(
    strategy: PlanningStrategy,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a planning strategy with its needs (each audited). Refused (ValidationError)
    while a cooperation proposal builds on one of its needs; VersionConflict when stale."""
    require(can_edit_planning_strategy(actor, strategy.municipality))
    try:
        with transaction.atomic():
            for need in strategy.needs.all():
                delete_record(need, actor=actor, channel=channel)
            delete_record(strategy, actor=actor, channel=channel, expected_version=expected_version)
    except ProtectedError as exc:
        raise _in_use(exc) from None


def _check_need(need: CooperationNeed) -> None:
    errors: dict[str, str] = {}
    if not need.description.strip():
        errors["description"] = _("Beskriv behovet.")
    if need.theme != Theme.OTHER:
        need.theme_other = ""  # left over from "annet": the theme says it now
    elif not need.theme_other.strip():
        errors["theme_other"] = _("Skriv hvilket tema behovet gjelder.")
    if errors:
        raise ValidationError(errors)


def add_need(
    need: CooperationNeed, *, actor: Actor, channel: str = Channel.PAGE
) -> CooperationNeed:
    """Record a cooperation need of `need.strategy` (the strategy's writers may)."""
    require(can_edit_planning_strategy(actor, need.strategy.municipality))
    _check_need(need)
    return create_record(need, actor=actor, channel=channel)


def update_need(
    need: CooperationNeed,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> CooperationNeed:
    """Change a need (not its strategy); VersionConflict when stale."""
    require(can_edit_planning_strategy(actor, need.strategy.municipality))
    update_record(
        need,
        writable(changes, _NEED_FIXED),
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_need,
    )
    return need


def delete_need(
    need: CooperationNeed,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a need. Refused (ValidationError) while a cooperation proposal builds on it."""
    require(can_edit_planning_strategy(actor, need.strategy.municipality))
    try:
        with transaction.atomic():
            delete_record(need, actor=actor, channel=channel, expected_version=expected_version)
    except ProtectedError as exc:
        raise _in_use(exc) from None
