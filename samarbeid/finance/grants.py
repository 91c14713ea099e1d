"""Grants and external funding on budget lines: recorded, changed and deleted by the arena's
secretariat, and followed up (reports due). What a line's grants count is taken off its cost
before the split (finance.external, finance.planning)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.core.versioning import check_version
from samarbeid.finance.access import budgets_visible_to, can_manage_finance, require_manage_finance
from samarbeid.finance.external import ZERO
from samarbeid.finance.keys import issued_years
from samarbeid.finance.models import Budget, BudgetLine, Grant
from samarbeid.finance.models.grants import MONEY_FIELDS
from samarbeid.lib.money import format_nok

NEGATIVE = gettext_lazy("Beløpet kan ikke være negativt.")


def grants_visible_to(user: Any) -> QuerySet[Grant]:
    """The grants of the budgets the user sees."""
    return Grant.objects.filter(line__budget__in=budgets_visible_to(user))


def can_manage_grant(user: Any, grant: Grant) -> bool:
    return can_manage_finance(user, grant.line.budget.arena)


def line_sums(line: BudgetLine, others: Iterable[Grant]) -> tuple[Decimal, Decimal]:
    """What the grants `others` of `line` have granted and received, added."""
    granted = received = ZERO
    for grant in others:
        granted += grant.granted
        received += grant.received
    return granted, received


def over_cost(grant: Grant) -> dict[str, str]:
    """The grant's refusal when the line's grants, with it, would exceed the line's cost:
    neither what is granted nor what is received may be more than the line costs."""
    line = grant.line
    others = line.grants.exclude(pk=grant.pk) if grant.pk else line.grants.all()
    granted, received = line_sums(line, others)
    errors: dict[str, str] = {}
    for field, total in (
        ("amount_granted", granted + grant.granted),
        ("amount_received", received + grant.received),
    ):
        if total > line.amount:
            errors[field] = _(
                "Tilskuddene på linjen «%(line)s» blir til sammen %(sum)s kr, mer enn linjens "
                "kostnad (%(cost)s kr)."
            ) % {
                "line": line.description,
                "sum": format_nok(total),
                "cost": format_nok(line.amount),
            }
    return errors


def amount_problems(values: dict[str, Any]) -> dict[str, str]:
    """The grant's amounts (`values`: field name → amount, with its `status`) that are
    refused whatever else it holds, by field: a negative amount, nothing applied for, and
    nothing granted on a grant said to be granted. The form checks these before the model
    does (so the database constraint's message, not tied to a field, never shows); the
    service checks them again (grant_problems)."""
    errors = {
        name: str(NEGATIVE)
        for name in MONEY_FIELDS
        if values.get(name) is not None and values[name] < 0
    }
    applied = values.get("amount_applied")
    if "amount_applied" not in errors and applied is not None and applied == 0:
        errors["amount_applied"] = _("Skriv beløpet det er søkt om (mer enn 0 kr).")
    granted = values.get("amount_granted")
    if (
        "amount_granted" not in errors
        and values.get("status") in (Grant.Status.GRANTED, Grant.Status.PARTLY_GRANTED)
        and granted is not None
        and granted == 0
    ):
        errors["amount_granted"] = _(
            "Et innvilget tilskudd må ha et beløp over 0 kr; ble søknaden avslått, sett status "
            "til avslått."
        )
    return errors


def grant_problems(grant: Grant) -> dict[str, str]:
    """What is wrong with the grant as it stands, by field (the form says the same)."""
    errors = amount_problems({name: getattr(grant, name) for name in (*MONEY_FIELDS, "status")})
    if grant.status in (Grant.Status.GRANTED, Grant.Status.PARTLY_GRANTED):
        if grant.amount_granted is None:
            errors["amount_granted"] = _("Skriv hvor mye som er innvilget.")
        if grant.decided_on is None:
            errors["decided_on"] = _("Skriv når vedtaket ble gjort.")
    if grant.decided_on and grant.applied_on and grant.decided_on < grant.applied_on:
        errors["decided_on"] = _("Vedtaket kan ikke være før søknaden.")
    # the report is due, and delivered, after the decision (a clerk's trial saved both before)
    if grant.decided_on:
        if grant.report_due and grant.report_due < grant.decided_on:
            errors["report_due"] = _("Fristen for rapportering kan ikke være før vedtaket.")
        if grant.reported_on and grant.reported_on < grant.decided_on:
            errors["reported_on"] = _("Rapporten kan ikke være levert før vedtaket.")
    # Money is received only on a grant (a clerk's trial saved 10 000 received on a refused
    # and on an applied grant, and 40 000 received of 20 000 granted: all taken off the split).
    received = grant.amount_received
    if received and "amount_received" not in errors:
        if grant.status not in (Grant.Status.GRANTED, Grant.Status.PARTLY_GRANTED):
            errors["amount_received"] = _(
                "Et tilskudd som er %(status)s, kan ikke være mottatt; sett status til innvilget "
                "eller delvis innvilget, eller la mottatt stå tom."
            ) % {"status": grant.get_status_display()}
        elif grant.amount_granted is not None and received > grant.amount_granted:
            errors["amount_received"] = _(
                "Mottatt kan ikke være mer enn innvilget (%(granted)s kr)."
            ) % {"granted": format_nok(grant.amount_granted)}
    if not errors:
        errors.update(over_cost(grant))
    return errors


def _check(grant: Grant) -> None:
    errors = grant_problems(grant)
    if errors:
        raise ValidationError(errors)


def invoiced_refusal(grant: Grant, counted_before: Decimal) -> dict[str, str]:
    """Once the budget's year is invoiced (its run issued), what the line's grants take off
    the split is as invoiced: a change to it is refused, as a change to the budget is (the
    follow-up, the report and the conditions stay open to change)."""
    budget = grant.line.budget
    if grant.counted(budget.external_basis) == counted_before:
        return {}
    if budget.year not in issued_years(budget.arena_id):
        return {}
    field = (
        "amount_received"
        if budget.external_basis == Budget.ExternalBasis.RECEIVED
        else "amount_granted"
    )
    return {
        field: _(
            "Budsjettet for %(year)s er fakturert (kjøringen er utstedt): det tilskuddene "
            "trekker fra fordelingen kan ikke endres; rett opp med en kreditnota."
        )
        % {"year": budget.year}
    }


def _checked_against(counted_before: Decimal) -> Any:
    def check(grant: Grant) -> None:
        _check(grant)
        refusal = invoiced_refusal(grant, counted_before)
        if refusal:
            raise ValidationError(refusal)

    return check


def is_invoiced(budget: Budget) -> bool:
    """Whether the budget's year is invoiced (its run issued): the budget is then locked
    (finance.budgets), and what its grants take off the split is as invoiced."""
    return budget.year in issued_years(budget.arena_id)


def counted_fields(budget: Budget) -> tuple[str, ...]:
    """The grant's fields that decide what it takes off the split under the budget's basis:
    on an invoiced budget the follow-up form shows them read-only (invoiced_refusal refuses
    a change to them all the same)."""
    if budget.external_basis == Budget.ExternalBasis.GRANTED:
        return ("status", "amount_granted")
    return ("amount_received",)


INVOICED_LOCK = gettext_lazy(
    "Kan ikke endres: budsjettet er fakturert, og beløpet er trukket fra fordelingen. Rett "
    "opp med en kreditnota."
)


def grant_create_refusal(budget: Budget, *, invoiced: bool | None = None) -> str | None:
    """Why no grant can be registered on the budget's lines now, or None. Once the year is
    invoiced a new grant could never take anything off the split it was invoiced with.
    The budget page offers "Registrer tilskudd" only when this is None; create_grant
    refuses by it (`invoiced`: is_invoiced(budget), when the caller knows it already)."""
    if is_invoiced(budget) if invoiced is None else invoiced:
        return _(
            "Budsjettet for %(year)s er fakturert (kjøringen er utstedt): nye tilskudd kan "
            "ikke registreres på det; før tilskuddet på neste års budsjett, eller rett opp "
            "med en kreditnota."
        ) % {"year": budget.year}
    return None


def grant_delete_refusal(grant: Grant, *, invoiced: bool | None = None) -> str | None:
    """Why the grant cannot be deleted now, or None: on an invoiced budget, a grant that
    takes something off the split stays (one that takes nothing, a refused application,
    may go). The budget page offers "Slett" and the confirmation page its button only when
    this is None; delete_grant refuses by it."""
    budget = grant.line.budget
    if not grant.counted(budget.external_basis):
        return None
    if is_invoiced(budget) if invoiced is None else invoiced:
        return _(
            "Budsjettet for %(year)s er fakturert (kjøringen er utstedt), og tilskuddet er "
            "trukket fra fordelingen: det kan ikke slettes; rett opp med en kreditnota."
        ) % {"year": budget.year}
    return None


def create_grant(grant: Grant, *, actor: Actor, channel: str = Channel.PAGE) -> Grant:
    require_manage_finance(actor, grant.line.budget.arena)
    refusal = grant_create_refusal(grant.line.budget)
    if refusal:
        raise ValidationError({"line": refusal})  # the API's `loc`: the line it is on
    with transaction.atomic():
        # the line locked: two grants added at once cannot together pass its cost
        BudgetLine.objects.select_for_update().filter(pk=grant.line_id).first()
        _checked_against(ZERO)(grant)
        return create_record(grant, actor=actor, channel=channel)


def update_grant(
    grant: Grant,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Grant:
    require_manage_finance(actor, grant.line.budget.arena)
    changes.pop("line", None)  # a grant stays on its line
    with transaction.atomic():
        BudgetLine.objects.select_for_update().filter(pk=grant.line_id).first()
        stored = Grant.objects.select_related("line__budget").get(pk=grant.pk)
        counted_before = stored.counted(stored.line.budget.external_basis)
        update_record(
            grant,
            changes,
            expected_version=expected_version,
            actor=actor,
            channel=channel,
            check=_checked_against(counted_before),
        )
    return grant


def delete_grant(
    grant: Grant,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    require_manage_finance(actor, grant.line.budget.arena)
    check_version(grant, expected_version)
    refusal = grant_delete_refusal(grant)
    if refusal:
        raise ValidationError(refusal)
    delete_record(grant, actor=actor, channel=channel)
