"""What is judged as of a day ("per dato"): a plan's steps done, overdue or not yet, and a
treatment's state on the board. Pure functions of the record and the day, so a page or the API
can read a plan of 2007 as it stood on 01.10.2007; nothing here reads the clock.

As of `day`, a record counts what had happened by then: a step done after `day` was not done
yet, a treatment met after `day` was not decided yet, and a treatment closed by a municipal
change that took effect after `day` was still open."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samarbeid.core import dates
from samarbeid.core.api_forms import valid
from samarbeid.core.forms import DATE_INPUT
from samarbeid.governance.models import LAPSED_OUTCOMES, Decision, ProcessStep

# Process steps -------------------------------------------------------------------------------

STEP_DONE = "done"
STEP_OVERDUE = "overdue"
STEP_NOT_YET = "not_yet"


def step_due(step: ProcessStep) -> date:
    """The day a step should be done by: its planned end, else its planned date."""
    return step.planned_end or step.planned_date


def step_state(step: ProcessStep, day: date) -> str:
    """Done (on or before `day`), overdue (due before `day` and not done by then) or not yet."""
    if step.done_date is not None and step.done_date <= day:
        return STEP_DONE
    if step_due(step) < day:
        return STEP_OVERDUE
    return STEP_NOT_YET


def step_overdue(step: ProcessStep, day: date) -> bool:
    return step_state(step, day) == STEP_OVERDUE


# Treatments ----------------------------------------------------------------------------------

DECIDED = "decided"
PENDING = "pending"
OVERDUE = "overdue"
LAPSED = "lapsed"
TRANSFERRED = "transferred"


def treatment_state(decision: Decision, day: date) -> str:
    """One body's treatment of a case as it stood on `day`: decided (met by then), lapsed or
    transferred (the municipal change had taken effect, stored or seen in the register),
    overdue (open, the body still exists and the planned date has passed) or pending."""
    if decision.outcome in LAPSED_OUTCOMES and (
        decision.lapsed_on is None or decision.lapsed_on <= day
    ):
        return TRANSFERRED if decision.outcome == Decision.Outcome.TRANSFERRED else LAPSED
    if decision.is_decided and (decision.meeting_date is None or decision.meeting_date <= day):
        return DECIDED
    if decision.ceased_before(day):
        return LAPSED
    if decision.planned_date is not None and decision.planned_date < day:
        return OVERDUE
    return PENDING


def treatment_overdue(decision: Decision, day: date) -> bool:
    return treatment_state(decision, day) == OVERDUE


# The day asked for ---------------------------------------------------------------------------


class AsOfForm(forms.Form):
    """The day a page or the API judges against (GET `per`, ISO or dd.mm.yyyy); empty: today."""

    per = forms.DateField(
        label=_("Per dato"),
        required=False,
        widget=DATE_INPUT,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=_("Forsinkelser og frister vurderes per denne datoen. Tom: i dag."),
        error_messages={"invalid": _("Skriv en gyldig dato, f.eks. 01.10.2007.")},
        # a plan's window: 01.01.1800 or 2999 is a typing error, not a day to judge against
        validators=[dates.PLAN],
    )

    def day(self) -> date:
        """The day asked for (today when none); call after `is_valid()`."""
        return self.cleaned_data.get("per") or timezone.localdate()


def as_of_form(query: Mapping[str, Any]) -> tuple[AsOfForm, date]:
    """The page's form from its GET parameters and the day it asks for: today when the field
    is empty or its value is not a date (the form then carries the field's error)."""
    form = AsOfForm({"per": query.get("per", "")})
    if form.is_valid():
        return form, form.day()
    return form, timezone.localdate()


def as_of_day(query: Mapping[str, Any]) -> date:
    """The API's day: the same form; a value that is not a date is refused (422, field `per`)."""
    return valid(AsOfForm({"per": query.get("per", "")})).day()
