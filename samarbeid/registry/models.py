from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import (
    example_data_flag,
    not_before,
    organisation_number_field,
    unique,
)
from samarbeid.core.versioning import Versioned
from samarbeid.registry.counties import county_name


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def valid_on(self, day: date) -> MunicipalityQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self) -> MunicipalityQuerySet:
        return self.filter(valid_to__isnull=True).exclude(number="9999")

    def historical(self) -> MunicipalityQuerySet:
        return self.filter(valid_to__isnull=False)

    def search(self, text: str) -> MunicipalityQuerySet:
        text = text.strip()
        if not text:
            return self
        if text.isdigit():
            return self.filter(number__startswith=text)
        return self.filter(name__icontains=text)


class Municipality(DetailUrl, models.Model):
    """A municipality number as used in one period (Statistics Norway's classification).

    A renumbering or a merger starts a new record; the old one keeps its name and number
    so that past records stay true. `code` is the classification's code, which carries a
    letter suffix where a number was reused (0716u: Våle, before Re took 0716).
    """

    code = models.CharField(
        _("kode"),
        max_length=6,
        unique=True,
        error_messages={"unique": _("En annen kommune har allerede denne koden.")},
    )
    number = models.CharField(_("kommunenummer"), max_length=4, db_index=True)
    name = models.CharField(_("navn"), max_length=100)
    county_number = models.CharField(_("fylkesnummer"), max_length=2, db_index=True)
    valid_from = models.DateField(
        _("gyldig fra"), null=True, blank=True, help_text=_("Tom: i bruk før 1994.")
    )
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    organisation_number = organisation_number_field(blank=True)
    latitude = models.DecimalField(
        _("breddegrad"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("lengdegrad"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    successors: models.ManyToManyField[Municipality, MunicipalityChange] = models.ManyToManyField(
        "self",
        through="MunicipalityChange",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["number", "valid_from"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        constraints = [
            not_before(
                "valid_to",
                "valid_from",
                "municipality_valid_to_after_from",
                _("Gyldig til kan ikke være før gyldig fra."),
                later_optional=True,
                earlier_optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    detail_view = "registry:municipality_detail"
    detail_args = ("code",)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def county_name(self) -> str:
        return county_name(self.county_number, self.valid_to or timezone.localdate())

    @property
    def period_label(self) -> str:
        start = str(self.valid_from.year) if self.valid_from else ""
        end = str(self.valid_to.year) if self.valid_to else ""
        if not start and not end:
            return ""
        return f"{start}–{end}"

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class MunicipalityChange(models.Model):
    """One step from a municipality number to the next: a merger, a renumbering or a split."""

    class Kind(models.TextChoices):
        MERGER = "merger", _("sammenslåing")
        RENUMBERING = "renumbering", _("nytt nummer")
        SPLIT = "split", _("deling")

    class Source(models.TextChoices):
        CLASSIFICATION = "classification", _("SSBs klassifikasjon")
        MANUAL = "manual", _("registrert manuelt")

    predecessor = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="predecessor_links"
    )
    effective = models.DateField(_("virkningsdato"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    source = models.CharField(
        _("kilde"), max_length=20, choices=Source.choices, default=Source.CLASSIFICATION
    )
    note = models.CharField(_("merknad"), max_length=200, blank=True)

    class Meta:
        ordering = ["effective", "predecessor__number"]
        verbose_name = _("kommuneendring")
        verbose_name_plural = _("kommuneendringer")
        constraints = [
            unique(
                ["predecessor", "successor"],
                "unique_municipality_change",
                _("Denne kommuneendringen er allerede registrert."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="change_not_to_itself",
                violation_error_message=_("En kommune kan ikke være sin egen etterfølger."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective:%Y})"


class Population(Versioned):
    """Residents on 1 January of `year` (Statistics Norway, table 07459). Versioned: two
    people correcting the same figure do not overwrite each other unseen."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    count = models.PositiveIntegerField(_("innbyggere"))
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["municipality__number", "year"]
        verbose_name = _("folketall")
        verbose_name_plural = _("folketall")
        constraints = [
            unique(
                ["municipality", "year"],
                "unique_population_year",
                _("Kommunen har allerede et folketall for dette året."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.count}"


class LegalEntity(models.Model):
    """A unit in the Central Coordinating Register for Legal Entities (Enhetsregisteret,
    Brønnøysundregistrene), by organisation number: its registered name and addresses, as
    its published download of units ("enheter") gives them. Invoices take the parties'
    names and postal addresses from here."""

    organisation_number = organisation_number_field(
        unique=True,
        error_messages={"unique": _("Enheten med dette organisasjonsnummeret finnes allerede.")},
    )
    name = models.CharField(_("registrert navn"), max_length=200)
    business_street = models.CharField(_("forretningsadresse"), max_length=200, blank=True)
    business_postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    business_city = models.CharField(_("poststed"), max_length=100, blank=True)
    business_municipality_number = models.CharField(_("kommunenummer"), max_length=4, blank=True)
    business_country = models.CharField(_("landkode"), max_length=2, blank=True)
    postal_street = models.CharField(_("postadresse"), max_length=200, blank=True)
    postal_postal_code = models.CharField(_("postnummer"), max_length=10, blank=True)
    postal_city = models.CharField(_("poststed"), max_length=100, blank=True)
    postal_municipality_number = models.CharField(_("kommunenummer"), max_length=4, blank=True)
    postal_country = models.CharField(_("landkode"), max_length=2, blank=True)
    is_example_data = example_data_flag()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation_number"]
        verbose_name = _("registrert enhet")
        verbose_name_plural = _("registrerte enheter")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_number})"

    @property
    def invoice_address(self) -> tuple[str, str, str, str]:
        """(street, post code, city, country) to send invoices to: the postal address, or
        the business address when there is no postal address."""
        if self.postal_street or self.postal_postal_code:
            return (
                self.postal_street,
                self.postal_postal_code,
                self.postal_city,
                self.postal_country or "NO",
            )
        return (
            self.business_street,
            self.business_postal_code,
            self.business_city,
            self.business_country or "NO",
        )
