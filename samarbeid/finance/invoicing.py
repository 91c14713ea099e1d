"""Invoice runs made from the budget: checked, split and written in bulk with their invoices."""

from __future__ import annotations

import functools
import gc
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from samarbeid.arenas.models import Arena
from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor, record_created
from samarbeid.core.conflicts import Conflict, is_unique_violation
from samarbeid.core.phrases import Phrase, Text, phrase, plural
from samarbeid.core.stamps import bulk_write
from samarbeid.finance.access import require_manage_finance
from samarbeid.finance.invoice_fields import (
    charge_funding,
    charge_note,
    charge_text,
    invoice_kid,
    invoice_number,
    party_fields,
)
from samarbeid.finance.models import (
    Budget,
    HostShareLine,
    Invoice,
    InvoiceLine,
    InvoiceRun,
)
from samarbeid.finance.planning import Charge, Planner
from samarbeid.finance.references import (
    legal_entities_of,
    references_in_bulk,
)
from samarbeid.registry.models import Municipality
from samarbeid.registry.services import SuccessorMap


def build_invoices(runs: Sequence[InvoiceRun], planner: Planner, charges: Sequence[Charge]) -> None:
    """Create the invoices and lines of draft runs from their charges, in bulk. The
    seller's own share (the host municipality paying its part of the budget) is not
    invoiced: it is kept as the run's host share lines, with no number, KID or EHF."""
    # Bulk writes send no signals: the stamps are raised at the end of the block. Invoices
    # and host share lines feed no split (core.stamps.SPLIT_INPUTS), so no arena's split is
    # done again.
    with bulk_write(arenas=()):
        _write_invoices(runs, planner, charges)


def _adapter(field: Any) -> Callable[[Any], Any] | None:
    """How `field`'s Python value goes to the database as executemany sends it: decimals
    and dates as the backend stores them (as bulk_create would); None: as it is (strings,
    whole numbers, ids, None)."""
    ops = connection.ops
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: ops.adapt_decimalfield_value(value, digits, places)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


def _insert(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Write `rows` (values by field attname; a field not given takes its default) into
    `model`'s table with one executemany, the database numbering them. A national run writes
    tens of thousands of invoices and lines at factor 1 (hundreds of thousands at factor 16):
    bulk_create's model instances and per-value SQL compilation were most of its time. No
    save() and no signals, as with bulk_create; the values are the service's own, checked
    by the planner and by the database's constraints."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        # a callable default, or a stamp set on save, would have to be worked out per row;
        # none of the tables written here has one (a model that gets one must be given it)
        assert not (field.has_default() and callable(field.default)), field
        assert not getattr(field, "auto_now", False), field
        assert not getattr(field, "auto_now_add", False), field
    # a field no row gives: its default, as the database takes it
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields}
    adapters = [(f.attname, _adapter(f)) for f in fields]
    values: list[tuple[Any, ...]] = []
    for row in rows:
        given = defaults | row
        values.append(
            tuple(
                given[name] if adapt is None or name not in row else adapt(given[name])
                for name, adapt in adapters
            )
        )
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)  # noqa: S608


def _ids_by_number(runs: Sequence[InvoiceRun]) -> dict[str, int]:
    """The database's ids of the runs' invoices, by number (the runs are new: every invoice
    they have was just written). One query per 500 runs."""
    found: dict[str, int] = {}
    run_ids = [run.pk for run in runs]
    for start in range(0, len(run_ids), 500):
        found.update(
            Invoice.objects.filter(run_id__in=run_ids[start : start + 500])
            .order_by()
            .values_list("number", "pk")
        )
    return found


