"""Reviewing arenas ("rydding i arenaer"), cooperation proposals and the choice of model."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from samarbeid.accounts.permissions import is_internal
from samarbeid.core import dates
from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import (
    arena_fk,
    decision_fk,
    example_data_flag,
    money_field,
    municipality_fk,
    non_negative,
    project_fk,
    published_flag,
    unique,
)
from samarbeid.core.published import PublishedQuerySet
from samarbeid.core.versioning import Versioned
from samarbeid.lib.text import one_per_line

if TYPE_CHECKING:
    from samarbeid.planning.models import CooperationNeed


# --- review rounds ----------------------------------------------------------------------------


class ReviewRound(DetailUrl, Versioned):
    """A review of a chosen set of arenas and projects against the reviewing body's primary
    task (seed 000: KS Vestfold's projects against "arbeidsgiverrollen og rammebetingelser").
    A decision of the reviewing body confirms the recommendations; applying it closes or
    transfers what falls outside."""

    title = models.CharField(_("tittel"), max_length=200)
    arena = arena_fk("review_rounds", verbose_name=_("gjennomgående organ"))
    primary_task = models.TextField(_("primæroppgave"))
    opened = models.DateField(_("startet"), validators=[dates.RECORD])
    case = models.ForeignKey(
        "governance.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_rounds",
        verbose_name=_("sak"),
    )
    decision = decision_fk("review_rounds", optional=True)
    applied_on = models.DateField(
        _("gjennomført"), null=True, blank=True, validators=[dates.RECORD]
    )
    # A round weighs whether arenas should close: it stays internal until the secretariat
    # publishes it on purpose.
    published = published_flag(default=False)
    is_example_data = example_data_flag()

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened", "title"]
        verbose_name = _("gjennomgang")
        verbose_name_plural = _("gjennomganger")

    def __str__(self) -> str:
        return self.title

    detail_view = "review:round_detail"

    @property
    def state(self) -> str:
        if self.applied_on:
            return str(_("gjennomført"))
        if self.decision_id:
            return str(_("vedtatt"))
        return str(_("under arbeid"))


class ReviewItem(Versioned):
    """One arena or project in a review round, with the answer and the recommendation."""

    class Serves(models.TextChoices):
        UNKNOWN = "", _("ikke vurdert")
        YES = "yes", _("ja")
        PARTLY = "partly", _("delvis")
        NO = "no", _("nei")

    class Recommendation(models.TextChoices):
        NONE = "", _("ingen anbefaling ennå")
        CONTINUE = "continue", _("videreføre")
        CLOSE = "close", _("avvikle")
        TRANSFER = "transfer", _("overføre til annen arena")
        MERGE = "merge", _("slå sammen med annen arena")

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="items", verbose_name=_("gjennomgang")
    )
    arena = arena_fk("review_items", optional=True)
    project = project_fk("review_items", on_delete=models.PROTECT, optional=True)
    serves_primary_task = models.CharField(
        _("tjener primæroppgaven"), max_length=10, choices=Serves.choices, blank=True
    )
    recommendation = models.CharField(
        _("anbefaling"), max_length=10, choices=Recommendation.choices, blank=True
    )
    target_arena = arena_fk("review_targets", optional=True, verbose_name=_("til arena"))
    reason = models.TextField(_("begrunnelse"), blank=True)
    outcome = models.CharField(_("resultat av gjennomføringen"), max_length=200, blank=True)
    # What the clerk types over the figures worked out from the records (review.services.
    # activity): empty means the worked-out figure is shown.
    activity_note = models.CharField(
        _("aktivitet (skrevet inn)"),
        max_length=200,
        blank=True,
        help_text=_("Tomt: aktiviteten regnes ut fra det som er registrert i perioden."),
    )
    cost_override = money_field(
        _("kostnad i perioden (skrevet inn, kr)"),
        optional=True,
        help_text=_("Tomt: kostnaden regnes ut fra budsjett og fakturaer i perioden."),
    )
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("punkt i gjennomgang")
        verbose_name_plural = _("punkter i gjennomgang")
        constraints = [
            models.CheckConstraint(
                condition=Q(arena__isnull=False, project__isnull=True)
                | Q(arena__isnull=True, project__isnull=False),
                name="review_item_arena_or_project",
                violation_error_message=_("Et punkt gjelder enten en arena eller et prosjekt."),
            ),
            models.CheckConstraint(
                condition=~Q(recommendation__in=["transfer", "merge"])
                | Q(target_arena__isnull=False),
                name="review_item_transfer_has_target",
                violation_error_message=_(
                    "Velg arenaen som skal overta: en anbefaling om å overføre eller slå sammen "
                    "må ha en mottakende arena."
                ),
            ),
            unique(
                ["round", "arena"],
                "review_item_unique_arena",
                _("Arenaen er allerede med i gjennomgangen."),
            ),
            unique(
                ["round", "project"],
                "review_item_unique_project",
                _("Prosjektet er allerede med i gjennomgangen."),
            ),
            non_negative(
                "cost_override",
                "review_item_cost_not_negative",
                _("Kostnaden kan ikke være negativ."),
                optional=True,
            ),
        ]

    def __str__(self) -> str:
        return str(self.subject)

    @property
    def subject(self) -> object:
        return self.arena if self.arena_id else self.project

    @property
    def needs_target(self) -> bool:
        return self.recommendation in (self.Recommendation.TRANSFER, self.Recommendation.MERGE)


# --- cooperation proposals ----------------------------------------------------------------------


class ProposedForm(models.TextChoices):
    """The legal forms of kommuneloven § 17-1 a proposal can choose (PRODUCT.md); the codes
    are those of `samarbeid.lib.legal_forms.FORMS`."""

    UNDECIDED = "", _("ikke valgt")
    IPR = "ipr", _("interkommunalt politisk råd (IPR)")
    KO = "ko", _("kommunalt oppgavefellesskap (KO)")
    HOST_ADMIN = "host_admin", _("administrativt vertskommunesamarbeid")
    HOST_BOARD = "host_board", _("vertskommune med felles folkevalgt nemnd")
    IKS = "iks", _("interkommunalt selskap (IKS)")
    AS = "as", _("aksjeselskap")
    SAMVIRKE = "samvirke", _("samvirkeforetak")
    FORENING = "forening", _("forening")
    AGREEMENT = "agreement", _("avtale uten egen organisering")


# The longest text a proposal's free-text fields take (a need, a mandate, evidence): a few
# pages; an integrator's trial saved a need of 100 000 characters.
PROPOSAL_TEXT_MAX = 5000
# a TextField's max_length is only its form's: the validator makes the services refuse too
LONG_TEXT = [MaxLengthValidator(PROPOSAL_TEXT_MAX)]


class OptionalArenaQuerySet(PublishedQuerySet[Any]):
    """Records whose arena is optional (a proposal, a comparison) are public when they are
    published and so is their arena, if they have one (a proposal of an unpublished arena
    named it to the public, an integrator's trial found). `THROUGH`'s "arena" would leave
    out those of no arena."""

    def visible_to(self, user: Any) -> Self:
        visible = super().visible_to(user)
        if is_internal(user):
            return visible
        return visible.filter(Q(arena__isnull=True) | Q(arena__published=True))


class ComparisonQuerySet(OptionalArenaQuerySet):
    def with_proposal_readable(self, user: Any) -> Self:
        """Annotated `proposal_visible`: whether `user` may read the proposal compared for
        (the page names it, the API gives its id, only then), in the same query."""
        readable = CooperationProposal.objects.visible_to(user).filter(pk=OuterRef("proposal"))
        return self.annotate(proposal_visible=Exists(readable)).annotate(
            # the API's `proposal`: the id, or None for a reader who may not follow it
            proposal_shown=Case(
                When(proposal_visible=True, then=F("proposal_id")),
                default=Value(None),
                output_field=models.IntegerField(),
            )
        )


class CooperationProposal(DetailUrl, Versioned):
    """A proposed cooperation, checked against the county governor's criteria (seed 002)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("under arbeid")
        READY = "ready", _("klar til vedtak")
        DECIDED = "decided", _("vedtatt")
        REJECTED = "rejected", _("ikke vedtatt")
        WITHDRAWN = "withdrawn", _("trukket")

    title = models.CharField(_("tittel"), max_length=200)
    need = models.TextField(_("behov"), max_length=PROPOSAL_TEXT_MAX, validators=LONG_TEXT)
    expected_effect = models.TextField(
        _("forventet effekt"), blank=True, max_length=PROPOSAL_TEXT_MAX, validators=LONG_TEXT
    )
    arena = arena_fk("cooperation_proposals", optional=True)
    partners_asked = models.TextField(
        _("samarbeidspartnere spurt"),
        blank=True,
        max_length=PROPOSAL_TEXT_MAX,
        validators=LONG_TEXT,
    )
    partners_asked_on = models.DateField(
        _("spurt dato"), null=True, blank=True, validators=[dates.RECORD]
    )
    proposed_form = models.CharField(
        _("foreslått form"), max_length=30, choices=ProposedForm.choices, blank=True
    )
    mandate = models.TextField(
        _("mandat"), blank=True, max_length=PROPOSAL_TEXT_MAX, validators=LONG_TEXT
    )
    needs = models.JSONField(
        _("krav til samarbeidsformen"),
        default=list,
        blank=True,
        help_text=_("Brukes av rådgiveren for organisasjonsform."),
    )
    source = models.CharField(_("kilde"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    override_reason = models.TextField(
        _("begrunnelse for å gå videre med åpne kriterier"),
        blank=True,
        max_length=PROPOSAL_TEXT_MAX,
        validators=LONG_TEXT,
    )
    ready_on = models.DateField(
        _("klar til vedtak"), null=True, blank=True, validators=[dates.RECORD]
    )
    published = published_flag()
    is_example_data = example_data_flag()
    # the needs of municipalities' planning strategies the proposal starts from (each link a
    # record of its own, written and audited through the services)
    planning_needs: models.ManyToManyField[CooperationNeed, ProposalNeed] = models.ManyToManyField(
        "planning.CooperationNeed",
        through="ProposalNeed",
        blank=True,
        related_name="proposals",
        verbose_name=_("behov fra planstrategier"),
    )

    objects = OptionalArenaQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("samarbeidsforslag")
        verbose_name_plural = _("samarbeidsforslag")

    def __str__(self) -> str:
        return self.title

    detail_view = "review:proposal_detail"


class ProposalNeed(models.Model):
    """A cooperation proposal starts from a need a municipality's planning strategy names.
    The need cannot be deleted while a proposal builds on it (PROTECT)."""

    proposal = models.ForeignKey(
        CooperationProposal,
        on_delete=models.CASCADE,
        related_name="need_links",
        verbose_name=_("forslag"),
    )
    need = models.ForeignKey(
        "planning.CooperationNeed",
        on_delete=models.PROTECT,
        related_name="proposal_links",
        verbose_name=_("samarbeidsbehov"),
    )

    class Meta:
        ordering = ["proposal", "pk"]
        verbose_name = _("behov forslaget bygger på")
        verbose_name_plural = _("behov forslaget bygger på")
        constraints = [
            unique(
                ["proposal", "need"],
                "one_link_per_need",
                _("Forslaget bygger allerede på dette behovet."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} ← {self.need}"


class Criterion(models.TextChoices):
    """The county governor's criteria for a cooperation (seed 002, slide 8)."""

    KNOW_WHY = "know_why", _("Vite hvorfor: behov og forventet effekt er utredet")
    PARTNERS_EARLY = "partners_early", _("Samarbeidspartnere er søkt tidlig")
    FORM_AND_MANDATE = "form_and_mandate", _("Nivå/form, tydelige rammer og mandat er valgt")
    INTERNAL_AGREEMENT = "internal_agreement", _("Internt enige om å inngå samarbeidet")
    DEMOCRATIC_DILEMMAS = "democratic_dilemmas", _("Demokratiske dilemmaer er håndtert")
    OWNERSHIP = "ownership", _("Eierstrategi og system for styring er laget, og brukes")
    STATUS_REVIEWS = "status_reviews", _("Jevnlige statusgjennomganger er planlagt")
    EXIT_KNOWN = "exit_known", _("Alternativet og konsekvensen av å trekke seg ut er kjent")


class ProposalCriterion(Versioned):
    class State(models.TextChoices):
        OPEN = "open", _("åpen")
        IN_PROGRESS = "in_progress", _("under arbeid")
        MET = "met", _("oppfylt")

    proposal = models.ForeignKey(
        CooperationProposal,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("forslag"),
    )
    key = models.CharField(_("kriterium"), max_length=30, choices=Criterion.choices)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.OPEN)
    evidence = models.TextField(
        _("dokumentasjon"), blank=True, max_length=PROPOSAL_TEXT_MAX, validators=LONG_TEXT
    )

    class Meta:
        ordering = ["proposal", "id"]
        verbose_name = _("kriterium")
        verbose_name_plural = _("kriterier")
        constraints = [
            unique(
                ["proposal", "key"],
                "one_criterion_per_key",
                _("Forslaget har allerede dette kriteriet."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_key_display())


# --- model comparison -----------------------------------------------------------------------------


class ModelComparison(DetailUrl, Versioned):
    """Alternatives for how to cooperate, compared on weighted criteria (seed 004)."""

    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    arena = arena_fk("model_comparisons", optional=True)
    proposal = models.ForeignKey(
        CooperationProposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comparisons",
        verbose_name=_("samarbeidsforslag"),
    )
    scale_max = models.PositiveSmallIntegerField(_("høyeste poeng"), default=10)
    published = published_flag()
    is_example_data = example_data_flag()

    objects = ComparisonQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("sammenligning av modeller")
        verbose_name_plural = _("sammenligninger av modeller")

    def __str__(self) -> str:
        return self.title

    detail_view = "review:comparison_detail"


class Alternative(Versioned):
    class Kind(models.TextChoices):
        CONTINUE_TRIAL = "continue_trial", _("fortsette forsøket")
        EXTEND = "extend", _("forlenge")
        BACK_TO_START = "back_to_start", _("tilbake til start")
        LEGAL_FORM = "legal_form", _("organisasjonsform")
        OTHER = "other", _("annet")

    comparison = models.ForeignKey(
        ModelComparison,
        on_delete=models.CASCADE,
        related_name="alternatives",
        verbose_name=_("sammenligning"),
    )
    name = models.CharField(_("alternativ"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    form = models.CharField(
        _("organisasjonsform"), max_length=30, choices=ProposedForm.choices, blank=True
    )
    pros = models.TextField(_("fordeler"), blank=True, help_text=_("Én per linje."))
    cons = models.TextField(_("ulemper"), blank=True, help_text=_("Én per linje."))

    class Meta:
        ordering = ["comparison", "id"]
        verbose_name = _("alternativ")
        verbose_name_plural = _("alternativer")
        constraints = [
            unique(
                ["comparison", "name"],
                "unique_alternative_name",
                _("Sammenligningen har allerede et alternativ med dette navnet."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def pros_list(self) -> list[str]:
        return one_per_line(self.pros)

    @property
    def cons_list(self) -> list[str]:
        return one_per_line(self.cons)


class ComparisonCriterion(Versioned):
    comparison = models.ForeignKey(
        ModelComparison,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("sammenligning"),
    )
    name = models.CharField(_("kriterium"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("vekt (0–100)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["comparison", "id"]
        verbose_name = _("kriterium i sammenligning")
        verbose_name_plural = _("kriterier i sammenligning")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100),
                name="criterion_weight_0_100",
                violation_error_message=_("Vekten må være et helt tall fra 0 til 100."),
            ),
            unique(
                ["comparison", "name"],
                "unique_criterion_name",
                _("Sammenligningen har allerede et kriterium med dette navnet."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ComparisonParticipant(Versioned):
    """Who scores: a municipality or a group (e.g. a group in the seminar's group work)."""

    comparison = models.ForeignKey(
        ModelComparison,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("sammenligning"),
    )
    name = models.CharField(_("deltaker eller gruppe"), max_length=200)
    municipality = municipality_fk("+", optional=True)

    class Meta:
        ordering = ["comparison", "id"]
        verbose_name = _("deltaker i sammenligning")
        verbose_name_plural = _("deltakere i sammenligning")
        constraints = [
            unique(
                ["comparison", "name"],
                "unique_participant_name",
                _("Sammenligningen har allerede en deltaker med dette navnet."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Score(Versioned):
    alternative = models.ForeignKey(
        Alternative, on_delete=models.CASCADE, related_name="scores", verbose_name=_("alternativ")
    )
    criterion = models.ForeignKey(
        ComparisonCriterion,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("kriterium"),
    )
    participant = models.ForeignKey(
        ComparisonParticipant,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("deltaker"),
    )
    value = models.PositiveSmallIntegerField(_("poeng"))
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["alternative", "criterion", "participant"]
        verbose_name = _("poeng")
        verbose_name_plural = _("poeng")
        constraints = [
            unique(
                ["alternative", "criterion", "participant"],
                "one_score_per_cell",
                _("Deltakeren har allerede gitt poeng for dette alternativet og kriteriet."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.alternative} / {self.criterion} = {self.value}"
