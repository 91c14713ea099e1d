"""Credit notes and corrected (replacement) invoices for issued invoices."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.audit.models import Channel
from samarbeid.audit.services import Actor
from samarbeid.core.services import create_record
from samarbeid.core.stamps import bulk_write
from samarbeid.finance import outputs
from samarbeid.finance.access import require_manage_finance
from samarbeid.finance.models import (
    Invoice,
    InvoiceLine,
    InvoiceRun,
)
from samarbeid.lib.kid import make_kid
from samarbeid.lib.money import CENT, format_nok, to_ore

# Why a credit note or a corrected invoice is made: required, in these words (the page's
# form and the service say the same).
CREDIT_REASON_MISSING = gettext_lazy("Skriv hvorfor fakturaen krediteres.")
REPLACEMENT_REASON_MISSING = gettext_lazy("Skriv hvorfor fakturaen korrigeres.")

# Credit notes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditLine:
    """A line of an issued invoice with what its credit notes have credited on it so far.

    A credit note's line carries the position of the line it credits (positions are unique
    per invoice and an issued invoice never changes), so that is how the two are matched."""

    line: InvoiceLine
    credited: Decimal

    @property
    def position(self) -> int:
        return self.line.position

    @property
    def left(self) -> Decimal:
        """What may still be credited on the line."""
        return self.line.amount - self.credited


# The name under which a refusal about the lines as a whole is given (none has an amount):
# the API's `lines`; the page shows it at the first line's field (PerLineForm.on_page).
LINES = "lines"


def credit_field(position: int) -> str:
    """The name under which a refusal about the invoice line at `position` is given (and
    the name of the line's amount field on the credit page)."""
    return f"line_{position}"


def credit_lines(invoice: Invoice) -> list[CreditLine]:
    """The invoice's lines, in order, each with what credit notes have credited on it.
    Two queries whatever the number of lines and credit notes."""
    return match_credits(
        invoice.lines.select_related("share_of").order_by("position"),
        InvoiceLine.objects.filter(
            invoice__credited=invoice, invoice__kind=Invoice.Kind.CREDIT_NOTE
        ).only("position", "amount"),
    )


def replaceable_lines(invoice: Invoice) -> list[CreditLine]:
    """The invoice's lines, each with what a corrected invoice may replace on it: what the
    credit notes issued since its last corrected invoice credited (those before it are
    re-invoiced already, and a second correction would invoice them twice). Two queries."""
    last = Subquery(Invoice.objects.filter(replaces=invoice).order_by("-pk").values("pk")[:1])
    return match_credits(
        invoice.lines.select_related("share_of").order_by("position"),
        InvoiceLine.objects.filter(
            invoice__credited=invoice, invoice__kind=Invoice.Kind.CREDIT_NOTE
        )
        # ids follow the order of issue (see replacement_refusal)
        .filter(invoice__pk__gt=Coalesce(last, 0))
        .only("position", "amount"),
    )


def match_credits(
    lines: Iterable[InvoiceLine], credited_lines: Iterable[InvoiceLine]
) -> list[CreditLine]:
    """An invoice's `lines`, each with what the `credited_lines` (its credit notes' lines)
    credited on it: a credit note's line has the position of the line it credits."""
    credited: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for line in credited_lines:
        credited[line.position] += line.amount
    return [CreditLine(line=line, credited=credited[line.position]) for line in lines]


def left_to_credit(lines: Sequence[CreditLine]) -> Decimal:
    """What may still be credited on the invoice of `lines` (see credit_lines)."""
    return sum((line.left for line in lines if line.left > 0), Decimal("0.00"))


def credit_refusal(invoice: Invoice, lines: Sequence[CreditLine] | None = None) -> str | None:
    """Why the invoice cannot be credited now, or None (the credit page says so beforehand).
    `lines`: the invoice's credit_lines, when the caller has them already."""
    refusal = _not_creditable(invoice)
    if refusal is None and left_to_credit(credit_lines(invoice) if lines is None else lines) <= 0:
        refusal = _("Fakturaen er allerede kreditert i sin helhet.")
    return refusal


def _not_creditable(invoice: Invoice) -> str | None:
    """Why the invoice can never be credited (what credit_refusal says without reading its
    lines), or None."""
    if invoice.is_credit_note:
        return _("En kreditnota kan ikke krediteres.")
    if invoice.issued_at is None:
        return _("Bare utstedte fakturaer krediteres; endre utkastet i stedet.")
    return None


LineT = TypeVar("LineT")


def _amounts_per_line(
    lines: Mapping[int, LineT],
    amounts: Mapping[int, Decimal],
    most: Callable[[LineT], Decimal | None],
    closed: Callable[[LineT], str | None] = lambda _line: None,
) -> list[tuple[LineT, Decimal]]:
    """`amounts` (line position → NOK) checked line by line (see _line_refusals): the lines
    with a positive amount; a ValidationError naming every line refused (keyed
    `credit_field(position)`)."""
    chosen, errors = _line_refusals(lines, amounts, most, closed)
    if errors:
        raise ValidationError(errors)
    return chosen


def _line_refusals(
    lines: Mapping[int, LineT],
    amounts: Mapping[int, Decimal],
    most: Callable[[LineT], Decimal | None],
    closed: Callable[[LineT], str | None] = lambda _line: None,
) -> tuple[list[tuple[LineT, Decimal]], dict[str, str]]:
    """`amounts` (line position → NOK) checked line by line: the invoice has the line, the
    amount has at most two decimals, is not negative and not above `most(line)` (None: no
    limit), and a positive amount is on a line `closed(line)` has no refusal for. The lines
    with a positive amount, and the refusal of every line refused (keyed
    `credit_field(position)`)."""
    errors: dict[str, str] = {}
    chosen: list[tuple[LineT, Decimal]] = []
    for position, amount in sorted(amounts.items()):
        line = lines.get(position)
        limit = most(line) if line is not None else None
        # The key names the line (a form shows it by the line's field, the API by its
        # place in the request), so the message does not.
        if line is None:
            errors[credit_field(position)] = _("Fakturaen har ingen slik linje.")
        elif not _whole_ore(amount):
            errors[credit_field(position)] = _("Skriv beløpet med høyst to desimaler.")
        elif amount < 0:
            errors[credit_field(position)] = _("Beløpet kan ikke være negativt.")
        elif limit is not None and amount > limit:
            errors[credit_field(position)] = _(
                "Beløpet er større enn det som gjenstår å kreditere (%(left)s kr)."
            ) % {"left": format_nok(max(limit, Decimal("0.00")))}
        elif amount > 0 and (refusal := closed(line)) is not None:
            errors[credit_field(position)] = refusal
        elif amount > 0:
            chosen.append((line, amount.quantize(CENT)))
    return chosen, errors


def _whole_ore(amount: Decimal) -> bool:
    try:
        to_ore(amount)
    except ValueError:
        return False
    return True


def _credits(
    lines: Sequence[CreditLine], amounts: Mapping[int, Decimal] | None
) -> list[tuple[CreditLine, Decimal]]:
    """What to credit on which line: `amounts` checked against what is left on each line,
    or everything left when `amounts` is None. Raises ValidationError naming the lines."""
    if amounts is None:
        return [(line, line.left) for line in lines if line.left > 0]
    credits = _amounts_per_line({line.position: line for line in lines}, amounts, _left)
    if not credits:
        raise ValidationError({LINES: _("Skriv et beløp å kreditere på minst én linje.")})
    return credits


def _left(line: CreditLine) -> Decimal:
    return line.left


def credit_line_refusals(
    lines: Sequence[CreditLine], amounts: Mapping[int, Decimal]
) -> dict[str, str]:
    """What credit_invoice refuses about each line of `amounts` (line position → NOK),
    keyed `credit_field(position)`; its rules about the invoice as a whole are not here. The
    credit page says them beside its own field errors, so every line's fault is read at
    once; the service checks the lines again, under the invoice's lock."""
    return _line_refusals({line.position: line for line in lines}, amounts, _left)[1]


def _next_number(base: str, first: int) -> str:
    """`base` with the first count from `first` that no invoice has taken (count 1 is
    `base` alone): <number>-K, -K2 … for credit notes, <number>-2, -3 … for corrections."""
    taken = set(Invoice.objects.filter(number__startswith=base).values_list("number", flat=True))
    count = first
    while (number := base if count == 1 else f"{base}{count}") in taken:
        count += 1
    return number


def _credit_number(invoice: Invoice) -> str:
    """The next credit note's number: <number>-K for the first, then -K2, -K3 …"""
    return _next_number(f"{invoice.number}-K", 1)


def credit_invoice(
    invoice: Invoice,
    reason: str,
    *,
    amounts: Mapping[int, Decimal] | None = None,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Invoice:
    """Correct an issued invoice with a credit note (then, if need be, issue a corrected
    invoice with issue_replacement).

    `amounts` maps a line's position to the amount (NOK, at most two decimals) to credit on
    that line; a line left out or given 0 is not credited. Without `amounts` everything not
    yet credited is credited (the whole invoice, the first time). An invoice may be credited
    by several notes until nothing is left, never a line beyond its amount. The notes are
    numbered <number>-K, then <number>-K2, -K3 …; each note's lines are the lines credited,
    with the amounts credited. The note is issued at once and validated as EHF.

    Refused with ValidationError, nothing written: a credit note, an invoice not issued, an
    invoice credited in full, no reason, and amounts that are negative, have more than two
    decimals, exceed what is left on their line (keyed `credit_field(position)`) or are all
    zero."""

    run = invoice.run
    require_manage_finance(actor, run.arena)
    refusal = _not_creditable(invoice)
    if refusal:
        raise ValidationError(refusal)
    if not reason.strip():
        raise ValidationError({"reason": str(CREDIT_REASON_MISSING)})
    with transaction.atomic():
        # Lock the invoice before reading what is left: a second credit of the same invoice
        # waits here until this one is written, then sees it (PostgreSQL; SQLite ignores
        # the lock and runs one write transaction at a time anyway).
        Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk").get()
        lines = credit_lines(invoice)
        refusal = credit_refusal(invoice, lines)
        if refusal:
            raise ValidationError(refusal)
        credits = _credits(lines, amounts)
        note = _issue_from(
            invoice,
            [(credit.line, amount) for credit, amount in credits],
            kind=Invoice.Kind.CREDIT_NOTE,
            number=_credit_number(invoice),
            kid=invoice.kid,
            due_date=timezone.localdate(),
            credited=invoice,
            reason=reason.strip(),
            actor=actor,
            channel=channel,
        )
    return note


def _issue_from(
    source: Invoice,
    lines: Sequence[tuple[InvoiceLine, Decimal]],
    *,
    actor: Actor,
    channel: str,
    **fields: Any,
) -> Invoice:
    """Issue a credit note or a corrected invoice made from `source`: its run and parties,
    dated today, with `fields` (kind, number, KID, due date, what it credits or replaces,
    reason) and `source`'s `lines` copied with the amounts given (keeping their positions).
    Validated as EHF (refused whole when it is not valid), then issued. Inside the caller's
    transaction."""

    document = Invoice(
        run=source.run,
        **{name: getattr(source, name) for name in Invoice.PARTIES},
        issue_date=timezone.localdate(),
        total=sum((amount for _line, amount in lines), Decimal("0.00")),
        **fields,
    )
    # The lines are written and the document issued in bulk (no signals): the stamps are
    # raised at the block's end. Invoices and credit notes feed no budget split
    # (core.stamps.SPLIT_INPUTS).
    with bulk_write(arenas=()):
        create_record(document, actor=actor, channel=channel)
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=document,
                position=line.position,
                kind=line.kind,
                budget_line_id=line.budget_line_id,
                project_id=line.project_id,
                share_of_id=line.share_of_id,
                description=line.description,
                amount=amount,
                note=line.note,
                gross=line.gross,
                external=line.external,
            )
            for line, amount in lines
        )
        problems = outputs.ehf_problems(document)
        if problems:
            raise ValidationError("; ".join(problems))
        Invoice.objects.filter(pk=document.pk).update(issued_at=timezone.now())
    document.refresh_from_db()
    return document


