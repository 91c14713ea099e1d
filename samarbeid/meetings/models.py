"""An arena's bodies (its board, the mayors' meeting, the chief executives' group, ...), the
members who sit in them, and their meetings with the notice, agenda, documents and minutes.

Every record carries `modified` (when it was last written), which an open-data feed reads
to hand out what changed since a given time."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.detail_url import DetailUrl
from samarbeid.core.fields import (
    arena_fk,
    example_data_flag,
    municipality_fk,
    not_before,
    published_flag,
    unique,
)
from samarbeid.core.published import PublishedQuerySet
from samarbeid.core.versioning import Versioned
from samarbeid.meetings.clock import clock, long_day

# what an agenda item is said with (kept importable from here: many modules read them so)
from samarbeid.meetings.item_terms import (
    PROPOSAL_MAX,
    LegalBasis,
    MinutesOutcome,
    item_number,
    minutes_text,
)


def modified_field() -> models.DateTimeField[Any, Any]:
    """When the record was last written (the services set it on every change)."""
    return models.DateTimeField(_("sist endret"), auto_now=True, db_index=True)


class BodyQuerySet(PublishedQuerySet["Body"]):
    """Internal users see every body; the public the bodies of published arenas."""

    THROUGH = ("arena",)


class Body(DetailUrl, Versioned):
    """A body of an arena that meets: its board, the mayors' meeting, ..."""

    class Kind(models.TextChoices):
        BOARD = "board", _("styre")
        MAYORS = "mayors", _("ordførermøte")
        CHIEF_EXECUTIVES = "chief_executives", _("rådmannsutvalg")
        PROFESSIONAL_GROUP = "professional_group", _("faggruppe")
        JOINT_BOARD = "joint_board", _("felles styringsorgan (samkommunestyre, representantskap)")
        OTHER = "other", _("annet organ")

    arena = arena_fk("bodies")
    kind = models.CharField(_("type organ"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    modified = modified_field()
    is_example_data = example_data_flag()

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["arena", "name", "pk"]
        verbose_name = _("organ")
        verbose_name_plural = _("organer")
        constraints = [
            unique(
                ["arena", "name"],
                "body_name_unique_in_arena",
                _("Arenaen har allerede et organ med dette navnet."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    detail_view = "meetings:body_detail"


class BodyMember(Versioned):
    """A municipality's seat in a body, and the person who holds it for a time."""

    class Role(models.TextChoices):
        LEADER = "leader", _("leder")
        DEPUTY_LEADER = "deputy_leader", _("nestleder")
        MEMBER = "member", _("medlem")
        DEPUTY_MEMBER = "deputy_member", _("varamedlem")
        SECRETARY = "secretary", _("sekretær")

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="members", verbose_name=_("organ")
    )
    municipality = municipality_fk("body_seats", optional=True)
    person = models.CharField(_("person"), max_length=200)
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    valid_from = models.DateField(_("fra"), validators=[dates.PERIOD])
    valid_to = models.DateField(_("til"), null=True, blank=True, validators=[dates.PERIOD])
    modified = modified_field()
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["body", "role", "person", "pk"]
        verbose_name = _("medlem av organ")
        verbose_name_plural = _("medlemmer av organ")
        constraints = [
            not_before(
                "valid_to",
                "valid_from",
                "body_member_period_in_order",
                _("«Til» kan ikke være før «fra»."),
                later_optional=True,
            )
        ]

    def __str__(self) -> str:
        where = f", {self.municipality}" if self.municipality_id else ""
        return f"{self.person} ({self.get_role_display()}{where})"

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("«Til» kan ikke være før «fra».")})

    @property
    def ends_on(self) -> Any:
        """The seat's effective end: its own `valid_to`, or the last day of its municipality
        when that came first (a seat ends with its municipality); None while open."""
        ends = self.valid_to
        municipality = self.municipality if self.municipality_id is not None else None
        gone = municipality.valid_to if municipality is not None else None
        if gone is not None and (ends is None or gone < ends):
            return gone
        return ends

    @property
    def ended_with_municipality(self) -> str:
        """Why the seat ended before its own `valid_to` said (its municipality was merged,
        renumbered, split, or ceased), "" when it did not: the register's change."""
        municipality = self.municipality if self.municipality_id is not None else None
        if municipality is None or municipality.valid_to is None:
            return ""
        if self.valid_to is not None and self.valid_to <= municipality.valid_to:
            return ""
        kinds = {change.kind for change in municipality.successor_links.all()}
        if "merger" in kinds:
            return gettext("kommunen ble slått sammen")
        if "split" in kinds:
            return gettext("kommunen ble delt")
        if "renumbering" in kinds:
            return gettext("kommunen fikk nytt nummer")
        return gettext("kommunen ble nedlagt")

    def sits_on(self, day: Any) -> bool:
        """The member's period covers `day` and its municipality exists then: a seat ends
        with its municipality (merged away, renumbered), whatever the period says."""
        if self.valid_from > day or (self.valid_to is not None and self.valid_to < day):
            return False
        municipality = self.municipality if self.municipality_id is not None else None
        return municipality is None or municipality.valid_to is None or municipality.valid_to >= day


class MeetingQuerySet(PublishedQuerySet["Meeting"]):
    """Internal users see every meeting; the public the published meetings of published
    arenas."""

    THROUGH = ("", "body__arena")


class Meeting(DetailUrl, Versioned):
    """A meeting of a body."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planlagt")
        NOTICE_SENT = "notice_sent", _("innkalling sendt")
        HELD = "held", _("avholdt")
        MINUTES_APPROVED = "minutes_approved", _("protokoll godkjent")
        CANCELLED = "cancelled", _("avlyst")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("organ")
    )
    date = models.DateField(_("dato"), validators=[dates.MEETING])
    start_time = models.TimeField(_("starttid"))
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    place = models.CharField(_("sted"), max_length=200, blank=True)
    video_link = models.URLField(_("lenke til videomøte"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    published = published_flag()
    notice_sent_on = models.DateField(_("innkalling sendt"), null=True, blank=True)
    # the notice was given outside Samarbeid (on paper, by the municipality's own e-mail) and
    # recorded here with its day; nobody was e-mailed by Samarbeid
    notice_outside = models.BooleanField(_("innkalling sendt utenfor Samarbeid"), default=False)
    # when the notice was sent from here and to whom, as it was said then (services.
    # notice.NoticeDelivery.facts(): mode, recipients, without_address); empty for one recorded
    # as sent outside Samarbeid or by the demo
    notice_sent_at = models.DateTimeField(_("innkalling sendt kl."), null=True, blank=True)
    notice_delivery = models.JSONField(_("innkallingen sendt til"), default=dict, blank=True)
    minutes_approved_on = models.DateField(
        _("protokoll godkjent"), null=True, blank=True, validators=[dates.RECORD]
    )
    minutes_approved_by = models.CharField(
        _("protokoll godkjent av"),
        max_length=300,
        blank=True,
        help_text=_("F.eks. «Møteleder og to valgte medlemmer» eller navnene."),
    )
    modified = modified_field()
    is_example_data = example_data_flag()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "pk"]
        # the meeting lists (/moter/, the API) read in date order, a page at a time
        indexes = [models.Index(fields=["date", "start_time"], name="meeting_when")]
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="meeting_ends_after_start",
                violation_error_message=_("Møtet må slutte etter at det starter."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.body.name} {self.date:%d.%m.%Y}"

    detail_view = "meetings:meeting_detail"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.place.strip() and not self.video_link.strip():
            errors["place"] = _("Skriv hvor møtet holdes, eller lenken til videomøtet.")
        if self.end_time and self.start_time and self.end_time <= self.start_time:
            errors["end_time"] = _("Møtet må slutte etter at det starter.")
        if errors:
            raise ValidationError(errors)


def _treats(to: str, verbose_name: Any) -> models.ForeignKey[Any, Any]:
    """What an agenda item treats (one of a case, a project, a review round, a plan): kept
    when that record is deleted, the item then treating its text only."""
    return models.ForeignKey(
        to,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=verbose_name,
    )


class AgendaItemQuerySet(PublishedQuerySet["AgendaItem"]):
    """The items of the meetings a user sees (MeetingQuerySet's rule, by joins rather than
    a subquery of every meeting); a closed item's title too: what it withholds is the
    page's and the file view's to leave out."""

    THROUGH = ("meeting", "meeting__body__arena")


class AgendaItem(Versioned):
    """An item on a meeting's agenda ("Sak 12/26"). Numbered per body and year when the
    notice is sent (an item added later gets the next number at once); the number never
    changes after. It treats a governance case, a project, a review round, a strategic
    plan, or what its text says."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("møte")
    )
    # the body and year the number counts in (set by the services from the meeting)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="items", verbose_name=_("organ")
    )
    year = models.PositiveSmallIntegerField(_("år"), null=True, blank=True)
    number = models.PositiveIntegerField(_("saksnummer"), null=True, blank=True)
    position = models.PositiveIntegerField(_("rekkefølge"), default=1)
    title = models.CharField(_("tittel"), max_length=300)
    description = models.TextField(_("saksframstilling"), blank=True)
    # the secretariat's proposal for a decision (innstilling), sent with the notice; minutes
    # that record the item adopted as it stood take it as their decision text
    proposal = models.TextField(
        _("forslag til vedtak"),
        blank=True,
        max_length=PROPOSAL_MAX,
        validators=[MaxLengthValidator(PROPOSAL_MAX)],  # the service's too, not only the form's
        help_text=_(
            "Det styret blir bedt om å vedta. Står vedtaket tomt i protokollen når saken "
            "vedtas, brukes forslaget."
        ),
    )
    case = _treats("governance.Case", _("sak"))
    project = _treats("portfolio.Project", _("prosjekt"))
    review_round = _treats("review.ReviewRound", _("gjennomgang"))
    strategic_plan = _treats("strategy.StrategicPlan", _("strategisk plan"))
    closed = models.BooleanField(
        _("unntatt offentlighet"),
        default=False,
        help_text=_(
            "Offentligheten ser sakens tittel og hjemmelen, ikke saksframstillingen eller "
            "dokumentene."
        ),
    )
    legal_basis = models.CharField(
        _("hjemmel"), max_length=20, choices=LegalBasis.choices, blank=True
    )
    legal_basis_text = models.CharField(
        _("annen hjemmel"), max_length=200, blank=True, help_text=_("Når hjemmelen er «annen».")
    )
    closed_reason = models.TextField(
        _("begrunnelse"),
        blank=True,
        help_text=_("Hvorfor saken er unntatt (vises ikke offentlig)."),
    )
    # the minutes ("protokoll"): how the item was treated and what was decided
    treatment = minutes_text(_("behandling"))
    decision_text = minutes_text(_("vedtak"))
    outcome = models.CharField(
        _("utfall"), max_length=30, choices=MinutesOutcome.choices, blank=True
    )
    decision = models.OneToOneField(
        "governance.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_item",
        verbose_name=_("vedtak i saksbehandlingen"),
        help_text=_("Vedtaket som er ført i sakens behandlinger fra protokollen."),
        error_messages={"unique": _("Vedtaket er allerede ført fra en annen sak i sakskartet.")},
    )
    modified = modified_field()
    is_example_data = example_data_flag()

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("sak i sakskartet")
        verbose_name_plural = _("saker i sakskartet")
        constraints = [
            unique(
                ["body", "year", "number"],
                "agenda_item_number_unique_per_body_year",
                _("Organet har allerede en sak med dette nummeret i år."),
                condition=Q(number__isnull=False),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(year__isnull=False),
                name="agenda_item_number_has_year",
                violation_error_message=_("Et saksnummer hører til et år."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """ "Sak 12/26", or "Sak" before the notice gives it its number."""
        if not self.number_label:
            return str(_("Sak (nummereres ved innkalling)"))
        return _("Sak %(number)s") % {"number": self.number_label}

    @property
    def named(self) -> str:
        """The item in a sentence: "sak 12/26 «Felles IKT»", or "«Felles IKT»" unnumbered."""
        if not self.number_label:
            return _("«%(t)s»") % {"t": self.title}
        return _("sak %(number)s «%(t)s»") % {"number": self.number_label, "t": self.title}

    @property
    def number_label(self) -> str:
        """ "12/26" (the body's number and the year), or "" before the notice numbers it."""
        return item_number(self.number, self.year)

    @property
    def basis_label(self) -> str:
        """The legal basis as shown, e.g. "offl. § 14 (organinternt dokument)"."""
        if self.legal_basis == LegalBasis.OTHER:
            return self.legal_basis_text
        return str(self.get_legal_basis_display()) if self.legal_basis else ""

    @property
    def linked(self) -> Any:
        """The record the item treats, if any."""
        return self.case or self.project or self.review_round or self.strategic_plan

    def get_absolute_url(self) -> str:
        """The item's place in its meeting's agenda (an item has no page of its own; the
        meeting's id, not the meeting, so that a list of items reads no meetings)."""
        return reverse("meetings:meeting_detail", args=[self.meeting_id]) + f"#sak-{self.pk}"


def document_path(document: MeetingDocument, filename: str) -> str:
    """Where a document is stored: under its meeting, by a random name (the name the user
    gave is kept on the record; a stored name says nothing and cannot be guessed)."""
    ext = filename.rpartition(".")[2].lower() if "." in filename else "bin"
    return f"meetings/{document.meeting_id}/{uuid.uuid4().hex}.{ext}"


class MeetingDocument(DetailUrl, Versioned):
    """A file attached to a meeting or one of its items: the notice, a case presentation,
    an appendix, the minutes. Stored through Django's storage API; served only by the view
    that checks the user may see it."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("innkalling")
        CASE_PRESENTATION = "case_presentation", _("saksframlegg")
        APPENDIX = "appendix", _("vedlegg")
        MINUTES = "minutes", _("protokoll")
        OTHER = "other", _("annet")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("møte")
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("sak"),
    )
    title = models.CharField(_("tittel"), max_length=300)
    date = models.DateField(_("dato"), validators=[dates.PLAN])
    kind = models.CharField(_("type dokument"), max_length=30, choices=Kind.choices)
    file = models.FileField(_("fil"), upload_to=document_path, max_length=300)
    filename = models.CharField(_("filnavn"), max_length=255)
    content_type = models.CharField(_("filtype"), max_length=100)
    size = models.PositiveIntegerField(_("størrelse (byte)"))
    modified = modified_field()
    is_example_data = example_data_flag()

    class Meta:
        ordering = ["meeting", "item", "date", "pk"]
        verbose_name = _("møtedokument")
        verbose_name_plural = _("møtedokumenter")

    def __str__(self) -> str:
        return self.title

    detail_view = "meetings:document_file"


class Attendance(models.Model):
    """A member present at a meeting (the minutes' list of who was there)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("møte")
    )
    member = models.ForeignKey(
        BodyMember, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("medlem")
    )
    modified = modified_field()

    class Meta:
        ordering = ["meeting", "member__role", "member__person", "pk"]
        verbose_name = _("frammøte")
        verbose_name_plural = _("frammøte")
        constraints = [
            unique(
                ["meeting", "member"],
                "attendance_once",
                _("Medlemmet er allerede ført som til stede."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.person} ({self.meeting})"


class NoticeChange(models.Model):
    """What changed after a meeting's notice went out, as the amended notice ("Endret
    innkalling") or the supplementary one ("Tilleggssak") said it: the day, time and place
    before and after, or the item added. Written once with the change (audited); the
    e-mail, the meeting page and the audit read the same record."""

    class Kind(models.TextChoices):
        AMENDED = "amended", _("endret innkalling")
        SUPPLEMENTARY = "supplementary", _("tilleggssak")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="notice_changes", verbose_name=_("møte")
    )
    kind = models.CharField(_("type endring"), max_length=20, choices=Kind.choices)
    made = models.DateTimeField(_("endret"), default=timezone.now)
    old_date = models.DateField(_("dato før"), null=True, blank=True)
    new_date = models.DateField(_("dato etter"), null=True, blank=True)
    old_start_time = models.TimeField(_("starttid før"), null=True, blank=True)
    new_start_time = models.TimeField(_("starttid etter"), null=True, blank=True)
    old_end_time = models.TimeField(_("sluttid før"), null=True, blank=True)
    new_end_time = models.TimeField(_("sluttid etter"), null=True, blank=True)
    old_place = models.CharField(_("sted før"), max_length=200, blank=True)
    new_place = models.CharField(_("sted etter"), max_length=200, blank=True)
    old_video_link = models.URLField(_("videolenke før"), max_length=500, blank=True)
    new_video_link = models.URLField(_("videolenke etter"), max_length=500, blank=True)
    # the item added (a supplementary notice), its number and title as they were sent
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sak"),
    )
    item_year = models.PositiveSmallIntegerField(_("sakens år"), null=True, blank=True)
    item_number = models.PositiveIntegerField(_("sakens nummer"), null=True, blank=True)
    item_title = models.CharField(_("sakens tittel"), max_length=300, blank=True)
    # to whom the amended or supplementary notice was sent (services.notice.NoticeDelivery.facts())
    delivery = models.JSONField(_("sendt til"), default=dict, blank=True)
    modified = modified_field()

    class Meta:
        ordering = ["meeting", "made", "pk"]
        verbose_name = _("endring etter innkallingen")
        verbose_name_plural = _("endringer etter innkallingen")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.meeting}"

    def describe(self) -> list[str]:
        """What changed, one sentence each, in the active language: "Møtet er flyttet fra
        tirsdag 3. mars 2026 kl. 09.00 til onsdag 4. mars 2026 kl. 10.00.", "Nytt møtested:
        Rådhuset (var: Kulturhuset).", "Ny sak i sakskartet: Sak 4/26 Tittel."."""
        if self.kind == self.Kind.SUPPLEMENTARY:
            number = item_number(self.item_number, self.item_year)
            reference = gettext("Sak %(number)s") % {"number": number} if number else gettext("Sak")
            return [
                gettext("Ny sak i sakskartet: %(ref)s %(title)s.")
                % {"ref": reference, "title": self.item_title}
            ]
        lines: list[str] = []
        if (self.old_date, self.old_start_time) != (self.new_date, self.new_start_time):
            lines.append(
                gettext("Møtet er flyttet fra %(old)s til %(new)s.")
                % {
                    "old": self._moment(self.old_date, self.old_start_time),
                    "new": self._moment(self.new_date, self.new_start_time),
                }
            )
        lines.extend(self._end_line())
        if self.old_place != self.new_place:
            if not self.new_place:
                gone = gettext("Møtet holdes ikke lenger på %(old)s.")
                lines.append(gone % {"old": self.old_place})
            elif self.old_place:
                lines.append(
                    gettext("Nytt møtested: %(new)s (var: %(old)s).")
                    % {"new": self.new_place, "old": self.old_place}
                )
            else:
                lines.append(gettext("Nytt møtested: %(new)s.") % {"new": self.new_place})
        if self.old_video_link != self.new_video_link:
            if self.new_video_link:
                lines.append(
                    gettext("Ny lenke til videomøtet: %(new)s.") % {"new": self.new_video_link}
                )
            else:
                lines.append(gettext("Lenken til videomøtet er tatt bort."))
        return lines

    @staticmethod
    def _moment(day: Any, start: Any) -> str:
        if day is None or start is None:
            return "–"
        return gettext("%(day)s kl. %(time)s") % {"day": long_day(day), "time": clock(start)}

    def _end_line(self) -> list[str]:
        old, new = self.old_end_time, self.new_end_time
        if old == new:
            return []
        if new is None:
            return [gettext("Møtet har ikke lenger en fastsatt sluttid (var: kl. %(old)s).")
                    % {"old": clock(old)}]  # fmt: skip
        if old is None:
            return [gettext("Møtet slutter kl. %(new)s.") % {"new": clock(new)}]
        return [
            gettext("Møtet slutter kl. %(new)s (var: kl. %(old)s).")
            % {"new": clock(new), "old": clock(old)}
        ]
