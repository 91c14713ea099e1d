"""A draft invoice run made again, given its account, approved, issued or discarded."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from samarbeid.audit.models import AuditEntry, Channel
from samarbeid.audit.services import Actor, record
from samarbeid.core.dates import shown
from samarbeid.core.phrases import Phrase, Text, joined, phrase
from samarbeid.core.services import delete_record, update_record
from samarbeid.core.stamps import bulk_write
from samarbeid.core.versioning import check_version, save_versioned
from samarbeid.finance.access import require_manage_finance
from samarbeid.finance.invoice_fields import party_fields
from samarbeid.finance.invoicing import build_invoices, nothing_to_invoice
from samarbeid.finance.models import (
    Budget,
    HostShareLine,
    Invoice,
    InvoiceLine,
    InvoiceRun,
    account_number,
)
from samarbeid.finance.outputs import ehf_problems
from samarbeid.finance.planning import plan, refusals
from samarbeid.finance.references import (
    account_problem,
    invoice_references,
    legal_entities_of,
    missing_references,
)
from samarbeid.finance.run_pending import refuse_while_pending
from samarbeid.finance.signals import run_issued


def status_phrase(run: InvoiceRun) -> Phrase:
    """The run's status as a word told in the reader's language («utkast», «godkjent»,
    «utstedt»: the model's choices)."""
    label = InvoiceRun.Status(run.status).label
    with translation.override(None):  # the choice's message id, untranslated
        return phrase(str(label))


def not_draft(run: InvoiceRun) -> Phrase:
    """Why `run` cannot be changed: it is no longer a draft."""
    return phrase("Kjøringen er %(status)s og kan ikke endres.", status=status_phrase(run))


def already_approved(run: InvoiceRun) -> Phrase:
    """Why `run` cannot be approved: it is no longer a draft."""
    return phrase(
        "Kjøringen er allerede %(status)s; den kan ikke godkjennes på nytt.",
        status=status_phrase(run),
    )


def _require_draft(run: InvoiceRun) -> None:
    if run.status != InvoiceRun.Status.DRAFT:
        raise ValidationError([not_draft(run)])


def refresh_run(
    run: InvoiceRun,
    *,
    expected_version: int | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> InvoiceRun:
    """Make a draft's invoices again from the budget as it is now (a new version)."""
    require_manage_finance(actor, run.arena)
    _require_draft(run)
    check_version(run, expected_version)
    budgets = list(Budget.objects.filter(arena=run.arena, year=run.year))
    planner, charges = plan(budgets, payer_day=run.issue_date)
    if not charges:
        raise ValidationError([nothing_to_invoice(run.arena, run.year)])
    with transaction.atomic():
        run.invoices.all().delete()
        run.host_share_lines.all().delete()
        planner.municipalities.setdefault(run.seller_id, run.seller)
        build_invoices([run], planner, charges)
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
    """Discard a draft run with its invoices (approved and issued runs stay; not while an
    action on it waits or runs)."""
    require_manage_finance(actor, run.arena)
    _require_draft(run)
    refuse_while_pending(run)
    check_version(run, expected_version)
    with transaction.atomic():
        run.invoices.all().delete()
        run.host_share_lines.all().delete()
        delete_record(run, actor=actor, channel=channel)


def draft_differs(run: InvoiceRun) -> Text:
    """Why the draft's invoices no longer match its budgets as they are now (a line, a
    grant, a key or a member changed since it was made), or "". A clerk's trial approved a
    draft made before a grant changed: the invoices then billed the old split."""
    if run.status != InvoiceRun.Status.DRAFT:
        return ""
    budgets = list(Budget.objects.filter(arena=run.arena, year=run.year))
    try:
        _planner, charges = plan(budgets, payer_day=run.issue_date)
    except ValidationError as exc:
        return joined(*refusals(exc))
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
    return phrase(
        "Budsjettet, tilskuddene, nøkkelen eller medlemmene er endret etter at utkastet ble "
        "laget, så fakturaene stemmer ikke lenger med budsjettet. Oppdater kjøringen før den "
        "godkjennes."
    )


def approval_problems(run: InvoiceRun) -> dict[str, Text]:
    """Why the draft `run` cannot be approved yet, by what must be fixed: "seller_account"
    (no bank account, or one failing its MOD11 check digit) and "references" (buyers
    without an invoice reference: their accounts departments route invoices by it).
    Shown on the run's page before approval; approve_run refuses while any is left."""
    problems: dict[str, Text] = {}
    account = account_problem(run.seller_account)
    if account:
        problems["seller_account"] = account
    stale = draft_differs(run)
    if stale:
        problems["stale"] = stale
    missing = missing_references(run)
    if missing:
        problems["references"] = phrase(
            "Disse kjøperne mangler fakturareferanse: %(names)s. Kommunens koordinator eller "
            "sekretariatet legger den inn under Økonomi → Fakturareferanser.",
            names=", ".join(f"{m.name} ({m.number})" for m in missing),
        )
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
    require_manage_finance(actor, run.arena)
    _require_draft(run)
    refuse_while_pending(run)
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
    require_manage_finance(actor, run.arena)
    if run.status != InvoiceRun.Status.DRAFT:
        raise ValidationError([already_approved(run)])
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
    problems: list[str] = []
    for invoice in run.invoices.select_related("run__arena").prefetch_related("lines"):
        problems.extend(f"{invoice.number}: {p}" for p in ehf_problems(invoice))
    return problems


@dataclass(frozen=True)
class DueDate:
    """What the secretariat said of the due date when issuing a run: a new due date for
    its invoices (`new`), or that a due date already passed is kept (`keep_passed`)."""

    new: date | None = None
    keep_passed: bool = False


def check_due_date(run: InvoiceRun, due: DueDate) -> None:
    """Refuse, on `due_date`, issuing `run` whose due date has passed unless the
    secretariat set a new one or confirmed keeping it (the invoices would reach their
    buyers overdue); a new due date may not have passed nor be before the invoice date."""
    today = timezone.localdate()
    if due.new is not None and due.keep_passed:
        raise ValidationError(
            {"due_date": phrase("Sett en ny forfallsdato eller behold den passerte, ikke begge.")}
        )
    if due.new is not None:
        if due.new < today:
            raise ValidationError(
                {"due_date": phrase("Den nye forfallsdatoen kan ikke være passert.")}
            )
        if due.new < run.issue_date:
            raise ValidationError({"due_date": phrase("Forfall kan ikke være før fakturadato.")})
        return
    if run.due_date < today and not due.keep_passed:
        raise ValidationError(
            {
                "due_date": phrase(
                    "Forfallsdatoen %(due)s er passert. Sett en ny forfallsdato, eller bekreft "
                    "at fakturaene skal utstedes med den passerte forfallsdatoen.",
                    due=shown(run.due_date),
                )
            }
        )


def issue_run(
    run: InvoiceRun,
    *,
    expected_version: int | None,
    actor: Actor,
    channel: str = Channel.PAGE,
    due: DueDate | None = None,
) -> InvoiceRun:
    """Issue an approved run: every EHF document must validate, else nothing changes.

    `due` is what the secretariat said of the due date (the page's task and the API always
    give it): a due date that has passed is refused unless it is replaced or kept
    explicitly (check_due_date); a new one is the run's and its invoices'. None: issued by
    code that asks no one (the demo, a test's setup), the due date as it is."""
    require_manage_finance(actor, run.arena)
    if run.status == InvoiceRun.Status.ISSUED:
        raise ValidationError([phrase("Kjøringen er allerede utstedt.")])
    if run.status != InvoiceRun.Status.APPROVED:
        raise ValidationError([phrase("Kjøringen må godkjennes før den utstedes.")])
    if due is not None:
        check_due_date(run, due)
    new_due = due.new if due is not None else None
    problems = run_problems(run)
    if problems:
        first = problems[:10]
        more = len(problems) - len(first)
        # the documents' own problems are the validator's words, as they came
        parts: list[Text] = [
            phrase("EHF-filene er ikke gyldige, så kjøringen er ikke utstedt: "),
            "; ".join(first),
        ]
        if more:
            parts += [" ", phrase("(og %(n)s til)", n=more)]
        raise ValidationError([joined(*parts, sep="")])
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    # The invoices are issued in bulk (no signals): the stamps are raised at the block's end.
    # Invoices feed no split (the run's own change raises its arena's stamp).
    # A new due date is the run's and that of the invoices issued now (never of one
    # issued before).
    changes: dict[str, Any] = {
        "status": InvoiceRun.Status.ISSUED,
        "issued_at": now,
        "issued_by": user,
    }
    if new_due is not None:
        changes["due_date"] = new_due
    with transaction.atomic(), bulk_write(arenas=()):
        update_record(run, changes, expected_version=expected_version, actor=actor, channel=channel)
        unissued = run.invoices.filter(issued_at__isnull=True)
        issued_now = list(unissued.values_list("pk", flat=True))
        if new_due is not None:
            unissued.update(issued_at=now, due_date=new_due)
        else:
            unissued.update(issued_at=now)
        transaction.on_commit(
            lambda: run_issued.send(sender=InvoiceRun, run=run, invoice_ids=issued_now)
        )
    return run