# Corrected invoices ---------------------------------------------------------------------------


def replacement_refusal(
    invoice: Invoice,
    credit_notes: Sequence[Invoice] | None = None,
    replacements: Sequence[Invoice] | None = None,
) -> str | None:
    """Why no corrected invoice can be made for `invoice` now, or None: only an issued
    invoice (a corrected one included) with a credit note issued after its last corrected
    invoice. A corrected invoice answers every credit note before it (it re-invoices what
    they credited), so a form sent twice, or two clerks at once, cannot invoice the
    credited amounts twice, however many credit notes there were. `credit_notes`,
    `replacements`: the invoice's, when the caller has them already."""
    if invoice.is_credit_note:
        return _("En kreditnota kan ikke erstattes med en korrigert faktura.")
    if invoice.issued_at is None:
        return _("Bare utstedte fakturaer kan erstattes; endre utkastet i stedet.")
    # Ids follow the order of issue: each document is made under the invoice's row lock.
    note_ids = (
        list(invoice.credit_notes.values_list("pk", flat=True))
        if credit_notes is None
        else [note.pk for note in credit_notes]
    )
    if not note_ids:
        return _("Krediter fakturaen først.")
    replacement_ids = (
        list(invoice.replacements.values_list("pk", flat=True))
        if replacements is None
        else [new.pk for new in replacements]
    )
    if replacement_ids and max(note_ids) < max(replacement_ids):
        return _(
            "Hver kreditnota på fakturaen har alt fått sin korrigerte faktura. Krediter "
            "fakturaen igjen før du lager en ny."
        )
    return None


