"""What an invoice run produces: EHF XML and PDF per invoice, the summary as CSV and Excel,
and a chart of the totals (SVG without style attributes, for a strict CSP)."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from lxml import etree
from openpyxl import Workbook

from samarbeid.core.pdf import html_to_pdf
from samarbeid.finance.figures import host_share, invoiced_label, run_funding, run_totals
from samarbeid.finance.models import Invoice, InvoiceRun
from samarbeid.lib import ehf, spreadsheet
from samarbeid.lib.money import format_nok


def _party(invoice: Invoice, role: str) -> ehf.Party:
    """The buyer or seller as on the invoice: its registered name and postal address from
    the register of legal entities, or (an invoice made before these were kept, or a
    municipality the register has no record of) its name without an address."""
    return ehf.Party(
        name=getattr(invoice, f"{role}_registered_name") or getattr(invoice, f"{role}_name"),
        organisation_number=getattr(invoice, f"{role}_organisation_number"),
        street=getattr(invoice, f"{role}_street"),
        city=getattr(invoice, f"{role}_city"),
        postal_code=getattr(invoice, f"{role}_postal_code"),
        country=getattr(invoice, f"{role}_country") or "NO",
    )


def ehf_document(invoice: Invoice) -> ehf.EhfInvoice:
    """The invoice as an EHF document. Raises ValueError for data EHF cannot carry (e.g. a
    municipality without organisation number)."""
    run = invoice.run
    arena = run.arena
    lines = [
        ehf.InvoiceLine(
            id=str(line.position),
            description=line.description,
            amount=line.amount,
            note=line.full_note or None,
        )
        for line in invoice.lines.all()
    ]
    if not invoice.buyer_organisation_number:
        raise ValueError(_("%(name)s mangler organisasjonsnummer.") % {"name": invoice.buyer_name})
    if not invoice.seller_organisation_number:
        raise ValueError(
            _("Selgeren %(name)s mangler organisasjonsnummer.") % {"name": invoice.seller_name}
        )
    return ehf.EhfInvoice(
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        seller=_party(invoice, "seller"),
        buyer=_party(invoice, "buyer"),
        lines=lines,
        kid=invoice.kid,
        # The buyer's own invoice reference (BT-10); invoices made before references were
        # kept carry the arena's label
        buyer_reference=invoice.buyer_reference or f"{arena.short_name} {run.year}",
        seller_account=run.seller_account or None,
        is_credit_note=invoice.is_credit_note,
        # BillingReference (BT-25, preceding invoice): the invoice a credit note credits,
        # or the one a corrected invoice replaces
        credited_invoice_number=(
            invoice.credited.number
            if invoice.credited
            else invoice.replaces.number
            if invoice.replaces
            else None
        ),
        note=invoice.reason or f"{arena.name} {run.year}",
    )


def render_ehf(invoice: Invoice) -> bytes:
    return ehf.render_invoice(ehf_document(invoice))


def ehf_problems(invoice: Invoice) -> list[str]:
    """Empty when the invoice makes a valid EHF document."""
    try:
        xml = render_ehf(invoice)
    except ValueError as exc:
        return [str(exc)]
    return ehf.validate_ehf(xml)


def render_pdf(invoice: Invoice) -> bytes:
    html = render_to_string(
        "finance/invoice_pdf.html",
        {"invoice": invoice, "lines": list(invoice.lines.all()), "run": invoice.run},
    )
    return html_to_pdf(html)


INVOICED = "invoiced"
OWN_SHARE = "own_share"
EXTERNAL = "external_funding"
# What credit notes took off a municipality's invoiced row (positive: added back), and the
# corrected invoices its invoiced row includes (negative: taken out), so that the amounts
# add up to what the run split and the budget's gross cost after credit notes too
CREDITED = "credited"
CORRECTED = "corrected"


def summary_rows(run: InvoiceRun) -> list[tuple[str, str, Decimal]]:
    """(municipality number, name, net amount) per paying municipality (invoiced)."""

    return [(t.municipality.number, t.municipality.name, t.amount) for t in run_totals(run)]


def summary_all_rows(run: InvoiceRun) -> list[tuple[str, str, Decimal, str]]:
    """summary_rows with a kind (INVOICED); after them the host's own share (kind
    OWN_SHARE: not invoiced), what credit notes took off and corrected invoices added
    (kinds CREDITED and CORRECTED, see summary_csv), and then each budget line's external
    funding (kind EXTERNAL: no municipality number, the line's text, the funding), so that
    the amounts add up to
    the budget's gross cost."""
    return [(number, name, amount, kind) for number, name, amount, kind, _g in summary_lines(run)]


# (municipality number, name, amount, kind, the line's gross cost on an EXTERNAL row)
SummaryLine = tuple[str, str, Decimal, str, Decimal | None]


def summary_lines(run: InvoiceRun) -> list[SummaryLine]:
    """summary_all_rows, each with the line's gross cost on an EXTERNAL row (else None)."""

    rows: list[SummaryLine] = [
        (number, name, amount, INVOICED, None) for number, name, amount in summary_rows(run)
    ]
    host = host_share(run)
    if host is not None:
        rows.append(
            (host.municipality.number, host.municipality.name, host.amount, OWN_SHARE, None)
        )
    rows.extend(_credit_lines(run))
    rows.extend(("", f.description, f.external, EXTERNAL, f.gross) for f in run_funding(run))
    return rows


def _credit_lines(run: InvoiceRun) -> list[SummaryLine]:
    """Per municipality, what its credit notes credited (CREDITED, positive) and what its
    corrected invoices invoiced again (CORRECTED, negative), both already in its invoiced
    row; by municipality number. None for a run without credit notes."""
    sums: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for invoice in (
        run.invoices.filter(Q(kind=Invoice.Kind.CREDIT_NOTE) | Q(replaces__isnull=False))
        .select_related("buyer")
        .order_by("buyer__code", "number")
    ):
        kind = CREDITED if invoice.kind == Invoice.Kind.CREDIT_NOTE else CORRECTED
        key = (invoice.buyer.number, invoice.buyer.name, kind)
        sums[key] += invoice.total if kind == CREDITED else -invoice.total
    return [(number, name, amount, kind, None) for (number, name, kind), amount in sums.items()]


# A byte order mark first: Excel opens a CSV without one in the Windows code page
# (Norwegian Excel showed "FÃ¦rder" for "Færder").
BOM = "\ufeff"


def summary_csv(run: InvoiceRun) -> str:
    """The run's summary CSV (UTF-8, with a byte order mark; ";" between fields), columns
    municipality;name;amount;kind;gross. One line per municipality: number, name, amount,
    and kind "invoiced", or "own_share" for the host municipality's own share (not
    invoiced); gross empty. Then one line per budget line with external funding: no number,
    the line's text, the funding as amount, kind "external_funding", and the line's gross
    cost as gross (gross − amount is the line's net, what the members share of it). After
    credit notes, the invoiced amounts are net of them: a line per municipality credited,
    kind "credited" (what its credit notes took off, added back), and one per municipality
    with a corrected invoice, kind "corrected" (its amount negative: the corrected
    invoices its invoiced line includes), come before the external funding. The amounts
    add up to the budget's gross cost; without "external_funding", to what was split."""
    buffer = io.StringIO()
    writer = spreadsheet.csv_writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["municipality", "name", "amount", "kind", "gross"])
    for number, name, amount, kind, gross in summary_lines(run):
        writer.writerow(
            [number, name, f"{amount:.2f}", kind, "" if gross is None else f"{gross:.2f}"]
        )
    return BOM + buffer.getvalue()


