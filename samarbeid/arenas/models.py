from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import (
    arena_fk,
    decision_fk,
    example_data_flag,
    municipality_fk,
    not_before,
    organisation_number_field,
    published_flag,
)
from samarbeid.core.published import PublishedQuerySet
from samarbeid.core.versioning import Versioned


class ArenaQuerySet(PublishedQuerySet["Arena"]):
    def active(self) -> ArenaQuerySet:
        return self.filter(status__in=[Arena.Status.ACTIVE, Arena.Status.UNDER_REVIEW])

    def search(self, text: str) -> ArenaQuerySet:
        """Arenas whose name or short name contains `text` (all of them when it is empty)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(models.Q(name__icontains=text) | models.Q(short_name__icontains=text))

    def by_reference(self, ref: str) -> Arena | None:
        """The arena a command line names: its id or its short name (any case)."""
        ref = ref.strip()
        query = models.Q(short_name__iexact=ref)
        if ref.isascii() and ref.isdigit():  # not "²", which isdigit() takes and int() refuses
            query |= models.Q(pk=int(ref))
        return self.filter(query).first()


class Arena(DetailUrl, Versioned):
    """Any body in which municipalities cooperate."""

    class Kind(models.TextChoices):
        STRATEGIC = "strategic", _("strategisk samarbeidsarena (n-k)")
        REGIONAL_COUNCIL = "regional_council", _("interkommunalt politisk råd (IPR)")
        JOINT_TASK_BODY = "joint_task_body", _("kommunalt oppgavefellesskap (KO)")
        HOST_ADMINISTRATIVE = "host_administrative", _("vertskommune, administrativt")
        HOST_WITH_BOARD = "host_with_board", _("vertskommune med felles folkevalgt nemnd")
        INTERMUNICIPAL_COMPANY = "intermunicipal_company", _("interkommunalt selskap (IKS)")
        PROFESSIONAL_GROUP = "professional_group", _("faggruppe")
        PROFESSIONAL_NETWORK = "professional_network", _("fagnettverk")
        LEARNING_NETWORK = "learning_network", _("læringsnettverk")
        PROJECT_FORUM = "project_forum", _("prosjektforum")
        KS_BODY = "ks_body", _("KS-organ")
        JOINT_MUNICIPALITY = "joint_municipality", _("samkommune (historisk)")
        OTHER = "other", _("annet")

    class Status(models.TextChoices):
        ACTIVE = "active", _("aktiv")
        UNDER_REVIEW = "under_review", _("under vurdering")
        CLOSING = "closing", _("under avvikling")
        CLOSED = "closed", _("avviklet")
        TRANSFERRED = "transferred", _("overført")

    class Initiator(models.TextChoices):
        MUNICIPALITY = "municipality", _("en kommune")
        MUNICIPALITIES = "municipalities", _("kommunene sammen")
        KS = "ks", _("KS")
        STATE = "state", _("staten")
        COUNTY = "county", _("fylkeskommunen")
        OTHER = "other", _("andre")

    class LegalForm(models.TextChoices):
        NONE = "", _("ikke et eget rettssubjekt / uformelt")
        IPR = "ipr", _("interkommunalt politisk råd (kommuneloven kap. 18)")
        KO = "ko", _("kommunalt oppgavefellesskap (kommuneloven kap. 19)")
        HOST = "host", _("vertskommunesamarbeid (kommuneloven kap. 20)")
        IKS = "iks", _("interkommunalt selskap (IKS-loven)")
        AS = "as", _("aksjeselskap")
        ASSOCIATION = "association", _("forening")
        COOPERATIVE = "cooperative", _("samvirkeforetak")
        JOINT_MUNICIPALITY = "joint_municipality", _("samkommune (forsøksloven, opphevet)")
        AGREEMENT = "agreement", _("avtale (kommuneloven § 17-1)")

    name = models.CharField(_("navn"), max_length=200)
    short_name = models.CharField(
        _("kortnavn"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("En annen arena har allerede dette kortnavnet.")},
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    legal_form = models.CharField(
        _("organisasjonsform"), max_length=30, choices=LegalForm.choices, blank=True
    )
    legal_basis = models.CharField(_("rettslig grunnlag"), max_length=200, blank=True)
    purpose = models.TextField(_("formål"), blank=True)
    mandate = models.TextField(_("mandat"), blank=True)
    primary_task = models.TextField(_("primæroppgave"), blank=True)
    initiator = models.CharField(
        _("initiert av"), max_length=20, choices=Initiator.choices, blank=True
    )
    initiator_municipality = municipality_fk(
        "initiated_arenas", optional=True, verbose_name=_("initiert av kommune")
    )
    initiator_other = models.CharField(_("initiert av (annen)"), max_length=200, blank=True)
    host_municipality = municipality_fk(
        "hosted_arenas", optional=True, verbose_name=_("vertskommune")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("overordnet arena"),
    )
    established = models.DateField(_("etablert"), null=True, blank=True, validators=[dates.PERIOD])
    ended = models.DateField(_("avsluttet"), null=True, blank=True, validators=[dates.PERIOD])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    transferred_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_from",
        verbose_name=_("overført til"),
    )
    status_reason = models.TextField(_("begrunnelse for avvikling/overføring"), blank=True)
    organisation_number = organisation_number_field(blank=True)
    website = models.URLField(_("nettside"), blank=True)
    next_review = models.DateField(
        _("neste gjennomgang"), null=True, blank=True, validators=[dates.PLAN]
    )
    published = published_flag()
    is_example_data = example_data_flag()

    objects = ArenaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("arena")
        verbose_name_plural = _("arenaer")
        # every arena list is in name order, 50 at a time
        indexes = [models.Index(fields=["name", "id"], name="arena_by_name")]
        constraints = [
            not_before(
                "ended",
                "established",
                "arena_ended_after_established",
                _("Avsluttet-datoen kan ikke være før etablert-datoen."),
                later_optional=True,
                earlier_optional=True,
            ),
            models.CheckConstraint(
                condition=~Q(status="transferred") | Q(transferred_to__isnull=False),
                name="transferred_arena_has_target",
                violation_error_message=_("En overført arena må ha arenaen den er overført til."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    detail_view = "arenas:arena_detail"

    @property
    def choice_label(self) -> str:
        """The arena in a choice list where another has the same name: "Navn (KORT, 2004)"
        (the short name is unique; the year it was established helps the reader)."""
        year = f", {self.established.year}" if self.established else ""
        return f"{self.name} ({self.short_name}{year})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.UNDER_REVIEW, self.Status.CLOSING)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def open_after_cessation(self) -> MembershipQuerySet:
        """Still open (or ending later) after the municipality ceased in a merger or a
        renumbering: the secretariat is asked to carry them on to the successor."""
        return self.filter(
            Q(left__isnull=True) | Q(left__gt=F("municipality__valid_to")),
            municipality__valid_to__isnull=False,
        )

    def active_on(self, day: date) -> MembershipQuerySet:
        # A municipality that ceased is no longer a member, even before follow_successors()
        # has closed its membership.
        return self.filter(
            Q(left__isnull=True) | Q(left__gte=day),
            Q(municipality__valid_to__isnull=True) | Q(municipality__valid_to__gte=day),
            joined__lte=day,
        )


class Membership(Versioned):
    """A municipality's membership of an arena over a period, anchored in a decision.
    One municipality, one vote, equal status: there is no weight to record."""

    arena = arena_fk("memberships", on_delete=models.CASCADE)
    municipality = municipality_fk("memberships")
    joined = models.DateField(_("medlem fra"), validators=[dates.PERIOD])
    left = models.DateField(_("medlem til"), null=True, blank=True, validators=[dates.PERIOD])
    decision = decision_fk("memberships_joined", verbose_name=_("vedtak om deltakelse"))
    leave_decision = decision_fk(
        "memberships_left", optional=True, verbose_name=_("vedtak om uttreden")
    )
    leave_reason = models.CharField(_("årsak til uttreden"), max_length=200, blank=True)
    next_review = models.DateField(
        _("neste gjennomgang"), null=True, blank=True, validators=[dates.PLAN]
    )
    is_example_data = example_data_flag()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["arena", "municipality__number", "joined"]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            not_before(
                "left",
                "joined",
                "membership_left_after_joined",
                _("Utmeldt-datoen kan ikke være før innmeldt-datoen."),
                later_optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} i {self.arena}"

    def is_active_on(self, day: date) -> bool:
        return (
            self.joined <= day
            and (self.left is None or day <= self.left)
            and self.municipality.is_valid_on(day)
        )
