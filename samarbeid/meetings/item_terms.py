"""What an agenda item is said with: why it is closed (its legal basis), what the body decided
(the minutes' outcomes), its printed number and the longest texts it takes."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.TextChoices):
    """Why an item is closed to the public: the law that exempts it."""

    DUTY_OF_CONFIDENTIALITY = "offl_13_fvl_13", _("offl. § 13 jf. fvl. § 13 (taushetsplikt)")
    INTERNAL_DOCUMENT = "offl_14", _("offl. § 14 (organinternt dokument)")
    NEGOTIATING_POSITION = "offl_23", _("offl. § 23 (forhandlingsposisjon)")
    CLOSED_MEETING = "koml_11_5", _("koml. § 11-5 (lukket møte)")
    OTHER = "other", _("annen hjemmel")


class MinutesOutcome(models.TextChoices):
    """What the body decided on an item (the governance decision's outcomes a meeting
    gives)."""

    ADOPTED = "adopted", _("vedtatt")
    ADOPTED_WITH_CHANGES = "adopted_with_changes", _("vedtatt med endringer")
    REJECTED = "rejected", _("avvist")
    POSTPONED = "postponed", _("utsatt")
    NOTED = "noted", _("tatt til orientering")


def item_number(number: int | None, year: int | None) -> str:
    """An agenda item's number as printed, "12/26" (the body's number in the year, the year
    in two digits), or "" while it has none."""
    if number is None or year is None:
        return ""
    return f"{number}/{year % 100:02d}"


# The longest proposal for a decision an item takes: a few pages (a saksframstilling has no
# limit of its own beyond the request's size; a proposal becomes the minutes' decision text)
PROPOSAL_MAX = 10_000

# The longest treatment and decision text the minutes take for an item: twice a proposal
# (a decision adopted as it stood is its proposal; a treatment may quote it and the debate)
MINUTES_TEXT_MAX = 20_000


def minutes_text(verbose_name: Any) -> models.TextField[Any, Any]:
    """A text of the minutes (the treatment, the decision), at most MINUTES_TEXT_MAX
    characters: the form's field says so (its box has no maxlength), and the model's
    validator refuses a longer one from any service's write (a TextField's max_length
    alone is only the form's)."""
    return models.TextField(
        verbose_name,
        blank=True,
        max_length=MINUTES_TEXT_MAX,
        validators=[MaxLengthValidator(MINUTES_TEXT_MAX)],
    )
