"""Stored values as a clerk reads them on the pages, for every place that shows a raw value
(a refused edit's comparison, a record's history)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from samarbeid.core.dates import shown
from samarbeid.lib.money import format_nok


def as_read(value: Any) -> str:
    """'Ja'/'Nei', '12 500,50', '01.03.2006', a record by its name, '–' for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nei")
    if isinstance(value, Decimal):
        return format_nok(value, "nb")
    if isinstance(value, date):
        return shown(value)
    if isinstance(value, models.QuerySet | list | tuple):
        return ", ".join(as_read(v) for v in value) or "–"
    return str(value)
