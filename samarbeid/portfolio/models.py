from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import (
    actor_fk,
    arena_fk,
    decision_fk,
    example_data_flag,
    money_field,
    municipality_fk,
    non_negative,
    not_before,
    published_flag,
    unique,
)
from samarbeid.core.published import PublishedQuerySet
from samarbeid.core.versioning import Versioned


class ProjectQuerySet(PublishedQuerySet["Project"]):
    THROUGH = ("", "arena")  # a project of an unpublished arena is not public


class Project(DetailUrl, Versioned):
    """A joint project under an arena. Each municipality decides for itself whether it joins."""

    class Status(models.TextChoices):
        IDEA = "idea", _("idé")
        PROPOSED = "proposed", _("foreslått")
        APPROVED = "approved", _("vedtatt")
        ONGOING = "ongoing", _("pågående")
        COMPLETED = "completed", _("gjennomført")
        DISCONTINUED = "discontinued", _("avbrutt")
        TRANSFERRED = "transferred", _("overført til annen arena")

    arena = arena_fk("projects")
    code = models.CharField(_("prosjektkode"), max_length=30)
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    focus_area_text = models.CharField(
        _("innsatsområde (fritekst)"),
        max_length=200,
        blank=True,
        help_text=_("Brukes til innsatsområdene i en strategisk plan er registrert."),
    )
    lead_municipality = municipality_fk(
        "led_projects", optional=True, verbose_name=_("ansvarlig kommune")
    )
    project_manager = models.CharField(_("prosjektleder"), max_length=200, blank=True)
    budget = money_field(_("budsjett (kr)"), optional=True)
    start = models.DateField(_("start"), null=True, blank=True, validators=[dates.PERIOD])
    end = models.DateField(_("slutt"), null=True, blank=True, validators=[dates.PERIOD])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IDEA
    )
    transferred_to = arena_fk(
        "projects_transferred_in", optional=True, verbose_name=_("overført til arena")
    )
    published = published_flag()
    is_example_data = example_data_flag()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["arena", "code"]
        verbose_name = _("prosjekt")
        verbose_name_plural = _("prosjekter")
        constraints = [
            unique(
                ["arena", "code"],
                "unique_project_code",
                _("Arenaen har allerede et prosjekt med denne prosjektkoden."),
            ),
            not_before(
                "end",
                "start",
                "project_end_after_start",
                _("Sluttdatoen kan ikke være før startdatoen."),
                later_optional=True,
                earlier_optional=True,
            ),
            non_negative(
                "budget",
                "project_budget_positive",
                _("Budsjettet kan ikke være negativt."),
                optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    detail_view = "portfolio:project_detail"


class ProjectStatusChange(models.Model):
    """The lifecycle history: every status change with date, who and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Project.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Project.Status.choices)
    changed_on = models.DateField(_("dato"), validators=[dates.RECORD])
    reason = models.TextField(_("begrunnelse"), blank=True)
    actor = actor_fk()
    decision = decision_fk("+", optional=True, verbose_name=None)

    class Meta:
        ordering = ["changed_on", "id"]
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")

    def __str__(self) -> str:
        return f"{self.project}: {self.from_status} → {self.to_status}"


def record_running_on(day: date) -> Q:
    """A participation record running on `day` by its own dates: joined, begun, not ended.
    The project list and the overview count such records through their municipalities'
    successors (portfolio.queries.taking_part_on, holders_on)."""
    return Q(Q(until__isnull=True) | Q(until__gte=day), status="joined", since__lte=day)


class ParticipationQuerySet(models.QuerySet["Participation"]):
    def joined_during(self, year: int) -> ParticipationQuerySet:
        """Participations with status joined at any time in `year`."""
        return self.filter(
            Q(until__isnull=True) | Q(until__gte=date(year, 1, 1)),
            status=Participation.Status.JOINED,
            since__lte=date(year, 12, 31),
        )


class Participation(Versioned):
    """A municipality's participation in a project over a period. A change of status starts a
    new record (the old one gets `until`), so the history stays: who joined when, who left
    and why. Joined/declined/withdrawn rest on a decision of the municipality's own body."""

    class Status(models.TextChoices):
        INVITED = "invited", _("invitert")
        CONSIDERING = "considering", _("vurderer")
        JOINED = "joined", _("deltar")
        DECLINED = "declined", _("takket nei")
        WITHDRAWN = "withdrawn", _("trukket seg")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="participations", verbose_name=_("prosjekt")
    )
    municipality = municipality_fk("participations")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    since = models.DateField(_("fra"), validators=[dates.PERIOD])
    until = models.DateField(_("til"), null=True, blank=True, validators=[dates.PERIOD])
    decision = decision_fk("participations", optional=True)
    reason = models.CharField(_("begrunnelse"), max_length=300, blank=True)
    is_example_data = example_data_flag()

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["project", "municipality__number", "since", "id"]
        verbose_name = _("deltakelse")
        verbose_name_plural = _("deltakelser")
        constraints = [
            not_before(
                "until",
                "since",
                "participation_until_after_since",
                _("Til-datoen kan ikke være før fra-datoen."),
                later_optional=True,
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["joined", "declined", "withdrawn"])
                | Q(decision__isnull=False),
                name="participation_change_has_decision",
                violation_error_message=_("Deltakelse, avslag og uttreden må bygge på et vedtak."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} – {self.project}: {self.get_status_display()}"

    def runs_on(self, day: date) -> bool:
        """`record_running_on` for a record already read (a test holds the two alike)."""
        return (
            self.status == self.Status.JOINED
            and self.since <= day
            and (self.until is None or self.until >= day)
        )
