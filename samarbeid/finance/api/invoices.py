"""Invoices in the API, and their corrections: credit notes and corrected invoices."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AliasChoices, Field

from samarbeid.audit.models import Channel
from samarbeid.core.api_endpoints import narrowed, writes
from samarbeid.core.api_forms import bind, valid
from samarbeid.core.api_schemas import (
    MoneyIn,
    MoneyOut,
    MunicipalityNumber,
    Problem,
    flat_columns,
    money,
    ref,
)
from samarbeid.core.idempotency import DESCRIPTION as IDEMPOTENCY
from samarbeid.core.idempotency import idempotent
from samarbeid.core.paging import Pagination
from samarbeid.core.records import record_for
from samarbeid.finance.access import (
    invoices_visible_to,
    manages_finance,
)
from samarbeid.finance.api.common import KeptAnswer
from samarbeid.finance.corrections import (
    credit_field,
    credit_invoice,
    issue_replacement,
    left_to_credit,
    match_credits,
)
from samarbeid.finance.forms import CreditForm, PerLineForm, ReplacementForm
from samarbeid.finance.models import Invoice, InvoiceLine

# Invoices ---------------------------------------------------------------------------------------


router = Router(tags=["finance"])


class InvoiceLineOut(Schema):
    position: int
    kind: str
    project: int | None = ref("project")
    share_of: MunicipalityNumber = Field(description="Municipality number whose share this line is")
    description: str
    amount: MoneyOut
    note: str


class InvoiceAddressOut(Schema):
    street: str
    postal_code: str
    city: str
    country: str


# An invoice with its lines, read from an invoice of `_invoices` (lines, and credit notes with
# theirs, prefetched). (A docstring here would be the OpenAPI document's description.)
class InvoiceOut(KeptAnswer):
    id: int
    run: int = ref("run")
    kind: str
    number: str
    kid: str
    buyer: MunicipalityNumber = Field(description="Municipality number of the buyer")
    buyer_name: str
    buyer_organisation_number: str
    seller_name: str
    seller_organisation_number: str
    issue_date: date
    due_date: date
    total: MoneyOut
    credited: int | None = Field(
        validation_alias=AliasChoices("credited_id", "credited"),
        description="For a credit note: the invoice it credits",
    )
    replaces: int | None = Field(
        validation_alias=AliasChoices("replaces_id", "replaces"),
        description="For a corrected invoice (issued after a credit note): the invoice it replaces",
    )
    issued: bool
    buyer_reference: str = Field(
        description="The buyer's invoice reference sent as BuyerReference (BT-10); empty on "
        "invoices made before references were kept (their EHF carries the arena's label)"
    )
    buyer_registered_name: str = Field(description="From the register of legal entities")
    buyer_address: InvoiceAddressOut
    seller_registered_name: str = Field(description="From the register of legal entities")
    seller_address: InvoiceAddressOut
    credit_notes: list[int] = Field(description="The credit notes issued for this invoice")
    left_to_credit: str | None = Field(
        description="What may still be credited on this invoice's lines (null for a credit "
        "note or an invoice not issued)"
    )
    lines: list[InvoiceLineOut]

    @staticmethod
    def resolve_issued(invoice: Invoice) -> bool:
        return invoice.issued_at is not None

    resolve_buyer_address = staticmethod(flat_columns("buyer", InvoiceAddressOut))
    resolve_seller_address = staticmethod(flat_columns("seller", InvoiceAddressOut))

    @staticmethod
    def resolve_credit_notes(invoice: Invoice) -> list[int]:
        return [note.pk for note in invoice.credit_notes.all()]

    @staticmethod
    def resolve_left_to_credit(invoice: Invoice) -> str | None:
        if invoice.is_credit_note or invoice.issued_at is None:
            return None
        credited = [line for note in invoice.credit_notes.all() for line in note.lines.all()]
        return money(left_to_credit(match_credits(invoice.lines.all(), credited)))


class InvoiceFilter(Schema):
    run: int | None = None
    buyer: str | None = Field(None, pattern=r"^\d{4}$")


def _invoices(request: HttpRequest) -> Any:
    return (
        invoices_visible_to(request.user)
        .select_related("buyer")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=InvoiceLine.objects.select_related("share_of").order_by("position"),
            ),
            Prefetch(
                "credit_notes",
                queryset=Invoice.objects.order_by("issued_at", "pk").prefetch_related("lines"),
            ),
        )
    )


@router.get("/finance/invoices", response=list[InvoiceOut], summary="List invoices")
@paginate(Pagination)
def list_invoices(request: HttpRequest, filters: Query[InvoiceFilter]) -> QuerySet[Invoice]:
    invoices = narrowed(_invoices(request), run=filters.run, buyer__number=filters.buyer)
    return invoices.order_by("run_id", "number")


@router.get(
    "/finance/invoices/{invoice_id}",
    response={200: InvoiceOut, 404: Problem},
    summary="One invoice with its lines",
)
def get_invoice(request: HttpRequest, invoice_id: int) -> Invoice:
    invoice: Invoice = get_object_or_404(_invoices(request), pk=invoice_id)
    return invoice


def _invoice_to_correct(request: HttpRequest, invoice_id: int) -> Invoice:
    """The invoice to credit or correct: 404 if the caller may not see it, 403 (before any
    problem with the request's lines) if they may not manage the arena's finances."""
    return record_for(
        request.user,
        invoices_visible_to(request.user).select_related("run__arena"),
        invoice_id,
        may_change=_manages,
    )


def _manages(user: Any, invoice: Invoice) -> bool:
    return manages_finance(user, invoice.run.arena)


class _LineAmounts:
    """The `lines` of a credit or a corrected invoice as the page's form takes them (an
    amount field per line position), and the refusals of a line (keyed by
    `credit_field(position)`) told back under the line's place in the request
    (`lines.<index>`)."""

    def __init__(self, lines: Sequence[Any]) -> None:
        self.given: dict[int, str] = {}
        self._index: dict[str, tuple[int, int]] = {}  # field → place, position
        for index, line in enumerate(lines):
            if line.position in self.given:
                raise ValidationError(
                    {
                        f"lines.{index}.position": _("Linje %(position)s står mer enn én gang.")
                        % {"position": line.position}
                    }
                )
            self.given[line.position] = line.amount
            self._index[credit_field(line.position)] = (index, line.position)

    def form(self, form_class: type[PerLineForm], invoice: Invoice, **data: str) -> PerLineForm:
        """The page's form for `invoice`, filled with the amounts and `data`, validated."""
        amounts = {credit_field(position): amount for position, amount in self.given.items()}
        return valid(bind(form_class, data | amounts, lines=form_class.lines_of(invoice)))

    def amounts(self, form: PerLineForm) -> dict[int, Decimal]:
        """For the service: the form's amount per line, and the amounts given for lines the
        form has no field for (the service refuses them in its words: no such line, or
        nothing left on it)."""
        return form.per_line() | {
            position: Decimal(amount)
            for position, amount in self.given.items()
            if position not in form.positions
        }

    @contextmanager
    def errors_by_index(self) -> Iterator[None]:
        try:
            yield
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            errors: dict[str, list[str]] = {}
            for name, messages in exc.message_dict.items():
                if name not in self._index:
                    errors[name] = messages
                    continue
                index, position = self._index[name]
                errors[f"lines.{index}"] = [
                    _("Linje %(position)s: %(problem)s")
                    % {"position": position, "problem": message}
                    for message in messages
                ]
            raise ValidationError(errors) from None