def _total(rows: Sequence[tuple[str, str, Decimal, str]], *kinds: str) -> Decimal:
    return sum((r[2] for r in rows if r[3] in kinds), Decimal("0.00"))


def summary_xlsx(run: InvoiceRun) -> bytes:

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{run.arena.short_name} {run.year}"[:31]
    sheet.append([_("Kommunenummer"), _("Kommune"), _("Beløp (kr)"), _("Type")])
    rows = summary_all_rows(run)
    kinds = {
        INVOICED: _("fakturert"),
        OWN_SHARE: _("egen andel (ikke fakturert)"),
        CREDITED: _("kreditert (trukket fra fakturert)"),
        CORRECTED: _("korrigert faktura (med i fakturert)"),
        EXTERNAL: _("eksterne midler (ikke fordelt)"),
    }
    for number, name, amount, kind in rows:
        sheet.append([number, name, amount, kinds[kind]])
        sheet.cell(row=sheet.max_row, column=3).number_format = "#,##0.00"
    has_own = any(r[3] == OWN_SHARE for r in rows)
    has_external = any(r[3] == EXTERNAL for r in rows)
    # the invoiced rows are after credit notes: what the run split (fordelt) is them less
    # the corrected invoices plus what was credited, each named, so the sums add up by hand
    credited, corrected = _total(rows, CREDITED), -_total(rows, CORRECTED)
    split = _total(rows, INVOICED, OWN_SHARE, CREDITED, CORRECTED)
    subtotals: list[tuple[str, Decimal]] = []
    if has_own or has_external or credited:
        subtotals.append((invoiced_label(run, credited), _total(rows, INVOICED)))
    if has_own:
        subtotals.append((_("Egen andel"), _total(rows, OWN_SHARE)))
    if credited:
        subtotals.append((_("Sum etter kreditering"), _total(rows, INVOICED, OWN_SHARE)))
        subtotals.append((_("Kreditert"), credited))
        if corrected:
            subtotals.append((_("Korrigerte fakturaer"), corrected))
    if has_external or credited:
        subtotals.append((_("Fordelt på medlemmene"), split))
    if has_external:
        subtotals.append((_("Eksterne midler"), _total(rows, EXTERNAL)))
        subtotals.append((_("Brutto kostnad"), split + _total(rows, EXTERNAL)))
    elif not credited:
        subtotals.append((_("Sum"), _total(rows, INVOICED, OWN_SHARE)))
    for label, amount in subtotals:
        sheet.append(["", label, amount])
        sheet.cell(row=sheet.max_row, column=3).number_format = "#,##0.00"
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 18
    return spreadsheet.workbook_bytes(book)


