"""Invoice runs: made from the budget, made again, approved and issued with their
invoices (the outputs: EHF, PDF and Excel are in finance.outputs)."""

from __future__ import annotations

import contextlib
import functools
import gc
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samarbeid.accounts.permissions import (
    require,
)
from samarbeid.arenas.models import Arena
from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import Actor, record, record_created
from samarbeid.core.conflicts import Conflict, is_unique_violation
from samarbeid.core.services import delete_record, update_record
from samarbeid.core.stamps import bulk_write
from samarbeid.core.versioning import check_version, save_versioned
from samarbeid.finance.access import can_manage_finance
from samarbeid.finance.models import (
    REGISTERED,
    Budget,
    BudgetLine,
    HostShareLine,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    account_number,
)
from samarbeid.finance.planning import Charge, Planner, plan
from samarbeid.finance.references import (
    account_problem,
    invoice_references,
    legal_entities_of,
    missing_references,
    references_in_bulk,
)
from samarbeid.finance.signals import run_issued
from samarbeid.lib.kid import make_kid
from samarbeid.registry.models import LegalEntity, Municipality
from samarbeid.registry.services import SuccessorMap

# Invoice runs --------------------------------------------------------------------------------


def _line_text(charge: Charge, arena: Arena) -> str:
    return line_text(charge.kind, charge.description, arena.short_name, charge.year)


def line_text(kind: str, description: str, arena: str, year: int) -> str:
    """An invoice line's text from its budget line: "Basisbidrag 12K 2026: Drift", or
    "Prosjekt Felles IKT 2026". What the budget line already says is not said twice: a line
    called "Basisbidrag n-k 2026" reads so, not "Basisbidrag n-k 2026: Basisbidrag n-k 2026",
    and "Drift 2026" is not followed by 2026 again."""
    said = description.casefold()
    year_text = "" if str(year) in description else f" {year}"
    if kind == BudgetLine.Kind.BASE:
        # Budget lines are typed in Norwegian whatever the page's language.
        if "basisbidrag" in said or _("Basisbidrag").casefold() in said:
            return f"{description}{year_text}"
        named = "" if arena.casefold() in said else f" {arena}"
        return _("Basisbidrag%(arena)s%(year)s: %(text)s") % {
            "arena": named,
            "year": year_text,
            "text": description,
        }
    if said.startswith(_("Prosjekt").casefold()):
        return f"{description}{year_text}"
    return _("Prosjekt %(text)s%(year)s") % {"text": description, "year": year_text}


def line_note(share_of: Municipality, payer: Municipality) -> str:
    """The note on a line whose share is paid by another municipality after a change:
    "Andel for Nøtterøy (0722), nå Færder (3911)". None when the same municipality pays
    under a new number only (Horten 0701, now 3901: no change to name)."""
    if share_of.pk == payer.pk or share_of.name == payer.name:
        return ""
    return _("Andel for %(old)s (%(number)s), nå %(new)s (%(new_number)s)") % {
        "old": share_of.name,
        "number": share_of.number,
        "new": payer.name,
        "new_number": payer.number,
    }


def _charge_note(charge: Charge, planner: Planner) -> str:
    share_of = planner.municipalities.get(charge.share_of_id)
    payer = planner.municipalities.get(charge.payer_id)
    if share_of is None or payer is None:
        return charge.note
    return line_note(share_of, payer)


def _funding(charge: Charge) -> dict[str, Decimal | None]:
    """The line's gross cost and external funding, stored on a charge line whose budget
    line has external funding (else None: the share is of the whole cost)."""
    if not charge.external:
        return {"gross": None, "external": None}
    return {"gross": charge.gross, "external": charge.external}


def party_fields(
    role: str, municipality: Municipality, entity: LegalEntity | None
) -> dict[str, str]:
    """An invoice's `role` ("buyer"/"seller") fields for `municipality`: its registered
    name and invoice (postal) address from the register of legal entities, blank when the
    register has no record of it."""
    values = ("",) * len(REGISTERED) if entity is None else (entity.name, *entity.invoice_address)
    return {f"{role}_{part}": value for part, value in zip(REGISTERED, values, strict=True)}