def _correct(
    request: HttpRequest,
    invoice_id: int,
    lines: Sequence[Any],
    form_class: type[PerLineForm],
    data: dict[str, str],
    issue: Callable[[Invoice, str, dict[int, Decimal]], Invoice],
) -> Status[InvoiceOut]:
    """Credit or correct an invoice the caller manages (else 404 or 403) on the page's form
    (`form_class`), filled from the request's `data` and `lines`: `issue(invoice, reason,
    amount per line position)` makes the document. A refusal of a line is named by the
    line's place in `lines`."""
    invoice = _invoice_to_correct(request, invoice_id)
    given = _LineAmounts(lines)
    with given.errors_by_index():
        form = given.form(form_class, invoice, **data)
        document = issue(invoice, form.cleaned_data["reason"], given.amounts(form))
    return Status(201, InvoiceOut.from_orm(get_invoice(request, document.pk)))


class CreditLineIn(Schema):
    position: int = Field(
        ge=1,
        description=(
            "The line's `position` as the invoice lists it (`lines[].position`): stable, an "
            "issued invoice never changes"
        ),
    )
    amount: MoneyIn = Field(
        description="NOK to credit on the line (two decimals at most); at most what is left"
    )


class CreditIn(Schema):
    reason: str = Field(max_length=300, description="Why the invoice is credited")
    lines: list[CreditLineIn] | None = Field(
        None,
        description=(
            "What to credit, per line. A line left out (or given 0) is not credited. Without "
            "`lines` (or null) everything not yet credited is credited: the whole invoice "
            "the first time."
        ),
    )