_STYLE_PROPERTY = re.compile(r"\s*([a-zA-Z-]+)\s*:\s*([^;]+)")


def _without_styles(svg: bytes) -> str:
    """Turn `style="a: b"` into presentation attributes and drop <style>, so the SVG
    complies with a CSP without 'unsafe-inline' styles, inline or served."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    root = etree.fromstring(svg, parser)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).localname == "style":
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        style = element.attrib.pop("style", None)
        if style:
            for name, value in _STYLE_PROPERTY.findall(style):
                element.set(name, value.strip())
    text: str = etree.tostring(root, encoding="unicode")
    return text


def chart_svg(labels: Sequence[str], amounts: Sequence[Decimal], title: str) -> str:
    """A horizontal bar chart of amounts per municipality, as SVG markup."""
    # on use: matplotlib takes a second to load, and only the invoice summary's chart needs it
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    height = max(2.0, 0.35 * len(labels) + 1.0)
    figure, axes = plt.subplots(figsize=(7, height))
    try:
        values = [float(a) for a in amounts]  # drawing only; the figures shown are exact
        axes.barh(list(labels), values, color="#1e6fb8")
        axes.invert_yaxis()
        axes.set_title(title)
        axes.set_xlabel(_("kroner"))
        axes.xaxis.set_major_formatter(
            matplotlib.ticker.FuncFormatter(
                lambda x, _pos: format_nok(Decimal(int(x))).split(",")[0]
            )
        )
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        plt.close(figure)
    return _without_styles(buffer.getvalue())


def run_chart(run: InvoiceRun) -> str:
    rows = summary_rows(run)
    return chart_svg(
        [f"{number} {name}" for number, name, _a in rows],
        [amount for _n, _m, amount in rows],
        _("%(arena)s %(year)s: beløp per kommune")
        % {"arena": run.arena.short_name, "year": run.year},
    )