def _write_invoices(
    runs: Sequence[InvoiceRun], planner: Planner, charges: Sequence[Charge]
) -> None:
    """The invoices, lines and host share lines of build_invoices, written in bulk: one
    executemany for each table, then one query (per 500 runs) for the invoices' ids."""
    run_by_arena = {run.arena_id: run for run in runs}
    # A budget line's text and note are the same for each municipality sharing it (and the
    # note for each share of a former municipality): worked out, and translated, once.
    texts: dict[tuple[int, str, str, int], str] = {}
    notes: dict[tuple[int, int, str], str] = {}

    def shared_fields(charge: Charge) -> dict[str, Any]:
        text_key = (charge.arena_id, charge.kind, charge.description, charge.year)
        text = texts.get(text_key)
        if text is None:
            text = texts[text_key] = charge_text(charge, planner.arenas[charge.arena_id])[:300]
        note_key = (charge.share_of_id, charge.payer_id, charge.note)
        note = notes.get(note_key)
        if note is None:
            note = notes[note_key] = charge_note(charge, planner)[:300]
        return {
            "kind": charge.kind,
            "budget_line_id": charge.line_id or None,
            "project_id": charge.project_id,
            "share_of_id": charge.share_of_id,
            "description": text,
            "amount": charge.amount,
            "note": note,
            **charge_funding(charge),
        }

    by_payer: dict[tuple[int, int], list[Charge]] = defaultdict(list)
    host_lines: list[dict[str, Any]] = []
    host_positions: dict[int, int] = defaultdict(int)
    for charge in charges:
        run = run_by_arena[charge.arena_id]
        if charge.payer_id == run.seller_id:
            host_positions[run.pk] += 1
            host_lines.append(
                {
                    "run_id": run.pk,
                    "municipality_id": run.seller_id,
                    "position": host_positions[run.pk],
                    **shared_fields(charge),
                }
            )
            continue
        by_payer[(charge.arena_id, charge.payer_id)].append(charge)
    _insert(HostShareLine, host_lines)
    entities = legal_entities_of(
        [planner.municipalities[m] for _a, m in by_payer]
        + [planner.municipalities.get(run.seller_id) or run.seller for run in runs]
    )
    references = references_in_bulk(runs, by_payer)
    invoices: list[dict[str, Any]] = []
    grouped: list[list[Charge]] = []
    sequence: dict[int, int] = defaultdict(int)
    seller_fields: dict[int, dict[str, str]] = {}
    for (arena_id, payer_id), items in sorted(
        by_payer.items(), key=lambda kv: (kv[0][0], planner.municipalities[kv[0][1]].code)
    ):
        run = run_by_arena[arena_id]
        buyer = planner.municipalities[payer_id]
        seller = planner.municipalities.get(run.seller_id) or run.seller
        if run.pk not in seller_fields:
            seller_fields[run.pk] = {
                "seller_name": seller.name,
                "seller_organisation_number": seller.organisation_number,
                **party_fields("seller", seller, entities.get(seller.organisation_number)),
            }
        sequence[run.pk] += 1
        total = sum((c.amount for c in items), Decimal("0.00"))
        invoices.append(
            {
                "run_id": run.pk,
                "number": invoice_number(run.year, run.pk, buyer.code),
                "kid": invoice_kid(run.year, run.pk, sequence[run.pk]),
                "buyer_id": buyer.pk,
                "buyer_name": buyer.name,
                "buyer_organisation_number": buyer.organisation_number,
                "issue_date": run.issue_date,
                "due_date": run.due_date,
                "total": total,
                "buyer_reference": references.get(arena_id, {}).get(payer_id, ""),
                **party_fields("buyer", buyer, entities.get(buyer.organisation_number)),
                **seller_fields[run.pk],
            }
        )
        grouped.append(items)
    _insert(Invoice, invoices)
    ids = _ids_by_number(runs) if invoices else {}
    # The lines are the bulk of a national run (hundreds of thousands of rows at factor 16).
    _insert(
        InvoiceLine,
        [
            {"invoice_id": ids[invoice["number"]], "position": position, **shared_fields(charge)}
            for invoice, items in zip(invoices, grouped, strict=True)
            for position, charge in enumerate(items, start=1)
        ],
    )


def _sellers(
    arenas: Sequence[Arena], day: date, successors: SuccessorMap
) -> dict[int, Municipality]:
    """Each arena's host municipality as it is on `day` (its successor after a merger)."""
    missing = [a.short_name for a in arenas if a.host_municipality_id is None]
    if missing:
        raise ValidationError(
            {
                "seller": phrase(
                    "Ingen vertskommune registrert for %(arenas)s; velg selger.",
                    arenas=", ".join(missing),
                )
            }
        )
    holder: dict[int, int] = {}
    for arena in arenas:
        assert arena.host_municipality_id is not None
        heirs = successors.successor_ids_on(arena.host_municipality_id, day)
        holder[arena.pk] = heirs[0] if heirs else arena.host_municipality_id
    found = Municipality.objects.in_bulk(set(holder.values()))
    return {arena_id: found[m] for arena_id, m in holder.items()}


