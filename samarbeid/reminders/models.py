"""Each person's choice of reminders, and what has been sent to whom."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samarbeid.core.fields import unique
from samarbeid.core.versioning import Versioned

# What the digest can hold: the dashboard's sections (portal.dashboard), by slug. The
# deadlines are on by default; drafts and invoices to pay are the clerk's own choice.
KINDS: list[tuple[str, Any]] = [  # (slug, label: a lazy translation)
    ("treatments", _("Saker kommunen skal behandle")),
    ("benefits", _("Gevinster som har passert måldatoen")),
    ("reviews", _("Medlemskap som skal gjennomgås")),
    ("invoices", _("Fakturaer til betaling")),
    ("steps", _("Forsinkede steg i prosessplaner")),
    ("ceased", _("Medlemmer som har opphørt ved kommuneendring")),
    ("runs", _("Fakturering som venter")),
    ("drafts", _("Utkast: strategiske planer, samarbeidsforslag og gjennomganger under arbeid")),
    ("grant-reports", _("Tilskudd som skal rapporteres")),
    # not a digest: a notice at once when a case is sent to the municipality's council
    ("notices", _("Varsel med en gang når en sak sendes til kommunen")),
]
DEFAULT_KINDS = [
    "treatments",
    "benefits",
    "reviews",
    "steps",
    "ceased",
    "runs",
    "grant-reports",
    "notices",
]
# Which kinds each role can receive (the dashboard's sections for that role, and the
# notices a coordinator gets); reminders.digest.kinds_for decides per user.
# Reviews due are both: a coordinator's municipality's memberships, a secretariat's arenas'
# own reviews and their memberships (digest.secretariat_reviews).
COORDINATOR_KINDS = frozenset({"treatments", "benefits", "reviews", "invoices", "notices"})
SECRETARIAT_KINDS = frozenset({"steps", "ceased", "runs", "drafts", "reviews", "grant-reports"})


def default_kinds() -> list[str]:
    return list(DEFAULT_KINDS)


class ReminderSettings(Versioned):
    """A person's reminders: which, how often, in which language. Made on first save
    (reminders.services.save_settings; the sender records `last_sent` without a version)."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("daglig")
        WEEKLY = "weekly", _("ukentlig")
        NEVER = "never", _("aldri")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_settings",
        verbose_name=_("bruker"),
        editable=False,  # always the signed-in user's own
    )
    kinds = models.JSONField(_("påminnelser om"), default=default_kinds)
    frequency = models.CharField(
        _("hvor ofte"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    language = models.CharField(
        _("språk"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    last_sent = models.DateTimeField(_("sist sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("innstillinger for påminnelser")
        verbose_name_plural = _("innstillinger for påminnelser")

    def __str__(self) -> str:
        return str(self.user)


class SentReminder(models.Model):
    """One reminder sent to one person in one state (the row's link, date and lateness): the
    same reminder in the same state is not sent again; a new state (e.g. now late) is."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    key = models.CharField(max_length=64)
    sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            unique(
                ["user", "key"], "reminder_sent_once", _("Denne påminnelsen er allerede sendt.")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.key[:8]}"


class ContactOptOut(models.Model):
    """An address that is not a user's (a municipality's accounts department, given on its
    invoice reference) and has asked for no more notices: it is never e-mailed again,
    whichever reference names it."""

    email = models.EmailField(
        _("e-post"),
        unique=True,
        error_messages={"unique": _("Denne adressen er allerede meldt av.")},
    )
    opted_out = models.DateTimeField(_("meldt av"), auto_now_add=True)

    class Meta:
        verbose_name = _("avmeldt e-postadresse")
        verbose_name_plural = _("avmeldte e-postadresser")

    def __str__(self) -> str:
        return self.email


class ReminderRun(models.Model):
    """The daily reminders' run for one date (samarbeid.reminders.daily): one row per date,
    so that however many workers or app servers there are, one run is queued for a day and
    one sends (the first to claim `claimed`)."""

    day = models.DateField(_("dag"), unique=True, editable=False)  # made by the system
    job = models.OneToOneField(
        "jobs.Job", on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    claimed = models.DateTimeField(_("kjørt"), null=True, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("daglig utsending av påminnelser")
        verbose_name_plural = _("daglige utsendinger av påminnelser")

    def __str__(self) -> str:
        return str(self.day)
