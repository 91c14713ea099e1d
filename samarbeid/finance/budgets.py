"""Budgets and budget lines: made, changed and deleted while the year is open."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.accounts.permissions import (
    can_link,
    require,
)
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record, delete_record, update_record
from samarbeid.core.versioning import check_version
from samarbeid.finance.access import require_manage_finance
from samarbeid.finance.grants import line_sums
from samarbeid.finance.keys import issued_years
from samarbeid.finance.models import (
    AllocationKey,
    Budget,
    BudgetLine,
    InvoiceLine,
)
from samarbeid.lib.money import format_nok

# Amounts that cannot be negative, in the words the forms and the services refuse them with
# (the database constraints say so too, but not on the field).
NEGATIVE = {
    "administration_cost": gettext_lazy("Administrasjonskostnaden kan ikke være negativ."),
    "amount": gettext_lazy("Beløpet kan ikke være negativt."),
    "actual": gettext_lazy("Regnskapsbeløpet kan ikke være negativt."),
}


def negative_amounts(record: Budget | BudgetLine) -> dict[str, str]:
    """The amounts of `record` that are negative, each with its refusal."""
    return {
        name: str(message)
        for name, message in NEGATIVE.items()
        if (getattr(record, name, None) or 0) < 0
    }


# Budgets -------------------------------------------------------------------------------------


def _check_budget(budget: Budget) -> None:
    negative = negative_amounts(budget)
    if negative:
        raise ValidationError(negative)


def _require_open(arena_id: int, year: int, field: str | None = None) -> None:
    """Refuse to change a budget whose year has an issued invoice run."""
    if year in issued_years(arena_id):
        message = _(
            "Budsjettet for %(year)s er fakturert (kjøringen er utstedt) og kan ikke endres; "
            "rett opp med en kreditnota."
        ) % {"year": year}
        raise ValidationError({field: message} if field else message)


def create_budget(
    budget: Budget,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    lines: Sequence[BudgetLine] = (),
) -> Budget:
    """Create a budget, and with it `lines` (all or nothing). A line's errors are named
    `lines.<index>.<field>`."""
    require_manage_finance(actor, budget.arena)
    _check_budget(budget)
    if Budget.objects.filter(arena=budget.arena, year=budget.year).exists():
        raise ValidationError({"year": _("Arenaen har allerede et budsjett for dette året.")})
    _require_open(budget.arena_id, budget.year, "year")
    with transaction.atomic():
        create_record(budget, actor=actor, channel=channel)
        for index, line in enumerate(lines):
            line.budget = budget
            try:
                add_line(line, actor=actor, channel=channel)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    raise ValidationError(
                        {
                            f"lines.{index}.{name}": messages
                            for name, messages in exc.message_dict.items()
                        }
                    ) from None
                raise ValidationError({f"lines.{index}": exc.messages}) from None
    return budget


def update_budget(
    budget: Budget,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Budget:
    """Change a budget's year, administration cost or note; refused once its run is issued
    (and a budget cannot be moved into an issued year)."""
    require_manage_finance(actor, budget.arena)
    _require_open(budget.arena_id, budget.year)
    if "year" in changes and changes["year"] != budget.year:
        _require_open(budget.arena_id, changes["year"], "year")
    update_record(
        budget,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_budget,
    )
    return budget


def first_year_without_budget(arena: Arena) -> int:
    """The year the new-budget form offers: this year, or the first after it the arena has
    no budget for (offering a year it has would be refused at once)."""
    taken = set(Budget.objects.filter(arena=arena).values_list("year", flat=True))
    year = timezone.localdate().year
    while year in taken:
        year += 1
    return year


def budget_delete_refusal(budget: Budget) -> str | None:
    """Why the budget cannot be deleted now, or None."""
    if budget.year in issued_years(budget.arena_id):
        return _(
            "Budsjettet for %(year)s er fakturert (kjøringen er utstedt) og kan ikke "
            "slettes; rett opp med en kreditnota."
        ) % {"year": budget.year}
    if InvoiceLine.objects.filter(budget_line__budget=budget).exists():
        return _(
            "Budsjettets linjer står på fakturaene i et utkast til fakturakjøring; slett "
            "utkastet før budsjettet slettes."
        )
    return None


def delete_budget(
    budget: Budget,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a budget with its lines (each line and the budget audited). Refused once the
    year is invoiced for the arena (its run issued: correct with a credit note), and while
    the invoices of a run not yet issued use any of its lines (discard the draft first)."""
    require_manage_finance(actor, budget.arena)
    check_version(budget, expected_version)
    refusal = budget_delete_refusal(budget)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        for line in budget.lines.all():
            for grant in line.grants.all():
                delete_record(grant, actor=actor, channel=channel)
            delete_record(line, actor=actor, channel=channel)
        delete_record(budget, actor=actor, channel=channel)