P = ParamSpec("P")
R = TypeVar("R")


def _without_cycle_collection(work: Callable[P, R]) -> Callable[P, R]:
    """Run `work` with Python's cycle collector paused. A national run makes millions of
    short-lived objects (charges, rows, model instances), all freed by reference counting;
    the collector's passes over them cost a fifth of the run's time at factor 4 (measured
    with cProfile and with the collector off: 5.5 s against 4.5 s of CPU), and a larger part
    the larger the run, as each full pass walks every live object. Turned back on after."""

    @functools.wraps(work)
    def running(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return work(*args, **kwargs)
        gc.disable()
        try:
            return work(*args, **kwargs)
        finally:
            gc.enable()

    return running


def no_budget(arena: Arena, year: int) -> Phrase:
    """Why `arena` cannot be drafted for `year`: it has no budget (also said before queueing,
    finance.run_checks)."""
    return phrase(
        "%(arena)s har ikke noe budsjett for %(year)s.", arena=arena.short_name, year=year
    )


def run_exists(arena: Arena, year: int) -> Phrase:
    """Why `arena` cannot be drafted for `year`: it has its run already."""
    return phrase(
        "%(arena)s har allerede en fakturakjøring for %(year)s.", arena=arena.short_name, year=year
    )


def nothing_to_invoice(arena: Arena, year: int) -> Phrase:
    """Why `arena` cannot be drafted for `year`: its budget has no line to share (also said
    when a draft is made again, finance.run_steps)."""
    return phrase(
        "%(arena)s har ingenting å fakturere for %(year)s.", arena=arena.short_name, year=year
    )


@dataclass(frozen=True)
class Drafts:
    """The draft runs of a set of budgets as create_runs writes them, planned without
    writing: the planner (with the municipalities it read), every charge in the lines'
    order, and why a budget's run cannot be drafted (budget id → the messages: its lines
    that cannot be split, or nothing to invoice; a budget that can be drafted is not
    named)."""

    planner: Planner
    charges: list[Charge]
    problems: dict[int, list[Text]]


def plan_drafts(
    budgets: Sequence[Budget],
    *,
    payer_day: date | None = None,
    successors: SuccessorMap | None = None,
) -> Drafts:
    """Split `budgets` as their draft runs would be: the one rule of what a run can be made
    of, asked by create_runs before it writes and by finance.run_checks before a draft is
    queued or a year offered. One Planner: a bounded number of queries whatever the number
    of budgets, lines and municipalities; nothing written. `payer_day`: the invoice date
    (who pays a merged municipality's share; it changes no problem)."""
    planner = Planner(list(budgets), successors=successors)
    charges, problems = planner.split(payer_day=payer_day)
    charged = {charge.budget_id for charge in charges}
    for budget in planner.budgets.values():
        if budget.pk not in charged and budget.pk not in problems:
            arena = planner.arenas[budget.arena_id]
            problems[budget.pk] = [nothing_to_invoice(arena, budget.year)]
    return Drafts(planner, charges, problems)


@_without_cycle_collection
def create_runs(
    arenas: Sequence[Arena],
    year: int,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
    issue_date: date | None = None,
    due_days: int = 30,
    seller: Municipality | None = None,
    seller_account: str = "",
    example: bool = False,
    progress: Callable[[Text], None] | None = None,
) -> list[InvoiceRun]:
    """Make draft invoice runs for `year`, one per arena, from the arenas' budgets, with a
    bounded number of queries whatever the number of arenas, lines and municipalities.
    The seller is each arena's host municipality (as it is on the invoice date) unless
    given. All or nothing: refused as a whole (nothing written) if any arena has no
    budget, a run already, or a budget plan_drafts refuses (nothing to invoice, a line that
    cannot be split); every arena's draft (finance.jobs) leaves out beforehand those a
    query can tell have no one to invoice (finance.run_checks.arenas_to_draft). `progress`
    (a background task's) is told each step: checked, planned, written (all at once, at
    the end)."""
    report = progress or (lambda _text: None)
    for arena in arenas:
        require_manage_finance(actor, arena)
    issue_date = issue_date or timezone.localdate()
    if due_days < 0:
        raise ValidationError({"due_days": phrase("Forfall kan ikke være før fakturadato.")})
    budgets = list(Budget.objects.filter(arena__in=arenas, year=year).select_related("arena"))
    have = {b.arena_id for b in budgets}
    problems = [no_budget(a, year) for a in arenas if a.pk not in have]
    existing = set(
        InvoiceRun.objects.filter(arena__in=arenas, year=year).values_list("arena_id", flat=True)
    )
    problems += [run_exists(a, year) for a in arenas if a.pk in existing]
    if problems:  # on the year, as the draft's check (run_checks.check_draft) says them
        raise ValidationError({"year": problems})
    report(
        plural(
            "Budsjettet er kontrollert; fordeler kostnadene på %(count)s arena.",
            "Budsjettene er kontrollert; fordeler kostnadene på %(count)s arenaer.",
            len(arenas),
            count=len(arenas),
        )
    )
    successors = SuccessorMap()
    drafts = plan_drafts(budgets, payer_day=issue_date, successors=successors)
    if drafts.problems:
        budget_of = {b.arena_id: b.pk for b in budgets}
        raise ValidationError(
            {"year": [text for a in arenas for text in drafts.problems.get(budget_of[a.pk], [])]}
        )
    planner, charges = drafts.planner, drafts.charges
    if seller is not None:
        sellers = {arena.pk: seller for arena in arenas}
    else:
        sellers = _sellers(arenas, issue_date, successors)
    runs = [
        InvoiceRun(
            arena=arena,
            year=year,
            issue_date=issue_date,
            due_date=issue_date + timedelta(days=due_days),
            seller=sellers[arena.pk],
            seller_account=seller_account,
            is_example_data=example,
        )
        for arena in arenas
    ]
    # The constraints (one run per arena and year, due after issue) were checked above for
    # all runs at once; create_record's per-record constraint queries would cost seconds in
    # a national run. So is the existence of the runs' arenas and sellers (two queries in
    # all, where clean_fields asks once per foreign key and run); a run whose arena or
    # seller is missing gets the full clean_fields, which raises its usual error.
    foreign_keys = ["arena", "seller"]
    found_arenas = set(
        Arena.objects.filter(pk__in={run.arena_id for run in runs}).values_list("pk", flat=True)
    )
    found_sellers = set(
        Municipality.objects.filter(pk__in={run.seller_id for run in runs}).values_list(
            "pk", flat=True
        )
    )
    for run in runs:
        if run.arena_id in found_arenas and run.seller_id in found_sellers:
            run.clean_fields(exclude=foreign_keys)
        else:
            run.clean_fields()
    report(phrase("Fordelingen er beregnet; lagrer kjøringene og fakturaene."))
    try:
        # Bulk writes send no signals: the stamps are raised at the end of the block, a
        # run's arena's split stamp with them (core.stamps.SPLIT_INPUTS).
        with transaction.atomic(), bulk_write(arenas=[run.arena_id for run in runs]):
            InvoiceRun.objects.bulk_create(runs)
            record_created(runs, actor=actor, channel=channel)
            for municipality in sellers.values():
                planner.municipalities.setdefault(municipality.pk, municipality)
            build_invoices(runs, planner, charges)
    except IntegrityError as exc:
        # Someone made a run for the same arena and year between the check above and
        # now (the same request sent twice at once): the database refused the second.
        if not is_unique_violation(exc):
            raise
        raise Conflict(
            phrase(
                "En fakturakjøring for %(year)s ble laget av noen andre i samme øyeblikk.",
                year=year,
            )
        ) from exc
    return runs


def create_run(arena: Arena, year: int, **options: Any) -> InvoiceRun:
    """One arena's draft run; see create_runs."""
    return create_runs([arena], year, **options)[0]
