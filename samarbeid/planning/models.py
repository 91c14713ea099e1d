"""Municipal planning strategies (kommunal planstrategi, plan- og bygningsloven § 10-1) and
the cooperation needs they name. The county governor's document (seed 002) makes the
planning strategy the arena where the need for cooperation is assessed; a cooperation
proposal (review) can start from such needs, and the proposals page shows, per theme, which
municipalities named one ("søke samarbeidspartnere tidlig")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import example_data_flag, municipality_fk, not_before, published_flag
from samarbeid.core.published import PublishedQuerySet
from samarbeid.core.versioning import Versioned

# A strategy's period: the council term it is adopted for (four years), at most twelve.
FIRST_YEAR = 1990
YEARS_AHEAD = 10
LONGEST_PERIOD = 12


class Theme(models.TextChoices):
    """The service themes a clerk knows: what a cooperation need is about."""

    HEALTH_CARE = "health_care", _("helse og omsorg, eldreomsorg")
    PROCUREMENT = "procurement", _("innkjøp")
    ICT = "ict", _("IKT og digitalisering")
    CHILD_WELFARE = "child_welfare", _("barnevern")
    EDUCATION = "education", _("oppvekst og skole")
    WELFARE = "welfare", _("NAV og sosiale tjenester")
    PLANNING_ENVIRONMENT = "planning_environment", _("plan og miljø")
    TECHNICAL = "technical", _("vann, avløp og renovasjon")
    BUSINESS = "business", _("næring")
    EMERGENCY = "emergency", _("beredskap")
    ADMINISTRATION = "administration", _("administrasjon (lønn, regnskap, arkiv)")
    CULTURE = "culture", _("kultur")
    OTHER = "other", _("annet")


class StrategyQuerySet(PublishedQuerySet["PlanningStrategy"]):
    """Everyone reads published strategies; internal users also the unpublished."""


class NeedQuerySet(PublishedQuerySet["CooperationNeed"]):
    THROUGH = ("strategy",)  # a need is public when its strategy is


class PlanningStrategy(DetailUrl, Versioned):
    """A municipality's adopted planning strategy, for a council term."""

    municipality = municipality_fk("planning_strategies")
    title = models.CharField(_("tittel"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("fra år"))
    last_year = models.PositiveSmallIntegerField(_("til år"))
    adopted_on = models.DateField(_("vedtatt"), validators=[dates.RECORD])
    decision_reference = models.CharField(
        _("saksnummer for vedtaket"),
        max_length=100,
        blank=True,
        help_text=_("Kommunestyrets sak, f.eks. «PS 45/24» eller «24/01234»."),
    )
    link = models.URLField(_("lenke til planstrategien"), max_length=500, blank=True)
    published = published_flag()
    is_example_data = example_data_flag()

    objects = StrategyQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "-first_year", "pk"]
        verbose_name = _("planstrategi")
        verbose_name_plural = _("planstrategier")
        constraints = [
            not_before(
                "last_year",
                "first_year",
                "strategy_period_in_order",
                _("Perioden må slutte samme år som den starter eller senere."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period})"

    @property
    def period(self) -> str:
        return f"{self.first_year}–{self.last_year}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        last_plausible = timezone.localdate().year + YEARS_AHEAD
        for name in ("first_year", "last_year"):
            value = getattr(self, name)
            if value is not None and not FIRST_YEAR <= value <= last_plausible:
                errors[name] = _(
                    "Året %(value)s er utenfor det som er rimelig for en planstrategi "
                    "(%(first)s–%(last)s)."
                ) % {"value": value, "first": FIRST_YEAR, "last": last_plausible}
        if not errors and self.first_year is not None and self.last_year is not None:
            if self.last_year < self.first_year:
                errors["last_year"] = _("Perioden må slutte samme år som den starter eller senere.")
            elif self.last_year - self.first_year >= LONGEST_PERIOD:
                errors["last_year"] = _(
                    "En planstrategi gjelder en valgperiode; %(n)s år er for lang tid."
                ) % {"n": self.last_year - self.first_year + 1}
        if errors:
            raise ValidationError(errors)

    detail_view = "planning:strategy_detail"
    detail_args = ("municipality.code", "pk")


class CooperationNeed(Versioned):
    """A need for cooperation that a planning strategy names: its theme, what it is, and
    whom the municipality would cooperate with."""

    strategy = models.ForeignKey(
        PlanningStrategy,
        on_delete=models.CASCADE,
        related_name="needs",
        verbose_name=_("planstrategi"),
    )
    theme = models.CharField(_("tema"), max_length=30, choices=Theme.choices)
    theme_other = models.CharField(
        _("annet tema"), max_length=100, blank=True, help_text=_("Når temaet er «annet».")
    )
    description = models.TextField(_("beskrivelse av behovet"))
    partners = models.TextField(
        _("samarbeid med"),
        blank=True,
        help_text=_("Hvem kommunen ser for seg å samarbeide med (kommuner, region, andre)."),
    )
    is_example_data = example_data_flag()

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "theme", "pk"]
        verbose_name = _("samarbeidsbehov")
        verbose_name_plural = _("samarbeidsbehov")

    def __str__(self) -> str:
        return f"{self.theme_label}: {self.description[:60]}"

    @property
    def theme_label(self) -> str:
        if self.theme == Theme.OTHER and self.theme_other:
            return f"{self.get_theme_display()}: {self.theme_other}"
        return str(self.get_theme_display())

    def clean(self) -> None:
        if self.theme == Theme.OTHER and not self.theme_other.strip():
            raise ValidationError({"theme_other": _("Skriv hvilket tema behovet gjelder.")})

    def get_absolute_url(self) -> str:
        """The need's place on its strategy's page (a need has no page of its own)."""
        return self.strategy.get_absolute_url() + f"#behov-{self.pk}"
