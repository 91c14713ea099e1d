"""How meetings write a day ("tirsdag 3. mars 2026") and a time of day ("09.00")."""

from __future__ import annotations

from typing import Any

from django.utils import dateformat
from django.utils.translation import gettext


def long_day(day: Any) -> str:
    """ "tirsdag 3. mars 2026" (English: "Tuesday 3 March 2026")."""
    return dateformat.format(day, gettext("l j. F Y"))


def clock(moment: Any) -> str:
    """ "09.00" (English: "09:00"): the one way a time of day is written in meetings' pages,
    PDFs and e-mails (the template filter `clock`, `{% load meetings_time %}`)."""
    return dateformat.time_format(moment, gettext("H.i"))
