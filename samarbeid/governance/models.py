from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import (
    arena_fk,
    example_data_flag,
    municipality_fk,
    not_before,
    project_fk,
    published_flag,
    unique,
)
from samarbeid.core.versioning import Versioned


class Case(DetailUrl, Versioned):
    """A case (sak) that goes to one or many bodies for treatment."""

    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    arena = arena_fk("cases", optional=True)
    opened = models.DateField(_("opprettet dato"), validators=[dates.RECORD])

    class Subject(models.TextChoices):
        PROJECT = "project", _("prosjekt")
        ARENA = "arena", _("arena")
        MEMBERSHIP = "membership", _("medlemskap")
        DOCUMENT = "document", _("dokument (f.eks. en plan)")
        OTHER = "other", _("annet")

    subject = models.CharField(
        _("gjelder"), max_length=20, choices=Subject.choices, default=Subject.OTHER
    )
    project = project_fk("cases", on_delete=models.SET_NULL, optional=True)
    document_title = models.CharField(_("dokument"), max_length=200, blank=True)
    is_example_data = example_data_flag()
    published = published_flag()

    class Meta:
        ordering = ["-opened", "title"]
        verbose_name = _("sak")
        verbose_name_plural = _("saker")

    def __str__(self) -> str:
        return self.title

    detail_view = "governance:case_detail"


class VotingRule(models.TextChoices):
    MAJORITY = "majority", _("alminnelig flertall av de som stemmer")
    UNANIMITY = "unanimity", _("enstemmighet blant de til stede")


class Decision(Versioned):
    """The treatment of a matter in one body: a municipality's council or executive
    committee, or an arena's own board. Pending until it has an outcome."""

    class Body(models.TextChoices):
        COUNCIL = "council", _("kommunestyre")
        EXECUTIVE_COMMITTEE = "executive_committee", _("formannskap")
        ARENA_BOARD = "arena_board", _("arenaens styringsorgan")
        OTHER = "other", _("annet organ")

    class Outcome(models.TextChoices):
        PENDING = "", _("ikke behandlet")
        ADOPTED = "adopted", _("vedtatt")
        ADOPTED_WITH_CHANGES = "adopted_with_changes", _("vedtatt med endringer")
        REJECTED = "rejected", _("avvist")
        POSTPONED = "postponed", _("utsatt")
        # closed by a municipal change: the municipality ceased before it treated the case
        LAPSED = "lapsed", _("bortfalt")
        TRANSFERRED = "transferred", _("overført til etterfølger")

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("sak"),
    )
    body = models.CharField(_("organ"), max_length=30, choices=Body.choices)
    municipality = municipality_fk(
        "decisions",
        optional=True,
        db_index=False,  # decision_by_outcome (municipality, outcome) serves it
    )
    arena = arena_fk(
        "board_decisions", optional=True, verbose_name=_("arena (for arenaens eget organ)")
    )
    body_name = models.CharField(_("navn på organet"), max_length=200, blank=True)
    case_number = models.CharField(_("saksnummer"), max_length=50, blank=True)
    planned_date = models.DateField(
        _("planlagt møtedato"), null=True, blank=True, validators=[dates.PLAN]
    )
    meeting_date = models.DateField(_("møtedato"), null=True, blank=True, validators=[dates.RECORD])
    outcome = models.CharField(
        _("utfall"), max_length=30, choices=Outcome.choices, blank=True, default=""
    )
    text = models.TextField(_("vedtakstekst"), blank=True)
    minutes_url = models.URLField(_("lenke til protokoll"), blank=True)
    lapsed_on = models.DateField(
        _("bortfalt fra"),
        null=True,
        blank=True,
        help_text=_("Dagen kommuneendringen trådte i kraft."),
        validators=[dates.PERIOD],
    )
    successor = municipality_fk(
        "inherited_treatments", optional=True, verbose_name=_("etterfølger")
    )
    voting_rule = models.CharField(
        _("avstemningsregel"),
        max_length=20,
        choices=VotingRule.choices,
        blank=True,
        help_text=_("For vedtak i arenaens eget organ: utfallet beregnes av stemmene."),
    )
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["meeting_date", "planned_date", "id"]
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")
        # a municipality's page lists its decisions still to be made
        indexes = [models.Index(fields=["municipality", "outcome"], name="decision_by_outcome")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body__in=["council", "executive_committee"])
                | Q(municipality__isnull=False),
                name="municipal_body_has_municipality",
                violation_error_message=_(
                    "Et vedtak i kommunestyre eller formannskap må ha en kommune."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(body="arena_board") | Q(arena__isnull=False),
                name="arena_board_has_arena",
                violation_error_message=_("Et vedtak i en arenas eget organ må ha en arena."),
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=["", "lapsed", "transferred"])
                | Q(meeting_date__isnull=False),
                name="decided_has_meeting_date",
                violation_error_message=_("Et vedtak må ha en møtedato."),
            ),
        ]

    def __str__(self) -> str:
        parts = [self.body_label]
        if self.case_number:
            parts.append(f"sak {self.case_number}")
        if self.meeting_date:
            parts.append(self.meeting_date.strftime("%d.%m.%Y"))
        return ", ".join(parts)

    @property
    def body_label(self) -> str:
        if self.body in (self.Body.COUNCIL, self.Body.EXECUTIVE_COMMITTEE) and self.municipality:
            body = str(self.get_body_display()).capitalize()
            return _("%(body)s i %(place)s") % {"body": body, "place": self.municipality.name}
        if self.body == self.Body.ARENA_BOARD and self.arena:
            body = self.body_name or str(_("Styringsorganet"))
            place = self.arena.short_name or self.arena.name
            return _("%(body)s i %(place)s") % {"body": body, "place": place}
        return self.body_name or str(self.get_body_display())

    @property
    def is_decided(self) -> bool:
        """Treated by the body: an outcome other than postponed or closed by a change."""
        return self.outcome not in ("", self.Outcome.POSTPONED, *LAPSED_OUTCOMES)

    @property
    def is_lapsed(self) -> bool:
        """Closed (stored) by a municipal change, passed on to the successor or not."""
        return self.outcome in LAPSED_OUTCOMES

    def ceased_before(self, day: date) -> bool:
        """The municipality had ceased by `day` (its treatment can no longer be done)."""
        return (
            self.municipality is not None
            and self.municipality.valid_to is not None
            and self.municipality.valid_to < day
        )

    def can_still_be_done(self, day: date) -> bool:
        """Open, and the body still exists on `day`."""
        return not self.is_decided and not self.is_lapsed and not self.ceased_before(day)

    @property
    def is_positive(self) -> bool:
        return self.outcome in (self.Outcome.ADOPTED, self.Outcome.ADOPTED_WITH_CHANGES)


