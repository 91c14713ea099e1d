"""Strategic plans, goals, focus areas, results, benefits realisation and goal attainment."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import (
    arena_fk,
    example_data_flag,
    money_field,
    municipality_fk,
    non_negative,
    not_before,
    project_fk,
    published_flag,
    unique,
)
from samarbeid.core.versioning import Versioned

YEAR_VALIDATORS = [MinValueValidator(1900), MaxValueValidator(2200)]


class StrategicPlan(DetailUrl, Versioned):
    """An arena's strategic plan for a period of years (12K: 2008–2011)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        SENT = "sent", _("sendt til politisk behandling")
        ADOPTED = "adopted", _("vedtatt")
        EXPIRED = "expired", _("utløpt")

    arena = arena_fk("strategic_plans")
    title = models.CharField(_("tittel"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("første år"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(_("siste år"), validators=YEAR_VALIDATORS)
    summary = models.TextField(_("sammendrag"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    case = models.ForeignKey(
        "governance.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="strategic_plans",
        verbose_name=_("sak til politisk behandling"),
    )
    published = published_flag()
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["arena__name", "-first_year"]
        verbose_name = _("strategisk plan")
        verbose_name_plural = _("strategiske planer")
        constraints = [
            not_before(
                "last_year",
                "first_year",
                "plan_last_year_after_first",
                _("Sluttåret kan ikke være før startåret."),
            ),
            # one case per plan, one plan per case
            unique(
                ["case"],
                "one_plan_per_case",
                _("Saken gjelder allerede en annen plan."),
                condition=Q(case__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        """The title with its period, unless the title already says it («12K 2027–2030»,
        or with a hyphen)."""
        said = (f"{self.first_year}{dash}{self.last_year}" for dash in ("–", "-"))
        if any(period in self.title for period in said):
            return self.title
        return f"{self.title} {self.period_label}"

    detail_view = "strategy:plan_detail"

    @property
    def period_label(self) -> str:
        return f"{self.first_year}–{self.last_year}"


class PlanItem(Versioned):
    """A prerequisite, working method, success factor or critical factor of a plan."""

    class Kind(models.TextChoices):
        PREREQUISITE = "prerequisite", _("forutsetning")
        WORKING_METHOD = "working_method", _("arbeidsmåte")
        SUCCESS_FACTOR = "success_factor", _("suksessfaktor")
        CRITICAL_FACTOR = "critical_factor", _("kritisk faktor")

    plan = models.ForeignKey(
        StrategicPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=1)
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["plan", "kind", "order", "id"]
        verbose_name = _("punkt i plan")
        verbose_name_plural = _("punkter i plan")

    def __str__(self) -> str:
        return self.title


class Goal(DetailUrl, Versioned):
    """A numbered goal of an arena, usually within a strategic plan (seed 004's adopted
    main goals belong to the arena without a plan)."""

    arena = arena_fk("goals")
    plan = models.ForeignKey(
        StrategicPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("strategisk plan"),
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("mål"), max_length=300)
    description = models.TextField(_("beskrivelse"), blank=True)
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["arena", "plan", "number"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            unique(
                ["arena", "plan", "number"],
                "unique_goal_number_in_plan",
                _("Planen har allerede et mål med dette nummeret."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    detail_view = "strategy:goal_detail"


class FocusArea(Versioned):
    plan = models.ForeignKey(
        StrategicPlan,
        on_delete=models.CASCADE,
        related_name="focus_areas",
        verbose_name=_("plan"),
    )
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=1)
    title = models.CharField(_("innsatsområde"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("innsatsområde")
        verbose_name_plural = _("innsatsområder")

    def __str__(self) -> str:
        return self.title


class ProjectGoal(models.Model):
    project = project_fk("goal_links", on_delete=models.CASCADE)
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="project_links", verbose_name=_("mål")
    )

    class Meta:
        ordering = ["goal", "project"]
        verbose_name = _("prosjekt knyttet til mål")
        verbose_name_plural = _("prosjekter knyttet til mål")
        constraints = [
            unique(
                ["project", "goal"],
                "unique_project_goal",
                _("Prosjektet er allerede knyttet til dette målet."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.goal}"


class ProjectFocusArea(models.Model):
    project = project_fk("focus_area_links", on_delete=models.CASCADE)
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.CASCADE,
        related_name="project_links",
        verbose_name=_("innsatsområde"),
    )

    class Meta:
        ordering = ["focus_area", "project"]
        verbose_name = _("prosjekt i innsatsområde")
        verbose_name_plural = _("prosjekter i innsatsområder")
        constraints = [
            unique(
                ["project", "focus_area"],
                "unique_project_focus_area",
                _("Prosjektet er allerede knyttet til dette innsatsområdet."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.focus_area}"


class Result(Versioned):
    """A professional result of a project, or one that cannot be quantified (trust,
    meeting places)."""

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", _("faglig resultat")
        UNQUANTIFIABLE = "unquantifiable", _("ikke kvantifiserbart resultat")

    project = project_fk("results", on_delete=models.CASCADE)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("resultat"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    recorded_on = models.DateField(_("registrert dato"), validators=[dates.RECORD])
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["project", "recorded_on", "id"]
        verbose_name = _("resultat")
        verbose_name_plural = _("resultater")

    def __str__(self) -> str:
        return self.title


class Indicator(Versioned):
    result = models.ForeignKey(
        Result, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("resultat")
    )
    name = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=40)
    baseline = models.DecimalField(
        _("utgangsverdi"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("målverdi"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["result", "name"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indikator")
    )
    measured_on = models.DateField(_("dato"), validators=[dates.RECORD])
    value = models.DecimalField(_("verdi"), max_digits=16, decimal_places=2)
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["indicator", "measured_on", "id"]
        verbose_name = _("indikatorverdi")
        verbose_name_plural = _("indikatorverdier")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"


class Basis(models.TextChoices):
    ESTIMATED = "estimated", _("estimert")
    REALISED = "realised", _("realisert")


class EconomicResult(Versioned):
    """A saving or a cost of a project in kroner, for one municipality (or the cooperation
    as a whole) in a year, or over a span of years when the source gives only a total."""

    class Kind(models.TextChoices):
        SAVING = "saving", _("innsparing")
        COST = "cost", _("kostnad")

    project = project_fk("economic_results", on_delete=models.CASCADE)
    municipality = municipality_fk(
        "economic_results",
        optional=True,
        help_text=_("Tom: gjelder samarbeidet samlet, ikke fordelt på kommuner."),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    basis = models.CharField(_("grunnlag"), max_length=10, choices=Basis.choices)
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    to_year = models.PositiveSmallIntegerField(
        _("til og med år"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Bare når kilden oppgir én sum for flere år."),
    )
    amount = money_field(_("beløp (kr)"))
    source = models.CharField(_("kilde"), max_length=300)
    note = models.TextField(_("merknad"), blank=True)
    kept_outside_reason = models.CharField(
        _("holdes utenfor regnskapet fordi"),
        max_length=300,
        blank=True,
        help_text=_(
            "Fyll ut bare når beløpet ikke skal regnes med i regnskapet, med kildens ord, "
            "f.eks. «er ikke inkludert» i de økonomiske resultatene. Tom: regnes med."
        ),
    )
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["project", "year", "municipality__number", "id"]
        verbose_name = _("økonomisk resultat")
        verbose_name_plural = _("økonomiske resultater")
        constraints = [
            non_negative(
                "amount",
                "economic_result_amount_not_negative",
                _("Beløpet kan ikke være negativt."),
            ),
            not_before(
                "to_year",
                "year",
                "economic_result_to_year_after_year",
                _("Sluttåret kan ikke være før startåret."),
                later_optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.years_label}: {self.amount}"

    @property
    def last_year(self) -> int:
        return self.to_year or self.year

    @property
    def is_kept_outside(self) -> bool:
        """Shown apart in the account and left out of its sums (seed 001: the electricity
        savings "er ikke inkludert" in the economic results 1997–2006)."""
        return bool(self.kept_outside_reason.strip())

    @property
    def years_label(self) -> str:
        return f"{self.year}–{self.to_year}" if self.to_year else str(self.year)


class AdministrationCost(Versioned):
    """What running an arena cost, for a year or a span of years, as a source states it."""

    arena = arena_fk("administration_costs")
    first_year = models.PositiveSmallIntegerField(_("fra år"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(_("til og med år"), validators=YEAR_VALIDATORS)
    amount = money_field(_("beløp (kr)"))
    source = models.CharField(_("kilde"), max_length=300)
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["arena", "first_year"]
        verbose_name = _("administrasjonskostnad")
        verbose_name_plural = _("administrasjonskostnader")
        constraints = [
            not_before(
                "last_year",
                "first_year",
                "admin_cost_last_after_first",
                _("Sluttåret kan ikke være før startåret."),
            ),
            non_negative(
                "amount", "admin_cost_amount_not_negative", _("Beløpet kan ikke være negativt.")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arena} {self.first_year}–{self.last_year}: {self.amount}"


class Benefit(Versioned):
    """A benefits realisation plan: what one municipality expects to gain from a project,
    who owns the gain in the municipality, and by when."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planlagt")
        IN_PROGRESS = "in_progress", _("under realisering")
        REALISED = "realised", _("realisert")
        NOT_REALISED = "not_realised", _("ikke realisert")

    project = project_fk("benefits", on_delete=models.CASCADE)
    municipality = municipality_fk("benefits")
    description = models.TextField(_("forventet gevinst"))
    expected_amount = money_field(_("forventet beløp (kr)"), optional=True)
    owner = models.CharField(
        _("gevinsteier i kommunen"),
        max_length=200,
        help_text=_("Den som har ansvar for å ta ut gevinsten, f.eks. «Kommunalsjef helse»."),
    )
    target_date = models.DateField(_("måldato"), validators=[dates.PLAN])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["target_date", "id"]
        verbose_name = _("gevinstrealiseringsplan")
        verbose_name_plural = _("gevinstrealiseringsplaner")
        constraints = [
            non_negative(
                "expected_amount",
                "benefit_expected_not_negative",
                _("Forventet beløp kan ikke være negativt."),
                optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.target_date < timezone.localdate()

    @property
    def is_unrealised(self) -> bool:
        return self.status == self.Status.NOT_REALISED or self.is_overdue


class BenefitRealisation(models.Model):
    """One step of a benefit's realisation over time: an amount taken out and/or a status."""

    benefit = models.ForeignKey(
        Benefit, on_delete=models.CASCADE, related_name="realisations", verbose_name=_("gevinst")
    )
    recorded_on = models.DateField(_("dato"), validators=[dates.RECORD])
    amount = money_field(_("realisert beløp (kr)"), optional=True)
    status = models.CharField(_("status"), max_length=20, choices=Benefit.Status.choices)
    note = models.TextField(_("merknad"), blank=True)
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["benefit", "recorded_on", "id"]
        verbose_name = _("gevinstrealisering")
        verbose_name_plural = _("gevinstrealiseringer")
        constraints = [
            non_negative(
                "amount",
                "realisation_amount_not_negative",
                _("Beløpet kan ikke være negativt."),
                optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.benefit}: {self.recorded_on}"


class GoalAssessment(models.Model):
    """An assessment of a goal's attainment at a date. Never changed: a new assessment is
    added, so the history stays (seed 004: "er målene oppnådd, helt eller delvis?")."""

    class Attainment(models.TextChoices):
        MET = "met", _("nådd")
        PARTLY_MET = "partly_met", _("delvis nådd")
        NOT_MET = "not_met", _("ikke nådd")
        TOO_EARLY = "too_early", _("for tidlig å si")

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("mål")
    )
    attainment = models.CharField(_("måloppnåelse"), max_length=20, choices=Attainment.choices)
    evidence = models.TextField(_("begrunnelse og dokumentasjon"))
    assessed_on = models.DateField(_("vurdert dato"), validators=[dates.RECORD])
    assessed_by = models.CharField(_("vurdert av"), max_length=200, blank=True)
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["goal", "assessed_on", "id"]
        verbose_name = _("vurdering av måloppnåelse")
        verbose_name_plural = _("vurderinger av måloppnåelse")

    def __str__(self) -> str:
        return f"{self.goal}: {self.get_attainment_display()} ({self.assessed_on})"


def realised_total(benefit: Benefit) -> Decimal:
    return sum(
        (r.amount for r in benefit.realisations.all() if r.amount is not None), Decimal("0.00")
    )
