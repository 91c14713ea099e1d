"""Allocation keys: presets, weights, usage and fixed percentages, and a key's preview."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.core.versioning import check_version
from samarbeid.finance.access import require_manage_finance
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    BudgetLine,
    InvoiceRun,
    KeyFixedPercent,
    KeyUsage,
)
from samarbeid.finance.planning import Planner
from samarbeid.lib.allocation import (
    COMPONENTS,
    AllocationError,
    Figure,
    check_weights,
    preset_weights,
)
from samarbeid.registry.models import Municipality

# Keys ----------------------------------------------------------------------------------------


PRESET_LABELS = {
    "equal": gettext_lazy("100 % likt"),
    "per_capita": gettext_lazy("100 % per innbygger"),
    "50/50": gettext_lazy("50 % likt + 50 % per innbygger"),
    "30/70": gettext_lazy("30 % likt + 70 % per innbygger"),
}


def key_weights(preset: str | None, typed: Mapping[str, Decimal | None]) -> dict[str, Decimal]:
    """The weights a key is stored with, from a standard key (`preset`, "" or None: none)
    and the weights given (None: left blank): `lib.allocation.preset_weights`' rule, for
    the page's form and the API alike. A preset never replaces a weight that was given:
    one that disagrees is refused on the field "preset"."""
    try:
        weights = preset_weights(preset or "", typed)
    except AllocationError as exc:
        if exc.code == "preset_unknown":
            raise ValidationError({"preset": _("Ukjent standardnøkkel.")}) from None
        raise ValidationError(
            {
                "preset": _(
                    "Standardnøkkelen «%(preset)s» stemmer ikke med vektene som er oppgitt. "
                    "Velg egendefinert nøkkel for å bruke vektene, eller rett dem."
                )
                % {"preset": PRESET_LABELS.get(preset or "", preset)}
            }
        ) from None
    return weights.as_dict()


def weights_message(weights: Mapping[str, Decimal]) -> str:
    """Why weights cannot make a key (the key's form, the API's preview): they must each be
    0–100 and add up to 100."""
    if any(not 0 <= weight <= 100 for weight in weights.values()):
        return _("Hver vekt må være mellom 0 og 100 %.")
    total = sum(weights.values(), Decimal(0))
    return _("Vektene må summere til 100 %% (nå %(sum)s %%).") % {
        "sum": f"{total.normalize():f}".replace(".", ",")
    }


def _check_key(key: AllocationKey) -> None:
    try:
        check_weights(key.weights)
    except AllocationError:
        raise ValidationError(weights_message(key.weights.as_dict())) from None
    if key.population_year is not None and not 1900 <= key.population_year <= 2100:
        raise ValidationError({"population_year": _("Oppgi et årstall.")})


def create_key(key: AllocationKey, *, actor: Actor, channel: str = Channel.PAGE) -> AllocationKey:
    require_manage_finance(actor, key.arena)
    _check_key(key)
    if AllocationKey.objects.filter(arena=key.arena, name=key.name).exists():
        raise ValidationError({"name": _("Arenaen har allerede en nøkkel med dette navnet.")})
    return create_record(key, actor=actor, channel=channel)


KEY_SPLIT_FIELDS = (*COMPONENTS, "population_year")


def issued_years(arena_id: int) -> set[int]:
    """The years of an arena whose invoice run is issued: their budgets are locked."""
    return set(
        InvoiceRun.objects.filter(arena_id=arena_id, status=InvoiceRun.Status.ISSUED).values_list(
            "year", flat=True
        )
    )


def update_key(
    key: AllocationKey,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> AllocationKey:
    """Change a key. Its weights and reference year are locked once a budget line using it
    has been invoiced (the budget's run issued): the split of that budget must not change."""
    require_manage_finance(actor, key.arena)
    split_changed = [
        name for name in KEY_SPLIT_FIELDS if name in changes and changes[name] != getattr(key, name)
    ]
    if split_changed:
        years = sorted(
            set(
                key.lines.filter(budget__year__in=issued_years(key.arena_id))
                .order_by()
                .values_list("budget__year", flat=True)
            )
        )
        if years:
            raise ValidationError(
                {
                    split_changed[0]: _(
                        "Nøkkelen er brukt i budsjett som er fakturert (%(years)s); vektene "
                        "kan ikke endres. Lag en ny nøkkel."
                    )
                    % {"years": ", ".join(str(y) for y in years)}
                }
            )
    update_record(
        key,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_key,
    )
    return key


def key_delete_refusal(key: AllocationKey) -> str | None:
    """Why the key cannot be deleted now, or None (the delete page says so beforehand)."""
    if key.lines.exists():
        return _("Nøkkelen brukes i budsjettlinjer og kan ikke slettes; endre linjene først.")
    return None


def delete_key(
    key: AllocationKey,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a key that no budget line uses (with its usage figures and percentages)."""
    require_manage_finance(actor, key.arena)
    check_version(key, expected_version)
    refusal = key_delete_refusal(key)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        for usage in key.usages.all():
            delete_record(usage, actor=actor, channel=channel)
        for fixed in key.fixed_percents.all():
            delete_record(fixed, actor=actor, channel=channel)
        delete_record(key, actor=actor, channel=channel)


def set_usage(
    key: AllocationKey,
    municipality: Municipality,
    year: int,
    units: Decimal,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> KeyUsage:
    """Record (or replace) a municipality's units of usage for a year."""
    require_manage_finance(actor, key.arena)
    if units < 0:
        raise ValidationError({"units": _("Forbruket kan ikke være negativt.")})
    with transaction.atomic():
        old = KeyUsage.objects.filter(key=key, municipality=municipality, year=year).first()
        if old is not None:
            delete_record(old, actor=actor, channel=channel)
        return create_record(
            KeyUsage(key=key, municipality=municipality, year=year, units=units),
            actor=actor,
            channel=channel,
        )


def set_fixed_percent(
    key: AllocationKey,
    municipality: Municipality,
    percent: Decimal,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> KeyFixedPercent:
    """Record (or replace) a municipality's negotiated percentage. The percentages of the
    participants of a line must add up to 100 when the line is split."""
    require_manage_finance(actor, key.arena)
    if percent < 0 or percent > 100:
        raise ValidationError({"percent": _("Prosenten må være mellom 0 og 100.")})
    with transaction.atomic():
        old = KeyFixedPercent.objects.filter(key=key, municipality=municipality).first()
        if old is not None:
            delete_record(old, actor=actor, channel=channel)
        return create_record(
            KeyFixedPercent(key=key, municipality=municipality, percent=percent),
            actor=actor,
            channel=channel,
        )


@dataclass(frozen=True)
class PreviewRow:
    municipality: Municipality
    population: Figure
    amount: Decimal


def preview_key(key: AllocationKey, total: Decimal, year: int) -> list[PreviewRow]:
    """Split `total` with `key` over the arena's members in `year`, writing nothing.
    Raises ValidationError naming the problem."""
    if total < 0:
        raise ValidationError({"total": _("Beløpet kan ikke være negativt.")})
    budget = Budget(arena=key.arena, year=year, pk=0)
    line = BudgetLine(
        pk=0,
        budget=budget,
        kind=BudgetLine.Kind.BASE,
        key=key,
        amount=total,
        description=_("forhåndsvisning"),
    )
    planner = Planner([budget], lines=[line])
    return [
        PreviewRow(
            municipality=planner.municipalities[c.share_of_id],
            population=planner.figure("per_capita", key, c.share_of_id, year),
            amount=c.amount,
        )
        for c in planner.charges()
    ]