def _build_invoices(
    runs: Sequence[InvoiceRun], planner: Planner, charges: Sequence[Charge]
) -> None:
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
    """The invoices, lines and host share lines of _build_invoices, written in bulk: one
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
            text = texts[text_key] = _line_text(charge, planner.arenas[charge.arena_id])[:300]
        note_key = (charge.share_of_id, charge.payer_id, charge.note)
        note = notes.get(note_key)
        if note is None:
            note = notes[note_key] = _charge_note(charge, planner)[:300]
        return {
            "kind": charge.kind,
            "budget_line_id": charge.line_id or None,
            "project_id": charge.project_id,
            "share_of_id": charge.share_of_id,
            "description": text,
            "amount": charge.amount,
            "note": note,
            **_funding(charge),
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
                "number": f"{run.year}-{run.pk}-{buyer.code}",
                "kid": make_kid(f"{run.year}{run.pk:06d}{sequence[run.pk]:05d}"),
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
                "seller": _("Ingen vertskommune registrert for %(arenas)s; velg selger.")
                % {"arenas": ", ".join(missing)}
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
    progress: Callable[[str], None] | None = None,
) -> list[InvoiceRun]:
    """Make draft invoice runs for `year`, one per arena, from the arenas' budgets, with a
    bounded number of queries whatever the number of arenas, lines and municipalities.
    The seller is each arena's host municipality (as it is on the invoice date) unless
    given. Refused as a whole (nothing written) if any arena has no budget, a run already,
    no one to invoice, or a line that cannot be split. `progress` (a background task's) is
    told each step: checked, planned, written (all at once, at the end)."""
    report = progress or (lambda _text: None)
    for arena in arenas:
        require(can_manage_finance(actor, arena))
    issue_date = issue_date or timezone.localdate()
    if due_days < 0:
        raise ValidationError({"due_days": _("Forfall kan ikke være før fakturadato.")})
    budgets = list(Budget.objects.filter(arena__in=arenas, year=year).select_related("arena"))
    have = {b.arena_id for b in budgets}
    problems = [
        _("%(arena)s har ikke noe budsjett for %(year)s.") % {"arena": a.short_name, "year": year}
        for a in arenas
        if a.pk not in have
    ]
    existing = set(
        InvoiceRun.objects.filter(arena__in=arenas, year=year).values_list("arena_id", flat=True)
    )
    problems += [
        _("%(arena)s har allerede en fakturakjøring for %(year)s.")
        % {"arena": a.short_name, "year": year}
        for a in arenas
        if a.pk in existing
    ]
    if problems:
        raise ValidationError(problems)
    report(
        _("Budsjettene er kontrollert; fordeler kostnadene på %(count)s arenaer.")
        % {"count": len(arenas)}
    )
    successors = SuccessorMap()
    planner, charges = plan(budgets, payer_day=issue_date, successors=successors)
    charged = {c.arena_id for c in charges}
    empty = [a for a in arenas if a.pk not in charged]
    if empty:
        raise ValidationError(
            [
                _("%(arena)s har ingenting å fakturere for %(year)s.")
                % {"arena": a.short_name, "year": year}
                for a in empty
            ]
        )
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
    report(_("Fordelingen er beregnet; lagrer kjøringene og fakturaene."))
    try:
        # Bulk writes send no signals: the stamps are raised at the end of the block, a
        # run's arena's split stamp with them (core.stamps.SPLIT_INPUTS).
        with transaction.atomic(), bulk_write(arenas=[run.arena_id for run in runs]):
            InvoiceRun.objects.bulk_create(runs)
            record_created(runs, actor=actor, channel=channel)
            for municipality in sellers.values():
                planner.municipalities.setdefault(municipality.pk, municipality)
            _build_invoices(runs, planner, charges)
    except IntegrityError as exc:
        # Someone made a run for the same arena and year between the check above and
        # now (the same request sent twice at once): the database refused the second.
        if not is_unique_violation(exc):
            raise
        raise Conflict(
            _("En fakturakjøring for %(year)s ble laget av noen andre i samme øyeblikk.")
            % {"year": year}
        ) from exc
    return runs


def create_run(arena: Arena, year: int, **options: Any) -> InvoiceRun:
    """One arena's draft run; see create_runs."""
    return create_runs([arena], year, **options)[0]


def _require_draft(run: InvoiceRun) -> None:
    if run.status != InvoiceRun.Status.DRAFT:
        raise ValidationError(
            _("Kjøringen er %(status)s og kan ikke endres.") % {"status": run.get_status_display()}
        )


def refresh_run(
    run: InvoiceRun,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> InvoiceRun:
    """Make a draft's invoices again from the budget as it is now (a new version)."""
    require(can_manage_finance(actor, run.arena))
    _require_draft(run)
    check_version(run, expected_version)
    budgets = list(Budget.objects.filter(arena=run.arena, year=run.year))
    planner, charges = plan(budgets, payer_day=run.issue_date)
    if not charges:
        raise ValidationError(
            _("%(arena)s har ingenting å fakturere for %(year)s.")
            % {"arena": run.arena.short_name, "year": run.year}
        )
    with transaction.atomic():
        run.invoices.all().delete()
        run.host_share_lines.all().delete()
        planner.municipalities.setdefault(run.seller_id, run.seller)
        _build_invoices([run], planner, charges)
        save_versioned(run, expected_version, [])
        record(run, AuditEntry.Action.UPDATE, actor=actor, channel=channel, before={})
    return run


def delete_run(
    run: InvoiceRun,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> None:
    """Discard a draft run with its invoices (approved and issued runs stay)."""
    require(can_manage_finance(actor, run.arena))
    _require_draft(run)
    check_version(run, expected_version)
    with transaction.atomic():
        run.invoices.all().delete()
        run.host_share_lines.all().delete()
        delete_record(run, actor=actor, channel=channel)


def draft_differs(run: InvoiceRun) -> str:
    """Why the draft's invoices no longer match its budgets as they are now (a line, a
    grant, a key or a member changed since it was made), or "". A clerk's trial approved a
    draft made before a grant changed: the invoices then billed the old split."""
    if run.status != InvoiceRun.Status.DRAFT:
        return ""
    budgets = list(Budget.objects.filter(arena=run.arena, year=run.year))
    try:
        _planner, charges = plan(budgets, payer_day=run.issue_date)
    except ValidationError as exc:
        return " ".join(exc.messages)
    wanted: dict[tuple[int, int, int], Decimal] = defaultdict(Decimal)
    for charge in charges:
        wanted[(charge.line_id, charge.share_of_id, charge.payer_id)] += charge.amount
    made: dict[tuple[int, int, int], Decimal] = defaultdict(Decimal)
    for line_id, share_of, payer, amount in [
        *InvoiceLine.objects.filter(
            invoice__run=run, invoice__kind=Invoice.Kind.INVOICE
        ).values_list("budget_line_id", "share_of_id", "invoice__buyer_id", "amount"),
        *HostShareLine.objects.filter(run=run).values_list(
            "budget_line_id", "share_of_id", "municipality_id", "amount"
        ),
    ]:
        made[(line_id, share_of, payer)] += amount
    if {k: v for k, v in wanted.items() if v} == {k: v for k, v in made.items() if v}:
        return ""
    return _(
        "Budsjettet, tilskuddene, nøkkelen eller medlemmene er endret etter at utkastet ble "
        "laget, så fakturaene stemmer ikke lenger med budsjettet. Oppdater kjøringen før den "
        "godkjennes."
    )


def approval_problems(run: InvoiceRun) -> dict[str, str]:
    """Why the draft `run` cannot be approved yet, by what must be fixed: "seller_account"
    (no bank account, or one failing its MOD11 check digit) and "references" (buyers
    without an invoice reference: their accounts departments route invoices by it).
    Shown on the run's page before approval; approve_run refuses while any is left."""
    problems: dict[str, str] = {}
    account = account_problem(run.seller_account)
    if account:
        problems["seller_account"] = account
    stale = draft_differs(run)
    if stale:
        problems["stale"] = stale
    missing = missing_references(run)
    if missing:
        problems["references"] = _(
            "Disse kjøperne mangler fakturareferanse: %(names)s. Kommunens koordinator eller "
            "sekretariatet legger den inn under Økonomi → Fakturareferanser."
        ) % {"names": ", ".join(f"{m.name} ({m.number})" for m in missing)}
    return problems


def set_run_account(
    run: InvoiceRun,
    account: str,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> InvoiceRun:
    """Set the seller's bank account on a draft run (11 digits with a MOD11 check digit)."""
    require(can_manage_finance(actor, run.arena))
    _require_draft(run)
    # the usual groupings ("9710.12.34561") are read as the 11 digits; account_problem
    # says what is wrong with any other
    with contextlib.suppress(ValidationError):
        account = account_number(account)
    problem = account_problem(account)
    if problem:
        raise ValidationError({"seller_account": problem})
    update_record(
        run,
        {"seller_account": account},
        expected_version=expected_version,
        actor=actor,
        channel=channel,
    )
    return run


def _stamp_invoices(run: InvoiceRun) -> None:
    """Write the buyers' invoice references and both parties' registered names and
    addresses, as they are now, onto the run's invoices not yet issued."""
    invoices = list(run.invoices.filter(issued_at__isnull=True).select_related("buyer"))
    entities = legal_entities_of([invoice.buyer for invoice in invoices] + [run.seller])
    references = invoice_references(run.arena_id, {invoice.buyer_id for invoice in invoices})
    seller = party_fields("seller", run.seller, entities.get(run.seller.organisation_number))
    for invoice in invoices:
        values = {
            "buyer_reference": references.get(invoice.buyer_id, ""),
            **party_fields("buyer", invoice.buyer, entities.get(invoice.buyer.organisation_number)),
            **seller,
        }
        for name, value in values.items():
            setattr(invoice, name, value)
    Invoice.objects.bulk_update(
        invoices,
        ["buyer_reference", *party_fields("buyer", run.seller, None), *seller],
        batch_size=2000,
    )


def approve_run(
    run: InvoiceRun,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> InvoiceRun:
    """Approve a draft run. Refused while approval_problems names anything (the seller's
    bank account, buyers' invoice references). The invoices take the buyers' references
    and the parties' registered names and addresses as they are at approval."""
    require(can_manage_finance(actor, run.arena))
    if run.status != InvoiceRun.Status.DRAFT:
        raise ValidationError(
            _("Kjøringen er allerede %(status)s; den kan ikke godkjennes på nytt.")
            % {"status": run.get_status_display()}
        )
    problems = approval_problems(run)
    if problems:
        raise ValidationError(problems)
    user = actor if getattr(actor, "is_authenticated", False) else None
    # The invoices are stamped in bulk (no signals): the stamps are raised at the block's end.
    with transaction.atomic(), bulk_write(arenas=()):
        _stamp_invoices(run)
        update_record(
            run,
            {
                "status": InvoiceRun.Status.APPROVED,
                "approved_at": timezone.now(),
                "approved_by": user,
            },
            expected_version=expected_version,
            actor=actor,
            channel=channel,
        )
    return run


def run_problems(run: InvoiceRun) -> list[str]:
    """Why the run's EHF documents would not be valid (empty: all pass validation)."""
    from samarbeid.finance.outputs import ehf_problems

    problems: list[str] = []
    for invoice in run.invoices.select_related("run__arena").prefetch_related("lines"):
        problems.extend(f"{invoice.number}: {p}" for p in ehf_problems(invoice))
    return problems


def issue_run(
    run: InvoiceRun,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> InvoiceRun:
    """Issue an approved run: every EHF document must validate, else nothing changes."""
    require(can_manage_finance(actor, run.arena))
    if run.status == InvoiceRun.Status.ISSUED:
        raise ValidationError(_("Kjøringen er allerede utstedt."))
    if run.status != InvoiceRun.Status.APPROVED:
        raise ValidationError(_("Kjøringen må godkjennes før den utstedes."))
    problems = run_problems(run)
    if problems:
        shown = problems[:10]
        more = len(problems) - len(shown)
        message = _("EHF-filene er ikke gyldige, så kjøringen er ikke utstedt: ") + "; ".join(shown)
        if more:
            message += " " + _("(og %(n)s til)") % {"n": more}
        raise ValidationError(message)
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    # The invoices are issued in bulk (no signals): the stamps are raised at the block's end.
    # Invoices feed no split (the run's own change raises its arena's stamp).
    with transaction.atomic(), bulk_write(arenas=()):
        update_record(
            run,
            {"status": InvoiceRun.Status.ISSUED, "issued_at": now, "issued_by": user},
            expected_version=expected_version,
            actor=actor,
            channel=channel,
        )
        unissued = run.invoices.filter(issued_at__isnull=True)
        issued_now = list(unissued.values_list("pk", flat=True))
        unissued.update(issued_at=now)
        transaction.on_commit(
            lambda: run_issued.send(sender=InvoiceRun, run=run, invoice_ids=issued_now)
        )
    return run