@router.post(
    "/finance/invoices/{invoice_id}/credit",
    **writes(201, InvoiceOut),
    summary="Credit an issued invoice, in full or in part (issues a credit note)",
    description=(
        "The arena's secretariat may. Answers the credit note, numbered `<number>-K`, then "
        "`<number>-K2`, `-K3` … for later ones: an invoice may be credited by several "
        "notes until nothing is left. Its lines are the lines credited (same `position`) "
        "with the amounts credited. Without `lines`, everything not yet credited is "
        "credited (as before partial credits existed). Refused with 422, nothing written: "
        "a credit note or an invoice not issued, one credited in full already, an empty "
        "reason, a position the invoice does not have or given twice, an amount that is "
        "negative or exceeds what is left on its line, or amounts that are all 0 (`loc` "
        "`lines`). An error about one line has `loc` `lines.<index>` (its place in the "
        "request's `lines`) and a message naming the line's position. " + IDEMPOTENCY
    ),
)
@idempotent
def credit_invoice_api(
    request: HttpRequest, invoice_id: int, payload: CreditIn
) -> Status[InvoiceOut]:
    everything = payload.lines is None
    mode = CreditForm.ALL if everything else CreditForm.LINES
    return _correct(
        request,
        invoice_id,
        payload.lines or [],
        CreditForm,
        {"reason": payload.reason, "mode": mode},
        lambda invoice, reason, amounts: credit_invoice(
            invoice,
            reason,
            amounts=None if everything else amounts,
            actor=request.user,
            channel=Channel.API,
        ),
    )


class ReplacementLineIn(Schema):
    position: int = Field(
        ge=1,
        description="The `position` of the line on the credited invoice (`lines[].position`)",
    )
    amount: MoneyIn = Field(
        description="The line's new amount in NOK (two decimals at most; 0 leaves the line "
        "out; more than the original amount is allowed)"
    )


class ReplacementIn(Schema):
    reason: str = Field(max_length=300, description="Why the invoice is corrected")
    lines: list[ReplacementLineIn] = Field(
        description="The lines of the corrected invoice: copies of the credited invoice's lines "
        "at these positions, with these amounts. A line left out (or given 0) is not on it."
    )


@router.post(
    "/finance/invoices/{invoice_id}/replacement",
    **writes(201, InvoiceOut),
    summary="Issue a corrected invoice for a credited invoice (ny faktura etter kreditering)",
    description=(
        "The arena's secretariat may. For an issued invoice (itself a corrected one or not) "
        "that has at least one credit note: issues a new invoice in the same run to the same "
        "buyer, dated today, due after the run's payment terms, with its own KID and "
        "`replaces` set to the invoice. It is numbered after the first invoice of the "
        "chain: `<number>-2`, then `<number>-3` …. Its lines are copies of the invoice's "
        "lines at the positions given (keeping those positions) with the amounts given; "
        "an amount may exceed the original, on a line something was credited on (the "
        "corrected invoice replaces what was credited). Refused with 422, nothing written: a "
        "credit note, an invoice not issued or never credited, an empty reason, a position "
        "the invoice does not have or given twice, a negative amount, an amount on a line "
        "nothing was credited on, or amounts that are all 0 (`loc` `lines`). An error about "
        "one line has `loc` `lines.<index>` (its place in the request's `lines`) and a "
        "message naming the line's position. " + IDEMPOTENCY
    ),
)
@idempotent
def replacement_api(
    request: HttpRequest, invoice_id: int, payload: ReplacementIn
) -> Status[InvoiceOut]:
    return _correct(
        request,
        invoice_id,
        payload.lines,
        ReplacementForm,
        {"reason": payload.reason},
        lambda invoice, reason, amounts: issue_replacement(
            invoice, amounts, reason, actor=request.user, channel=Channel.API
        ),
    )