def _replacement_lines(
    lines: Sequence[CreditLine], amounts: Mapping[int, Decimal]
) -> list[tuple[InvoiceLine, Decimal]]:
    """The original `lines` (with what is credited on each) to copy with their new amounts:
    `amounts` (line position → NOK) checked (a correction may go above the original, but
    only on a line something was credited on: the corrected invoice replaces what was
    credited, so a line never credited would be invoiced twice), lines left out or given 0
    dropped. Raises ValidationError naming the lines (keyed `credit_field(position)`), or
    the lines as a whole (`LINES`) when no line has an amount."""
    chosen = _amounts_per_line(
        {line.position: line for line in lines}, amounts, _no_limit, _not_credited
    )
    if not chosen:
        raise ValidationError({LINES: _("Skriv et beløp på minst én linje.")})
    return [(credit.line, amount) for credit, amount in chosen]


def _no_limit(_line: CreditLine) -> None:
    return None


def replacement_line_refusals(
    lines: Sequence[CreditLine], amounts: Mapping[int, Decimal]
) -> dict[str, str]:
    """What issue_replacement refuses about each line of `amounts` (line position → NOK),
    keyed `credit_field(position)` (see credit_line_refusals)."""
    return _line_refusals(
        {line.position: line for line in lines}, amounts, _no_limit, _not_credited
    )[1]


