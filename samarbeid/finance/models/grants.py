"""Grants and other external funding of a budget line: applied for, decided, reported on and
received. What a line's grants count (received or granted, as its budget chooses) is taken
off the line's cost before the rest is split over the members."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import example_data_flag, money_field
from samarbeid.core.versioning import Versioned
from samarbeid.finance.models.budgets import Budget, BudgetLine

# The money fields of a grant: none may be negative (the form, the service and the database).
MONEY_FIELDS = ("amount_applied", "amount_granted", "amount_received")


class Grant(DetailUrl, Versioned):
    """A grant applied for (or received) towards one budget line."""

    class GrantorKind(models.TextChoices):
        COUNTY_GOVERNOR = (
            "county_governor",
            _("Prosjektskjønnsmidler fra statsforvalteren"),
        )
        STATE_PROGRAMME = "state_programme", _("Statlig program")
        COUNTY = "county", _("Fylkeskommunen")
        OTHER = "other", _("Annet")

    class Status(models.TextChoices):
        APPLIED = "applied", _("søkt")
        GRANTED = "granted", _("innvilget")
        PARTLY_GRANTED = "partly_granted", _("delvis innvilget")
        REFUSED = "refused", _("avslått")
        WITHDRAWN = "withdrawn", _("trukket")

    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("budsjettlinje"),
    )
    grantor_kind = models.CharField(
        _("type tilskuddsgiver"), max_length=20, choices=GrantorKind.choices
    )
    grantor_name = models.CharField(_("tilskuddsgiver"), max_length=200)
    purpose = models.TextField(_("hva tilskuddet gjelder"))
    applied_on = models.DateField(_("søknadsdato"), validators=[dates.RECORD])
    amount_applied = money_field(_("søkt beløp (kr)"), default=Decimal("0.00"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    decided_on = models.DateField(
        _("vedtaksdato"), null=True, blank=True, validators=[dates.RECORD]
    )
    amount_granted = money_field(_("innvilget beløp (kr)"), optional=True)
    conditions = models.TextField(_("vilkår"), blank=True)
    report_due = models.DateField(
        _("frist for rapportering"), null=True, blank=True, validators=[dates.PLAN]
    )
    reported_on = models.DateField(
        _("rapportert"), null=True, blank=True, validators=[dates.RECORD]
    )
    amount_received = money_field(_("mottatt beløp (kr)"), optional=True)
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["line", "applied_on", "id"]
        verbose_name = _("tilskudd")
        verbose_name_plural = _("tilskudd")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_applied__gte=0)
                & (Q(amount_granted__isnull=True) | Q(amount_granted__gte=0))
                & (Q(amount_received__isnull=True) | Q(amount_received__gte=0)),
                name="grant_amounts_not_negative",
                violation_error_message=_("Beløpene kan ikke være negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantor_name}: {self.purpose[:60]}"

    detail_view = "reports:grant_report"

    @property
    def granted(self) -> Decimal:
        """What the decision grants (nothing unless granted or partly granted)."""
        if self.status in (self.Status.GRANTED, self.Status.PARTLY_GRANTED):
            return self.amount_granted or Decimal("0.00")
        return Decimal("0.00")

    @property
    def received(self) -> Decimal:
        return self.amount_received or Decimal("0.00")

    def counted(self, basis: str) -> Decimal:
        """What the grant takes off the line's cost under the budget's `basis`."""
        return self.granted if basis == Budget.ExternalBasis.GRANTED else self.received
