"""Workshops (samlinger): groups answer questions on their phones, the plenary sums up.

A group reaches its page through an unguessable link. The token is never stored: it is an
HMAC of the group's random nonce under the site's secret key, so the facilitator can show
the link and QR code again, while the database holds only the nonce and the token's hash
(used for the lookup)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
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
from samarbeid.core.published import PublishedQuerySet
from samarbeid.core.versioning import Versioned
from samarbeid.lib.text import one_per_line

MAX_ANSWER_CHARS = 2000
MAX_THEME_CHARS = 120
MAX_THEMES_LIMIT = 10


class WorkshopQuerySet(PublishedQuerySet["Workshop"]):
    THROUGH = ("", "arena")  # a workshop of an unpublished arena is not public


class Workshop(DetailUrl, Versioned):
    """A gathering where groups of participants answer questions and the plenary sums up."""

    arena = arena_fk("workshops")
    title = models.CharField(_("tittel"), max_length=200)
    date = models.DateField(_("dato"), validators=[dates.PLAN])
    place = models.CharField(_("sted"), max_length=200, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    links_expire = models.DateField(
        _("gruppelenker gyldige til og med"),
        null=True,
        blank=True,
        help_text=_("Etter denne datoen virker ikke gruppenes lenker lenger. Tom: ingen utløp."),
        validators=[dates.PLAN],
    )
    published = published_flag()
    is_example_data = example_data_flag()

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("samling")
        verbose_name_plural = _("samlinger")
        constraints = [
            not_before(
                "links_expire",
                "date",
                "workshop_links_expire_after_date",
                _("Lenkene kan ikke utløpe før samlingens dato."),
                later_optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"

    detail_view = "workshops:detail"

    def clean(self) -> None:
        if self.links_expire and self.date and self.links_expire < self.date:
            raise ValidationError(
                {"links_expire": _("Lenkene kan ikke utløpe før samlingen er holdt.")}
            )

    def links_valid_on(self, day: dt.date) -> bool:
        return self.links_expire is None or day <= self.links_expire


class Group(Versioned):
    """A working group. Its members reach their answer page through the group's link."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="groups", verbose_name=_("samling")
    )
    name = models.CharField(_("navn"), max_length=100)
    nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["workshop", "name"]
        verbose_name = _("gruppe")
        verbose_name_plural = _("grupper")
        constraints = [
            unique(
                ["workshop", "name"],
                "unique_group_name",
                _("Samlingen har allerede en gruppe med dette navnet."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def token_for(nonce: str) -> str:
        key = hashlib.sha256(f"samarbeid.workshops.group:{settings.SECRET_KEY}".encode()).digest()
        digest = hmac.new(key, nonce.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def token(self) -> str:
        return self.token_for(self.nonce)

    def get_group_url(self) -> str:
        return reverse("workshops:group_page", args=[self.token])


class Participant(Versioned):
    """A person at the workshop, from a municipality, possibly placed in a group."""

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="participants", verbose_name=_("samling")
    )
    name = models.CharField(_("navn"), max_length=200)
    municipality = municipality_fk("+", optional=True)
    role = models.CharField(_("rolle"), max_length=100, blank=True)
    group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("gruppe"),
    )

    class Meta:
        ordering = ["workshop", "name"]
        verbose_name = _("deltaker")
        verbose_name_plural = _("deltakere")

    def __str__(self) -> str:
        return self.name


class Question(DetailUrl, Versioned):
    class Kind(models.TextChoices):
        OPEN = "open", _("åpent svar")
        RANKED = "ranked", _("rangert liste med temaer")
        PROS_CONS = "pros_cons", _("fordeler og ulemper ved gitte alternativer")

    class Status(models.TextChoices):
        DRAFT = "draft", _("ikke åpnet")
        OPEN = "open", _("åpen for svar")
        CLOSED = "closed", _("lukket")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="questions", verbose_name=_("samling")
    )
    label = models.CharField(_("merke"), max_length=10, blank=True, help_text=_("F.eks. «A»."))
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=1)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("spørsmål"))
    guidance = models.TextField(_("veiledning"), blank=True)
    min_themes = models.PositiveSmallIntegerField(_("minst antall temaer"), default=1)
    max_themes = models.PositiveSmallIntegerField(_("høyst antall temaer"), default=5)
    alternatives = models.TextField(
        _("alternativer"), blank=True, help_text=_("Ett alternativ per linje.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    class Meta:
        ordering = ["workshop", "order", "id"]
        verbose_name = _("spørsmål")
        verbose_name_plural = _("spørsmål")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_themes__gte=1)
                & Q(max_themes__gte=models.F("min_themes"))
                & Q(max_themes__lte=MAX_THEMES_LIMIT),
                name="question_theme_bounds",
                violation_error_message=_(
                    "Antall temaer: minst 1, høyst 10, og høyeste kan ikke være under laveste."
                ),
            ),
        ]

    def __str__(self) -> str:
        prefix = f"{self.label}. " if self.label else ""
        return f"{prefix}{self.text[:80]}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.min_themes is not None and self.min_themes < 1:
            errors["min_themes"] = gettext("Minst ett tema.")
        if self.max_themes is not None and self.max_themes > MAX_THEMES_LIMIT:
            errors["max_themes"] = gettext("Høyst %(n)d temaer.") % {"n": MAX_THEMES_LIMIT}
        elif (
            self.max_themes is not None
            and self.min_themes is not None
            and self.max_themes < self.min_themes
        ):
            errors["max_themes"] = gettext("Høyst antall kan ikke være mindre enn minst antall.")
        if errors:
            raise ValidationError(errors)

    def alternative_list(self) -> list[str]:
        return one_per_line(self.alternatives)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    detail_view = "workshops:plenary"  # a question's page is its plenary


