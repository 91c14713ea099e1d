"""The API's words for a body that does not fit its schema, in the request's language
(bokmål unless `?lang=en`), as the pages speak: pydantic's own messages are English only,
so each error is told by its type (https://docs.pydantic.dev/latest/errors/validation_errors/)
with the limits pydantic gives in its context. A type not listed falls back to a plain
"invalid value", never to pydantic's English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

BY_TYPE: dict[str, Promise] = {
    "missing": _("Feltet er påkrevd."),
    "string_type": _("Skal være tekst."),
    "string_too_short": _("Skal ha minst %(min_length)s tegn."),
    "string_too_long": _("Kan ha høyst %(max_length)s tegn."),
    "string_pattern_mismatch": _("Har ikke riktig form."),
    "int_type": _("Skal være et heltall."),
    "int_parsing": _("Skal være et heltall."),
    "int_from_float": _("Skal være et heltall, uten desimaler."),
    "float_type": _("Skal være et tall."),
    "float_parsing": _("Skal være et tall."),
    "decimal_type": _('Skal være et tall, helst som tekst (f.eks. "1000.50").'),
    "decimal_parsing": _('Skal være et tall, f.eks. "1000.50".'),
    "decimal_max_places": _("Kan ha høyst %(decimal_places)s desimaler."),
    "decimal_max_digits": _("Kan ha høyst %(max_digits)s sifre."),
    "decimal_whole_digits": _("Har for mange sifre før komma."),
    "greater_than": _("Skal være større enn %(gt)s."),
    "greater_than_equal": _("Skal være minst %(ge)s."),
    "less_than": _("Skal være mindre enn %(lt)s."),
    "less_than_equal": _("Kan være høyst %(le)s."),
    "bool_type": _("Skal være true eller false."),
    "bool_parsing": _("Skal være true eller false."),
    "date_type": _("Skal være en dato som tekst, f.eks. 2024-05-02."),
    "date_parsing": _("Skal være en dato, f.eks. 2024-05-02."),
    "date_from_datetime_parsing": _("Skal være en dato, f.eks. 2024-05-02."),
    "date_from_datetime_inexact": _("Skal være en dato uten klokkeslett."),
    "datetime_type": _("Skal være et tidspunkt, f.eks. 2024-05-02T10:00:00."),
    "datetime_parsing": _("Skal være et tidspunkt, f.eks. 2024-05-02T10:00:00."),
    "datetime_from_date_parsing": _("Skal være et tidspunkt, f.eks. 2024-05-02T10:00:00."),
    "list_type": _("Skal være en liste."),
    "too_short": _("Skal ha minst %(min_length)s element."),
    "too_long": _("Kan ha høyst %(max_length)s elementer."),
    "dict_type": _("Skal være et JSON-objekt."),
    "model_type": _("Skal være et JSON-objekt."),
    "model_attributes_type": _("Skal være et JSON-objekt."),
    "enum": _("Skal være en av: %(expected)s."),
    "literal_error": _("Skal være en av: %(expected)s."),
    "extra_forbidden": _("Ukjent felt."),
    "json_invalid": _("Er ikke gyldig JSON."),
    "json_type": _("Er ikke gyldig JSON."),
    "uuid_parsing": _("Skal være en UUID."),
    "url_parsing": _("Skal være en nettadresse."),
}
FALLBACK = _("Ugyldig verdi.")

# An amount in NOK as the API takes it (a string, at most two decimals; written as on the
# page, "1 000 000,50", it is read as "1000000.50" first: core.api_schemas.MoneyIn): refused
# in the page's words (core.forms.AmountField), not as a pattern.
MONEY_PATTERN = r"^-?\d{1,12}(\.\d{1,2})?$"
BY_PATTERN: dict[str, Promise] = {
    MONEY_PATTERN: _("Skriv beløpet som 1 000 000,50 (høyst to desimaler)."),
}


def _choices(expected: str) -> str:
    """pydantic's list of choices ("'a', 'b' or 'c'") with the request language's "or"."""
    head, sep, last = expected.rpartition(" or ")
    return f"{head} {gettext('eller')} {last}" if sep else expected


def message(error: Mapping[str, Any]) -> str:
    """The words for one pydantic error (its `type` and `ctx`); a message set by our own
    checks (`msg` with no pydantic type, or a `value_error` raised with our text) is kept."""
    kind = str(error.get("type", ""))
    if kind in ("value_error", "assertion_error", "strict_type") or not kind:
        return str(error.get("msg", "")) or gettext(str(FALLBACK))
    words = BY_TYPE.get(kind)
    if words is None:
        return gettext(str(FALLBACK))
    context = {name: str(value) for name, value in (error.get("ctx") or {}).items()}
    if kind == "string_too_short" and context.get("min_length") == "1":
        return str(BY_TYPE["missing"])  # an empty text is a missing one, as on the page
    if kind == "string_pattern_mismatch" and context.get("pattern") in BY_PATTERN:
        return str(BY_PATTERN[context["pattern"]])
    if "expected" in context:
        context["expected"] = _choices(context["expected"])
    try:
        return str(words) % context
    except (KeyError, TypeError, ValueError):  # a limit pydantic did not give: say it plainly
        return gettext(str(FALLBACK))
