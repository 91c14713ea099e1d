"""Allocation keys: how a line is split, and the figures a key keeps itself."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import arena_fk, example_data_flag, municipality_fk, non_negative, unique
from samarbeid.core.versioning import Versioned
from samarbeid.finance.models import (
    YEAR_VALIDATORS,
    year_in_range,
)
from samarbeid.lib.allocation import COMPONENTS, Component, Weights, component


def component_label(declared: Component) -> Promise:
    """The component's label (lib.allocation declares it in bokmål) in the user's language."""
    return _(declared.label)


def weight_field(name: str) -> models.DecimalField[Decimal, Decimal]:
    """The key's weight column for the component declared as `name`, in percent."""
    return models.DecimalField(
        format_lazy("{} (%)", component_label(component(name))),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
    )


class AllocationKey(DetailUrl, Versioned):
    """A named, weighted mix of the allocation components (lib.allocation.DECLARATION):
    one weight column for each, named as the component."""

    arena = arena_fk("allocation_keys", on_delete=models.CASCADE)
    name = models.CharField(_("navn"), max_length=100)
    description = models.TextField(_("beskrivelse"), blank=True)
    equal = weight_field("equal")
    per_capita = weight_field("per_capita")
    usage = weight_field("usage")
    fixed = weight_field("fixed")
    population_year = models.PositiveSmallIntegerField(
        _("referanseår for folketall"),
        null=True,
        blank=True,
        help_text=_("Folketall per 1. januar dette året. Tomt: året før budsjettåret."),
    )
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["arena", "name"]
        verbose_name = _("fordelingsnøkkel")
        verbose_name_plural = _("fordelingsnøkler")
        constraints = [
            unique(
                ["arena", "name"],
                "unique_key_name",
                _("Arenaen har allerede en fordelingsnøkkel med dette navnet."),
            ),
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 0 for name in COMPONENTS}),
                name="key_weights_not_negative",
                violation_error_message=_("Vektene kan ikke være negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    detail_view = "finance:key_detail"

    @property
    def weights(self) -> Weights:
        return Weights(**{name: getattr(self, name) for name in COMPONENTS})

    def reference_year(self, budget_year: int) -> int:
        return self.population_year or budget_year - 1

    @property
    def weight_items(self) -> list[tuple[Promise, Decimal]]:
        """Each component's label and weight, in the declaration's order."""
        return [(component_label(declared), weight) for declared, weight in self.weights]

    @property
    def label(self) -> str:
        """The weights in words, e.g. "50 % likt + 50 % per innbygger" (0 left out)."""
        return " + ".join(
            f"{weight.normalize():f} % {label}" for label, weight in self.weight_items if weight
        )


class KeyUsage(models.Model):
    """Units of usage (e.g. cases handled) of one municipality in one year, for a key."""

    key = models.ForeignKey(AllocationKey, on_delete=models.CASCADE, related_name="usages")
    municipality = municipality_fk("+", verbose_name=None)
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    units = models.DecimalField(_("enheter"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["key", "year", "municipality__number"]
        verbose_name = _("forbruk")
        verbose_name_plural = _("forbruk")
        constraints = [
            unique(
                ["key", "municipality", "year"],
                "unique_key_usage",
                _("Nøkkelen har allerede et forbruk for denne kommunen dette året."),
            ),
            year_in_range("usage_year_in_range"),
            non_negative("units", "usage_not_negative", _("Bruken kan ikke være negativ.")),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.municipality} {self.year} = {self.units}"


class KeyFixedPercent(models.Model):
    """A negotiated percentage for one municipality in a key."""

    key = models.ForeignKey(AllocationKey, on_delete=models.CASCADE, related_name="fixed_percents")
    municipality = municipality_fk("+", verbose_name=None)
    percent = models.DecimalField(_("prosent"), max_digits=7, decimal_places=4)

    class Meta:
        ordering = ["key", "municipality__number"]
        verbose_name = _("fast prosent")
        verbose_name_plural = _("faste prosenter")
        constraints = [
            unique(
                ["key", "municipality"],
                "unique_key_fixed",
                _("Nøkkelen har allerede en fast prosent for denne kommunen."),
            ),
            non_negative("percent", "fixed_not_negative", _("Prosenten kan ikke være negativ.")),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.municipality} {self.percent} %"
