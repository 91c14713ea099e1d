"""Plausible dates: the one table of which dates a field may hold, by what kind of date it is.

A clerk who types 01.01.1800 as a benefit's target date, or 2062 as the day a council met,
has made a typing error; the record would then sit in every list and count in the wrong
place. Each writable date field of the domain declares its kind with a validator,
`PlausibleDate(Kind.PLAN)`, and the model's `full_clean` (the write path), the page's form
and the API's form (the same form) all refuse a date outside the kind's window with the
same words, naming the field.

| kind | the date of | window |
|---|---|---|
| record | what has happened: a meeting, a case opened, a value measured | 01.01.1950 – today |
| plan | what is planned: a target, a planned meeting, a review | 01.01.1950 – 31.12.(+50 y) |
| period | a start or an end: an arena's, a membership's, a project's | 01.01.1950 – 31.12.(+50 y) |
| invoice | an invoice's date and due date | 01.01.1990 – 31.12.(+10 y) |
| budget year (a year) | a budget, an invoice run, a usage | 1990 – this year + 10 |

"Today" is `timezone.localdate()` when the date is checked (Oslo), never when the code is
imported. The register's dates (`registry`: a municipality's valid_from back to 1838, the
effective day of a merger) are Statistics Norway's, imported as they are: they have no kind.
Dates without a kind (a filter, "as of") keep the wide check against typing errors,
`date_in_range` (1900–2100)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind(StrEnum):
    RECORD = "record"
    PLAN = "plan"
    PERIOD = "period"
    INVOICE = "invoice"
    MEETING = "meeting"


def _day(year: int, month: int, day: int) -> Callable[[date], date]:
    return lambda today: date(year, month, day)


def _today(today: date) -> date:
    return today


def _end_of_year_after(years: int) -> Callable[[date], date]:
    return lambda today: date(today.year + years, 12, 31)


@dataclass(frozen=True)
class Window:
    """The first and last plausible day of a kind, given today, and what the kind is called
    in the refusal ("… rimelig for <what>")."""

    first: Callable[[date], date]
    last: Callable[[date], date]
    what: Promise


WINDOWS: dict[Kind, Window] = {
    Kind.RECORD: Window(_day(1950, 1, 1), _today, _("en dato for noe som har skjedd")),
    Kind.PLAN: Window(
        _day(1950, 1, 1), _end_of_year_after(50), _("en planlagt dato eller et tidspunkt i et mål")
    ),
    Kind.PERIOD: Window(
        _day(1950, 1, 1), _end_of_year_after(50), _("starten eller slutten på en periode")
    ),
    Kind.INVOICE: Window(_day(1990, 1, 1), _end_of_year_after(10), _("en faktura")),
    Kind.MEETING: Window(_day(1950, 1, 1), _end_of_year_after(50), _("et møte")),
}

IMPLAUSIBLE = _("Datoen %(value)s er utenfor det som er rimelig for %(what)s (%(first)s–%(last)s).")

FUTURE = _("Datoen kan ikke være fram i tid (%(value)s er etter i dag, %(last)s).")


def shown(day: date) -> str:
    """A day as the pages and the services' messages write it: 31.12.2025."""
    return day.strftime("%d.%m.%Y")


def window(kind: Kind | str, today: date | None = None) -> tuple[date, date]:
    """The first and last plausible day of `kind` (today: `timezone.localdate()`)."""
    rule = WINDOWS[Kind(kind)]
    today = today or timezone.localdate()
    return rule.first(today), rule.last(today)


def check(kind: Kind | str, value: date, today: date | None = None) -> None:
    """Refuse `value` when it is outside the window of `kind`, saying the window."""
    first, last = window(kind, today)
    if Kind(kind) is Kind.RECORD and value > last:
        raise ValidationError(
            FUTURE, code="future_date", params={"value": shown(value), "last": shown(last)}
        )
    if not first <= value <= last:
        raise ValidationError(
            IMPLAUSIBLE,
            code="implausible_date",
            params={
                "value": shown(value),
                "what": WINDOWS[Kind(kind)].what,
                "first": shown(first),
                "last": shown(last),
            },
        )


@deconstructible(path="samarbeid.core.dates.PlausibleDate")
class PlausibleDate:
    """A field validator: the date is plausible for its kind (see the table above). Models
    declare it on their date fields; forms built from them use it (`core.forms.VersionedForm`);
    a plain form's date field that feeds such a field declares it too."""

    def __init__(self, kind: Kind | str) -> None:
        self.kind = str(Kind(kind))

    def __call__(self, value: Any) -> None:
        if isinstance(value, date):
            check(self.kind, value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleDate) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(("PlausibleDate", self.kind))


# what a model's field declares: `validators=[dates.PLAN]` (plain strings, so migrations
# name the kind as a word)
RECORD = PlausibleDate("record")
PLAN = PlausibleDate("plan")
PERIOD = PlausibleDate("period")
INVOICE = PlausibleDate("invoice")
MEETING = PlausibleDate("meeting")


# Years of money: a budget, an invoice run, a year's usage. 1990 reaches the oldest accounts
# anyone brings in (the demo's go back to 1997); ten years ahead is as far as anyone budgets.
FIRST_BUDGET_YEAR = 1990
BUDGET_YEARS_AHEAD = 10
IMPLAUSIBLE_YEAR = _(
    "Året %(value)s er utenfor det som er rimelig for et budsjettår (%(first)s–%(last)s)."
)


def budget_years(today: date | None = None) -> tuple[int, int]:
    """The first and last plausible budget year (today: `timezone.localdate()`)."""
    return FIRST_BUDGET_YEAR, (today or timezone.localdate()).year + BUDGET_YEARS_AHEAD


@deconstructible(path="samarbeid.core.dates.PlausibleBudgetYear")
class PlausibleBudgetYear:
    """A field validator: the year is a plausible budget year (see `budget_years`)."""

    def __call__(self, value: Any) -> None:
        if not isinstance(value, int):
            return
        first, last = budget_years()
        if not first <= value <= last:
            raise ValidationError(
                IMPLAUSIBLE_YEAR,
                code="implausible_year",
                params={"value": value, "first": first, "last": last},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleBudgetYear)

    def __hash__(self) -> int:
        return hash("PlausibleBudgetYear")


BUDGET_YEAR = PlausibleBudgetYear()


FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def date_in_range(value: date) -> None:
    """A date of no particular kind (a filter, "as of") is between 1900 and 2100: 9999-12-31
    or year 0 is a typing error, and would break every page that counts years."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(
            _("Datoen må være mellom 01.01.1900 og 31.12.2100."), code="date_range"
        )


def plausible_kind(model: type[Model], name: str) -> PlausibleDate | None:
    """The PlausibleDate of `model`'s field `name`, if it declares one."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not isinstance(field, Field):
        return None
    return next((v for v in field.validators if isinstance(v, PlausibleDate)), None)


def check_fields(model: type[Model], values: Mapping[str, Any]) -> None:
    """Refuse, by field, the dates in `values` that `model`'s fields find implausible: for an
    endpoint that reads a date before its form does (the municipality on the meeting day)."""
    errors: dict[str, list[ValidationError]] = {}
    for name, value in values.items():
        rule = plausible_kind(model, name)
        if rule is not None and isinstance(value, date):
            try:
                rule(value)
            except ValidationError as exc:
                errors[name] = [exc]
    if errors:
        raise ValidationError(errors)
