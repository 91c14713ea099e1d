"""Budgets per arena and year, and their lines."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import (
    arena_fk,
    example_data_flag,
    money_field,
    non_negative,
    project_fk,
    unique,
)
from samarbeid.core.versioning import Versioned
from samarbeid.finance.models import (
    YEAR_VALIDATORS,
    year_in_range,
)
from samarbeid.finance.models.keys import AllocationKey


class Budget(DetailUrl, Versioned):
    """An arena's budget for a year: its lines and its administration cost."""

    arena = arena_fk("budgets", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    administration_cost = money_field(_("administrasjonskostnad (kr)"), default=Decimal("0.00"))
    note = models.TextField(_("merknad"), blank=True)
    is_example_data = example_data_flag()

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
            unique(
                ["arena", "year"],
                "unique_budget_year",
                _("Arenaen har allerede et budsjett for dette året."),
            ),
            year_in_range("budget_year_in_range"),
            non_negative(
                "administration_cost",
                "administration_not_negative",
                _("Administrasjonskostnaden kan ikke være negativ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arena.short_name} {self.year}"

    detail_view = "finance:budget_detail"


class BudgetLine(Versioned):
    """A base contribution (split over the arena's members) or a project's cost (split over
    the project's participants), each with its own key. `actual` is filled in afterwards."""

    class Kind(models.TextChoices):
        BASE = "base", _("basisbidrag")
        PROJECT = "project", _("prosjekt")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    project = project_fk("budget_lines", on_delete=models.PROTECT, optional=True)
    description = models.CharField(_("beskrivelse"), max_length=200)
    amount = money_field(_("budsjettert beløp (kr)"))
    actual = money_field(_("regnskap (kr)"), optional=True)
    key = models.ForeignKey(
        AllocationKey, on_delete=models.PROTECT, related_name="lines", verbose_name=_("nøkkel")
    )

    class Meta:
        ordering = ["budget", "kind", "id"]
        verbose_name = _("budsjettlinje")
        verbose_name_plural = _("budsjettlinjer")
        constraints = [
            non_negative(
                "amount", "line_amount_not_negative", _("Beløpet kan ikke være negativt.")
            ),
            non_negative(
                "actual",
                "line_actual_not_negative",
                _("Regnskapstallet kan ikke være negativt."),
                optional=True,
            ),
            models.CheckConstraint(
                condition=(Q(kind="base") & Q(project__isnull=True))
                | (Q(kind="project") & Q(project__isnull=False)),
                name="line_project_matches_kind",
                violation_error_message=_(
                    "En prosjektlinje må ha et prosjekt, og en basislinje kan ikke ha det."
                ),
            ),
            unique(
                ["budget", "project"],
                "unique_budget_project",
                _("Budsjettet har allerede en linje for dette prosjektet."),
                condition=Q(project__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.description
