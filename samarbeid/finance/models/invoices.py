"""Invoice runs, invoices and credit notes, their lines, the host's own share and the
buyers' invoice references. Issued invoices never change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import (
    actor_fk,
    arena_fk,
    example_data_flag,
    money_field,
    municipality_fk,
    not_before,
    project_fk,
    unique,
)
from samarbeid.core.versioning import Versioned
from samarbeid.finance.models import (
    YEAR_VALIDATORS,
    validate_account_number,
    year_in_range,
)
from samarbeid.finance.models.budgets import BudgetLine
from samarbeid.lib.money import format_nok


class InvoiceRun(DetailUrl, Versioned):
    """Invoicing of one arena's budget for one year: draft → approved → issued."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        APPROVED = "approved", _("godkjent")
        ISSUED = "issued", _("utstedt")

    arena = arena_fk("invoice_runs", verbose_name=None)
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    issue_date = models.DateField(_("fakturadato"), validators=[dates.INVOICE])
    due_date = models.DateField(_("forfallsdato"), validators=[dates.INVOICE])
    seller = municipality_fk("+", verbose_name=_("selger (vertskommune)"))
    seller_account = models.CharField(
        _("kontonummer"), max_length=11, blank=True, validators=[validate_account_number]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = actor_fk()
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = actor_fk()
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["-year", "arena"]
        verbose_name = _("fakturakjøring")
        verbose_name_plural = _("fakturakjøringer")
        indexes = [
            models.Index(fields=["-year"], name="invoicerun_newest"),
            # the public sees issued runs only, newest first
            models.Index(fields=["status", "-year"], name="invoicerun_status_newest"),
        ]
        constraints = [
            unique(
                ["arena", "year"],
                "unique_run_year",
                _("Arenaen har allerede en fakturakjøring for dette året."),
            ),
            year_in_range("run_year_in_range"),
            not_before(
                "due_date",
                "issue_date",
                "run_due_after_issue",
                _("Forfallsdatoen kan ikke være før fakturadatoen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arena.short_name} {self.year}"

    detail_view = "finance:run_detail"


class ImmutableInvoice(ValidationError):
    pass


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(issued_at__isnull=False).exists():
            raise ImmutableInvoice(_("Utstedte fakturaer kan ikke slettes."))
        return super().delete()


# An invoice party's postal address, and with it the registered name, as the register of
# legal entities has them: fields `buyer_<part>` and `seller_<part>` of an invoice.
ADDRESS = ("street", "postal_code", "city", "country")
REGISTERED = ("registered_name", *ADDRESS)


class Invoice(DetailUrl, models.Model):
    """One invoice (or credit note) to one municipality. The parties are copied in when the
    invoice is made, so it stays as it was sent."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("faktura")
        CREDIT_NOTE = "credit_note", _("kreditnota")

    run = models.ForeignKey(InvoiceRun, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    number = models.CharField(
        _("fakturanummer"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("En annen faktura har allerede dette nummeret.")},
    )
    kid = models.CharField(_("KID"), max_length=25)
    buyer = municipality_fk("invoices", verbose_name=None)
    buyer_name = models.CharField(max_length=100)
    buyer_organisation_number = models.CharField(max_length=9, blank=True)
    seller_name = models.CharField(max_length=100)
    seller_organisation_number = models.CharField(max_length=9, blank=True)
    issue_date = models.DateField(_("fakturadato"), validators=[dates.INVOICE])
    due_date = models.DateField(_("forfallsdato"), validators=[dates.INVOICE])
    total = money_field(_("beløp"))
    credited = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replacements"
    )
    reason = models.CharField(_("begrunnelse"), max_length=300, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    # As sent in the EHF document (BT-10, and the parties' registered names and postal
    # addresses from the register of legal entities); blank on invoices made before these
    # were kept, whose documents fall back to the arena's label and the municipality's name.
    buyer_reference = models.CharField(_("fakturareferanse"), max_length=100, blank=True)
    buyer_registered_name = models.CharField(max_length=200, blank=True)
    buyer_street = models.CharField(max_length=200, blank=True)
    buyer_postal_code = models.CharField(max_length=10, blank=True)
    buyer_city = models.CharField(max_length=100, blank=True)
    buyer_country = models.CharField(max_length=2, blank=True)
    seller_registered_name = models.CharField(max_length=200, blank=True)
    seller_street = models.CharField(max_length=200, blank=True)
    seller_postal_code = models.CharField(max_length=10, blank=True)
    seller_city = models.CharField(max_length=100, blank=True)
    seller_country = models.CharField(max_length=2, blank=True)

    # What a credit note or a corrected invoice carries over from the invoice it is made
    # from: the parties as they were sent, so the accounts department matches it
    # (the fields of each party's registered name and address: `REGISTERED`).
    PARTIES = (
        "buyer",
        "buyer_name",
        "buyer_organisation_number",
        "buyer_reference",
        *(f"buyer_{part}" for part in REGISTERED),
        "seller_name",
        "seller_organisation_number",
        *(f"seller_{part}" for part in REGISTERED),
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["run", "buyer__number", "number"]
        verbose_name = _("faktura")
        verbose_name_plural = _("fakturaer")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="invoice", credited__isnull=True)
                | Q(kind="credit_note", credited__isnull=False),
                name="credit_note_credits_invoice",
                violation_error_message=_(
                    "En kreditnota må kreditere en faktura, og bare en kreditnota kan det."
                ),
            ),
            # a corrected invoice (made after a credit note) replaces an invoice; a credit
            # note never replaces anything
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | Q(kind="invoice"),
                name="only_invoice_replaces",
                violation_error_message=_("Bare en faktura kan erstatte en annen."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and Invoice.objects.filter(pk=self.pk, issued_at__isnull=False).exists():
            raise ImmutableInvoice(
                _("Faktura %(n)s er utstedt og kan ikke endres; lag en kreditnota.")
                % {"n": self.number}
            )
        super().save(*args, **kwargs)

    detail_view = "finance:invoice_detail"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.issued_at is not None:
            raise ImmutableInvoice(_("Utstedte fakturaer kan ikke slettes."))
        return super().delete(*args, **kwargs)

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE

    @property
    def signed_total(self) -> Decimal:
        return -self.total if self.is_credit_note else self.total


class ChargeLine(models.Model):
    """A line charging a municipality's share of a budget line in a run: on an invoice
    (InvoiceLine) or kept as the host's own share (HostShareLine)."""

    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=BudgetLine.Kind.choices)
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    project = project_fk("+", on_delete=models.PROTECT, optional=True, verbose_name=None)
    share_of = municipality_fk("+", verbose_name=None)
    description = models.CharField(max_length=300)
    amount = money_field()
    note = models.CharField(max_length=300, blank=True)
    # A line whose budget line has external funding (grants): the line's gross cost and the
    # funding taken off it; `amount` is the share of the rest. None: no external funding.
    gross = money_field(optional=True)
    external = money_field(optional=True)

    class Meta:
        abstract = True

    @property
    def funding_text(self) -> str:
        """The gross cost and external funding of the line's budget line, in words ("" when
        the line has none): shown on the invoice and carried in the EHF line's note."""
        if not self.external or self.gross is None:
            return ""
        return _(
            "Brutto kostnad %(gross)s kr, eksterne midler %(external)s kr; andel av netto "
            "%(net)s kr"
        ) % {
            "gross": format_nok(self.gross),
            "external": format_nok(self.external),
            "net": format_nok(self.gross - self.external),
        }

    @property
    def full_note(self) -> str:
        """The note with the funding text: what the invoice and its EHF line say."""
        return "; ".join(part for part in (self.note, self.funding_text) if part)


class InvoiceLine(ChargeLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            unique(
                ["invoice", "position"],
                "unique_line_position",
                _("Fakturaen har allerede en linje med dette nummeret."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice.number}/{self.position}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if Invoice.objects.filter(pk=self.invoice_id, issued_at__isnull=False).exists():
            raise ImmutableInvoice(_("Linjene på en utstedt faktura kan ikke endres."))
        super().save(*args, **kwargs)


class HostShareLine(ChargeLine):
    """The host municipality's own share of a budget line in a run ("egen andel"): what
    the seller would otherwise invoice itself. Not an invoice: no number, no KID, no EHF
    document, never sent. The run's invoices and its host share lines add up to the
    budget."""

    run = models.ForeignKey(InvoiceRun, on_delete=models.CASCADE, related_name="host_share_lines")
    municipality = municipality_fk("+", verbose_name=None)

    class Meta:
        ordering = ["run", "position"]
        verbose_name = _("egen andel")
        verbose_name_plural = _("egne andeler")
        constraints = [
            unique(
                ["run", "position"],
                "unique_host_share_position",
                _("Vertskommunens andel har allerede en linje med dette nummeret."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.municipality}/{self.position}"


class InvoiceReference(Versioned):
    """A member municipality's own invoice reference (EHF BuyerReference, BT-10): what its
    accounts department routes an invoice by. One for the municipality, and optionally one
    per arena, which then wins."""

    municipality = models.ForeignKey(
        "registry.Municipality",
        on_delete=models.CASCADE,
        related_name="invoice_references",
        verbose_name=_("kommune"),
    )
    arena = arena_fk(
        "invoice_references",
        on_delete=models.CASCADE,
        optional=True,
        help_text=_("Tom: gjelder alle arenaer kommunen ikke har en egen referanse for."),
    )
    reference = models.CharField(_("fakturareferanse"), max_length=100)
    # The accounts department's address: told by e-mail when an issued run's EHF invoice
    # is on its way (reminders.notices). Blank: nobody is told.
    contact_email = models.EmailField(
        _("e-post til fakturamottaket"),
        blank=True,
        help_text=_("Får beskjed på e-post når en EHF-faktura er utstedt. Kan stå tom."),
    )
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["municipality__number", "arena__short_name"]
        verbose_name = _("fakturareferanse")
        verbose_name_plural = _("fakturareferanser")
        constraints = [
            unique(
                ["municipality", "arena"],
                "unique_reference_per_arena",
                _("Kommunen har allerede en fakturareferanse for denne arenaen."),
                condition=Q(arena__isnull=False),
            ),
            unique(
                ["municipality"],
                "unique_reference_per_municipality",
                _("Kommunen har allerede en fakturareferanse for alle arenaer."),
                condition=Q(arena__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference
