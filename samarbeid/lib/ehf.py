"""EHF invoices and credit notes: Peppol BIS Billing 3.0 in UBL 2.1 syntax.

The documents carry contributions from municipalities to an inter-municipal cooperation.
Those are not a supply of goods or services for consideration, so every line uses VAT
category "O" (not subject to VAT / outside the scope of VAT) rather than "E" (exempt):

* "O" is the semantically right code for a contribution that is outside the VAT system;
  "E" means a supply that *is* within scope but exempted by law.
* "E" requires a seller VAT identifier (BR-E-02), which for Norwegian sellers must be
  "NO<orgnr>MVA" (NO-R-001) and would claim the seller is VAT-registered, which a
  municipality or cooperation often is not for this activity. "O" forbids VAT identifiers
  (BR-O-02..04), so none are written.
* With "O" the rate (Percent) is left out on lines (BR-O-05) and in the breakdown, the
  breakdown carries exemption code VATEX-EU-O plus a text (BR-O-10) and the tax is 0.

Elements are written in the exact order of the UBL 2.1 schema sequences; `validate_ehf`
checks the result against the UBL XSDs and the Peppol BR-* rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from lxml import etree
from peppol import check_rules, validate_xsd
from stdnum.no import kontonr, orgnr

from samarbeid.lib.money import CENT

__all__ = [
    "CUSTOMIZATION_ID",
    "PROFILE_ID",
    "EhfInvoice",
    "InvoiceLine",
    "Party",
    "render_invoice",
    "round_half_up",
    "validate_ehf",
]

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

ORGNR_SCHEME = "0192"  # Peppol EAS/ICD code for the Norwegian organisation number
INVOICE_TYPE_CODE = "380"  # commercial invoice
CREDIT_NOTE_TYPE_CODE = "381"
PAYMENT_CREDIT_TRANSFER = "30"
# BR-61 requires an account for credit transfer (30/58); without one, say "not defined".
PAYMENT_NOT_DEFINED = "1"
UNIT_CODE = "C62"  # UN/ECE rec. 20 "one": each line is one contribution

VAT_CATEGORY = "O"
VAT_EXEMPTION_CODE = "VATEX-EU-O"
VAT_EXEMPTION_REASON = "Utenfor merverdiavgiftsområdet / Not subject to VAT"

_DIGITS_9 = re.compile(r"[0-9]{9}")
_DIGITS_11 = re.compile(r"[0-9]{11}")
_KID = re.compile(r"[0-9]{2,25}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")


def _require_text(value: object, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must not be empty")


def _require_amount(value: object, what: str) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError(f"{what} must be a finite Decimal, got {value!r}")
    if value != value.quantize(CENT):
        raise ValueError(f"{what} must have at most 2 decimals, got {value}")


@dataclass(frozen=True)
class Party:
    name: str
    organisation_number: str  # 9 digits, no spaces
    street: str
    city: str
    postal_code: str
    country: str = "NO"

    def __post_init__(self) -> None:
        _require_text(self.name, "Party name")
        if not isinstance(self.organisation_number, str) or not (
            _DIGITS_9.fullmatch(self.organisation_number)
            and orgnr.is_valid(self.organisation_number)
        ):
            raise ValueError(
                f"{self.organisation_number!r} is not a valid Norwegian organisation number "
                "(9 digits with a MOD11 check digit)"
            )
        for field in ("street", "city", "postal_code"):
            # May be blank (left out of the XML), but must be text.
            if not isinstance(getattr(self, field), str):
                raise ValueError(f"Party {field} must be text, got {getattr(self, field)!r}")
        if not isinstance(self.country, str) or not _COUNTRY.fullmatch(self.country):
            raise ValueError(f"country must be an ISO 3166 alpha-2 code, got {self.country!r}")


@dataclass(frozen=True)
class InvoiceLine:
    id: str
    description: str
    amount: Decimal  # may be negative for a correction line
    note: str | None = None

    def __post_init__(self) -> None:
        _require_text(self.id, "Line id")
        _require_text(self.description, f"Description of line {self.id}")
        _require_amount(self.amount, f"Amount of line {self.id}")


@dataclass(frozen=True)
class EhfInvoice:
    """An invoice, or a credit note when `is_credit_note` (amounts are then positive).

    Raises ValueError on construction for data that would make an invalid EHF document
    (bad KID or account format, no lines, negative total, due date before issue date, ...).
    """

    number: str
    issue_date: date
    due_date: date
    seller: Party
    buyer: Party
    lines: Sequence[InvoiceLine]
    kid: str
    buyer_reference: str
    seller_account: str | None = None  # Norwegian account number, 11 digits
    currency: str = "NOK"
    is_credit_note: bool = False
    credited_invoice_number: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        # Freeze the lines too, so the invoice cannot change after it was checked.
        object.__setattr__(self, "lines", tuple(self.lines))
        _require_text(self.number, "Invoice number")
        # PEPPOL-EN16931-R003: a buyer reference (or order reference) is mandatory.
        _require_text(self.buyer_reference, "Buyer reference")
        if not self.lines:
            raise ValueError("An invoice needs at least one line")
        ids = [line.id for line in self.lines]
        if len(set(ids)) != len(ids):
            raise ValueError(f"Line ids must be unique, got {ids}")
        if self.due_date < self.issue_date:
            raise ValueError(f"Due date {self.due_date} is before the issue date {self.issue_date}")
        # Only the format is checked: banks may agree on MOD10 or MOD11 KIDs.
        if not isinstance(self.kid, str) or not _KID.fullmatch(self.kid):
            raise ValueError(f"KID must be 2 to 25 digits, got {self.kid!r}")
        if self.seller_account is not None and not (
            _DIGITS_11.fullmatch(self.seller_account) and kontonr.is_valid(self.seller_account)
        ):
            raise ValueError(
                f"{self.seller_account!r} is not a valid Norwegian bank account number "
                "(11 digits with a MOD11 check digit)"
            )
        if not isinstance(self.currency, str) or not _CURRENCY.fullmatch(self.currency):
            raise ValueError(f"currency must be an ISO 4217 code, got {self.currency!r}")
        if self.credited_invoice_number is not None:
            _require_text(self.credited_invoice_number, "Credited invoice number")
        if self.note is not None:
            _require_text(self.note, "Note")
        if self.total < 0:
            kind = "A credit note" if self.is_credit_note else "An invoice"
            raise ValueError(
                f"{kind} must not have a negative total ({self.total}); "
                "issue the opposite document type instead"
            )

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def _cac(parent: Any, name: str) -> Any:
    return etree.SubElement(parent, f"{{{NS_CAC}}}{name}")


def _cbc(parent: Any, name: str, text: str, **attributes: str) -> Any:
    element = etree.SubElement(parent, f"{{{NS_CBC}}}{name}", attributes)
    element.text = text
    return element


def _amount_text(amount: Decimal) -> str:
    quantized = amount.quantize(CENT)
    return str(abs(quantized) if quantized == 0 else quantized)


def _party(parent: Any, role: str, party: Party) -> None:
    wrapper = _cac(parent, role)
    element = _cac(wrapper, "Party")
    _cbc(element, "EndpointID", party.organisation_number, schemeID=ORGNR_SCHEME)
    _cbc(_cac(element, "PartyName"), "Name", party.name)
    address = _cac(element, "PostalAddress")
    # Empty elements are forbidden (PEPPOL-EN16931-R008), so blank address parts are left out.
    if party.street.strip():
        _cbc(address, "StreetName", party.street)
    if party.city.strip():
        _cbc(address, "CityName", party.city)
    if party.postal_code.strip():
        _cbc(address, "PostalZone", party.postal_code)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.country)
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    _cbc(legal, "CompanyID", party.organisation_number, schemeID=ORGNR_SCHEME)


def _tax_category(parent: Any, name: str, *, breakdown: bool) -> None:
    category = _cac(parent, name)
    _cbc(category, "ID", VAT_CATEGORY)
    if breakdown:
        _cbc(category, "TaxExemptionReasonCode", VAT_EXEMPTION_CODE)
        _cbc(category, "TaxExemptionReason", VAT_EXEMPTION_REASON)
    _cbc(_cac(category, "TaxScheme"), "ID", "VAT")


def render_invoice(inv: EhfInvoice) -> bytes:
    """Render the invoice or credit note as UTF-8 XML bytes with an XML declaration."""
    credit = inv.is_credit_note
    root_name = "CreditNote" if credit else "Invoice"
    namespace = NS_CREDIT_NOTE if credit else NS_INVOICE
    root = etree.Element(
        f"{{{namespace}}}{root_name}", nsmap={None: namespace, "cac": NS_CAC, "cbc": NS_CBC}
    )
    currency = {"currencyID": inv.currency}

    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", inv.number)
    _cbc(root, "IssueDate", inv.issue_date.isoformat())
    if credit:
        # UBL 2.1 CreditNote has no DueDate; BT-9 goes to PaymentMeans/PaymentDueDate.
        _cbc(root, "CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODE)
    else:
        _cbc(root, "DueDate", inv.due_date.isoformat())
        _cbc(root, "InvoiceTypeCode", INVOICE_TYPE_CODE)
    if inv.note is not None:
        _cbc(root, "Note", inv.note)
    _cbc(root, "DocumentCurrencyCode", inv.currency)
    _cbc(root, "BuyerReference", inv.buyer_reference)
    if inv.credited_invoice_number is not None:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", inv.credited_invoice_number)

    _party(root, "AccountingSupplierParty", inv.seller)
    _party(root, "AccountingCustomerParty", inv.buyer)

    payment = _cac(root, "PaymentMeans")
    code = PAYMENT_NOT_DEFINED if inv.seller_account is None else PAYMENT_CREDIT_TRANSFER
    _cbc(payment, "PaymentMeansCode", code)
    if credit:
        _cbc(payment, "PaymentDueDate", inv.due_date.isoformat())
    _cbc(payment, "PaymentID", inv.kid)
    if inv.seller_account is not None:
        _cbc(_cac(payment, "PayeeFinancialAccount"), "ID", inv.seller_account)

    total = _amount_text(inv.total)
    tax_total = _cac(root, "TaxTotal")
    _cbc(tax_total, "TaxAmount", "0.00", **currency)
    subtotal = _cac(tax_total, "TaxSubtotal")
    _cbc(subtotal, "TaxableAmount", total, **currency)
    _cbc(subtotal, "TaxAmount", "0.00", **currency)
    _tax_category(subtotal, "TaxCategory", breakdown=True)

    monetary = _cac(root, "LegalMonetaryTotal")
    for name in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount"):
        _cbc(monetary, name, total, **currency)
    _cbc(monetary, "PayableAmount", total, **currency)

    line_name = "CreditNoteLine" if credit else "InvoiceLine"
    quantity_name = "CreditedQuantity" if credit else "InvoicedQuantity"
    for line in inv.lines:
        element = _cac(root, line_name)
        _cbc(element, "ID", line.id)
        if line.note is not None and line.note.strip():
            _cbc(element, "Note", line.note)
        # The item price must not be negative (BR-27): a negative line is quantity -1.
        quantity = "-1" if line.amount < 0 else "1"
        _cbc(element, quantity_name, quantity, unitCode=UNIT_CODE)
        _cbc(element, "LineExtensionAmount", _amount_text(line.amount), **currency)
        item = _cac(element, "Item")
        _cbc(item, "Name", line.description)
        _tax_category(item, "ClassifiedTaxCategory", breakdown=False)
        price = _cac(element, "Price")
        _cbc(price, "PriceAmount", _amount_text(abs(line.amount)), **currency)

    body: bytes = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    # Written by hand: lxml's own declaration uses single quotes, which some receivers dislike.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


# Peppol rules that peppol-ubl-validate does not implement but that access points enforce
# and that our documents could plausibly break.
def _extra_rule_problems(root: Any) -> list[str]:
    problems: list[str] = []
    cac, cbc = f"{{{NS_CAC}}}", f"{{{NS_CBC}}}"
    is_credit_note = etree.QName(root).localname == "CreditNote"

    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        if len(element) == 0 and not (element.text or "").strip():
            name = etree.QName(element).localname
            problems.append(f"PEPPOL-EN16931-R008: element {name} is empty")

    for role, rule in (("AccountingSupplierParty", "R020"), ("AccountingCustomerParty", "R010")):
        if root.find(f"{cac}{role}/{cac}Party/{cbc}EndpointID") is None:
            problems.append(f"PEPPOL-EN16931-{rule}: {role} has no EndpointID")

    for element in root.iter(f"{cbc}EndpointID", f"{cbc}CompanyID", f"{cbc}ID"):
        if element.get("schemeID") != ORGNR_SCHEME:
            continue
        value = (element.text or "").strip()
        if not (_DIGITS_9.fullmatch(value) and orgnr.is_valid(value)):
            problems.append(
                f"PEPPOL-COMMON-R041: {value!r} is not a valid Norwegian organisation number"
            )

    if root.find(f"{cbc}BuyerReference") is None and root.find(f"{cac}OrderReference") is None:
        problems.append("PEPPOL-EN16931-R003: a buyer reference or order reference is required")

    for means in root.findall(f"{cac}PaymentMeans"):
        code = (means.findtext(f"{cbc}PaymentMeansCode") or "").strip()
        account = (means.findtext(f"{cac}PayeeFinancialAccount/{cbc}ID") or "").strip()
        if code in ("30", "58") and not account:
            problems.append(f"BR-61: payment means {code} requires a payee account")

    line_name = "CreditNoteLine" if is_credit_note else "InvoiceLine"
    for category in root.findall(f"{cac}{line_name}/{cac}Item/{cac}ClassifiedTaxCategory"):
        if category.findtext(f"{cbc}ID") == "O" and category.find(f"{cbc}Percent") is not None:
            problems.append("BR-O-05: a line in VAT category O must not have a VAT rate")

    if not is_credit_note:
        payable = (root.findtext(f"{cac}LegalMonetaryTotal/{cbc}PayableAmount") or "").strip()
        has_terms = root.find(f"{cac}PaymentTerms/{cbc}Note") is not None
        try:
            positive = Decimal(payable) > 0
        except ArithmeticError:
            positive = False
        if positive and root.find(f"{cbc}DueDate") is None and not has_terms:
            problems.append("BR-CO-25: a positive amount due needs a due date or payment terms")
    return problems


def validate_ehf(xml_bytes: bytes, *, include_warnings: bool = False) -> list[str]:
    """Return the problems found in an EHF document; an empty list means it passed.

    Checks the UBL 2.1 schema and the Peppol BIS 3 rules implemented by
    peppol-ubl-validate (fatal findings, plus warnings if asked), and a few Peppol rules it
    does not implement. This is necessary, not sufficient: the official Schematron run by an
    access point remains the authority.
    """
    schema_ok, schema_errors = validate_xsd(xml_bytes)
    problems = [f"schema: {error}" for error in schema_errors]
    if not schema_ok and not schema_errors:
        problems.append("schema: the document is not valid UBL 2.1")
    severities = ("fatal", "warning") if include_warnings else ("fatal",)
    # The package tolerates 0.01 in its arithmetic checks by default, but the EN 16931
    # BR-CO totals rules are exact to the øre: a one-øre mismatch gets a document rejected.
    findings = check_rules(xml_bytes, currency_tolerance=Decimal(0))
    problems.extend(
        str(finding).strip()
        for finding in findings
        if finding.severity in severities and finding.rule_id not in _RULES_CHECKED_HERE
    )
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(xml_bytes, parser)
    except etree.XMLSyntaxError:
        return problems  # already reported by the schema check
    problems.extend(_total_rule_problems(root))
    problems.extend(_extra_rule_problems(root))
    return problems


# Rules peppol-ubl-validate implements differently from the official Peppol BIS 3 rules:
# checked here instead (its findings for them are dropped).
# - BR-CO-16: it leaves out PayableRoundingAmount (BT-114): the rule is
#   PayableAmount = TaxInclusiveAmount - PrepaidAmount + PayableRoundingAmount.
# - BR-CO-17: it rounds half to even; the rule rounds half up (the Schematron uses XPath
#   round(), so 365.125 -> 365.13).
_RULES_CHECKED_HERE = frozenset({"BR-CO-16", "BR-CO-17"})


def _decimal(text: str | None) -> Decimal | None:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def round_half_up(amount: Decimal) -> Decimal:
    """To the øre, half up, as the Peppol rules round (XPath round(): a half goes towards
    plus infinity, so 365.125 -> 365.13 and -365.125 -> -365.12)."""
    return ((amount * 100 + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR) / 100).quantize(
        CENT
    )


def _total_rule_problems(root: Any) -> list[str]:
    problems: list[str] = []
    cac, cbc = f"{{{NS_CAC}}}", f"{{{NS_CBC}}}"
    totals = root.find(f"{cac}LegalMonetaryTotal")
    if totals is not None:
        inclusive = _decimal(totals.findtext(f"{cbc}TaxInclusiveAmount"))
        payable = _decimal(totals.findtext(f"{cbc}PayableAmount"))
        prepaid = _decimal(totals.findtext(f"{cbc}PrepaidAmount")) or Decimal(0)
        rounding = _decimal(totals.findtext(f"{cbc}PayableRoundingAmount")) or Decimal(0)
        if inclusive is not None and payable is not None:
            expected = inclusive - prepaid + rounding
            if expected != payable:
                problems.append(
                    f"BR-CO-16: PayableAmount {payable} does not equal TaxInclusiveAmount - "
                    f"PrepaidAmount + PayableRoundingAmount = {expected}"
                )
    for subtotal in root.findall(f"{cac}TaxTotal/{cac}TaxSubtotal"):
        taxable = _decimal(subtotal.findtext(f"{cbc}TaxableAmount"))
        tax = _decimal(subtotal.findtext(f"{cbc}TaxAmount"))
        rate = _decimal(subtotal.findtext(f"{cac}TaxCategory/{cbc}Percent"))
        if taxable is None or tax is None or rate is None:
            continue
        expected = round_half_up(taxable * rate / Decimal(100))
        if expected != tax:
            problems.append(
                f"BR-CO-17: VAT category tax {tax} does not equal taxable amount x rate "
                f"rounded = {expected}"
            )
    supplier = root.find(f"{cac}AccountingSupplierParty/{cac}Party")
    if supplier is not None:
        country = (
            supplier.findtext(f"{cac}PostalAddress/{cac}Country/{cbc}IdentificationCode") or ""
        ).strip()
        for scheme in supplier.findall(f"{cac}PartyTaxScheme"):
            if (scheme.findtext(f"{cac}TaxScheme/{cbc}ID") or "").strip() != "VAT":
                continue
            vat = (scheme.findtext(f"{cbc}CompanyID") or "").strip()
            if country == "NO" and not _norwegian_vat_number(vat):
                problems.append(
                    f"NO-R-001: {vat!r} is not a Norwegian VAT number: NO, a valid "
                    "organisation number and MVA (NO123456785MVA)"
                )
    return problems


_NORWEGIAN_VAT = re.compile(r"NO([0-9]{9})MVA")


def _norwegian_vat_number(value: str) -> bool:
    found = _NORWEGIAN_VAT.fullmatch(value)
    return found is not None and orgnr.is_valid(found.group(1))
