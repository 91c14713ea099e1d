"""What can be told before an invoice run's task is queued (a query or a few): a year with
no budget or a run already, a year in which no arena has a budget without a run, a run in
the wrong state for the action, or one the run page says must be fixed before approval.
finance.jobs' start functions refuse with these, on the field, before anything is queued
(the page and the API ask the same functions); the task itself checks again, as things
change between queueing and running."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from samarbeid.arenas.models import Arena
from samarbeid.finance.invoicing import no_budget, run_exists
from samarbeid.finance.models import Budget, InvoiceRun
from samarbeid.finance.run_steps import approval_problems


def open_budgets() -> QuerySet[Budget]:
    """Budgets whose arena has no run for the budget's year."""
    return Budget.objects.filter(
        ~Exists(InvoiceRun.objects.filter(arena=OuterRef("arena"), year=OuterRef("year")))
    )


def first_open_year(arena: Arena | None = None) -> int | None:
    """The draft form's year: the first budget year without a run (the arena's, or any
    arena's), or None (no year chosen) when every budget has its run."""
    budgets = open_budgets() if arena is None else open_budgets().filter(arena=arena)
    return budgets.order_by("year").values_list("year", flat=True).first()


def arenas_to_draft(year: int) -> QuerySet[Arena]:
    """Every arena with a budget for `year` and no run yet (what "every arena" drafts)."""
    return (
        Arena.objects.filter(budgets__year=year)
        .exclude(invoice_runs__year=year)
        .distinct()
        .order_by("short_name", "pk")
    )


def no_arena_to_draft(year: int) -> str:
    return _("Ingen arena har et budsjett for %(year)s uten fakturakjøring.") % {"year": year}


def check_draft(arena: Arena, year: int) -> None:
    """Refuse, on the year, a draft for a year without a budget or with a run already."""
    if not Budget.objects.filter(arena=arena, year=year).exists():
        raise ValidationError({"year": no_budget(arena, year)})
    if InvoiceRun.objects.filter(arena=arena, year=year).exists():
        raise ValidationError({"year": run_exists(arena, year)})


def check_draft_all(year: int) -> None:
    """Refuse, on the year, every arena's drafts for a year no arena has an open budget."""
    if not arenas_to_draft(year).exists():
        raise ValidationError({"year": no_arena_to_draft(year)})


def action_problems(run: InvoiceRun, action: str) -> list[str]:
    """Why `action` (approve, issue, refresh) cannot be done on `run` as it is now: its
    state, and for approval what the run page lists as to be fixed. Empty: it may."""
    status = run.status
    if action == "approve" and status != InvoiceRun.Status.DRAFT:
        return [
            _("Kjøringen er allerede %(status)s; den kan ikke godkjennes på nytt.")
            % {"status": run.get_status_display()}
        ]
    if action == "approve":
        return list(approval_problems(run).values())
    if action == "issue" and status == InvoiceRun.Status.ISSUED:
        return [_("Kjøringen er allerede utstedt.")]
    if action == "issue" and status != InvoiceRun.Status.APPROVED:
        return [_("Kjøringen må godkjennes før den utstedes.")]
    if action == "refresh" and status != InvoiceRun.Status.DRAFT:
        return [
            _("Kjøringen er %(status)s og kan ikke endres.") % {"status": run.get_status_display()}
        ]
    return []