LAPSED_OUTCOMES = (Decision.Outcome.LAPSED, Decision.Outcome.TRANSFERRED)


class Vote(models.Model):
    """One member's vote in an arena's own body. One municipality, one vote."""

    class Choice(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("mot")
        ABSTAIN = "abstain", _("avstår")
        ABSENT = "absent", _("fraværende")

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="votes", verbose_name=_("vedtak")
    )
    municipality = municipality_fk("votes")
    choice = models.CharField(_("stemme"), max_length=10, choices=Choice.choices)
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["decision", "municipality__number"]
        verbose_name = _("stemme")
        verbose_name_plural = _("stemmer")
        constraints = [
            unique(
                ["decision", "municipality"],
                "one_vote_per_municipality",
                _("Kommunen har allerede stemt i denne saken."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_choice_display()}"


class ProcessPlan(DetailUrl, Versioned):
    """A plan of what happens next: ordered steps across bodies (seed 004)."""

    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    arena = arena_fk("process_plans", optional=True)
    published = published_flag()
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["title"]
        verbose_name = _("prosessplan")
        verbose_name_plural = _("prosessplaner")

    def __str__(self) -> str:
        return self.title

    detail_view = "governance:plan_detail"


class ProcessStep(Versioned):
    plan = models.ForeignKey(
        ProcessPlan, on_delete=models.CASCADE, related_name="steps", verbose_name=_("plan")
    )
    order = models.PositiveIntegerField(_("rekkefølge"))
    title = models.CharField(_("steg"), max_length=200)
    body = models.CharField(_("organ"), max_length=200, blank=True)
    planned_date = models.DateField(_("planlagt dato"), validators=[dates.PLAN])
    planned_end = models.DateField(
        _("planlagt til"), null=True, blank=True, validators=[dates.PLAN]
    )
    done_date = models.DateField(_("utført dato"), null=True, blank=True, validators=[dates.RECORD])
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="process_steps",
        verbose_name=_("sak"),
    )
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["plan", "order", "planned_date"]
        verbose_name = _("steg i prosessplan")
        verbose_name_plural = _("steg i prosessplan")
        constraints = [
            unique(
                ["plan", "order"],
                "unique_step_order",
                _("Planen har allerede et steg med dette nummeret."),
            ),
            not_before(
                "planned_end",
                "planned_date",
                "step_end_after_start",
                _("«Planlagt til» kan ikke være før planlagt dato."),
                later_optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"
