"""The invoice pages: an invoice, its EHF and PDF, its credit notes and corrected invoices."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samarbeid.core.forms import Submission, submit
from samarbeid.finance import outputs
from samarbeid.finance.access import (
    can_manage_finance,
    invoices_visible_to,
)
from samarbeid.finance.corrections import (
    CreditLine,
    credit_field,
    credit_invoice,
    credit_lines,
    credit_refusal,
    issue_replacement,
    left_to_credit,
    replacement_refusal,
)
from samarbeid.finance.forms import (
    CreditForm,
    ReplacementForm,
)
from samarbeid.finance.models import (
    Invoice,
)
from samarbeid.finance.views.common import require_manage

# Invoices ------------------------------------------------------------------------------------


def _invoice(request: HttpRequest, pk: int) -> Invoice:
    return get_object_or_404(
        invoices_visible_to(request.user).select_related(
            "run__arena", "buyer", "credited", "replaces"
        ),
        pk=pk,
    )


@require_safe
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    can_manage = can_manage_finance(request.user, invoice.run.arena)
    credit_notes = list(invoice.credit_notes.order_by("issued_at", "pk"))
    replacements = list(invoice.replacements.order_by("issued_at", "pk"))
    lines: list[Any]
    if invoice.is_credit_note:
        lines = list(invoice.lines.all())
        left = None
    else:
        lines = credit_lines(invoice)
        left = left_to_credit(lines) if invoice.issued_at is not None else None
    return render(
        request,
        "finance/invoice_detail.html",
        {
            "invoice": invoice,
            "run": invoice.run,
            "lines": lines,
            "credit_notes": credit_notes,
            "left": left,
            "can_credit": can_manage and left is not None and left > 0,
            "replacements": replacements,
            "can_replace": can_manage
            and replacement_refusal(invoice, credit_notes, replacements) is None,
        },
    )


FormT = TypeVar("FormT", CreditForm, ReplacementForm)


def _correct(
    request: HttpRequest,
    pk: int,
    form_class: type[FormT],
    issue: Callable[[Invoice, FormT], Invoice],
    success: Callable[[Invoice], str],
) -> tuple[Invoice, list[CreditLine], FormT, Submission[Invoice]]:
    """The shared step of the credit and corrected-invoice pages: the invoice (its arena's
    secretariat only), its lines with what is credited on them, the page's form on them,
    and on a valid post `issue(invoice, form)`."""
    invoice = _invoice(request, pk)
    require_manage(request, invoice.run.arena)
    lines = form_class.lines_of(invoice)
    form = form_class(request.POST if request.method == "POST" else None, lines=lines)

    def attempt() -> Invoice:
        try:
            return issue(invoice, form)
        except ValidationError as exc:
            raise form.at_fields(exc) from None

    return invoice, lines, form, submit(request, form, attempt, success)


@login_required
def credit_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The credit page: each line of the invoice with what is credited and what is left;
    a credit note for everything left (the default) or for the amounts typed per line."""
    invoice, lines, form, done = _correct(
        request,
        pk,
        CreditForm,
        lambda invoice, form: credit_invoice(
            invoice, form.cleaned_data["reason"], amounts=form.amounts(), actor=request.user
        ),
        lambda note: _("Kreditnotaen %(number)s er utstedt.") % {"number": note.number},
    )
    if done.saved is not None:
        return redirect(done.saved)
    if form.is_bound:
        lines = credit_lines(invoice)  # as it is now (another note may be new)
    rows = [
        (
            line,
            form[credit_field(line.position)]
            if credit_field(line.position) in form.fields
            else None,
        )
        for line in lines
    ]
    return render(
        request,
        "finance/credit_form.html",
        {
            "invoice": invoice,
            "run": invoice.run,
            "form": form,
            "rows": rows,
            "credit_notes": invoice.credit_notes.order_by("issued_at", "pk"),
            "invoiced": sum((line.line.amount for line in lines), Decimal("0.00")),
            "credited": sum((line.credited for line in lines), Decimal("0.00")),
            "left": left_to_credit(lines),
            "refusal": credit_refusal(invoice, lines),
        },
        status=422 if form.is_bound else 200,
    )


@login_required
def replacement_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The corrected-invoice page ("ny faktura etter kreditering"): each line of a credited
    invoice with what was credited on it, and an amount field prefilled with that (what
    the corrected invoice replaces), and a reason."""
    invoice, lines, form, done = _correct(
        request,
        pk,
        ReplacementForm,
        lambda invoice, form: issue_replacement(
            invoice, form.amounts(), form.cleaned_data["reason"], actor=request.user
        ),
        lambda new: _("Faktura %(number)s er utstedt.") % {"number": new.number},
    )
    if done.saved is not None:
        return redirect(done.saved)
    credit_notes = list(invoice.credit_notes.order_by("issued_at", "pk"))
    return render(
        request,
        "finance/replacement_form.html",
        {
            "invoice": invoice,
            "run": invoice.run,
            "form": form,
            "rows": [(line, form[credit_field(line.position)]) for line in lines],
            "credit_notes": credit_notes,
            # what was credited before the last corrected invoice is re-invoiced already
            "replaced_before": invoice.replacements.exists(),
            "refusal": replacement_refusal(invoice, credit_notes),
        },
        status=422 if form.is_bound else 200,
    )


def invoice_xml(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    try:
        xml = outputs.render_ehf(invoice)
    except ValueError as exc:
        return HttpResponse(str(exc), status=422, content_type="text/plain; charset=utf-8")
    response = HttpResponse(xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
    return response


def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    response = HttpResponse(outputs.render_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response
