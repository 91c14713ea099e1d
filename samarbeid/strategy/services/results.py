"""A project's results: professional results with indicators and their measurements,
economic results (savings and costs) and the arena's administration costs."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    can_edit_arena,
    require,
)
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, update_record
from samarbeid.strategy.models import (
    AdministrationCost,
    Basis,
    EconomicResult,
    Indicator,
    IndicatorValue,
    Result,
)
from samarbeid.strategy.services.scope import check_period


def add_result(result: Result, *, actor: Actor, channel: str = Channel.PAGE) -> Result:
    require(can_edit_arena(actor, result.project.arena))
    if not result.title.strip():
        raise ValidationError({"title": _("Beskriv resultatet.")})
    return create_record(result, actor=actor, channel=channel)


def add_indicator(indicator: Indicator, *, actor: Actor, channel: str = Channel.PAGE) -> Indicator:
    require(can_edit_arena(actor, indicator.result.project.arena))
    if indicator.result.kind != Result.Kind.PROFESSIONAL:
        raise ValidationError(
            {"result": _("Indikatorer hører til faglige resultater, ikke ikke-kvantifiserbare.")}
        )
    return create_record(indicator, actor=actor, channel=channel)


def add_indicator_value(
    value: IndicatorValue, *, actor: Actor, channel: str = Channel.PAGE
) -> IndicatorValue:
    require(can_edit_arena(actor, value.indicator.result.project.arena))
    if value.measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("En måling kan ikke være fram i tid.")})
    return create_record(value, actor=actor, channel=channel)


def _check_economic(result: EconomicResult) -> None:
    errors: dict[str, str] = {}
    if not result.year:
        errors["year"] = _("Oppgi året innsparingen eller kostnaden gjelder.")
    if not (result.source or "").strip():
        errors["source"] = _("Oppgi kilden til tallet (dokument, regnskap, beregning).")
    if result.amount is None or result.amount <= 0:
        errors["amount"] = _("Beløpet må være større enn null.")
    if result.year and result.to_year and result.to_year < result.year:
        errors["to_year"] = _("Sluttåret kan ikke være før startåret.")
    if result.year and result.basis == Basis.REALISED and result.year > timezone.localdate().year:
        errors["basis"] = _("Et framtidig år kan bare ha estimerte tall.")
    if (
        result.municipality is not None
        and result.year
        and not result.municipality.is_valid_on(date(result.last_year, 1, 1))
        and not result.municipality.is_valid_on(date(result.year, 12, 31))
    ):
        errors["municipality"] = _("%(m)s fantes ikke som kommune i %(y)s.") % {
            "m": result.municipality,
            "y": result.years_label,
        }
    if errors:
        raise ValidationError(errors)


def add_economic_result(
    result: EconomicResult, *, actor: Actor, channel: str = Channel.PAGE
) -> EconomicResult:
    """A saving or cost, estimated or realised, with year and source (both required)."""
    require(can_edit_arena(actor, result.project.arena))
    result.kept_outside_reason = (result.kept_outside_reason or "").strip()
    _check_economic(result)
    return create_record(result, actor=actor, channel=channel)


def keep_outside_account(
    result: EconomicResult,
    reason: str,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> EconomicResult:
    """Keep a recorded saving or cost outside the account, with the source's reason (or put
    it back in with an empty reason)."""
    require(can_edit_arena(actor, result.project.arena))
    return update_record(
        result,
        {"kept_outside_reason": reason.strip()},
        expected_version=result.version if expected_version is None else expected_version,
        actor=actor,
        channel=channel,
    )


def add_administration_cost(
    cost: AdministrationCost, *, actor: Actor, channel: str = Channel.PAGE
) -> AdministrationCost:
    require(can_edit_arena(actor, cost.arena))
    check_period(cost.first_year, cost.last_year)
    errors: dict[str, str] = {}
    if not cost.source.strip():
        errors["source"] = _("Oppgi kilden til tallet.")
    if cost.amount is None or cost.amount < 0:
        errors["amount"] = _("Beløpet kan ikke være negativt.")
    if errors:
        raise ValidationError(errors)
    return create_record(cost, actor=actor, channel=channel)