def _not_credited(line: CreditLine) -> str | None:
    """Why `line` may not be on a corrected invoice: nothing was credited on it."""
    if line.credited > 0:
        return None
    return _(
        "Ingenting er kreditert på linjen. Den korrigerte fakturaen erstatter det som er "
        "kreditert; krediter linjen først."
    )


def _replacement_number(invoice: Invoice) -> str:
    """The corrected invoice's number: the first invoice's number (the one the chain of
    replacements started from) with -2, then -3 … (the next free one)."""
    first = invoice
    while first.replaces_id is not None:
        first = Invoice.objects.only("number", "replaces_id").get(pk=first.replaces_id)
    return _next_number(f"{first.number}-", 2)


def _replacement_kid(run: InvoiceRun) -> str:
    """A KID not used in the run: the run's invoices are numbered 1 … n in their KIDs
    (see _build_invoices); a corrected invoice takes the next free number after them.
    Unique across runs too, since the run's id is part of every KID."""
    taken = set(run.invoices.values_list("kid", flat=True))
    sequence = run.invoices.filter(kind=Invoice.Kind.INVOICE).count() + 1
    while True:
        kid = make_kid(f"{run.year}{run.pk:06d}{sequence:05d}")
        if kid not in taken:
            return kid
        sequence += 1


def issue_replacement(
    invoice: Invoice,
    amounts: Mapping[int, Decimal],
    reason: str,
    *,
    actor: Actor,
    channel: str = Channel.PAGE,
) -> Invoice:
    """Issue a corrected invoice for a credited invoice ("ny faktura etter kreditering").

    `amounts` maps the position of a line on `invoice` to the line's new amount (NOK, at
    most two decimals; more than the original is allowed, a correction may go up); a line
    left out or given 0 is not on the new invoice. The new invoice is in the same run, to
    the same buyer, with the parties as on `invoice`; dated today, due after the run's
    payment terms (its due date minus its invoice date); numbered <first number>-2, then
    -3 … (the first number: that of the invoice the chain of corrections started from);
    with its own KID. Its lines are copies of the chosen lines with the new amounts, and
    keep their positions on `invoice` (so a position names the same line on both, gaps
    possible). It replaces `invoice` (`replaces`), is validated as EHF and issued at once.

    Refused with ValidationError, nothing written: a credit note, an invoice not issued,
    one never credited or whose every credit note has its corrected invoice, no reason,
    amounts negative or with more than two decimals or on a line nothing was credited on
    (keyed `credit_field(position)`), or no positive amount (keyed `LINES`)."""

    run = invoice.run
    require_manage_finance(actor, run.arena)
    refusal = replacement_refusal(invoice)
    if refusal:
        raise ValidationError(refusal)
    if not reason.strip():
        raise ValidationError({"reason": str(REPLACEMENT_REASON_MISSING)})
    with transaction.atomic():
        # Lock the invoice and its run: a second correction made at the same time waits
        # here and then gets the next number and KID (PostgreSQL; SQLite runs one write
        # transaction at a time anyway).
        Invoice.objects.select_for_update().filter(pk=invoice.pk).values_list("pk").get()
        InvoiceRun.objects.select_for_update().filter(pk=run.pk).values_list("pk").get()
        refusal = replacement_refusal(invoice)  # again: one may have been made meanwhile
        if refusal:
            raise ValidationError(refusal)
        chosen = _replacement_lines(replaceable_lines(invoice), amounts)
        new = _issue_from(
            invoice,
            chosen,
            kind=Invoice.Kind.INVOICE,
            number=_replacement_number(invoice),
            kid=_replacement_kid(run),
            due_date=timezone.localdate() + (run.due_date - run.issue_date),
            replaces=invoice,
            reason=reason.strip(),
            actor=actor,
            channel=channel,
        )
    return new
