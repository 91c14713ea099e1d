"""Exact money helpers for NOK: øre conversion, Norwegian/English formatting, input parsing.

Amounts are always `Decimal` with two decimals; floats are refused everywhere.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["CENT", "account_grouped", "format_nok", "from_ore", "parse_amount", "to_ore"]

CENT = Decimal("0.01")

# Upper bound on integer digits accepted from user input; keeps quantize() far below the
# default 28-digit decimal context precision (10**15 NOK is more than any budget here).
MAX_INTEGER_DIGITS = 15

NBSP = "\u00a0"
# Spaces people (and spreadsheets) use as thousands separators in Norwegian text.
_GROUP_SPACES = (" ", NBSP, "\u202f", "\u2009")

_NUMBER_RE = re.compile(
    r"""
    (?P<sign>[-\u2212]?)
    (?P<int>[0-9]+|[0-9]{1,3}(?:\ [0-9]{3})+)
    (?:(?P<sep>[.,])(?P<frac>[0-9]+))?
    """,
    re.VERBOSE,
)


def _require_finite_decimal(amount: object, what: str = "amount") -> Decimal:
    # bool is an int subclass and float is inexact: both are programming errors here.
    if not isinstance(amount, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(amount).__name__}")
    if not amount.is_finite():
        raise ValueError(f"{what} must be a finite number, got {amount}")
    return amount


def to_ore(amount: Decimal) -> int:
    """Convert kroner to whole øre.

    Raises ValueError if the amount is not finite or is not a whole number of øre
    (silently rounding money is never what the caller wants).
    """
    amount = _require_finite_decimal(amount)
    ore = amount * 100
    if ore != ore.to_integral_value():
        raise ValueError(f"amount {amount} has more than 2 decimals")
    return int(ore)


def from_ore(ore: int) -> Decimal:
    """Convert whole øre to kroner as a Decimal with exactly two decimals."""
    if isinstance(ore, bool) or not isinstance(ore, int):
        raise TypeError(f"øre must be an int, got {type(ore).__name__}")
    # Building from the string keeps it exact: no context precision or rounding involved.
    return Decimal(f"{ore}E-2")


def format_nok(amount: Decimal, lang: str = "nb") -> str:
    """Format an amount with two decimals: "1 234 567,89" (nb/nn/no) or "1,234,567.89" (en).

    The Norwegian thousands separator is a no-break space (U+00A0) so amounts never wrap.
    Amounts with more than two decimals are rounded half up. Raises ValueError for an
    unknown language or a non-finite amount.
    """
    amount = _require_finite_decimal(amount)
    primary = lang.replace("_", "-").split("-", 1)[0].lower()
    if primary not in ("nb", "nn", "no", "en"):
        raise ValueError(f"unsupported language {lang!r}; use 'nb', 'nn' or 'en'")
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never show "-0,00"
    text = f"{rounded:,.2f}"
    if primary == "en":
        return text
    return text.translate({ord(","): NBSP, ord("."): ","})


def parse_amount(text: str) -> Decimal:
    """Parse a user-entered NOK amount into a Decimal with exactly two decimals.

    Accepts "1000000", "1000000.00", "1000000,5", "1 000 000,50" (space, no-break or thin
    space as thousands separator, in groups of three) and a leading minus sign.
    Raises ValueError with a readable message for anything else, including more than two
    decimals, NaN/Infinity and exponents.
    """
    if not isinstance(text, str):
        raise TypeError(f"amount must be given as text, got {type(text).__name__}")
    cleaned = text.strip()
    for space in _GROUP_SPACES:
        cleaned = cleaned.replace(space, " ")
    if not cleaned:
        raise ValueError("amount is empty")
    match = _NUMBER_RE.fullmatch(cleaned)
    if match is None:
        raise ValueError(
            f"{text!r} is not a valid amount; write it like 1 000 000,50 or 1000000.50"
        )
    int_digits = match["int"].replace(" ", "")
    frac = match["frac"] or ""
    if len(frac) > 2:
        raise ValueError(f"{text!r} has more than 2 decimals")
    if len(int_digits.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"{text!r} is too large")
    sign = "-" if match["sign"] else ""
    try:
        value = Decimal(f"{sign}{int_digits}.{frac or '0'}").quantize(CENT)
    except InvalidOperation as exc:  # pragma: no cover - the regex only lets digits through
        raise ValueError(f"{text!r} is not a valid amount") from exc
    return abs(value) if value == 0 else value


def account_grouped(number: str) -> str:
    """A Norwegian bank account number as people read it, grouped 4.2.5 ("9710.12.34561");
    anything but 11 digits (an old or foreign value) is given back as stored."""
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        return number
    return f"{number[:4]}.{number[4:6]}.{number[6:]}"