class Answer(Versioned):
    """One group's answer to one question. Edited in place until the question closes."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("spørsmål")
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="answers", verbose_name=_("gruppe")
    )
    text = models.TextField(_("svar"), blank=True)
    # Ranked: the themes in the group's order, most important first.
    themes = models.JSONField(_("temaer"), default=list, blank=True)
    # Pros and cons: one {"pros": str, "cons": str} per alternative, in the question's order.
    pros_cons = models.JSONField(_("fordeler og ulemper"), default=list, blank=True)
    updated = models.DateTimeField(_("sist endret"), auto_now=True)

    class Meta:
        ordering = ["question", "group__name"]
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [
            unique(
                ["question", "group"],
                "one_answer_per_group",
                _("Gruppen har allerede svart på dette spørsmålet."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.question}"


class ThemeMerge(Versioned):
    """The facilitator's decision that theme `source` means the same as `target`.
    Merges may chain (a → b → c); the aggregation refuses cycles. Deleting it undoes it."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="merges", verbose_name=_("spørsmål")
    )
    source = models.CharField(_("tema"), max_length=MAX_THEME_CHARS)
    target = models.CharField(_("slått sammen med"), max_length=MAX_THEME_CHARS)
    created = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        ordering = ["question", "created", "id"]
        verbose_name = _("sammenslåing av temaer")
        verbose_name_plural = _("sammenslåinger av temaer")
        constraints = [
            unique(
                ["question", "source"],
                "one_merge_per_source",
                _("Temaet er allerede slått sammen med et annet."),
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")),
                name="merge_not_self",
                violation_error_message=_("Et tema kan ikke slås sammen med seg selv."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class ThemeOutcome(models.Model):
    """A prioritised theme turned into work: a project idea (or a cooperation proposal),
    keeping the link back to the workshop question it came from."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("spørsmål")
    )
    theme = models.CharField(_("tema"), max_length=MAX_THEME_CHARS)
    project = project_fk("workshop_outcomes", on_delete=models.SET_NULL, optional=True)
    proposal = models.ForeignKey(
        "review.CooperationProposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workshop_outcomes",
        verbose_name=_("samarbeidsforslag"),
    )
    created = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        ordering = ["question", "created", "id"]
        verbose_name = _("resultat av tema")
        verbose_name_plural = _("resultater av temaer")

    def __str__(self) -> str:
        return self.theme

    @property
    def target(self) -> models.Model | None:
        return self.project or self.proposal

    def target_url(self) -> str:
        """The link to the project or proposal (empty while that page does not exist)."""
        target = self.target
        if target is None:
            return ""
        try:
            return str(target.get_absolute_url())  # type: ignore[attr-defined]
        except NoReverseMatch:
            return ""
