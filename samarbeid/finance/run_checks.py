"""What can be told before an invoice run's task is queued: a year with no budget or a run
already, a budget that cannot be split (one arena's plan, made without writing), a year in
which no arena has a budget without a run and someone to invoice, a run in the wrong state
for the action, or one the run page says must be fixed before approval. finance.jobs' start
functions refuse with these, on the field, before anything is queued (the page and the API
ask the same functions); the task itself checks again, as things change between queueing
and running."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet

from samarbeid.arenas.models import Arena
from samarbeid.core.phrases import Phrase, Text, phrase
from samarbeid.core.stamps import cached_aggregate
from samarbeid.finance.invoicing import no_budget, plan_drafts, run_exists
from samarbeid.finance.models import Budget, BudgetLine, InvoiceRun
from samarbeid.finance.plan_inputs import members_in_year, participants_in_year
from samarbeid.finance.run_steps import already_approved, approval_problems, not_draft


def open_budgets() -> QuerySet[Budget]:
    """Budgets whose arena has no run for the budget's year."""
    return Budget.objects.filter(
        ~Exists(InvoiceRun.objects.filter(arena=OuterRef("arena"), year=OuterRef("year")))
    )


def budgets_to_invoice() -> QuerySet[Budget]:
    """Open budgets a query can tell have someone to invoice: a line, and someone to share
    each line in the budget's year (a base contribution: a member of the arena; a project's
    line: a participant of the project). What is left out plan_drafts is sure to refuse
    (nothing to invoice, no members or no participants); what is kept it may still refuse
    (a figure missing), which takes the planner."""
    lines = BudgetLine.objects.filter(budget=OuterRef("pk"))
    base = lines.filter(kind=BudgetLine.Kind.BASE)
    # a project's line whose project has no one taking part in the budget's year
    unshared = lines.exclude(kind=BudgetLine.Kind.BASE).filter(
        ~participants_in_year(OuterRef("project"), OuterRef(OuterRef("year")))
    )
    return open_budgets().filter(
        Exists(lines),
        ~Exists(base) | members_in_year(OuterRef("arena"), OuterRef("year")),
        ~Exists(unshared),
    )


def first_open_year(arena: Arena | None = None) -> int | None:
    """The draft form's year: the first budget year (the arena's, or any arena's) without a
    run and with someone to invoice (budgets_to_invoice), or None (no year chosen: the clerk
    writes one, and is told why it cannot be drafted). A query or a few on the page, never
    a plan: a budget a query cannot judge (a figure missing) is offered, and refused on its
    field when the form is sent, in the plan's words (check_draft).

    Every arena's form asks year by year among the first few open years (the whole
    national set at once made the finance page grow with the data): the first year in which
    some arena has someone to invoice, the arenas the task drafts (arenas_to_draft)."""
    if arena is not None:
        budgets = budgets_to_invoice().filter(arena=arena).order_by("year")
        return budgets.values_list("year", flat=True).first()
    # read through every budget's run: cached per data version (any write raises it)
    return cached_aggregate("first_open_year", lambda: (_first_open_year_anywhere(),))[0]


def _first_open_year_anywhere() -> int | None:
    years = open_budgets().order_by("year").values_list("year", flat=True).distinct()
    for year in years[:YEARS_TRIED]:
        if budgets_to_invoice().filter(year=year).exists():
            return int(year)
    return None


# How many of the first open budget years every arena's form tries before it offers none.
YEARS_TRIED = 3


def arenas_to_draft(year: int) -> QuerySet[Arena]:
    """What "every arena" drafts: every arena with a budget for `year`, no run yet, and
    someone to invoice (budgets_to_invoice). An arena left out (no members that year, say)
    does not stop the others; it is drafted on its own page, where it is told why not.
    The arenas kept are still drafted all or nothing (create_runs): a line that cannot be
    split, which a query cannot tell, refuses them all."""
    return Arena.objects.filter(
        pk__in=budgets_to_invoice().filter(year=year).values("arena_id")
    ).order_by("short_name", "pk")


def arenas_left_out(year: int) -> QuerySet[Arena]:
    """The arenas with a budget for `year` and no run that "every arena" leaves out, as
    they have no one to invoice that year (arenas_to_draft's other side)."""
    return (
        Arena.objects.filter(pk__in=open_budgets().filter(year=year).values("arena_id"))
        .exclude(pk__in=budgets_to_invoice().filter(year=year).values("arena_id"))
        .order_by("short_name", "pk")
    )


def no_arena_to_draft(year: int) -> Phrase:
    """Why arenas_to_draft(year) is empty: no arena has a budget for the year without a
    run, or none of those has anyone to invoice."""
    if open_budgets().filter(year=year).exists():
        return phrase(
            "Ingen arena med et budsjett for %(year)s uten fakturakjøring har noen å "
            "fakturere det året.",
            year=year,
        )
    return phrase("Ingen arena har et budsjett for %(year)s uten fakturakjøring.", year=year)


def check_draft(arena: Arena, year: int) -> None:
    """Refuse, on the year, a draft create_run would refuse: a year without a budget, with
    a run already, or whose budget cannot be split (nothing to invoice, a line that cannot
    be split: plan_drafts, the plan create_runs writes, made here without writing; one
    arena's is a bounded number of queries)."""
    budget = Budget.objects.filter(arena=arena, year=year).first()
    if budget is None:
        raise ValidationError({"year": no_budget(arena, year)})
    if InvoiceRun.objects.filter(arena=arena, year=year).exists():
        raise ValidationError({"year": run_exists(arena, year)})
    problems = plan_drafts([budget]).problems.get(budget.pk)
    if problems:
        raise ValidationError({"year": problems})


def check_draft_all(year: int) -> None:
    """Refuse, on the year, every arena's drafts for a year in which no arena has a budget
    without a run and someone to invoice (arenas_to_draft)."""
    if not arenas_to_draft(year).exists():
        raise ValidationError({"year": no_arena_to_draft(year)})


def action_problems(run: InvoiceRun, action: str) -> list[Text]:
    """Why `action` (approve, issue, refresh) cannot be done on `run` as it is now: its
    state, and for approval what the run page lists as to be fixed. Empty: it may."""
    status = run.status
    if action == "approve" and status != InvoiceRun.Status.DRAFT:
        return [already_approved(run)]
    if action == "approve":
        return list(approval_problems(run).values())
    if action == "issue" and status == InvoiceRun.Status.ISSUED:
        return [phrase("Kjøringen er allerede utstedt.")]
    if action == "issue" and status != InvoiceRun.Status.APPROVED:
        return [phrase("Kjøringen må godkjennes før den utstedes.")]
    if action == "refresh" and status != InvoiceRun.Status.DRAFT:
        return [not_draft(run)]
    return []
