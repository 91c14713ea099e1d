"""Budgets per arena and year, and their lines."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samarbeid.core.versioning import Versioned
from samarbeid.finance.models import (
    YEAR_VALIDATORS,
    year_in_range,
)
from samarbeid.finance.models.keys import AllocationKey


class Budget(Versioned):
    """An arena's budget for a year: its lines and its administration cost."""

    arena = models.ForeignKey(
        "arenas.Arena", on_delete=models.CASCADE, related_name="budgets", verbose_name=_("arena")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    administration_cost = models.DecimalField(
        _("administrasjonskostnad (kr)"), default=Decimal("0.00"), max_digits=14, decimal_places=2
    )
    note = models.TextField(_("merknad"), blank=True)
    is_example_data = models.BooleanField(_("eksempeldata"), default=False)

    class ExternalBasis(models.TextChoices):
        RECEIVED = "received", _("mottatt")
        GRANTED = "granted", _("innvilget")

    # What of a line's grants is taken off its cost before the split (finance.models.grants)
    external_basis = models.CharField(
        _("eksterne midler som trekkes fra"),
        max_length=10,
        choices=ExternalBasis.choices,
        default=ExternalBasis.RECEIVED,
        help_text=_(
            "Mottatte eller innvilgede tilskudd trekkes fra linjens kostnad før fordeling."
        ),
    )

    class Meta:
        ordering = ["arena", "-year"]
        verbose_name = _("budsjett")
        verbose_name_plural = _("budsjetter")
        # the finance page lists the newest budgets of the whole country
        indexes = [models.Index(fields=["-year"], name="budget_newest")]
        constraints = [
            models.UniqueConstraint(
                fields=["arena", "year"],
                name="unique_budget_year",
                violation_error_message=_("Arenaen har allerede et budsjett for dette året."),
            ),
            year_in_range("budget_year_in_range"),
            models.CheckConstraint(
                condition=Q(administration_cost__gte=0),
                name="administration_not_negative",
                violation_error_message=_("Administrasjonskostnaden kan ikke være negativ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arena.short_name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("finance:budget_detail", args=[self.pk])


class BudgetLine(Versioned):
    """A base contribution (split over the arena's members) or a project's cost (split over
    the project's participants), each with its own key. `actual` is filled in afterwards."""

    class Kind(models.TextChoices):
        BASE = "base", _("basisbidrag")
        PROJECT = "project", _("prosjekt")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    project = models.ForeignKey(
        "portfolio.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("prosjekt"),
    )
    description = models.CharField(_("beskrivelse"), max_length=200)
    amount = models.DecimalField(_("budsjettert beløp (kr)"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(
        _("regnskap (kr)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    key = models.ForeignKey(
        AllocationKey, on_delete=models.PROTECT, related_name="lines", verbose_name=_("nøkkel")
    )

    class Meta:
        ordering = ["budget", "kind", "id"]
        verbose_name = _("budsjettlinje")
        verbose_name_plural = _("budsjettlinjer")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="line_amount_not_negative",
                violation_error_message=_("Beløpet kan ikke være negativt."),
            ),
            models.CheckConstraint(
                condition=Q(actual__isnull=True) | Q(actual__gte=0),
                name="line_actual_not_negative",
                violation_error_message=_("Regnskapstallet kan ikke være negativt."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="base") & Q(project__isnull=True))
                | (Q(kind="project") & Q(project__isnull=False)),
                name="line_project_matches_kind",
                violation_error_message=_(
                    "En prosjektlinje må ha et prosjekt, og en basislinje kan ikke ha det."
                ),
            ),
            models.UniqueConstraint(
                fields=["budget", "project"],
                condition=Q(project__isnull=False),
                name="unique_budget_project",
                violation_error_message=_("Budsjettet har allerede en linje for dette prosjektet."),
            ),
        ]

    def __str__(self) -> str:
        return self.description