def project_problem(kind: str, project: Any, arena_id: int | None) -> str | None:
    """What is wrong with a budget line's `project` for its `kind` (a project line names a
    project of the budget's arena `arena_id`, a base line none), or None. The service and
    the line's form (before the database constraint, which names no field) say it alike."""
    if kind == BudgetLine.Kind.PROJECT:
        if project is None:
            return _("Velg prosjektet.")
        if project.arena_id != arena_id:
            return _("Prosjektet hører til en annen arena.")
    elif project is not None:
        return _("Et basisbidrag gjelder ikke et prosjekt.")
    return None


def _check_line(line: BudgetLine) -> None:
    errors = negative_amounts(line)
    if line.key.arena_id != line.budget.arena_id:
        errors["key"] = _("Nøkkelen tilhører en annen arena.")
    problem = project_problem(line.kind, line.project, line.budget.arena_id)
    if problem:
        errors["project"] = problem
    if line.pk and "amount" not in errors:
        funded = max(line_sums(line, line.grants.all()))
        if line.amount < funded:
            errors["amount"] = _(
                "Linjens tilskudd er til sammen %(sum)s kr; kostnaden kan ikke være mindre."
            ) % {"sum": format_nok(funded)}
    if errors:
        raise ValidationError(errors)


def _require_line_links(actor: Actor, key: AllocationKey | None, project: Any) -> None:
    """A line's key and project must be within the actor's rights, not only its budget
    (another arena's are refused as such, before the rule that they must match)."""
    require(can_link(actor, *(link.arena for link in (key, project) if link is not None)))


def add_line(line: BudgetLine, *, actor: Actor, channel: str = Channel.PAGE) -> BudgetLine:
    require_manage_finance(actor, line.budget.arena)
    _require_line_links(actor, line.key if line.key_id else None, line.project)
    _require_open(line.budget.arena_id, line.budget.year)
    _check_line(line)
    if (
        line.project is not None
        and BudgetLine.objects.filter(budget=line.budget, project=line.project).exists()
    ):
        raise ValidationError({"project": _("Prosjektet har allerede en linje i budsjettet.")})
    return create_record(line, actor=actor, channel=channel)


# What may still change on a line of an invoiced budget: the accounts, filled in afterwards.
LINE_FIELDS_AFTER_ISSUE = {"actual"}


def update_line(
    line: BudgetLine,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> BudgetLine:
    """Change a line. Once its budget is invoiced only `actual` (the accounts) may change."""
    require_manage_finance(actor, line.budget.arena)
    _require_line_links(actor, changes.get("key"), changes.get("project"))
    locked = [
        name
        for name, value in changes.items()
        if name not in LINE_FIELDS_AFTER_ISSUE and value != getattr(line, name)
    ]
    if locked:
        _require_open(line.budget.arena_id, line.budget.year, locked[0])
    if (
        changes.get("project") is not None
        and changes["project"] != line.project
        and BudgetLine.objects.filter(budget=line.budget, project=changes["project"])
        .exclude(pk=line.pk)
        .exists()
    ):
        raise ValidationError({"project": _("Prosjektet har allerede en linje i budsjettet.")})
    update_record(
        line,
        changes,
        expected_version=expected_version,
        actor=actor,
        channel=channel,
        check=_check_line,
    )
    return line


def line_delete_refusal(line: BudgetLine) -> str | None:
    """Why the line cannot be deleted now, or None."""
    if line.budget.year in issued_years(line.budget.arena_id):
        return _(
            "Budsjettet for %(year)s er fakturert (kjøringen er utstedt) og kan ikke endres; "
            "rett opp med en kreditnota."
        ) % {"year": line.budget.year}
    if InvoiceLine.objects.filter(budget_line=line).exists():
        return _(
            "Linjen står på fakturaene i et utkast til fakturakjøring; slett utkastet "
            "før linjen slettes."
        )
    return None


def delete_line(
    line: BudgetLine,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Delete a line of a budget that is not invoiced and not on a draft run's invoices."""
    require_manage_finance(actor, line.budget.arena)
    check_version(line, expected_version)
    refusal = line_delete_refusal(line)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():  # its grants with it, each audited
        for grant in line.grants.all():
            delete_record(grant, actor=actor, channel=channel)
        delete_record(line, actor=actor, channel=channel)
